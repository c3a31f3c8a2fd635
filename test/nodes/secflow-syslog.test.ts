// secflow-syslog through the real Node-RED runtime, sending to a real syslog-ng:
// every line syslog-ng wrote is compared with the payload sent; failures reach
// a real Catch node; done() is proven by a real Complete node.
import assert from 'node:assert/strict';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import syslogNode from '../../src/nodes/secflow-syslog';
import { makeTestCerts, type TestCerts } from '../support/certs';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { startSyslogNg, type SyslogNgHandle, type SyslogNgRecord } from '../support/syslog-ng';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
const completeNode: NodeModule = require('@node-red/nodes/core/common/24-complete.js');

const CEF = [
  'CEF:0|Code42|Advanced Exfiltration Detection|1|C42200|Source code|5|fname=plan\\=b.docx suser=jürgen@example.com',
  'CEF:0|Code42|x|1|C42201|pipe \\| in header|5|filePath=C:\\\\Users\\\\ana\\\\ msg=a\\=b',
  'CEF:0|Code42|x|1|C42202|名前 ✓|5|duser=rené@example.fr cs1=🙂 cs1Label=Note',
];
const HOST = os.hostname();

/** syslog nodes (ids s-0, s-1…) with one Catch and one Complete node watching all of them. */
function flow(nodes: Array<Record<string, unknown>>): FlowNode[] {
  const ids = nodes.map((_, i) => `s-${i}`);
  return [
    { id: 'n-tab', type: 'tab', label: 'syslog test' },
    ...nodes.map((props, i) => ({ id: ids[i], type: 'secflow-syslog', z: 'n-tab', name: `sender ${i}`, host: '127.0.0.1', port: 514, protocol: 'udp', format: 'none', octetCounting: false, verifyTls: true, ca: '', queueSize: 10000, facility: 'user', severity: 'info', ...props, wires: [] })),
    { id: 'n-catch', type: 'catch', z: 'n-tab', scope: ids, uncaught: false, wires: [['n-caught']] },
    { id: 'n-caught', type: 'helper', z: 'n-tab' },
    { id: 'n-complete', type: 'complete', z: 'n-tab', scope: ids, uncaught: false, wires: [['n-completed']] },
    { id: 'n-completed', type: 'helper', z: 'n-tab' },
  ];
}

async function start(nodes: Array<Record<string, unknown>>) {
  await loadFlow([syslogNode as NodeModule, catchNode, completeNode], flow(nodes));
  return {
    senders: nodes.map((_, i) => helper.getNode(`s-${i}`)),
    caught: collect(helper.getNode('n-caught')),
    completed: collect(helper.getNode('n-completed')),
  };
}

/** The text a Catch node gets: Node-RED reports `err.toString()`, so "Error: " comes first. */
function caughtText(msg: Record<string, unknown>): string {
  return (msg.error as { message: string }).message.replace(/^Error: /, '');
}

/** Every status the node shows from now on. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function statuses(node: any): Array<{ fill?: string; shape?: string; text?: string }> {
  const seen: Array<{ fill?: string; shape?: string; text?: string }> = [];
  node.on('call:status', (call: { args: unknown[] }) => seen.push(call.args[0] as { fill?: string; text?: string }));
  return seen;
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function circular(): Record<string, unknown> {
  const o: Record<string, unknown> = { a: 1 };
  o.self = o;
  return o;
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

let certs: TestCerts;
before(() => {
  certs = makeTestCerts();
});
after(() => certs.cleanup());

describe('secflow-syslog node', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  describe('delivers to a real syslog-ng', () => {
    let ng: SyslogNgHandle;
    before(async () => {
      const tls = { keyFile: certs.server.keyFile, certFile: certs.server.certFile };
      ng = await startSyslogNg({
        template: 'json',
        sources: [{ protocol: 'udp' }, { protocol: 'tcp' }, { protocol: 'tcp', framing: 'octet' }, { protocol: 'tls', tls }, { protocol: 'tls', framing: 'octet', tls }],
      });
    });
    after(() => ng.stop());

    it('UDP, TCP and TLS in formats none / rfc3164 / rfc5424, LF and octet counting: every line compared', async () => {
      const configs = [
        { protocol: 'udp', port: ng.ports[0], format: 'none' },
        { protocol: 'udp', port: ng.ports[0], format: 'rfc5424' },
        { protocol: 'tcp', port: ng.ports[1], format: 'none' },
        { protocol: 'tcp', port: ng.ports[1], format: 'rfc3164' },
        { protocol: 'tcp', port: ng.ports[2], format: 'rfc5424', octetCounting: true },
        { protocol: 'tcp', port: ng.ports[2], format: 'none', octetCounting: true },
        { protocol: 'tls', port: ng.ports[3], format: 'rfc3164', ca: certs.ca.certFile },
        { protocol: 'tls', port: ng.ports[4], format: 'rfc5424', octetCounting: true, ca: certs.ca.certFile },
      ];
      const { senders, caught, completed } = await start(configs);
      // Strings, an object (sent as JSON) and a Buffer (sent as UTF-8), each tagged with its sender.
      const payloads = (i: number) => [...CEF.map((c) => `${c} sender=${i}`), { sender: i, text: 'ü=|\\' }, Buffer.from(`buffer ü sender=${i}`, 'utf8')];
      const expected = (i: number) => [...CEF.map((c) => `${c} sender=${i}`), JSON.stringify({ sender: i, text: 'ü=|\\' }), `buffer ü sender=${i}`];
      senders.forEach((node, i) => payloads(i).forEach((payload) => node.receive({ payload })));
      const perSender = payloads(0).length;
      await completed.waitFor(configs.length * perSender, 30_000);
      assert.deepEqual(caught.messages.map(caughtText), []);
      await ng.waitForLines(configs.length * perSender);
      const records = ng.readRecords();
      assert.equal(records.length, configs.length * perSender);

      configs.forEach((config, i) => {
        const mine = records.filter((r) => r.raw?.endsWith(`sender=${i}`) || r.raw?.includes(`"sender":${i},`));
        assert.equal(mine.length, perSender, `lines from sender ${i}`);
        mine.forEach((record: SyslogNgRecord, k) => {
          const text = expected(i)[k];
          if (config.format === 'none') {
            assert.equal(record.raw, text, `sender ${i} line ${k}`);
            return;
          }
          const header =
            config.format === 'rfc3164'
              ? `<14>[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d ${escapeRegExp(HOST)} secflow: `
              : `<14>1 \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z ${escapeRegExp(HOST)} secflow - - - `;
          assert.match(record.raw ?? '', new RegExp(`^${header}${escapeRegExp(text)}$`), `sender ${i} line ${k}`);
          assert.equal(record.message, text);
          assert.equal(record.host, HOST);
          assert.deepEqual([record.facility, record.severity], ['user', 'info']);
        });
      });
    });

    it('facility/severity from the config and from msg.facility / msg.severity', async () => {
      const { senders, completed } = await start([{ protocol: 'tcp', port: ng.ports[1], format: 'rfc3164', facility: 'local3', severity: 'notice' }]);
      const already = ng.readLines().length;
      senders[0].receive({ payload: 'from config' });
      senders[0].receive({ payload: 'from msg', facility: 'auth', severity: 3 });
      await completed.waitFor(2);
      const got = (await ng.waitForLines(already + 2)).slice(already).map((l) => JSON.parse(l) as SyslogNgRecord);
      assert.deepEqual(got.map((r) => [r.message, r.facility, r.severity, /^<\d+>/.exec(r.raw ?? '')?.[0]]), [
        ['from config', 'local3', 'notice', `<${19 * 8 + 5}>`],
        ['from msg', 'auth', 'err', `<${4 * 8 + 3}>`],
      ]);
    });

    it('TLS: a server certificate from an unknown CA is refused and reaches Catch; nothing is delivered', async () => {
      const { senders, caught, completed } = await start([{ protocol: 'tls', port: ng.ports[3], format: 'none', ca: certs.otherCa.certFile }]);
      const shown = statuses(senders[0]);
      const already = ng.readLines().length;
      senders[0].receive({ payload: 'must not arrive', _msgid: 'refused-1' });
      // (The connection is refused at deploy too; that report may come before this test listens.)
      await until(() => caught.messages.some((m) => m._msgid === 'refused-1'), 20_000, 'the refused message to reach Catch');
      const withMsg = caught.messages.find((m) => m._msgid === 'refused-1') as Record<string, unknown>;
      assert.match(caughtText(withMsg), /TLS connection to syslog 127\.0\.0\.1:\d+ refused: .*(certificate|UNABLE_TO_VERIFY)/);
      assert.equal(completed.messages.length, 0);
      await until(() => shown.some((s) => s.fill === 'red' && /^1 failed: TLS connection .* refused/.test(s.text ?? '')), 5000, 'a red status');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(ng.readLines().length, already);
    });
  });

  it('a stopped peer: reported (red + Catch), queued up to queueSize, overflow to Catch; restarted → the queue arrives', async () => {
    const ng = await startSyslogNg({ sources: [{ protocol: 'tcp' }] });
    try {
      const { senders, caught, completed } = await start([{ protocol: 'tcp', port: ng.ports[0], format: 'none', queueSize: 2 }]);
      const node = senders[0];
      const shown = statuses(node);
      node.receive({ payload: 'before the stop' });
      await completed.waitFor(1);
      await until(() => shown.some((s) => s.fill === 'green' && s.text === 'sent 1'), 5000, 'green "sent 1"');

      await ng.stop({ kill: true });
      await caught.waitFor(1, 10_000);
      assert.match(caughtText(caught.messages[0]), /syslog connection to 127\.0\.0\.1:\d+ broken/);
      await until(() => shown.some((s) => s.fill === 'red' && /broken|cannot connect/.test(s.text ?? '')), 5000, 'a red status');

      node.receive({ payload: 'queued 1' });
      node.receive({ payload: 'queued 2' });
      node.receive({ payload: 'overflow', _msgid: 'overflow-1' });
      await until(() => caught.messages.some((m) => m._msgid === 'overflow-1'), 5000, 'the overflow to reach Catch');
      const overflow = caught.messages.find((m) => m._msgid === 'overflow-1') as Record<string, unknown>;
      assert.match(caughtText(overflow), /syslog queue full: 2 messages already wait for 127\.0\.0\.1:\d+/);
      await until(() => shown.some((s) => /queued 2/.test(s.text ?? '')), 5000, 'status "queued 2"');
      assert.equal(completed.messages.length, 1);
      // The reconnect attempts meet a closed port: that is reported too.
      await until(() => caught.messages.some((m) => /^cannot connect to syslog 127\.0\.0\.1:\d+: .*ECONNREFUSED/.test(caughtText(m))), 10_000, 'ECONNREFUSED to reach Catch');
      const refused = caught.messages.find((m) => /ECONNREFUSED/.test(caughtText(m))) as Record<string, unknown>;
      assert.deepEqual(refused.payload, { host: '127.0.0.1', port: ng.ports[0], protocol: 'tcp', queued: 2 });
      assert.equal(refused.topic, 'connection');

      await ng.restart();
      // Reconnect backoff is 1–30 s; a few attempts fit in this bound.
      await completed.waitFor(3, 40_000);
      // The broken connection's last replayBytes are sent again first (at least once).
      assert.deepEqual(await ng.waitForLines(4), ['before the stop', 'before the stop', 'queued 1', 'queued 2']);
      await until(() => shown.some((s) => s.fill === 'green' && /^sent 3/.test(s.text ?? '')), 5000, 'green "sent 3"');
    } finally {
      await ng.stop();
    }
  });

  it('bad input: clear errors naming the field reach Catch, and the node keeps working', async () => {
    const ng = await startSyslogNg({ sources: [{ protocol: 'udp' }] });
    try {
      const { senders, caught, completed } = await start([{ protocol: 'udp', port: ng.ports[0], format: 'none' }]);
      const bad: Array<[Record<string, unknown>, RegExp]> = [
        [{ payload: 42 }, /^msg\.payload must be a string, a Buffer or an object; got number$/],
        [{}, /^msg\.payload must be a string, a Buffer or an object; got undefined$/],
        [{ payload: null }, /got null$/],
        [{ payload: true }, /got boolean$/],
        [{ payload: 'x', facility: 'local9' }, /^msg\.facility .*"local9"/],
        [{ payload: 'x', severity: 11 }, /^msg\.severity must be 0\.\.7/],
        [{ payload: 'x', severity: { level: 1 } }, /^msg\.severity must be a name or a number; got object$/],
        [{ payload: 'z'.repeat(70_000) }, /70001 bytes, over the UDP limit of 65,507 bytes/],
        [{ payload: circular() }, /^msg\.payload cannot be sent as JSON: Converting circular structure/],
      ];
      bad.forEach(([msg], i) => senders[0].receive({ ...msg, _msgid: `bad-${i}` }));
      await caught.waitFor(bad.length);
      bad.forEach(([, pattern], i) => {
        const msg = caught.messages.find((m) => m._msgid === `bad-${i}`);
        assert.ok(msg, `bad input ${i} reached Catch`);
        assert.match(caughtText(msg), pattern);
      });
      senders[0].receive({ payload: 'still working' });
      await completed.waitFor(1);
      assert.deepEqual(await ng.waitForLines(1), ['still working']);
    } finally {
      await ng.stop();
    }
  });

  it('bad configuration: missing host, bad port, bad queue size, unreadable CA → a clear error on every message', async () => {
    const missingCa = path.join(os.tmpdir(), 'secflow-no-such-dir', 'ca.pem');
    const { senders, caught, completed } = await start([
      { host: '' },
      { port: 70000 },
      { protocol: 'tcp', queueSize: 'lots' },
      { protocol: 'tls', ca: missingCa },
      { protocol: 'carrier-pigeon' },
    ]);
    senders.forEach((node, i) => node.receive({ payload: 'x', _msgid: `cfg-${i}` }));
    await until(() => senders.every((_, i) => caught.messages.some((m) => m._msgid === `cfg-${i}`)), 5000, 'an error per node');
    const text = (i: number) => caughtText(caught.messages.find((m) => m._msgid === `cfg-${i}`) as Record<string, unknown>);
    assert.match(text(0), /^host is required/);
    assert.match(text(1), /^port must be at most 65535, got 70000$/);
    assert.match(text(2), /^queueSize must be an integer, got "lots"$/);
    assert.equal(text(3), `ca: the CA file "${missingCa}" cannot be read: ENOENT: no such file or directory, open '${missingCa}'`);
    assert.match(text(4), /^protocol must be one of udp, tcp, tls, relp; got "carrier-pigeon"$/);
    assert.equal(completed.messages.length, 0);
  });

  it('a closed port shows red with the queue; the node closes fast with messages still queued', async () => {
    const { senders } = await start([{ protocol: 'tcp', port: await closedPort(), format: 'none' }]);
    const shown = statuses(senders[0]);
    senders[0].receive({ payload: 'never delivered' });
    await until(() => shown.some((s) => s.fill === 'red' && /^queued 1: cannot connect to syslog 127\.0\.0\.1:\d+: connect ECONNREFUSED/.test(s.text ?? '')), 5000, 'a red "queued 1" status');
    const started = Date.now();
    await unloadFlow();
    assert.ok(Date.now() - started < 2000, `closed in ${Date.now() - started} ms`);
    // afterEach unloads again: make that a harmless no-op by loading an empty flow.
    await loadFlow([syslogNode as NodeModule], [{ id: 'n-tab', type: 'tab' }]);
  });
});
