// Conformance: the auditd parser against msticpy's auditd_log.txt and linux_events.csv (../shared/vectors/linux).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { eventSubset, nonNullColumns, parseAuditd } from '../../../src/lib/auditd/parse';
import { vectorPath } from '../../support/vectors';

const LINUX = vectorPath('linux');
const log = fs.readFileSync(`${LINUX}/auditd_log.txt`, 'utf8');

test('compat: auditd_log.txt has the upstream shapes (381 × 97; SYSCALL_EXECVE 78 × 20)', () => {
  const events = parseAuditd(log, { mode: 'compat' });
  assert.equal(events.length, 381);
  assert.equal(nonNullColumns(events).length, 97);
  const execs = eventSubset(events, 'SYSCALL_EXECVE');
  assert.equal(execs.length, 78);
  const cols = nonNullColumns(execs);
  assert.equal(cols.length, 20);
  assert.deepEqual([...cols].sort(), ['EventType', 'TimeGenerated', 'a0', 'a1', 'a2', 'argc', 'auid', 'cmdline', 'cwd', 'egid', 'euid', 'exe', 'gid', 'mssg_id', 'pid', 'ppid', 'proctitle', 'ses', 'success', 'uid']);
  // Events are grouped by timestamp only and ordered by that string.
  assert.ok(events.every((e) => !e.mssg_id.includes(':')));
  assert.deepEqual(events.map((e) => e.mssg_id), [...events.map((e) => e.mssg_id)].sort());
});

test('compat keeps the 3-argument command line (argc 16 → "iptables -w -t" + 13 spaces) and raw NULs', () => {
  const execs = eventSubset(parseAuditd(log, { mode: 'compat' }), 'SYSCALL_EXECVE');
  const long = execs.find((e) => e.argc === 16)!;
  assert.equal(long.cmdline, `iptables -w -t${' '.repeat(13)}`);
  assert.ok(execs.some((e) => typeof e.proctitle === 'string' && e.proctitle.includes('\0')));
});

test('default: grouped by ts:serial, full argv, proctitle NULs as spaces', () => {
  const events = parseAuditd(log, { mode: 'default' });
  const ids = new Set(log.split('\n').map((l) => /msg=audit\(([^)]+)\)/.exec(l)?.[1]).filter(Boolean));
  assert.equal(events.length, ids.size);
  assert.equal(events.length, 938);
  assert.ok(events.every((e) => /^\d+\.\d+:\d+$/.test(e.mssg_id)));
  const execs = eventSubset(events, 'SYSCALL_EXECVE');
  const long = execs.find((e) => e.argc === 16)!;
  const argv = long.cmdline as string;
  assert.equal(argv.split(' ').length >= 16, true, argv);
  assert.ok(argv.startsWith('iptables -w -t '));
  assert.ok(!argv.endsWith(' '));
  assert.ok(execs.every((e) => typeof e.proctitle !== 'string' || !e.proctitle.includes('\0')));
  const sudo = execs.find((e) => e.exe === '/usr/bin/sudo')!;
  assert.equal(sudo.TimeGenerated, new Date(Number(sudo.mssg_id.split(':')[0]) * 1000).toISOString());
});

test('field quirks kept: com not comm, quote residue in msg, USER_START copies all fields, 4294967295 → -1', () => {
  const events = parseAuditd(log, { mode: 'default' });
  const exec = eventSubset(events, 'SYSCALL_EXECVE')[0];
  assert.ok(!('comm' in exec) && !('com' in exec));
  const userStart = eventSubset(events, 'USER_START')[0];
  assert.ok(userStart, 'USER_START present');
  assert.ok('subj' in userStart, 'USER_START copies every field');
  const acct = eventSubset(events, 'USER_ACCT')[0];
  assert.match(String(acct.msg), /^'op=/);
  assert.ok(events.some((e) => e.auid === -1));
});

test('Sentinel rows (linux_events.csv): types, counts and columns as upstream asserts', () => {
  const rows = parse(fs.readFileSync(`${LINUX}/linux_events.csv`), { columns: true, bom: true }) as Array<Record<string, unknown>>;
  assert.ok(rows.length >= 100);
  const importTime = rows[0].TimeGenerated;
  for (const mode of ['default', 'compat'] as const) {
    const events = parseAuditd(rows, { mode });
    assert.ok(events.length >= 100);
    // pandas keeps the CSV's unnamed index column, which upstream's ≥ 32 counts.
    assert.ok(nonNullColumns(events).length >= 32, `${nonNullColumns(events).length} columns`);
    const types = new Set(events.map((e) => e.EventType));
    for (const t of ['USER_END', 'CRED_DISP', 'SYSCALL_EXECVE', 'USER_ACCT', 'CRED_ACQ', 'LOGIN', 'USER_START', 'USER_CMD', 'CRED_REFR']) assert.ok(types.has(t), t);
    const count = (t: string) => events.filter((e) => e.EventType === t).length;
    assert.ok(count('SYSCALL_EXECVE') >= 82);
    assert.ok(count('LOGIN') >= 1);
    assert.ok(count('USER_CMD') >= 2);
    assert.ok(count('USER_ACCT') >= 1);
    for (const e of eventSubset(events, 'SYSCALL_EXECVE')) {
      assert.equal(e.Computer, 'MSTICAlertsLxVM2');
      assert.ok(e.exe && typeof e.cmdline === 'string' && e.cwd);
      assert.ok(e.TimeGenerated && e.TimeGenerated !== importTime);
    }
    for (const e of eventSubset(events, 'LOGIN')) {
      assert.ok(e.Computer && e.TimeGenerated !== importTime);
      assert.equal(typeof e.ses, 'number');
    }
  }
});

test('input forms: a string, an array of lines, Sentinel rows with list or raw-line messages', () => {
  const lines = log.split('\n').slice(0, 40);
  assert.deepEqual(parseAuditd(lines), parseAuditd(lines.join('\r\n')));
  const raw = parseAuditd([{ Computer: 'h1', AuditdMessage: lines[5] }]);
  assert.equal(raw.length, 1);
  assert.equal(raw[0].Computer, 'h1');
  const listed = parseAuditd([{ Computer: 'h1', mssg_id: '1.5:9', AuditdMessage: [{ LOGIN: ['pid=1', 'uid=0', 'tty=(none)', 'old-ses=4294967295', 'ses=2', 'res=1'] }] }]);
  assert.deepEqual({ ...listed[0] }, { TimeGenerated: '1970-01-01T00:00:01.500Z', EventType: 'LOGIN', mssg_id: '1.5:9', Computer: 'h1', pid: 1, uid: 0, tty: '(none)', 'old-ses': -1, ses: 2, res: '1' });
  assert.throws(() => parseAuditd(42), /auditd input must be/);
  assert.throws(() => parseAuditd([{ Computer: 'x' }]), /record 0 has no AuditdMessage/);
  assert.throws(() => parseAuditd([{ AuditdMessage: "[{'X': ['a'" }]), /record 0: AuditdMessage is neither/);
});
