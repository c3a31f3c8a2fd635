// Conformance: risky commands, command speed and risky sudo sessions against msticpy's tests (sudo_*.csv, syslog_data.csv, the rules JSON).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterSessionsCompat, commandSpeed, commandSpeedCompat, loadRules, pairSessions, riskyCommands, riskyCommandsCompat, riskySudoSessions } from '../../../src/lib/linux';
import { readCsv, readText } from './vectors';

const DEFAULT_RULES = loadRules('');

test('the default rules are msticpy\'s cmd_line_rules.json', () => {
  assert.deepEqual(
    DEFAULT_RULES.map((r) => r.source),
    (JSON.parse(readText('cmd_line_rules.json')) as { Syslog: string[] }).Syslog,
  );
});

test('risky_cmd_line compat on sudo_data.csv: 2019-07-05T18:19:52.873Z → /bin/bash; a missing field raises', () => {
  const rows = readCsv('sudo_data.csv');
  const out = riskyCommandsCompat(rows, DEFAULT_RULES);
  assert.ok(Object.keys(out).length >= 1);
  assert.equal(out['2019-07-05T18:19:52.873Z'], '/bin/bash');
  assert.throws(() => riskyCommandsCompat(rows, DEFAULT_RULES, 'Test'), /does not contain the Test field/);
  assert.throws(() => riskyCommands(rows, DEFAULT_RULES, 'Test'), /does not contain the Test field/);
  // Default: the same command flagged, with its rule and row.
  const all = riskyCommands(rows, DEFAULT_RULES);
  const bash = all.find((m) => m.TimeGenerated === '2019-07-05T18:19:52.873Z');
  assert.deepEqual([bash?.command, bash?.rule], ['/bin/bash', '.*/bin/bash.*']);
  assert.equal(rows[bash!.rowIndex].Command, '/bin/bash');
});

test('cmd_speed on sudo_data_speed.csv: compat finds the upstream window (a negative delta); sorted default finds none', () => {
  const rows = readCsv('sudo_data_speed.csv');
  const compat = commandSpeedCompat(rows, 'Command', 5, 10);
  assert.ok(compat.length >= 1);
  const [index, [windowRows, delta]] = Object.entries(compat[0])[0];
  assert.equal(windowRows.length, 10);
  assert.ok(delta < 0, `delta ${delta} (index ${index})`);
  assert.deepEqual(commandSpeed(rows, 'Command', 5, 10), []);
  assert.throws(() => commandSpeedCompat(rows, 'Test', 5, 10), /does not contain the Test field/);
  assert.throws(() => commandSpeedCompat([{ TimeGenerated: 'garbage', Command: 'x' }], 'Command', 5, 10), /TimeGenerated is not a datetime/);
});

test('risky_sudo_sessions on sudo_session_test.csv (compat chain): a result of length 2', () => {
  const rows = readCsv('sudo_session_test.csv');
  const risky = riskyCommandsCompat(rows, DEFAULT_RULES);
  const speed = commandSpeedCompat(rows, 'Command', 60, 2);
  const sessions = clusterSessionsCompat(rows);
  const out = riskySudoSessions(sessions, risky, speed);
  assert.equal(Object.keys(out).length, 2);
  assert.ok(Object.values(out).includes('/bin/bash'));
  assert.ok(Object.values(out).includes('Suspicious event pattern'));
  assert.throws(() => riskySudoSessions(sessions), /At least one of risky_actions or suspicious_actions must be supplied/);
  // Default mode on the same data still marks a /bin/bash sudo session.
  const marked = riskySudoSessions(pairSessions(rows), riskyCommands(rows, DEFAULT_RULES), commandSpeed(rows, 'Command', 60, 2));
  assert.ok(Object.values(marked).includes('/bin/bash') || Object.values(marked).includes('Suspicious event pattern'));
});

test('syslog_data.csv with risky_stuff_custom.json on SyslogMessage: at least one entry', () => {
  const rules = loadRules(readText('risky_stuff_custom.json'));
  const out = riskyCommandsCompat(readCsv('syslog_data.csv'), rules, 'SyslogMessage');
  assert.ok(Object.keys(out).length >= 1);
  assert.ok(Object.values(out).some((m) => m.includes('pam_unix')));
});
