// The classifier on our own rows (test/fixtures/linux/sudo-rows.csv: sudo lines with the
// KQL-derived columns worked out by hand from the sudo_activity query) and on hand-made
// logon, cron and account lines; the ported regexes against the query regexes of the contract.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACCOUNT, CRON, LOGON, SUDO, classifyRow, kqlRegexToJs, type SyslogRow } from '../../../src/lib/linux';
import { readFixtureCsv, readFixtureText } from '../../fixtures/linux/read';

const KQL_COLUMNS = ['SudoResult', 'Sudoer', 'SudoTo', 'Command', 'CommandCall'] as const;
const SUDO_ROWS = readFixtureCsv('sudo-rows.csv');

test('sudo-rows.csv: compat values equal the hand-derived KQL columns of every row', () => {
  assert.equal(SUDO_ROWS.length, 15);
  for (const [i, row] of SUDO_ROWS.entries()) {
    const out = classifyRow(row as SyslogRow, { compat: true });
    assert.equal(out.activity, 'sudo', `row ${i}`);
    for (const col of KQL_COLUMNS) assert.equal(out[col], row[col], `row ${i} ${col}: ${row.SyslogMessage}`);
  }
});

test('sudo-rows.csv: default mode spells Success correctly and calls sudo\'s own refusals failures', () => {
  const refusals = /user NOT in sudoers|incorrect password attempts?|command not allowed|a password is required/;
  let refused = 0;
  for (const row of SUDO_ROWS) {
    const out = classifyRow(row as SyslogRow);
    const isRefusal = refusals.test(row.SyslogMessage);
    if (isRefusal) refused++;
    assert.equal(out.SudoResult, isRefusal ? 'Failure' : row.SudoResult === 'Sucess' ? 'Success' : row.SudoResult, row.SyslogMessage);
    for (const col of ['Sudoer', 'SudoTo', 'Command', 'CommandCall'] as const) assert.equal(out[col], row[col]);
  }
  assert.equal(refused, 2, 'the fixture holds two refusals');
});

test('sudo-rows.csv: every row parsed as the sudo query says (an independent reading of the rules)', () => {
  let commands = 0;
  for (const row of SUDO_ROWS) {
    const out = classifyRow(row as SyslogRow, { compat: true });
    const msg = row.SyslogMessage;
    // Command: everything after the first COMMAND= (the query's (.*)$), or after "(command continued)", else "".
    const at = msg.indexOf('COMMAND=');
    const cont = msg.indexOf('(command continued)');
    const expectedCommand = at >= 0 ? msg.slice(at + 'COMMAND='.length) : cont >= 0 ? msg.slice(cont + '(command continued)'.length) : '';
    assert.equal(out.Command, expectedCommand, msg);
    if (expectedCommand) commands++;
    // CommandCall: the first printable run after COMMAND= ("None" when that is empty), "" without a command.
    const call = at >= 0 ? msg.slice(at + 'COMMAND='.length).split(/[^!-~]/)[0] : '';
    assert.equal(out.CommandCall, expectedCommand ? call || 'None' : '');
    assert.equal(out.SudoResult, msg.toLowerCase().includes('authentication failure') ? 'Failure' : 'Sucess');
    // "session opened for user root by (uid=0)": the user after "by " is empty, so no Sudoer; "for user root" is SudoTo.
    if (msg.includes('session opened for user root by (uid=0)')) assert.deepEqual([out.Sudoer, out.SudoTo], ['', 'root']);
    // extract is case-sensitive: USER=root on COMMAND lines is not user=.
    if (at >= 0) assert.equal(out.Sudoer, '');
  }
  assert.equal(commands, 9);
});

const row = (ProcessName: string, SyslogMessage: string, Facility = 'authpriv'): SyslogRow => ({ Facility, ProcessName, SyslogMessage, Computer: 'web01', TimeGenerated: '2026-11-23T05:20:02Z' });

test('logon: results, users, source address and the compat LogonType quirk', () => {
  const accepted = classifyRow(row('sshd', 'Accepted publickey for alice from 203.0.113.7 port 50100 ssh2: RSA SHA256:abc'));
  assert.equal(accepted.activity, 'logon');
  assert.deepEqual(
    [accepted.LogonResult, accepted.User, accepted.LogonType, accepted.SourceIP, accepted.SourcePort, accepted.AccountName],
    ['Success', 'alice', 'publickey (sshd)', '203.0.113.7', '50100', 'alice'],
  );
  const failed = classifyRow(row('sshd', 'Failed password for invalid user admin from 198.51.100.4 port 4242 ssh2'));
  assert.deepEqual([failed.LogonResult, failed.User, failed.LogonType, failed.SourceIP], ['Failure', 'admin', '', '198.51.100.4']);
  assert.equal(classifyRow(row('sshd', 'Failed password for invalid user admin from 198.51.100.4 port 4242 ssh2'), { compat: true }).LogonType, ' (sshd)');
  const pam = classifyRow(row('sshd', 'pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)'));
  assert.deepEqual([pam.LogonResult, pam.User, pam.UID], ['Unknown', 'alice', '1000']);
  const su = classifyRow(row('su', 'pam_unix(su:session): session opened for user root by alice(uid=1000)'));
  assert.deepEqual([su.LogonResult, su.User, su.SourceUser], ['Unknown', 'root', 'alice']);
  assert.equal(classifyRow(row('su', 'Successful su for root by alice')).LogonResult, 'Success');
  assert.equal(classifyRow(row('su', 'FAILED SU (to root) alice on pts/0')).LogonResult, 'Failure');
  // A failed su mentioning pam_ is not the su rule (and contains no failure word).
  assert.equal(classifyRow(row('su', 'FAILED pam_xyz')).LogonResult, 'Unknown');
  // contains is case-insensitive: "FAILURE" counts as "failure".
  assert.equal(classifyRow(row('sshd', 'PAM 2 more authentication FAILURES; logname= uid=0')).LogonResult, 'Failure');
  // Facility auth counts too; other facilities are not logons.
  assert.equal(classifyRow(row('sshd', 'Accepted password for bob from 10.0.0.1 port 1 ssh2', 'auth')).activity, 'logon');
  assert.equal(classifyRow(row('sshd', 'Accepted password for bob from 10.0.0.1 port 1 ssh2', 'daemon')).activity, 'other');
});

test('logon: "[preauth]" is a literal suffix by default and a character class in compat', () => {
  const msg = 'Connection closed by authenticating user root 203.0.113.9 port 40000 a';
  // Ends in " a": the class [preauth] matches " a", the literal does not.
  assert.equal(classifyRow(row('sshd', msg), { compat: true }).LogonResult, 'Failure');
  assert.equal(classifyRow(row('sshd', msg)).LogonResult, 'Unknown');
  assert.equal(classifyRow(row('sshd', 'Connection closed by 203.0.113.9 port 40000 [preauth]')).LogonResult, 'Failure');
});

test('sudo: SudoTo admits commas only in compat; failures; continued commands', () => {
  const odd = 'pam_unix(sudo:session): session opened for user ro,ot by bob(uid=0)';
  assert.equal(classifyRow(row('sudo', odd), { compat: true }).SudoTo, 'ro,ot');
  assert.equal(classifyRow(row('sudo', odd)).SudoTo, 'ro');
  const fail = classifyRow(row('sudo', 'pam_unix(sudo:auth): authentication failure; logname=bob uid=1000 euid=0 tty=/dev/pts/0 ruser=bob rhost=  user=bob'));
  assert.deepEqual([fail.SudoResult, fail.Sudoer], ['Failure', 'bob']);
  const cont = classifyRow(row('sudo', '(command continued) --verbose --force'));
  assert.deepEqual([cont.Command, cont.CommandCall], [' --verbose --force', 'None']);
});

test('cron: CMD with and without the compat wrapper, users, edit status', () => {
  const msg = '(root) CMD (   cd / && run-parts --report /etc/cron.hourly)';
  const c = classifyRow(row('CRON', msg, 'cron'));
  assert.equal(c.activity, 'cron');
  assert.deepEqual([c.CMD, c.CronUser, c.User], ['cd / && run-parts --report /etc/cron.hourly', 'root', '']);
  assert.equal(classifyRow(row('CRON', msg, 'cron'), { compat: true }).CMD, ' (   cd / && run-parts --report /etc/cron.hourly)');
  const pam = classifyRow(row('CRON', 'pam_unix(cron:session): session opened for user root by (uid=0)', 'authpriv'));
  assert.deepEqual([pam.activity, pam.User], ['cron', 'root']);
  const edit = classifyRow(row('crontab', '(alice) BEGIN EDIT (alice)', 'cron'));
  assert.deepEqual([edit.activity, edit.EditStatus, edit.CronUser], ['cron', 'BEGIN EDIT', 'alice']);
});

test('account: add, modify, delete and dropped rows', () => {
  const add = classifyRow(row('useradd', 'new user: name=bob, UID=1001, GID=1001, home=/home/bob, shell=/bin/bash, from=/dev/pts/0'));
  assert.deepEqual([add.activity, add.UserGroupAction, add.User, add.UID, add.GID, add.Group], ['account', 'Add', 'bob', '1001', '1001', '']);
  const group = classifyRow(row('groupadd', 'new group: name=devs, GID=1002'));
  assert.deepEqual([group.UserGroupAction, group.Group, group.GID], ['Add', 'devs', '1002']);
  const mod = classifyRow(row('usermod', "add 'bob' to group 'sudo'"));
  assert.deepEqual([mod.UserGroupAction, mod.Group], ['Modify', 'sudo']);
  const del = classifyRow(row('userdel', "delete user 'bob'"));
  assert.deepEqual([del.UserGroupAction, del.User], ['Delete', 'bob']);
  assert.equal(classifyRow(row('groupdel', "group 'devs' removed")).UserGroupAction, 'Delete');
  // "removed$" is case-sensitive and anchored: not an account action, so a logon-family row.
  assert.equal(classifyRow(row('groupdel', "group 'devs' REMOVED")).activity, 'logon');
  // Outside authpriv a useradd line is not account activity.
  assert.equal(classifyRow(row('useradd', 'new user: name=bob', 'user')).activity, 'other');
});

test('the ported regexes equal the query regexes listed in the contract (kql-regexes.json)', () => {
  const ours = new Set([...Object.values(LOGON), ...Object.values(SUDO), ...Object.values(CRON), ...Object.values(ACCOUNT)].map((r) => r.source));
  const listed = JSON.parse(readFixtureText('kql-regexes.json')) as Record<string, string[] | string>;
  const found = Object.entries(listed).filter(([k]) => k !== 'note').flatMap(([, v]) => v as string[]).map(kqlRegexToJs);
  assert.equal(found.length, 21);
  for (const source of found) assert.ok(ours.has(source), `query regex ${source} is not ported`);
  // The translation itself: POSIX classes, Python format braces, KQL's doubled backslash and quote.
  assert.equal(kqlRegexToJs('((?:[0-9]{{1,3}}\\\\.){{3}}[[:alnum:]][[:alpha:]][[:graph:]]'), '((?:[0-9]{1,3}\\.){3}[A-Za-z0-9][A-Za-z]'.concat('[!-~]'));
  assert.equal(kqlRegexToJs("user ''"), "user '");
});
