import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSyslogMessage, frameSyslogMessage, rfc3164Timestamp, type FormatFields } from '../../../src/lib/syslog';

const CEF = 'CEF:0|Code42|Advanced Exfiltration Detection|1|C42200|Source code|5|fname=a\\=b.txt suser=jürgen@example.com msg=x\\|y';
const at = new Date('2024-01-02T03:04:05.678Z');
const fields = (over: Partial<FormatFields> = {}): FormatFields => ({ format: 'rfc3164', facility: 1, severity: 6, timestamp: at, hostname: 'host1', appName: 'secflow', ...over });

test('none: the text unchanged, with no PRI and no header (the reference)', () => {
  assert.equal(formatSyslogMessage(CEF, fields({ format: 'none' })), CEF);
});

test('rfc3164: <PRI>Mmm dd hh:mm:ss HOST secflow: MSG, UTC, day space-padded', () => {
  assert.equal(formatSyslogMessage(CEF, fields()), `<14>Jan  2 03:04:05 host1 secflow: ${CEF}`);
  assert.equal(rfc3164Timestamp(new Date('2024-12-25T23:59:59.999Z')), 'Dec 25 23:59:59');
  // Local time zone never leaks in: the same instant always gives the same UTC text.
  assert.equal(rfc3164Timestamp(new Date('2024-03-09T00:00:00+05:00')), 'Mar  8 19:00:00');
});

test('rfc5424: <PRI>1 ISO-8601-ms HOST secflow - - - MSG', () => {
  assert.equal(formatSyslogMessage(CEF, fields({ format: 'rfc5424' })), `<14>1 2024-01-02T03:04:05.678Z host1 secflow - - - ${CEF}`);
});

test('PRI is facility × 8 + severity', () => {
  assert.match(formatSyslogMessage('m', fields({ facility: 0, severity: 0 })), /^<0>/);
  assert.match(formatSyslogMessage('m', fields({ facility: 23, severity: 7, format: 'rfc5424' })), /^<191>1 /);
  assert.match(formatSyslogMessage('m', fields({ facility: 16, severity: 4 })), /^<132>/);
});

test('header tokens: spaces and non-ASCII become _, empty becomes -', () => {
  assert.equal(formatSyslogMessage('m', fields({ format: 'rfc5424', hostname: 'my host', appName: 'appé' })), '<14>1 2024-01-02T03:04:05.678Z my_host app_ - - - m');
  assert.equal(formatSyslogMessage('m', fields({ format: 'rfc5424', hostname: '', appName: '' })), '<14>1 2024-01-02T03:04:05.678Z - - - - - m');
});

test('an invalid timestamp is an error', () => {
  assert.throws(() => formatSyslogMessage('m', fields({ timestamp: new Date('nope') })), /timestamp/);
});

test('framing: LF, octet counting in UTF-8 bytes, datagram', () => {
  assert.equal(frameSyslogMessage('abc', 'lf', 'rfc3164').toString('utf8'), 'abc\n');
  assert.equal(frameSyslogMessage('abc', 'lf', 'none').toString('utf8'), 'abc\n');
  // "é" and "ü" are two bytes each in UTF-8: LEN counts bytes, not characters.
  assert.equal(frameSyslogMessage('é ü', 'octet', 'rfc5424').toString('utf8'), '5 é ü');
  assert.equal(frameSyslogMessage('', 'octet', 'none').toString('utf8'), '0 ');
  const big = 'x'.repeat(12345);
  assert.equal(frameSyslogMessage(big, 'octet', 'rfc5424').toString('utf8'), `12345 ${big}`);
  // The reference sends text + LF in its datagrams; RFC formats send the bare message.
  assert.equal(frameSyslogMessage('abc', 'datagram', 'none').toString('utf8'), 'abc\n');
  assert.equal(frameSyslogMessage('abc', 'datagram', 'rfc5424').toString('utf8'), 'abc');
});
