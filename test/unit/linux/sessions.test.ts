// Sessions: msticpy's greedy pairing (compat) and secflow's per-user pairing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NoSessionsError, SessionTracker, classifyRow, clusterSessionsCompat, pairSessions, type SyslogRow } from '../../../src/lib/linux';

test('compat: a stray close, then an open and a close in one second, yields that one session', () => {
  const row = (t: string, msg: string, extra: Record<string, string> = {}) => ({ TimeGenerated: t, Computer: 'lab-db-01', ProcessName: 'sudo', SyslogMessage: msg, ...extra });
  const rows = [
    row('2025-05-04 12:00:02', 'pam_unix(sudo:session): session closed for user root'),
    row('2025-05-04 12:00:07', 'dana : TTY=pts/2 ; PWD=/srv ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx'),
    row('2025-05-04 12:00:07', 'pam_unix(sudo:session): session opened for user root by dana(uid=0)', { Sudoer: 'dana' }),
    row('2025-05-04 12:00:07', 'pam_unix(sudo:session): session closed for user root'),
  ];
  const sessions = clusterSessionsCompat(rows);
  assert.deepEqual(sessions, [{ User: 'dana', Start: '2025-05-04T12:00:07.000Z', End: '2025-05-04T12:00:07.000Z' }]);
  // Without a Sudoer or User column the session's user is "Unknown".
  assert.equal(clusterSessionsCompat(rows.map(({ Sudoer: _s, ...r }: Record<string, string>) => r))[0].User, 'Unknown');
});

test('compat: no opens or no closes is msticpy\'s exception', () => {
  assert.throws(() => clusterSessionsCompat([]), NoSessionsError);
  const onlyOpen = [{ TimeGenerated: '2019-07-10 15:13:26', SyslogMessage: 'pam_unix(sudo:session): session opened for user root by peteb(uid=0)' }];
  assert.throws(() => clusterSessionsCompat(onlyOpen), /There are no logon sessions in the supplied data set/);
});

test('compat: greedy pairing ends a session at the first close whoever it names; default pairs by user', () => {
  const at = (s: number) => `2026-11-23T05:00:${String(s).padStart(2, '0')}Z`;
  const ev = (s: number, text: string, extra: Record<string, unknown> = {}) => ({ TimeGenerated: at(s), SyslogMessage: text, Computer: 'h', ...extra });
  // alice (pid 10) from 0 to 30 s, bob (pid 20) from 5 to 10 s: overlapping sessions of different users.
  const rows = [
    ev(0, 'pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)', { User: 'alice', ProcessID: 10 }),
    ev(5, 'pam_unix(sshd:session): session opened for user bob(uid=1001) by (uid=0)', { User: 'bob', ProcessID: 20 }),
    ev(10, 'pam_unix(sshd:session): session closed for user bob', { User: 'bob', ProcessID: 20 }),
    ev(30, 'pam_unix(sshd:session): session closed for user alice', { User: 'alice', ProcessID: 10 }),
  ];
  // Upstream: alice's session "ends" at bob's close; bob's open (5 s) is before that end, so skipped.
  assert.deepEqual(clusterSessionsCompat(rows), [{ User: 'alice', Start: at(0).replace('Z', '.000Z'), End: at(10).replace('Z', '.000Z') }]);
  const paired = pairSessions(rows);
  assert.deepEqual(
    paired.map((s) => [s.User, s.Start, s.End, s.TargetUser, s.ProcessID]),
    [
      ['alice', '2026-11-23T05:00:00.000Z', '2026-11-23T05:00:30.000Z', 'alice', 10],
      ['bob', '2026-11-23T05:00:05.000Z', '2026-11-23T05:00:10.000Z', 'bob', 20],
    ],
  );
});

test('default: a synthetic interleaving of three users, same target user on two processes, stray close, unclosed open', () => {
  const lines: Array<[number, string, string, number]> = [
    [0, 'sshd', 'pam_unix(sshd:session): session closed for user nobody', 1], // stray close: ignored
    [1, 'sshd', 'pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=198.51.100.9  user=carol', 30],
    [2, 'sshd', 'Failed password for invalid user carol from 198.51.100.9 port 2 ssh2', 31],
    [3, 'sshd', 'Accepted password for carol from 198.51.100.9 port 3 ssh2', 32],
    [3, 'sshd', 'pam_unix(sshd:session): session opened for user carol(uid=1002) by (uid=0)', 32],
    [4, 'sudo', 'carol : TTY=pts/1 ; PWD=/home/carol ; USER=root ; COMMAND=/bin/bash', 40],
    [4, 'sudo', 'pam_unix(sudo:session): session opened for user root by carol(uid=0)', 40],
    [5, 'sudo', 'dave : TTY=pts/2 ; PWD=/home/dave ; USER=root ; COMMAND=/usr/bin/id', 41],
    [5, 'sudo', 'pam_unix(sudo:session): session opened for user root by dave(uid=0)', 41],
    [6, 'sudo', 'pam_unix(sudo:session): session closed for user root', 41], // dave's sudo (pid 41), not carol's later open
    [7, 'sshd', 'pam_unix(sshd:session): session opened for user erin(uid=1003) by (uid=0)', 50],
    [8, 'sudo', 'pam_unix(sudo:session): session closed for user root', 40],
    [9, 'sshd', 'pam_unix(sshd:session): session closed for user carol', 32],
  ];
  const rows = lines.map(([s, proc, msg, pid]) => classifyRow({ TimeGenerated: `2026-11-23T05:00:0${s}Z`, Facility: 'authpriv', ProcessName: proc, ProcessID: pid, Computer: 'h', SyslogMessage: msg } as SyslogRow));
  const sessions = pairSessions(rows);
  const view = sessions.map((s) => [s.User, s.TargetUser, s.ProcessID, s.Start.slice(17, 19), s.End?.slice(17, 19) ?? null, s.Root]);
  assert.deepEqual(view, [
    ['carol', 'carol', 32, '03', '09', false],
    ['carol', 'root', 40, '04', '08', true],
    ['dave', 'root', 41, '05', '06', true],
    ['erin', 'erin', 50, '07', null, false],
  ]);
  const carolSsh = sessions[0];
  // Counters: carol failed twice then succeeded (Accepted) and ran a sudo command (a success): her first session to end, the
  // sudo one, takes them; the ssh session that ends later has none left. ("Failed password for x" alone is not a KQL failure.)
  assert.deepEqual([sessions[1].Failures, sessions[1].Successes, sessions[1].FailedToSuccessRatio], [2, 2, 1]);
  assert.deepEqual([carolSsh.Failures, carolSsh.Successes], [0, 0]);
  assert.equal(sessions.find((s) => s.TargetUser === 'erin')?.TimedOut, true);
  // carol's sudo session: its open and close plus the COMMAND line of the same pid.
  assert.equal(sessions[1].Events, 3);
});

test('default streaming: timeout by wall clock emits open sessions with End null; alerts inside a session are attached', () => {
  const t = new SessionTracker({ timeout: 60 });
  const open = { TimeGenerated: '2026-11-23T05:00:00Z', SyslogMessage: 'pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)', User: 'alice', Computer: 'h', ProcessID: 7 };
  assert.deepEqual(t.push(open, 1_000_000), []);
  t.pushAlert({ AlertName: 'Suspicious download', TimeGenerated: '2026-11-23T05:00:03Z', Computer: 'h' });
  t.pushAlert({ AlertName: 'Elsewhere', TimeGenerated: '2026-11-23T05:00:03Z', Computer: 'other' });
  assert.deepEqual(t.sweep(1_000_000 + 59_000), []);
  const [s] = t.sweep(1_000_000 + 60_000);
  assert.deepEqual([s.User, s.End, s.TimedOut, s.Alerts.map((a) => a.AlertName)], ['alice', null, true, ['Suspicious download']]);
  assert.equal(t.openCount, 0);
});
