// secflow-syslog page mode in the real Node-RED runtime: an array of lines is written
// together and in order (octet counting per line when on); a line that cannot be
// sent is reported by its index in one error while the others go; each line counts
// against queueSize; done() once per message, after every line is written.
import assert from 'node:assert/strict';
import net from 'node:net';
import { afterEach, describe, it } from 'node:test';
import syslogNode from '../../src/nodes/secflow-syslog';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { freePort } from '../support/free-port';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const hooks: any = require('@node-red/util').hooks;

/** A loopback TCP receiver keeping the raw bytes, to check framing. */
class RawReceiver {
  bytes = Buffer.alloc(0);
  private readonly sockets = new Set<net.Socket>();
  private readonly server = net.createServer((s) => {
    this.sockets.add(s);
    s.on('data', (d: Buffer) => (this.bytes = Buffer.concat([this.bytes, d]))).on('error', () => undefined);
  });
  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }
  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function start(props: Record<string, unknown>) {
  const flow: FlowNode[] = [
    { id: 'sp-tab', type: 'tab', label: 'syslog pages' },
    { id: 'sp-sender', type: 'secflow-syslog', z: 'sp-tab', host: '127.0.0.1', protocol: 'tcp', format: 'none', octetCounting: false, verifyTls: true, ca: '', queueSize: 100_000, facility: 'user', severity: 'info', ...props, wires: [] },
    { id: 'sp-catch', type: 'catch', z: 'sp-tab', scope: ['sp-sender'], uncaught: false, wires: [['sp-caught']] },
    { id: 'sp-caught', type: 'helper', z: 'sp-tab' },
  ];
  await loadFlow([syslogNode as NodeModule, catchNode], flow);
  const done: Array<{ id: string; error?: unknown }> = [];
  hooks.add('onComplete.syslogPagesTest', (e: { msg: { _msgid: string }; node: { id: string }; error?: unknown }) => {
    if (e.node.id === 'sp-sender') done.push({ id: e.msg._msgid, error: e.error });
  });
  return { sender: helper.getNode('sp-sender'), caught: collect(helper.getNode('sp-caught')), done };
}

describe('secflow-syslog page mode', () => {
  let receiver: RawReceiver | undefined;
  afterEach(async () => {
    hooks.remove('*.syslogPagesTest');
    await unloadFlow();
    await receiver?.close();
    receiver = undefined;
  });

  it('an array of lines arrives in order; a line that is not text is reported by its index, the others go; done once per message', async () => {
    receiver = new RawReceiver();
    const { sender, caught, done } = await start({ port: await receiver.listen() });
    const page = Array.from({ length: 300 }, (_, i) => `line ${i}`);
    const bad: unknown[] = ['first', null, 'third', 42, 'fifth'];
    sender.receive({ _msgid: 'm1', payload: page });
    sender.receive({ _msgid: 'm2', payload: bad });
    await until(() => done.length === 2, 10_000, 'two completions');
    await until(() => receiver!.bytes.toString().split('\n').length > 303, 10_000, 'every line');
    assert.deepEqual(receiver.bytes.toString().split('\n').slice(0, -1), [...page, 'first', 'third', 'fifth']);
    assert.deepEqual(done.map((d) => [d.id, d.error === undefined]), [['m1', true], ['m2', false]]);
    const [err] = await caught.waitFor(1);
    assert.match((err.error as { message: string }).message, /^(?:Error: )?2 of 5 lines not sent: \[1\] msg\.payload\[1\] must be a string, a Buffer or an object; got null; \[3\] msg\.payload\[3\] must be a string, a Buffer or an object; got number$/);
    assert.deepEqual((err.syslogErrors as Array<{ index: number }>).map((e) => e.index), [1, 3]);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(done.length, 2, 'no second completion');
  });

  it('octet counting frames each line of the page on its own (a line break inside a line forges nothing)', async () => {
    receiver = new RawReceiver();
    const { sender, done } = await start({ port: await receiver.listen(), octetCounting: true });
    sender.receive({ payload: ['a b', 'two\nlines', 'é'] });
    await until(() => done.length === 1, 10_000, 'completion');
    await until(() => receiver!.bytes.length >= 20, 10_000, 'bytes');
    assert.equal(receiver.bytes.toString('utf8'), '3 a b9 two\nlines2 é');
  });

  it('each line counts against queueSize: while the peer is away, the lines beyond it fail by index; the rest are sent once it is up', async () => {
    const port = await freePort();
    const { sender, caught, done } = await start({ port, queueSize: 3 });
    sender.receive({ payload: ['l0', 'l1', 'l2', 'l3', 'l4'] });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(done.length, 0, 'no done() before the queued lines are written');
    receiver = new RawReceiver();
    await receiver.listen(port);
    await until(() => done.length === 1, 20_000, 'completion after reconnect');
    const err = caught.messages.find((m) => m.topic !== 'connection')!;
    assert.ok(err, 'the page\'s error reached Catch');
    assert.match((err.error as { message: string }).message, /^(?:Error: )?2 of 5 lines not sent: \[3\] syslog queue full: 3 messages already wait .*; \[4\] syslog queue full/);
    await until(() => receiver!.bytes.toString().split('\n').length > 3, 10_000, 'three lines');
    assert.equal(receiver.bytes.toString(), 'l0\nl1\nl2\n');
  });
});
