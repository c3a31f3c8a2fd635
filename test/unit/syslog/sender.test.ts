// SyslogSender against the real syslog-ng: every line syslog-ng wrote is
// compared with what was sent, over UDP, TCP and TLS, in every format.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { SyslogSender, type SyslogOptions } from '../../../src/lib/syslog';
import { makeTestCerts, type TestCerts } from '../../support/certs';
import { startSyslogNg, type SyslogNgHandle } from '../../support/syslog-ng';
import { within } from '../../support/within';

// CEF-like lines with the characters that matter: | = \ and non-ASCII.
const MESSAGES = [
  'CEF:0|Code42|Advanced Exfiltration Detection|1|C42200|Source code|5|fname=plan\\=b.docx suser=jürgen@example.com',
  'CEF:0|Code42|x|1|C42201|pipe \\| in header|5|filePath=C:\\\\Users\\\\ana\\\\ msg=a\\=b c=d',
  'CEF:0|Code42|x|1|C42202|名前 ✓|5|duser=rené@example.fr,ßtraße cs1=emoji 🙂 cs1Label=Note',
];
const AT = new Date('2024-01-02T03:04:05.678Z');

function expectedRaw(format: 'none' | 'rfc3164' | 'rfc5424', msg: string, pri = 14): string {
  if (format === 'none') return msg;
  if (format === 'rfc3164') return `<${pri}>Jan  2 03:04:05 testhost secflow: ${msg}`;
  return `<${pri}>1 2024-01-02T03:04:05.678Z testhost secflow - - - ${msg}`;
}

async function sendAll(options: SyslogOptions, messages: string[], overrides = {}): Promise<SyslogSender> {
  const sender = new SyslogSender({ hostname: 'testhost', ...options });
  for (const m of messages) await sender.send(m, { timestamp: AT, ...overrides });
  await sender.close();
  return sender;
}

let certs: TestCerts;
before(() => {
  certs = makeTestCerts();
});
after(() => certs.cleanup());

describe('formats and transports, read back from syslog-ng', () => {
  let ng: SyslogNgHandle;
  const kinds = ['udp', 'tcp-lf', 'tcp-octet', 'tls-lf', 'tls-octet'] as const;
  before(async () => {
    const tls = { keyFile: certs.server.keyFile, certFile: certs.server.certFile };
    ng = await startSyslogNg({
      template: 'json',
      sources: [
        { protocol: 'udp' },
        { protocol: 'tcp', framing: 'lf' },
        { protocol: 'tcp', framing: 'octet' },
        { protocol: 'tls', framing: 'lf', tls },
        { protocol: 'tls', framing: 'octet', tls },
      ],
    });
  });
  after(() => ng.stop());

  const options = (kind: (typeof kinds)[number]): SyslogOptions => {
    const i = kinds.indexOf(kind);
    const [protocol, framing] = kind.split('-') as ['udp' | 'tcp' | 'tls', string | undefined];
    return { host: '127.0.0.1', port: ng.ports[i], protocol, octetCounting: framing === 'octet', ca: certs.ca.cert };
  };

  test('every message arrives byte-exact and parses to the sent header and text', async () => {
    const expected: Array<{ source: string; raw: string; message: string; format: string }> = [];
    for (const kind of kinds) {
      for (const format of ['none', 'rfc3164', 'rfc5424'] as const) {
        const tagged = MESSAGES.map((m) => `${m} kind=${kind} format=${format}`);
        await sendAll({ ...options(kind), format }, tagged);
        for (const m of tagged) expected.push({ source: `s_test${kinds.indexOf(kind)}`, raw: expectedRaw(format, m), message: m, format });
      }
    }
    await ng.waitForLines(expected.length);
    // UDP and separate connections may interleave across sources; within a source the order holds.
    const records = ng.readRecords();
    assert.equal(records.length, expected.length);
    for (const source of new Set(expected.map((e) => e.source))) {
      const got = records.filter((r) => r.source === source);
      const want = expected.filter((e) => e.source === source);
      assert.deepEqual(got.map((r) => r.raw), want.map((e) => e.raw), `raw lines of ${source}`);
      want.forEach((e, i) => {
        if (e.format === 'none') return; // no header: syslog-ng guesses one, the raw line is what counts
        assert.equal(got[i].message, e.message, `parsed text (${source} ${e.format})`);
        assert.equal(got[i].host, 'testhost');
        assert.equal(got[i].program, 'secflow');
        assert.equal(got[i].facility, 'user');
        assert.equal(got[i].severity, 'info');
      });
    }
  });

  test('per-message facility and severity set the PRI', async () => {
    const before = ng.readLines().length;
    await sendAll({ ...options('tcp-octet'), format: 'rfc5424' }, ['override one'], { facility: 'local4', severity: 'warning' });
    await sendAll({ ...options('udp'), format: 'rfc3164', facility: 10, severity: 2 }, ['override two']);
    const records = (await ng.waitForLines(before + 2)).slice(before).map((l) => JSON.parse(l));
    const one = records.find((r) => r.message === 'override one');
    const two = records.find((r) => r.message === 'override two');
    assert.equal(one.raw, expectedRaw('rfc5424', 'override one', 20 * 8 + 4));
    assert.deepEqual([one.facility, one.severity], ['local4', 'warning']);
    assert.equal(two.raw, expectedRaw('rfc3164', 'override two', 10 * 8 + 2));
    assert.deepEqual([two.facility, two.severity], ['authpriv', 'crit']);
  });

  test('UDP: a 65,507-byte datagram arrives whole; one byte more is an error, not a silent drop', async () => {
    const before = ng.readLines().length;
    const sender = new SyslogSender({ ...options('udp'), format: 'none' });
    const biggest = 'y'.repeat(65_506); // + LF = 65,507 bytes
    await sender.send(biggest);
    await assert.rejects(sender.send(`${biggest}y`), /65508 bytes, over the UDP limit of 65,507 bytes/);
    assert.equal(sender.state().failed, 1);
    await sender.close();
    const [record] = (await ng.waitForLines(before + 1)).slice(before).map((l) => JSON.parse(l));
    assert.equal(record.raw, biggest);
  });

  test('TLS: a server whose CA is unknown is refused; with its CA (or verification off) it is accepted', async () => {
    const before = ng.readLines().length;
    const refused = new SyslogSender({ ...options('tls-lf'), ca: certs.otherCa.cert, reconnectMinMs: 60_000 });
    const reported = new Promise<Error>((resolve) => refused.once('connectionError', resolve));
    await assert.rejects(refused.send('must not arrive'), /TLS connection to syslog 127\.0\.0\.1:\d+ refused: .*(certificate|UNABLE_TO_VERIFY)/);
    assert.match((await within(reported, 10_000, 'TLS refusal report')).message, /refused/);
    assert.equal(refused.state().connected, false);
    await refused.close();
    // Without any CA option the system store is used, which does not know the test CA either.
    const noCa = new SyslogSender({ host: '127.0.0.1', port: ng.ports[kinds.indexOf('tls-lf')], protocol: 'tls', reconnectMinMs: 60_000 });
    await assert.rejects(noCa.send('must not arrive either'), /refused/);
    await noCa.close();

    await sendAll({ ...options('tls-lf'), host: 'localhost' }, ['by name, trusted CA']);
    await sendAll({ ...options('tls-lf'), ca: undefined, verifyTls: false }, ['verification off']);
    const raws = (await ng.waitForLines(before + 2)).slice(before).map((l) => JSON.parse(l).raw);
    assert.deepEqual(raws, ['by name, trusted CA', 'verification off']);
  });
});

test('TLS with a client certificate: a receiver that requires one accepts it', async () => {
  const ng = await startSyslogNg({
    sources: [{ protocol: 'tls', tls: { keyFile: certs.server.keyFile, certFile: certs.server.certFile, caDir: certs.caDir, peerVerify: 'required-trusted' } }],
  });
  try {
    const base = { host: '127.0.0.1', port: ng.ports[0], protocol: 'tls' as const, ca: certs.ca.cert, reconnectMinMs: 60_000 };
    await sendAll({ ...base, cert: certs.client.cert, key: certs.client.key }, ['with a client certificate']);
    assert.deepEqual(await ng.waitForLines(1), ['with a client certificate']);
    // Without one the receiver ends the connection; with TLS 1.3 that can only show after the
    // handshake, so what is certain is that the failure is reported and nothing is written.
    const anonymous = new SyslogSender(base);
    try {
      const reported = new Promise<Error>((resolve) => anonymous.once('connectionError', resolve));
      await anonymous.send('without a client certificate').catch(() => undefined);
      assert.match((await within(reported, 10_000, 'client certificate refusal')).message, /^TLS connection to syslog 127\.0\.0\.1:\d+ refused: .*certificate/);
    } finally {
      await anonymous.close();
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(ng.readLines(), ['with a client certificate']);
  } finally {
    await ng.stop();
  }
});

describe('a stopped peer', () => {
  test('TCP: syslog-ng killed → reported; queued up to the bound, overflow rejected; restart → queued messages arrive in order', async () => {
    const ng = await startSyslogNg({ sources: [{ protocol: 'tcp' }] });
    const sender = new SyslogSender({ host: '127.0.0.1', port: ng.ports[0], protocol: 'tcp', queueSize: 3, reconnectMinMs: 100, reconnectMaxMs: 400 });
    try {
      await sender.send('before the stop');
      assert.deepEqual(await ng.waitForLines(1), ['before the stop']);
      const broken = new Promise<Error>((resolve) => sender.once('connectionError', resolve));
      await ng.stop({ kill: true });
      assert.match((await within(broken, 10_000, 'broken connection report')).message, /syslog connection to 127\.0\.0\.1:\d+ broken/);
      assert.equal(sender.state().connected, false);

      const queued = ['queued 1', 'queued 2', 'queued 3'].map((m) => sender.send(m));
      await assert.rejects(sender.send('overflow'), /syslog queue full: 3 messages already wait for 127\.0\.0\.1:\d+ \(not connected\); message rejected/);
      assert.equal(sender.state().queued, 3);
      assert.equal(sender.state().failed, 1);

      await ng.restart();
      await within(Promise.all(queued), 20_000, 'queued messages after restart');
      // The broken connection's replay window comes first: 'before the stop' again (at least once).
      assert.deepEqual(await ng.waitForLines(5), ['before the stop', 'before the stop', 'queued 1', 'queued 2', 'queued 3']);
      assert.deepEqual({ ...sender.state(), lastError: undefined }, { connected: true, queued: 0, sent: 4, failed: 1, lastError: undefined });
    } finally {
      await sender.close();
      await ng.stop();
    }
  });

  test('TCP: a closed port is reported at once, sends wait in the queue, close() rejects them fast', async () => {
    const port = await closedPort();
    const sender = new SyslogSender({ host: '127.0.0.1', port, protocol: 'tcp', reconnectMinMs: 50, reconnectMaxMs: 200 });
    const reported = new Promise<Error>((resolve) => sender.once('connectionError', resolve));
    const pending = sender.send('nobody listens');
    assert.match((await within(reported, 10_000, 'refused connection report')).message, new RegExp(`cannot connect to syslog 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
    assert.equal(sender.state().queued, 1);
    const started = Date.now();
    await sender.close();
    assert.ok(Date.now() - started < 500, 'close is fast');
    await assert.rejects(pending, /closed before the message was sent/);
    await assert.rejects(sender.send('after close'), /is closed/);
  });

  test('UDP: a closed port is reported (ICMP port unreachable)', async () => {
    const port = await closedPort();
    const sender = new SyslogSender({ host: '127.0.0.1', port });
    let error: Error | undefined;
    sender.once('connectionError', (err: Error) => (error = err));
    await sender.send('datagram one');
    // The ICMP reply comes back asynchronously; the kernel reports it on the socket's next operation.
    const failures: string[] = [];
    for (let i = 0; i < 50 && !error; i++) {
      await sender.send(`datagram ${i}`).catch((err: Error) => failures.push(err.message));
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(error, 'a connection error was reported');
    assert.match(error.message, /UDP peer 127\.0\.0\.1:\d+ is not receiving: .*ECONNREFUSED/);
    for (const f of failures) assert.match(f, /syslog UDP send to 127\.0\.0\.1:\d+ failed: .*ECONNREFUSED/);
    assert.equal(sender.state().connected, false);
    await sender.close();
  });

  test('TLS: a peer that never completes the handshake times out after connectTimeoutMs, and the message stays queued', async () => {
    const accepted = new Set<net.Socket>();
    const silent = net.createServer((socket) => accepted.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    const sender = new SyslogSender({ host: '127.0.0.1', port, protocol: 'tls', connectTimeoutMs: 300, reconnectMinMs: 60_000 });
    try {
      const reported = new Promise<Error>((resolve) => sender.once('connectionError', resolve));
      const pending = sender.send('waits');
      assert.match((await within(reported, 10_000, 'timeout report')).message, /cannot connect to syslog 127\.0\.0\.1:\d+: connect timed out after 300 ms/);
      assert.equal(sender.state().queued, 1);
      await sender.close();
      await assert.rejects(pending, /closed before the message was sent/);
    } finally {
      await sender.close();
      for (const socket of accepted) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  test('TCP: a connection reset while writes are in flight: nothing rejected, every message arrives on the next connection (replay), in order after the replayed window', async () => {
    // A peer that stops reading, then resets the first connection; it reads the second one.
    const second: Buffer[] = [];
    let connections = 0;
    const peer = net.createServer((socket) => {
      connections++;
      if (connections === 1) {
        socket.pause();
        setTimeout(() => socket.resetAndDestroy(), 300);
      } else {
        socket.on('data', (d) => second.push(d));
      }
    });
    await new Promise<void>((resolve) => peer.listen(0, '127.0.0.1', resolve));
    const { port } = peer.address() as net.AddressInfo;
    const total = 4000;
    // The window covers what loopback buffers can hold unread (several MiB).
    const replayBytes = 32 * 1024 * 1024;
    const sender = new SyslogSender({ host: '127.0.0.1', port, protocol: 'tcp', queueSize: total, replayBytes, reconnectMinMs: 50, reconnectMaxMs: 100 });
    try {
      const pad = 'p'.repeat(8000);
      const outcomes = await within(
        Promise.all(Array.from({ length: total }, (_, i) => sender.send(`m${i} ${pad}`).then(() => 'sent' as const, (err: Error) => err.message))),
        30_000,
        'every send settles',
      );
      assert.deepEqual(outcomes.filter((o) => o !== 'sent'), [], 'nothing rejected');
      assert.deepEqual({ sent: sender.state().sent, failed: sender.state().failed }, { sent: total, failed: 0 });

      const lines = () => Buffer.concat(second).toString('utf8').split('\n').filter(Boolean);
      const numbers = () => lines().map((l) => Number(/^m(\d+) /.exec(l)?.[1]));
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && new Set(numbers()).size < total) await new Promise((r) => setTimeout(r, 20));
      const received = numbers();
      assert.equal(new Set(received).size, total, 'every message arrived on the second connection');
      assert.ok(received.every((n) => Number.isInteger(n)), 'whole messages only');
      // Duplicates only from the replay window: at most replayBytes' worth, plus one message.
      const duplicates = received.length - total;
      assert.ok(duplicates * (pad.length + 8) <= replayBytes + pad.length + 8, `duplicates within the replay window (${duplicates})`);
      // After the replayed window, strictly in order.
      const firstNew = received.findIndex((n, k) => k > 0 && n <= received[k - 1]);
      const tail = firstNew < 0 ? received : received.slice(firstNew);
      assert.ok(tail.every((n, k) => k === 0 || n > tail[k - 1]), 'in order after the replay');
    } finally {
      await sender.close();
      await new Promise<void>((resolve) => peer.close(() => resolve()));
    }
  });
});

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
