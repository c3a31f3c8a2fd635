// RELP against a real rsyslog (imrelp): the bytes that arrive, completion only on the
// peer's acknowledgement, and a peer killed mid-stream (unacknowledged messages are
// sent again after reconnecting). Plus the frame parser on its own.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SyslogSender } from '../../../src/lib/syslog';
import { RelpParser, relpFrame } from '../../../src/lib/syslog/relp-transport';
import { HoldProxy } from '../../support/hold-proxy';
import { startRsyslog, type RsyslogHandle } from '../../support/rsyslog';
import { within } from '../../support/within';

const MESSAGES = [
  'CEF:0|Code42|Advanced Exfiltration Detection|1|C42200|Source code|5|fname=plan\\=b.docx suser=jürgen@example.com',
  'CEF:0|Code42|x|1|C42202|名前 ✓|5|duser=rené@example.fr cs1=emoji 🙂 cs1Label=Note',
];
const AT = new Date('2024-01-02T03:04:05.678Z');

describe('RELP frames', () => {
  test('encodes TXNR SP COMMAND SP DATALEN [SP DATA] LF; no SP or data when DATALEN is 0', () => {
    assert.equal(relpFrame(7, 'syslog', Buffer.from('héllo')).toString('utf8'), '7 syslog 6 héllo\n');
    assert.equal(relpFrame(3, 'close', Buffer.alloc(0)).toString(), '3 close 0\n');
  });

  test('parses frames split anywhere, with empty data, in one pass', () => {
    const stream = Buffer.from('1 rsp 93 200 OK\nrelp_version=0\nrelp_software=librelp,1.11.0,http://librelp.adiscon.com\ncommands=syslog\n2 rsp 6 200 OK\n3 rsp 0\n0 serverclose 0\n');
    for (const cut of [1, 5, 17, 40, stream.length - 3]) {
      const parser = new RelpParser();
      const frames = [...parser.push(stream.subarray(0, cut)), ...parser.push(stream.subarray(cut))];
      assert.deepEqual(frames.map((f) => [f.txnr, f.command, f.data.toString()]), [
        [1, 'rsp', '200 OK\nrelp_version=0\nrelp_software=librelp,1.11.0,http://librelp.adiscon.com\ncommands=syslog'],
        [2, 'rsp', '200 OK'],
        [3, 'rsp', ''],
        [0, 'serverclose', ''],
      ]);
    }
  });

  test('rejects what is not RELP instead of buffering it', () => {
    assert.throws(() => new RelpParser().push(Buffer.from('HTTP/1.1 200 OK\r\n' + 'x'.repeat(100))), /not a RELP frame/);
    assert.throws(() => new RelpParser().push(Buffer.from('1 rsp 3 abcX')), /trailing LF/);
    assert.throws(() => new RelpParser().push(Buffer.from('1 rsp 99999999 ')), /DATALEN/);
  });
});

describe('RELP to a real rsyslog (imrelp)', () => {
  let rs: RsyslogHandle;
  before(async () => {
    rs = await startRsyslog();
  });
  after(() => rs.cleanup());

  test('every message arrives byte-exact (rfc5424 and header-less), each send resolving on its acknowledgement', async () => {
    const before = rs.readLines().length;
    const sender = new SyslogSender({ host: '127.0.0.1', port: rs.port, protocol: 'relp', format: 'rfc5424', hostname: 'testhost' });
    for (const m of MESSAGES) await sender.send(m, { timestamp: AT });
    await sender.send('no header at all', { timestamp: AT });
    const lines = (await rs.waitForLines(before + 3)).slice(before);
    assert.deepEqual(lines.slice(0, 2), MESSAGES.map((m) => `<14>1 2024-01-02T03:04:05.678Z testhost secflow - - - ${m}`));
    assert.match(lines[2], /no header at all$/);
    assert.deepEqual({ sent: sender.state().sent, failed: sender.state().failed }, { sent: 3, failed: 0 });
    const closed = await sender.close();
    assert.deepEqual(closed, { spilled: 0, failed: 0, unconfirmed: 0 });
  });

  test('no completion before the acknowledgement: rsyslog has the message, the ack is held back, send() waits', async () => {
    const proxy = new HoldProxy(rs.port);
    await proxy.listen();
    const sender = new SyslogSender({ host: '127.0.0.1', port: proxy.port, protocol: 'relp', format: 'rfc5424', hostname: 'testhost' });
    try {
      await sender.send('session is up', { timestamp: AT });
      const before = rs.readLines().length;
      proxy.holding = true;
      let settled = false;
      const pending = sender.send('ack withheld', { timestamp: AT }).finally(() => (settled = true));
      await rs.waitForLines(before + 1);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(settled, false, 'rsyslog wrote it, but its acknowledgement has not come: not complete');
      proxy.release();
      await within(pending, 5000, 'completion after the acknowledgement');
    } finally {
      await sender.close();
      await proxy.close();
    }
  });

  test('rsyslog killed mid-stream and restarted: every message arrives, duplicates only among the unacknowledged window', async () => {
    const before = rs.readLines().length;
    const total = 3000;
    const sender = new SyslogSender({ host: '127.0.0.1', port: rs.port, protocol: 'relp', format: 'none', queueSize: total, reconnectMinMs: 100, reconnectMaxMs: 300 });
    try {
      const sends = Array.from({ length: total }, (_, n) => sender.send(`relp ${n}`));
      const lines = () => rs.readLines().slice(before);
      const deadline = Date.now() + 20_000;
      while (lines().length < 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      await rs.stop({ kill: true });
      const atKill = lines().length;
      assert.ok(atKill < total, `killed mid-stream (${atKill} of ${total} written)`);
      await new Promise((r) => setTimeout(r, 300));
      await rs.restart();
      await within(Promise.all(sends), 30_000, 'every send after the restart');
      await rs.waitForLines(before + total);
      const seen = lines();
      const distinct = new Set(seen);
      assert.equal(distinct.size, total, 'every message arrived');
      for (let n = 0; n < total; n++) assert.ok(distinct.has(`relp ${n}`), `relp ${n} arrived`);
      // Only messages sent but not acknowledged when rsyslog died are sent twice: at most the window of 128.
      assert.ok(seen.length - total <= 128, `${seen.length - total} duplicates`);
    } finally {
      await sender.close();
    }
  });
});
