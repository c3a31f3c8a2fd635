import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { eventsToCsv, CSV_COLUMNS } from '../../../src/lib/carbonblack/csv';
import { DEFAULT_SUMMARY_CONFIG } from '../../../src/lib/carbonblack/summary';
import { pyJsonDumps } from '../../../src/lib/util/python';

const events = [
  { event_timestamp: '2021-03-29T15:54:11.178Z', event_type: 'crossproc', crossproc_name: 'c:\\path "quoted", here.exe', crossproc_action: ['ACTION_OPEN_PROCESS_HANDLE'], process_pid: 740 },
  { event_timestamp: '2021-03-29T15:20:17.505Z', event_type: 'netconn', event_description: 'line one\nline two', netconn_inbound: false, netconn_protocol: 'PROTO_UDP', netconn_remote_ipv4: -1062731519, netconn_remote_port: 389 },
  { event_timestamp: '2021-03-29T15:20:17.000Z', event_type: 'childproc', event_description: 'lone\rCR', childproc_username: 'Jürgen', childproc_cmdline: 'plain' },
];

test('CSV: reference header, CRLF after every row, minimal quoting, UTF-8', () => {
  const csv = eventsToCsv(events, DEFAULT_SUMMARY_CONFIG, { style: 'python', int2ip: 'strict' });
  assert.ok(csv.startsWith('event_timestamp,event_type,event_description,summary,details\r\n'));
  assert.ok(csv.endsWith('\r\n'));
  assert.ok(!csv.startsWith('\ufeff'));
  // The first data row: description empty and unquoted, summary quoted (commas, quotes), quotes doubled.
  const firstRow = csv.split('\r\n')[1];
  assert.ok(firstRow.startsWith('2021-03-29T15:54:11.178Z,crossproc,,'), firstRow);
  assert.ok(firstRow.includes(',," crossproc_name: c:\\path ""quoted"", here.exe crossproc_action:'), firstRow);
  // A lone CR and a lone LF are quoted (Python csv does).
  assert.ok(csv.includes('"line one\nline two"'));
  assert.ok(csv.includes('"lone\rCR"'));
  // Plain fields stay unquoted.
  assert.ok(csv.includes(',netconn,'));
});

test('CSV bytes round-trip through a CSV parser to the same cells', () => {
  const csv = eventsToCsv(events, DEFAULT_SUMMARY_CONFIG, { style: 'python', int2ip: 'strict' });
  const rows = parse(csv, { relax_column_count: false }) as string[][];
  assert.deepEqual(rows[0], [...CSV_COLUMNS]);
  assert.equal(rows.length, events.length + 1);
  events.forEach((e, i) => {
    const row = rows[i + 1];
    assert.equal(row[0], e.event_timestamp);
    assert.equal(row[1], e.event_type);
    assert.equal(row[2], (e as Record<string, unknown>).event_description ?? '');
    assert.equal(row[4], pyJsonDumps(e));
    assert.deepEqual(JSON.parse(row[4]), e);
  });
  assert.equal(rows[2][3], ' netconn_inbound: False netconn_protocol: PROTO_UDP netconn_remote_ipv4: 192.168.1.1 netconn_remote_port: 389');
  assert.equal(rows[3][3], ' childproc_username: Jürgen childproc_cmdline: plain');
});
