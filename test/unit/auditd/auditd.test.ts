// The auditd parser on our own log (test/fixtures/auditd/auditd-log.txt, written by hand:
// 35 lines, 15 `ts:serial` events at 14 distinct timestamps) and on Sentinel rows made
// from it. The expected shapes were counted by hand from the log, following the
// contract's rules (linux-host-hunting.md §1.5 and §2.4).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventSubset, nonNullColumns, parseAuditd } from '../../../src/lib/auditd/parse';
import { parsePythonLiteral } from '../../../src/lib/auditd/python-literal';
import { hexDecode, unpackRecord } from '../../../src/lib/auditd/extract';
import { AUDIT_LOG, sentinelRows } from '../../fixtures/auditd/sentinel-rows';

const log = AUDIT_LOG;
const EXEC_COLUMNS = ['EventType', 'TimeGenerated', 'a0', 'a1', 'a2', 'argc', 'auid', 'cmdline', 'cwd', 'egid', 'euid', 'exe', 'gid', 'mssg_id', 'pid', 'ppid', 'proctitle', 'ses', 'success', 'uid'];
const byId = (events: Array<Record<string, unknown>>, id: string) => events.find((e) => e.mssg_id === id)!;

test('compat: shapes (14 × 44; SYSCALL_EXECVE 6 × 20): events at one timestamp merge, ids cut at ":", sorted', () => {
  const events = parseAuditd(log, { mode: 'compat' });
  // 15 ids, but CRED_ACQ (…010.210:206) and USER_START (…010.210:207) share a millisecond.
  assert.equal(events.length, 14);
  // 3 (TimeGenerated, EventType, mssg_id) + 10 DAEMON_START fields + 6 more from USER_ACCT + cmd (USER_CMD)
  // + grantors (USER_START) + 12 from SYSCALL_EXECVE + tty and old-ses (LOGIN) + 9 PATH fields of the lone SYSCALL.
  assert.equal(nonNullColumns(events).length, 44);
  const execs = eventSubset(events, 'SYSCALL_EXECVE');
  assert.equal(execs.length, 6);
  assert.deepEqual([...nonNullColumns(execs)].sort(), EXEC_COLUMNS);
  assert.ok(events.every((e) => !e.mssg_id.includes(':')));
  assert.deepEqual(events.map((e) => e.mssg_id), [...events.map((e) => e.mssg_id)].sort());
  // The merged event takes the first record's type; USER_START's copy of every field overwrites CRED_ACQ's.
  const merged = byId(events, '1764900010.210');
  assert.deepEqual([merged.EventType, merged.msg, merged.grantors, merged.pid], ['CRED_ACQ', "'op=PAM:session_open", 'pam_limits', '2301']);
});

test('compat keeps the 3-argument command line (argc 16 → "nft add rule" + 13 spaces), gaps as "", and raw NULs', () => {
  const execs = eventSubset(parseAuditd(log, { mode: 'compat' }), 'SYSCALL_EXECVE');
  const long = execs.find((e) => e.argc === 16)!;
  assert.equal(long.cmdline, `nft add rule${' '.repeat(13)}`);
  // a1 comes only as hex chunks a1[0], a1[1]: compat does not join them, so argument 2 is empty.
  assert.equal(execs.find((e) => e.exe === '/usr/bin/wc')!.cmdline, 'wc ');
  // An unquoted hex a2 is decoded in both modes.
  assert.equal(execs.find((e) => e.pid === 2500)!.cmdline, '/bin/sh -c run-parts /etc/cron.hourly');
  assert.equal(execs.find((e) => e.pid === 2301)!.proctitle, 'sudo\0cat\0/etc/shadow');
  assert.equal(execs.filter((e) => typeof e.proctitle === 'string' && e.proctitle.includes('\0')).length, 4);
});

test('default: grouped by ts:serial, full argv (chunks joined), proctitle NULs as spaces', () => {
  const events = parseAuditd(log, { mode: 'default' });
  const ids = new Set(log.split('\n').map((l) => /msg=audit\(([^)]+)\)/.exec(l)?.[1]).filter(Boolean));
  assert.equal(ids.size, 15);
  assert.equal(events.length, 15);
  assert.ok(events.every((e) => /^\d+\.\d+:\d+$/.test(e.mssg_id)));
  const execs = eventSubset(events, 'SYSCALL_EXECVE');
  const long = execs.find((e) => e.argc === 16)!;
  assert.equal(long.cmdline, 'nft add rule inet filter input tcp dport 22 ct state new limit rate 3/minute accept');
  assert.equal(execs.find((e) => e.exe === '/usr/bin/wc')!.cmdline, 'wc /var/log/auth.log.1');
  assert.ok(execs.every((e) => typeof e.proctitle !== 'string' || !e.proctitle.includes('\0')));
  const sudo = execs.find((e) => e.exe === '/usr/bin/sudo')!;
  assert.equal(sudo.proctitle, 'sudo cat /etc/shadow');
  assert.equal(sudo.mssg_id, '1764900010.220:208');
  assert.equal(sudo.TimeGenerated, '2025-12-05T02:00:10.220Z');
  assert.equal(sudo.TimeGenerated, new Date(Number(sudo.mssg_id.split(':')[0]) * 1000).toISOString());
});

test('field quirks kept: com not comm, quote residue in msg, USER_START copies all fields, 4294967295 → -1', () => {
  const events = parseAuditd(log, { mode: 'default' });
  const exec = eventSubset(events, 'SYSCALL_EXECVE')[0];
  assert.ok(!('comm' in exec) && !('com' in exec));
  const userStart = eventSubset(events, 'USER_START')[0];
  assert.deepEqual([userStart.subj, userStart.grantors, userStart.pid], ['unconfined', 'pam_limits', '2301'], 'USER_START copies every field, as text');
  const acct = eventSubset(events, 'USER_ACCT')[0];
  assert.deepEqual([acct.msg, acct.res, acct.pid, 'grantors' in acct], ["'op=PAM:accounting", "success'", 2301, false]);
  const cmd = eventSubset(events, 'USER_CMD')[0];
  assert.deepEqual([cmd.msg, cmd.cmd, cmd.terminal], ['\'cwd="/home/dana', 'cat /etc/shadow', 'pts/2']);
  assert.equal(eventSubset(events, 'SYSCALL_EXECVE').find((e) => e.exe === '/usr/bin/wc')!.auid, -1);
  assert.deepEqual({ ...eventSubset(events, 'LOGIN')[0] }, { TimeGenerated: '2025-12-05T02:00:20.300Z', EventType: 'LOGIN', mssg_id: '1764900020.300:211', pid: 2400, uid: 0, tty: '(none)', 'old-ses': -1, ses: 8, res: '1' });
  // A SYSCALL without EXECVE keeps its type and field list; its PATH record is copied whole.
  const open = eventSubset(events, 'SYSCALL')[0];
  assert.deepEqual([open.success, open.exe, open.name, 'cmdline' in open], ['no', '/usr/bin/cat', '/etc/shadow', false]);
  // Unknown types copy every field as text.
  assert.equal(eventSubset(events, 'DAEMON_START')[0].auid, '4294967295');
});

test('hex decoding only for unquoted encoded fields; failures keep the raw value', () => {
  assert.equal(hexDecode('69707461626C6573'), 'iptables');
  assert.equal(hexDecode('ABC'), undefined);
  assert.equal(hexDecode('FF'), undefined);
  const f = unpackRecord('EXECVE', ['argc=3', 'a0="ls"', 'a1=2D6C61', 'a2=nothex', 'a3'], 'compat');
  assert.deepEqual(f, { argc: '3', a0: 'ls', a1: '-la', a2: 'nothex', a3: null });
  const chunks = unpackRecord('EXECVE', ['argc=1', 'a0_len=8', 'a0[0]=6162', 'a0[1]=6364'], 'default');
  assert.equal(chunks.a0, 'abcd');
});

test('Sentinel rows made from our log: types, counts and columns, in both modes', () => {
  const importTime = '2025-12-06 09:00:00';
  const rows = sentinelRows(log, 'lab-host-01', importTime);
  assert.equal(rows.length, 15);
  for (const mode of ['default', 'compat'] as const) {
    const events = parseAuditd(rows, { mode });
    // A Sentinel row is one ts:serial event in both modes: no merging.
    assert.equal(events.length, 15);
    // The 44 columns of the raw log plus the rows' TenantId and Computer.
    assert.equal(nonNullColumns(events).length, 46);
    const count = (t: string) => events.filter((e) => e.EventType === t).length;
    assert.deepEqual(
      Object.fromEntries(['DAEMON_START', 'SYSCALL_EXECVE', 'USER_ACCT', 'USER_CMD', 'CRED_ACQ', 'USER_START', 'LOGIN', 'USER_END', 'CRED_DISP', 'SYSCALL'].map((t) => [t, count(t)])),
      { DAEMON_START: 1, SYSCALL_EXECVE: 6, USER_ACCT: 1, USER_CMD: 1, CRED_ACQ: 1, USER_START: 1, LOGIN: 1, USER_END: 1, CRED_DISP: 1, SYSCALL: 1 },
    );
    for (const e of eventSubset(events, 'SYSCALL_EXECVE')) {
      assert.equal(e.Computer, 'lab-host-01');
      assert.ok(e.exe && typeof e.cmdline === 'string' && e.cwd);
      assert.ok(e.TimeGenerated && e.TimeGenerated !== importTime);
    }
    const login = eventSubset(events, 'LOGIN')[0];
    assert.deepEqual([login.Computer, login.TimeGenerated, login.ses, login.TenantId], ['lab-host-01', '2025-12-05T02:00:20.300Z', 8, '00000000-0000-4000-8000-00000000c0de']);
    assert.equal(eventSubset(events, 'SYSCALL_EXECVE').find((e) => e.argc === 16)!.cmdline, mode === 'compat' ? `nft add rule${' '.repeat(13)}` : 'nft add rule inet filter input tcp dport 22 ct state new limit rate 3/minute accept');
  }
});

test('input forms: a string, an array of lines, Sentinel rows with list or raw-line messages', () => {
  const lines = log.split('\n');
  assert.deepEqual(parseAuditd(lines), parseAuditd(lines.join('\r\n')));
  const raw = parseAuditd([{ Computer: 'h1', AuditdMessage: lines[5] }]);
  assert.equal(raw.length, 1);
  assert.deepEqual([raw[0].Computer, raw[0].EventType, raw[0].proctitle], ['h1', 'PROCTITLE', '/usr/sbin/sshd -D']);
  const listed = parseAuditd([{ Computer: 'h1', mssg_id: '1.5:9', AuditdMessage: [{ LOGIN: ['pid=1', 'uid=0', 'tty=(none)', 'old-ses=4294967295', 'ses=2', 'res=1'] }] }]);
  assert.deepEqual({ ...listed[0] }, { TimeGenerated: '1970-01-01T00:00:01.500Z', EventType: 'LOGIN', mssg_id: '1.5:9', Computer: 'h1', pid: 1, uid: 0, tty: '(none)', 'old-ses': -1, ses: 2, res: '1' });
  assert.throws(() => parseAuditd(42), /auditd input must be/);
  assert.throws(() => parseAuditd([{ Computer: 'x' }]), /record 0 has no AuditdMessage/);
  assert.throws(() => parseAuditd([{ AuditdMessage: "[{'X': ['a'" }]), /record 0: AuditdMessage is neither/);
});

test('Python literal parser reads the Sentinel repr forms', () => {
  assert.deepEqual(parsePythonLiteral(`[{'A': ['x=1', "msg='op=PAM", 'y="q"', 'it\\'s']}, (1, 2.5, True, None)]`), [{ A: ['x=1', "msg='op=PAM", 'y="q"', "it's"] }, [1, 2.5, true, null]]);
  assert.throws(() => parsePythonLiteral('[1, 2'), /not a Python literal/);
});
