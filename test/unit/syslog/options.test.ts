import assert from 'node:assert/strict';
import os from 'node:os';
import { test } from 'node:test';
import { resolveOptions } from '../../../src/lib/syslog';

test('defaults: UDP 514, format none, user.info, hostname, secflow, TLS verification on, 10 s / 10,000 / 64 MiB / replay 1 MiB / 1–30 s, no spill', () => {
  const o = resolveOptions({ host: ' collector ' });
  assert.deepEqual(
    { ...o },
    {
      host: 'collector', port: 514, protocol: 'udp', format: 'none', framing: 'datagram', newlines: 'escape', facility: 1, severity: 6,
      hostname: os.hostname(), appName: 'secflow', verifyTls: true, ca: undefined, cert: undefined, key: undefined,
      connectTimeoutMs: 10_000, queueSize: 10_000, queueBytes: 64 * 1024 * 1024, replayBytes: 1024 * 1024,
      spillDir: undefined, maxSpillBytes: 100 * 1024 * 1024, reconnectMinMs: 1000, reconnectMaxMs: 30_000,
    },
  );
});

test('octet counting is the default for rfc5424 on TCP/TLS, LF otherwise; UDP is always datagrams', () => {
  assert.equal(resolveOptions({ host: 'h', protocol: 'tcp', format: 'rfc5424' }).framing, 'octet');
  assert.equal(resolveOptions({ host: 'h', protocol: 'tls', format: 'rfc3164' }).framing, 'lf');
  assert.equal(resolveOptions({ host: 'h', protocol: 'tcp', format: 'none', octetCounting: true }).framing, 'octet');
  assert.equal(resolveOptions({ host: 'h', protocol: 'tcp', format: 'rfc5424', octetCounting: false }).framing, 'lf');
  assert.equal(resolveOptions({ host: 'h', protocol: 'udp', format: 'rfc5424', octetCounting: true }).framing, 'datagram');
  // RELP carries each message's length in its own frame.
  assert.equal(resolveOptions({ host: 'h', protocol: 'relp', format: 'rfc5424', octetCounting: true }).framing, 'bare');
});

test('bad options throw errors naming the option', () => {
  assert.throws(() => resolveOptions({ host: '' }), /host is required/);
  assert.throws(() => resolveOptions({} as never), /host is required/);
  assert.throws(() => resolveOptions({ host: 'h', port: 0 }), /port must be an integer from 1 to 65535; got 0/);
  assert.throws(() => resolveOptions({ host: 'h', port: 70000 }), /port/);
  assert.throws(() => resolveOptions({ host: 'h', port: '514' as never }), /port.*"514"/);
  assert.throws(() => resolveOptions({ host: 'h', protocol: 'sctp' as never }), /protocol must be one of udp, tcp, tls, relp; got "sctp"/);
  assert.throws(() => resolveOptions({ host: 'h', queueBytes: 10 }), /queueBytes must be an integer from 1024/);
  assert.throws(() => resolveOptions({ host: 'h', replayBytes: -1 }), /replayBytes/);
  assert.throws(() => resolveOptions({ host: 'h', format: 'cef' as never }), /format must be one of none, rfc3164, rfc5424/);
  assert.throws(() => resolveOptions({ host: 'h', facility: 30 }), /facility/);
  assert.throws(() => resolveOptions({ host: 'h', severity: 9 }), /severity/);
  assert.throws(() => resolveOptions({ host: 'h', queueSize: 0 }), /queueSize/);
  assert.throws(() => resolveOptions({ host: 'h', reconnectMinMs: 500, reconnectMaxMs: 100 }), /reconnectMaxMs/);
  assert.throws(() => resolveOptions({ host: 'h', octetCounting: 'yes' as never }), /octetCounting/);
});
