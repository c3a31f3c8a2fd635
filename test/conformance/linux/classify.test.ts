// Conformance: the classifier against msticpy's Sentinel rows (sudo_*.csv, syslog_data.csv) and the KQL query YAML.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import YAML from 'yaml';
import { ACCOUNT, CRON, LOGON, SUDO, classifyRow, kqlRegexToJs, type SyslogRow } from '../../../src/lib/linux';
import { readCsv, readText } from './vectors';

const SUDO_FILES = ['sudo_data.csv', 'sudo_data_speed.csv', 'sudo_events.csv', 'sudo_session_test.csv'];
const KQL_COLUMNS = ['SudoResult', 'Sudoer', 'SudoTo', 'Command', 'CommandCall'] as const;

test('sudo rows: compat values equal the KQL-derived columns of every sudo_*.csv row', () => {
  let checked = 0;
  for (const file of SUDO_FILES) {
    for (const [i, row] of readCsv(file).entries()) {
      const out = classifyRow(row as SyslogRow, { compat: true });
      assert.equal(out.activity, 'sudo', `${file} row ${i}`);
      for (const col of KQL_COLUMNS) assert.equal(out[col], row[col], `${file} row ${i} ${col}: ${row.SyslogMessage}`);
      checked++;
    }
  }
  assert.equal(checked, 22 + 22 + 4 + 78);
});

test('sudo rows: default mode differs only by spelling Success correctly', () => {
  for (const file of SUDO_FILES) {
    for (const row of readCsv(file)) {
      const out = classifyRow(row as SyslogRow);
      assert.equal(out.SudoResult, row.SudoResult === 'Sucess' ? 'Success' : row.SudoResult);
      for (const col of ['Sudoer', 'SudoTo', 'Command', 'CommandCall'] as const) assert.equal(out[col], row[col]);
    }
  }
});

test('syslog_data.csv: every row is sudo activity, parsed as the sudo query says', () => {
  const rows = readCsv('syslog_data.csv');
  assert.equal(rows.length, 100);
  let commands = 0;
  for (const row of rows) {
    const out = classifyRow(row as SyslogRow, { compat: true });
    assert.equal(out.activity, 'sudo');
    const msg = row.SyslogMessage;
    // Command: everything after the first COMMAND= (the query's (.*)$), else "".
    const at = msg.indexOf('COMMAND=');
    const expectedCommand = at >= 0 ? msg.slice(at + 'COMMAND='.length) : '';
    assert.equal(out.Command, expectedCommand, msg);
    if (expectedCommand) commands++;
    // CommandCall: the command's first printable run (up to a space), "None" when empty.
    assert.equal(out.CommandCall, expectedCommand ? expectedCommand.split(/[^!-~]/)[0] || 'None' : '');
    assert.equal(out.SudoResult, msg.toLowerCase().includes('authentication failure') ? 'Failure' : 'Sucess');
    // "session opened for user root by (uid=0)": the user after "by " is empty, so no Sudoer; "for user root" is SudoTo.
    if (msg.includes('session opened for user root by (uid=0)')) assert.deepEqual([out.Sudoer, out.SudoTo], ['', 'root']);
    // extract is case-sensitive: USER=root on COMMAND lines is not user=.
    if (at >= 0) assert.equal(out.Sudoer, '');
  }
  assert.ok(commands > 10);
});

test('the ported regexes equal the msticpy query YAML (source of truth)', () => {
  const ours = new Set([...Object.values(LOGON), ...Object.values(SUDO), ...Object.values(CRON), ...Object.values(ACCOUNT)].map((r) => r.source));
  const found: string[] = [];
  for (const file of ['queries/kql_sent_lxsyslog_logon.yaml', 'queries/kql_sent_lxsyslog_activity.yaml']) {
    const doc = YAML.parse(readText(file)) as { sources: Record<string, { args: { query: string } }> };
    for (const name of ['user_logon', 'sudo_activity', 'cron_activity', 'user_group_activity']) {
      const query = doc.sources[name]?.args.query;
      if (!query) continue;
      for (const m of query.matchAll(/(?:extract\(|matches regex )"((?:[^"\\]|\\.)*)"/g)) found.push(kqlRegexToJs(m[1]));
    }
  }
  assert.ok(found.length >= 20, `found ${found.length} regexes`);
  for (const source of found) assert.ok(ours.has(source), `YAML regex ${source} is not ported`);
});
