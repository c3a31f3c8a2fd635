// Raw syslog lines and Node-RED payloads into Sentinel rows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SyslogInputError, classifyRow, formatTime, parseSyslogLine, parseTime, rowsFromPayload } from '../../../src/lib/linux';

const NOW = new Date('2026-11-23T06:00:00Z');

test('RFC 3164 as syslog-ng forwards it: PRI → facility/severity, host, tag, pid, message', () => {
  const r = parseSyslogLine('<86>Nov 23 05:20:02 web01 sshd[1234]: Accepted password for alice from 203.0.113.7 port 50100 ssh2', { now: NOW });
  assert.deepEqual(r, {
    TimeGenerated: '2026-11-23T05:20:02.000Z',
    Computer: 'web01',
    HostName: 'web01',
    Facility: 'authpriv',
    SeverityLevel: 'info',
    ProcessName: 'sshd',
    ProcessID: 1234,
    SyslogMessage: 'Accepted password for alice from 203.0.113.7 port 50100 ssh2',
  });
  // <38> = auth.info; single-digit days are space-padded; a tag without pid.
  const cron = parseSyslogLine('<78>Nov  3 05:17:01 web01 CRON[99]: (root) CMD (run-parts /etc/cron.hourly)', { now: NOW });
  assert.deepEqual([cron.Facility, cron.TimeGenerated, cron.ProcessName], ['cron', '2026-11-03T05:17:01.000Z', 'CRON']);
  const noPid = parseSyslogLine('<38>Nov 23 05:20:02 web01 su: pam_unix(su:session): session opened for user root by alice(uid=1000)', { now: NOW });
  assert.deepEqual([noPid.Facility, noPid.ProcessName, noPid.ProcessID], ['auth', 'su', null]);
});

test('RFC 3164 has no year: a date more than a day ahead belongs to last year', () => {
  assert.equal(parseSyslogLine('<86>Dec 31 23:59:59 h p: m', { now: NOW }).TimeGenerated, '2025-12-31T23:59:59.000Z');
  assert.equal(parseSyslogLine('<86>Nov 24 01:00:00 h p: m', { now: NOW }).TimeGenerated, '2026-11-24T01:00:00.000Z');
});

test('RFC 5424 with structured data (escaped "]" inside a value) and a BOM', () => {
  const r = parseSyslogLine('<85>1 2026-11-23T05:20:02.123456+01:00 web01 sudo 4321 - [meta x="a\\]b" y="c"][two] \uFEFFalice : TTY=pts/0 ; COMMAND=/bin/bash');
  assert.deepEqual([r.Facility, r.SeverityLevel, r.Computer, r.ProcessName, r.ProcessID, r.SyslogMessage, r.TimeGenerated], ['authpriv', 'notice', 'web01', 'sudo', 4321, 'alice : TTY=pts/0 ; COMMAND=/bin/bash', '2026-11-23T04:20:02.123456Z']);
  const nil = parseSyslogLine('<86>1 2026-11-23T05:20:02Z - - - - - hello');
  assert.deepEqual([nil.Computer, nil.ProcessName, nil.ProcessID, nil.SyslogMessage], ['', '', null, 'hello']);
});

test('an auth.log file line (no PRI) and an rsyslog ISO timestamp', () => {
  const r = parseSyslogLine('Nov 23 05:20:02 web01 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash', { now: NOW });
  assert.deepEqual([r.Facility, r.ProcessName, r.SyslogMessage], ['', 'sudo', '   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash']);
  assert.equal(classifyRow(r).Command, '/bin/bash');
  const iso = parseSyslogLine('2026-11-23T05:20:02.5+00:00 web01 sshd[7]: Accepted password for bob from 10.0.0.1 port 22 ssh2');
  assert.deepEqual([iso.TimeGenerated, iso.ProcessID], ['2026-11-23T05:20:02.500Z', 7]);
});

test('truncated and malformed lines are errors that say what is wrong', () => {
  assert.throws(() => parseSyslogLine('<86>Nov 23 05:2'), /truncated syslog line or unknown header/);
  assert.throws(() => parseSyslogLine('<86>Nov 23 05:20:02 web01'), /truncated syslog line: no host and message/);
  assert.throws(() => parseSyslogLine('<86>Nov 23 05:20:02 web01 sshd[12]: '), /truncated syslog line: no message/);
  assert.throws(() => parseSyslogLine('<86'), /truncated or invalid PRI/);
  assert.throws(() => parseSyslogLine('<999>Nov 23 05:20:02 h p: m'), /PRI 999 out of range/);
  assert.throws(() => parseSyslogLine('<86>1 2026-11-23T05:20:02Z h a p m [x y="unterminated'), /truncated RFC 5424 structured data/);
  assert.throws(() => parseSyslogLine('   '), /empty syslog line/);
});

test('payload forms: Buffer, several lines, Sentinel row, syslog object, bad types', () => {
  assert.equal(rowsFromPayload(Buffer.from('<86>Nov 23 05:20:02 h sshd[1]: x'))[0].SyslogMessage, 'x');
  assert.equal(rowsFromPayload('<86>Nov 23 05:20:02 h a: one\n<86>Nov 23 05:20:03 h a: two\n').length, 2);
  const sentinel = { TimeGenerated: '2019-07-10T15:13:25.813Z', Computer: 'squid-uk-02', Facility: 'authpriv', ProcessName: 'sudo', SyslogMessage: 'x', Extra: 1 };
  assert.equal(rowsFromPayload(sentinel)[0], sentinel);
  const obj = rowsFromPayload({ message: 'Accepted password for bob', facility: 10, severity: 'info', hostname: 'h1', appName: 'sshd', pid: '42', timestamp: '2026-11-23T05:20:02Z' })[0];
  assert.deepEqual([obj.Facility, obj.Computer, obj.ProcessName, obj.ProcessID, obj.TimeGenerated], ['authpriv', 'h1', 'sshd', 42, '2026-11-23T05:20:02.000Z']);
  assert.throws(() => rowsFromPayload(42), (e: Error) => e instanceof SyslogInputError && /msg\.payload must be a syslog line .* got number 42/.test(e.message));
  assert.throws(() => rowsFromPayload({ SyslogMessage: 5 }), /msg\.payload\.SyslogMessage must be a string; got number 5/);
  assert.throws(() => rowsFromPayload({ foo: 1 }), /without SyslogMessage .* got keys foo/);
  assert.throws(() => rowsFromPayload('<86>Nov 23'), /msg\.payload: truncated/);
});

test('times: the contract formats, to epoch microseconds', () => {
  assert.equal(parseTime('2019-07-05T18:19:52.873Z'), Date.UTC(2019, 6, 5, 18, 19, 52, 873) * 1000);
  assert.equal(parseTime('2019-07-15 02:44:44'), Date.UTC(2019, 6, 15, 2, 44, 44) * 1000);
  assert.equal(parseTime('2019-07-15 02:44:44.123456789'), Date.UTC(2019, 6, 15, 2, 44, 44, 123) * 1000 + 456);
  assert.equal(parseTime('7/8/2019 16:08'), Date.UTC(2019, 6, 8, 16, 8) * 1000);
  assert.equal(parseTime(new Date(5)), 5000);
  assert.equal(parseTime('not a time'), null);
  assert.equal(formatTime(Date.UTC(2019, 6, 8) * 1000 + 7), '2019-07-08T00:00:00.000007Z');
});
