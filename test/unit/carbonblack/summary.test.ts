import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_SUMMARY_CONFIG, int2ip, parseSummaryConfig, renderSummary } from '../../../src/lib/carbonblack/summary';
import { pyJsonDumps, pyRepr } from '../../../src/lib/util/python';
import { SUMMARY_CASES, TYPE_ORDER } from '../../fixtures/carbonblack/summary-cases';

test('the default summary config: the nine types in the contract\'s order and the one transform; empty text means the default', () => {
  assert.deepEqual(Object.keys(DEFAULT_SUMMARY_CONFIG.types), TYPE_ORDER);
  assert.deepEqual(DEFAULT_SUMMARY_CONFIG.transforms, { netconn_remote_ipv4: 'int2ip' });
  assert.deepEqual(parseSummaryConfig(''), DEFAULT_SUMMARY_CONFIG);
  assert.deepEqual(parseSummaryConfig(JSON.stringify(DEFAULT_SUMMARY_CONFIG)), DEFAULT_SUMMARY_CONFIG);
});

test('the default config gives each of the nine event types its hand-worked python-style summary (attribute order, None, lists, int2ip)', () => {
  assert.deepEqual(SUMMARY_CASES.map((c) => c.event.event_type), TYPE_ORDER);
  for (const { event, python } of SUMMARY_CASES) {
    assert.equal(renderSummary(event, DEFAULT_SUMMARY_CONFIG, { style: 'python', int2ip: 'strict' }), python, String(event.event_type));
  }
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
