import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { DEFAULT_SUMMARY_CONFIG, int2ip, parseSummaryConfig, renderSummary } from '../../../src/lib/carbonblack/summary';
import { pyJsonDumps, pyRepr } from '../../../src/lib/util/python';
import { vectorPath } from '../../support/vectors';

const VECTORS = vectorPath('carbonblack');
const upstream = JSON.parse(fs.readFileSync(`${VECTORS}/cb_summary.json`, 'utf8'));

test('the default summary config is upstream summary.json: type order and the one transform', () => {
  assert.deepEqual(Object.keys(DEFAULT_SUMMARY_CONFIG.types), ['childproc', 'regmod', 'filemod', 'modload', 'crossproc', 'netconn', 'netconn_proxy', 'fileless_scriptload', 'scriptload']);
  assert.deepEqual(DEFAULT_SUMMARY_CONFIG, upstream);
  assert.deepEqual(parseSummaryConfig(''), upstream);
  assert.deepEqual(parseSummaryConfig(JSON.stringify(upstream)), upstream);
  assert.equal(DEFAULT_SUMMARY_CONFIG.transforms.netconn_remote_ipv4, 'int2ip');
});

test('int2ip: signed int32 in strict mode; lenient also takes unsigned, decimal text and dotted quads', () => {
  assert.equal(int2ip(-1062731519), '192.168.1.1');
  assert.equal(int2ip(167772161), '10.0.0.1');
  assert.equal(int2ip(-1), '255.255.255.255');
  assert.throws(() => int2ip(3232235777), /not a signed 32-bit/);
  assert.throws(() => int2ip('192.168.1.1'));
  assert.throws(() => int2ip(null));
  assert.equal(int2ip(3232235777, 'lenient'), '192.168.1.1');
  assert.equal(int2ip('-1062731519', 'lenient'), '192.168.1.1');
  assert.equal(int2ip('192.168.1.1', 'lenient'), '192.168.1.1');
  assert.throws(() => int2ip('192.168.1.300', 'lenient'));
  assert.throws(() => int2ip(2 ** 32, 'lenient'));
});

test('python style reproduces the README summary forms (leading space, False, list repr)', () => {
  const netconn = { event_type: 'netconn', netconn_inbound: false, netconn_protocol: 'PROTO_UDP', netconn_remote_ipv4: -1062731519, netconn_remote_port: 389 };
  const opts = { style: 'python' as const, int2ip: 'strict' as const };
  assert.equal(renderSummary(netconn, DEFAULT_SUMMARY_CONFIG, opts), ' netconn_inbound: False netconn_protocol: PROTO_UDP netconn_remote_ipv4: 192.168.1.1 netconn_remote_port: 389');
  const crossproc = { event_type: 'crossproc', crossproc_name: 'c:\\x\\microsoftedgeupdate.exe', crossproc_action: ['ACTION_OPEN_PROCESS_HANDLE'] };
  assert.equal(renderSummary(crossproc, DEFAULT_SUMMARY_CONFIG, opts), " crossproc_name: c:\\x\\microsoftedgeupdate.exe crossproc_action: ['ACTION_OPEN_PROCESS_HANDLE']");
  // The README table row (redacted) shows the same forms.
  const readme = fs.readFileSync(`${VECTORS}/cb_csv_example_rows_from_readme.md.txt`, 'utf8');
  assert.match(readme, /crossproc_action: \['ACTION_OPEN_PROCESS_HANDLE'\]/);
  assert.match(readme, /\| netconn_inbound: False netconn_protocol: PROTO_UDP netconn_remote_ipv4: A\.B\.C\.D netconn_remote_port: 389\|/);
  // Missing attributes are None; unknown types give an empty summary and a warning.
  assert.equal(renderSummary({ event_type: 'childproc' }, DEFAULT_SUMMARY_CONFIG, opts), ' childproc_username: None childproc_cmdline: None');
  const warnings: string[] = [];
  assert.equal(renderSummary({ event_type: 'weird' }, DEFAULT_SUMMARY_CONFIG, { ...opts, warn: (m) => warnings.push(m) }), '');
  assert.equal(warnings.length, 1);
});

test('strict int2ip silently drops unsigned and dotted values (upstream quirk); lenient keeps them', () => {
  const unsigned = { event_type: 'netconn', netconn_inbound: true, netconn_protocol: 'PROTO_TCP', netconn_remote_ipv4: 3232235777, netconn_remote_port: 443 };
  assert.equal(renderSummary(unsigned, DEFAULT_SUMMARY_CONFIG, { style: 'python', int2ip: 'strict' }), ' netconn_inbound: True netconn_protocol: PROTO_TCP netconn_remote_port: 443');
  assert.equal(renderSummary(unsigned, DEFAULT_SUMMARY_CONFIG, { style: 'clean', int2ip: 'lenient' }), 'netconn_inbound: true netconn_protocol: PROTO_TCP netconn_remote_ipv4: 192.168.1.1 netconn_remote_port: 443');
});

test('summary configs that are not valid are refused with the field named', () => {
  assert.throws(() => parseSummaryConfig('{"types": '), /summaryConfig is not valid JSON/);
  assert.throws(() => parseSummaryConfig('[]'), /summaryConfig must be a JSON object/);
  assert.throws(() => parseSummaryConfig('{"types": {"netconn": "x"}}'), /summaryConfig\.types\.netconn/);
  assert.throws(() => parseSummaryConfig('{"types": {}, "transforms": {"a": "rot13"}}'), /unknown transform "rot13"/);
  const custom = parseSummaryConfig('{"types": {"netconn": ["netconn_remote_ipv4"]}, "transforms": {"netconn_remote_ipv4": "int2ip"}}');
  assert.equal(renderSummary({ event_type: 'netconn', netconn_remote_ipv4: -1062731519 }, custom, { style: 'python', int2ip: 'strict' }), ' netconn_remote_ipv4: 192.168.1.1');
});

test('Python text forms: json.dumps with ensure_ascii and repr quoting', () => {
  assert.equal(pyJsonDumps({ a: 1, b: [true, null], c: 'Jürgen 😀', d: { e: 'x"y' } }), '{"a": 1, "b": [true, null], "c": "J\\u00fcrgen \\ud83d\\ude00", "d": {"e": "x\\"y"}}');
  assert.equal(pyJsonDumps({}), '{}');
  assert.equal(pyRepr(['a', "it's", 'say "hi" it\'s']), `['a', "it's", 'say "hi" it\\'s']`);
  assert.equal(pyRepr([1, 2.5, false, null]), '[1, 2.5, False, None]');
});
