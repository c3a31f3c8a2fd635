// Issue 13, item 3: linux-syslog parsing and classification (and the session
// pairing after it) are linear in the line. Before, V8 retried some regexes
// from every candidate position: 256 KB of line breaks before the last
// character took 34 s in parseSyslogLine, a sudo message of `COMMAND=`
// repeated 4.8 s, a cron message of `CMD` repeated 28 s.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CRON, SESSION, SUDO, classifyRow, cronEditStatus, extract, pairSessions, parseSyslogLine, rowsFromPayload, sudoCommand, trimLineEnd, wordsInOrderOnOneLine } from '../../../src/lib/linux';
import { assertLinear, KB } from '../../support/linear-time';

const fill = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const HEAD = '<86>Dec  6 10:00:00 host ';

test('a syslog line ending in a long run of line breaks: 4 KB → 8 KB at most 2.5× (before: 4×), then linear to 1 MB', () => {
  const line = (n: number) => `${HEAD}sshd[1]: ${fill('\r', n)}x\n`;
  assertLinear('line breaks, small', line, (l) => parseSyslogLine(l), { sizes: [4 * KB, 8 * KB], reps: 20 });
  assertLinear('line breaks', line, (l) => parseSyslogLine(l));
});

test('sudo `COMMAND=` and cron `CMD` repeated: 4 KB → 8 KB at most 2.5× (before: 4×), then linear to 1 MB', () => {
  const sudo = (n: number) => `${HEAD}sudo: ${fill('COMMAND=', n)}\nx`;
  const cron = (n: number) => `${HEAD}CRON[2]: ${fill('CMD', n)}\n`;
  const classify = (line: string) => classifyRow(parseSyslogLine(line));
  assertLinear('sudo COMMAND=, small', sudo, classify, { sizes: [4 * KB, 8 * KB], reps: 20 });
  assertLinear('cron CMD, small', cron, classify, { sizes: [4 * KB, 8 * KB], reps: 20 });
  assertLinear('sudo COMMAND=', sudo, classify);
  assertLinear('cron CMD', cron, classify);
});

test('other hostile lines are linear: long sshd/su/account messages, many lines in one payload, pam_unix repeated in a session batch', () => {
  const classify = (line: string) => classifyRow(parseSyslogLine(line));
  assertLinear('sshd', (n) => `${HEAD}sshd[1]: Connection closed ${fill('for user 1.2.3.', n)}`, classify);
  assertLinear('userdel', (n) => `<86>Dec  6 10:00:00 host userdel[3]: ${fill('removed group ', n)}`, classify);
  const accepted = `${HEAD}sshd[1]: Accepted password for bob from 10.0.0.1 port 22 ssh2\n`;
  assertLinear('many lines', (n) => accepted.repeat(Math.ceil(n / accepted.length)), (text) => rowsFromPayload(text));
  const rows = (text: string) => [{ TimeGenerated: '2026-12-06T10:00:00Z', SyslogMessage: text, ProcessName: 'sudo', ProcessID: 1 }];
  assertLinear('pam_unix repeated', (n) => fill('pam_unix', n), (text) => pairSessions(rows(text)));
  assertLinear('pam_unix lines', (n) => fill('pam_unix\n', n), (text) => pairSessions(rows(text)));
});

test('the linear forms return what their regexes return (random short strings, where the regexes are cheap)', () => {
  const parts = ['COMMAND=', '(command continued)', 'CMD', ' EDIT', 'EDIT', 'A', 'a', ' ', '\n', '\r', '\u2028', 'pam_unix', 'session opened', 'x'];
  let seed = 0x9e3779b9;
  const rand = (k: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % k;
  };
  for (let i = 0; i < 50_000; i++) {
    let s = '';
    for (let j = 1 + rand(8); j > 0; j--) s += parts[rand(parts.length)];
    const say = JSON.stringify(s);
    assert.equal(sudoCommand(s), extract(SUDO.command, 2, s), say);
    assert.equal(cronEditStatus(s), extract(CRON.editStatus, 0, s), say);
    assert.equal(wordsInOrderOnOneLine(s, 'pam_unix', 'session opened'), SESSION.opened.test(s), say);
    assert.equal(trimLineEnd(s), s.replace(/[\r\n]+$/, ''), say);
  }
});
