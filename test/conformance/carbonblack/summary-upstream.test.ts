// Conformance: the default summary config is upstream's events/summary.json, and the
// README's example rows show the summary forms the python style writes.
// test/unit/carbonblack/summary.test.ts checks the forms on the project's own events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { DEFAULT_SUMMARY_CONFIG, parseSummaryConfig, renderSummary } from '../../../src/lib/carbonblack/summary';
import { vectorPath } from '../../support/vectors';

const upstream = JSON.parse(fs.readFileSync(vectorPath('carbonblack', 'cb_summary.json'), 'utf8'));

test('the default summary config is upstream summary.json: type order, attribute order and the one transform', () => {
  assert.deepEqual(Object.keys(DEFAULT_SUMMARY_CONFIG.types), ['childproc', 'regmod', 'filemod', 'modload', 'crossproc', 'netconn', 'netconn_proxy', 'fileless_scriptload', 'scriptload']);
  assert.deepEqual(DEFAULT_SUMMARY_CONFIG, upstream);
  assert.equal(JSON.stringify(DEFAULT_SUMMARY_CONFIG), JSON.stringify(upstream), 'the same key order');
  assert.deepEqual(parseSummaryConfig(''), upstream);
  assert.deepEqual(parseSummaryConfig(JSON.stringify(upstream)), upstream);
  assert.equal(DEFAULT_SUMMARY_CONFIG.transforms.netconn_remote_ipv4, 'int2ip');
});

test('the README example rows show the forms the python style writes', () => {
  const readme = fs.readFileSync(vectorPath('carbonblack', 'cb_csv_example_rows_from_readme.md.txt'), 'utf8');
  const opts = { style: 'python' as const, int2ip: 'strict' as const };
  const crossproc = renderSummary({ event_type: 'crossproc', crossproc_name: 'x', crossproc_action: ['ACTION_OPEN_PROCESS_HANDLE'] }, DEFAULT_SUMMARY_CONFIG, opts);
  assert.ok(readme.includes(crossproc.split(' crossproc_name: x ')[1]), crossproc);
  const netconn = renderSummary({ event_type: 'netconn', netconn_inbound: false, netconn_protocol: 'PROTO_UDP', netconn_remote_ipv4: -1062731519, netconn_remote_port: 389 }, DEFAULT_SUMMARY_CONFIG, opts);
  // The README redacts the address as A.B.C.D.
  assert.ok(readme.includes(`|${netconn.replace('192.168.1.1', 'A.B.C.D')}|`), netconn);
  assert.match(readme, /crossproc_action: \['ACTION_OPEN_PROCESS_HANDLE'\]/);
  assert.match(readme, /\| netconn_inbound: False netconn_protocol: PROTO_UDP netconn_remote_ipv4: A\.B\.C\.D netconn_remote_port: 389\|/);
});
