// secflow-syslog's delivery promise, through the real Node-RED runtime: when done()
// comes (not before the kernel took the bytes), the queue's byte bound with one
// catchable error per rejected message, what a redeploy does with a full queue (spill
// off: each message fails and the count is logged; spill on: the next instance sends
// them), and a TCP receiver that goes away with unread data (replay on reconnect).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import syslogNode, { spillDirOf } from '../../src/nodes/secflow-syslog';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { TcpReceiver } from '../support/tcp-receiver';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
const completeNode: NodeModule = require('@node-red/nodes/core/common/24-complete.js');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const hooks: any = require('@node-red/util').hooks;
const NODES = [syslogNode as NodeModule, catchNode, completeNode];

function flow(props: Record<string, unknown>): FlowNode[] {
  return [
    { id: 'd-tab', type: 'tab', label: 'syslog delivery' },
    {
      id: 'd-sender', type: 'secflow-syslog', z: 'd-tab', host: '127.0.0.1', port: 514, protocol: 'tcp', format: 'none', octetCounting: false,
      verifyTls: true, ca: '', queueSize: 100_000, facility: 'user', severity: 'info', ...props, wires: [],
    },
    { id: 'd-catch', type: 'catch', z: 'd-tab', scope: ['d-sender'], uncaught: false, wires: [['d-caught']] },
    { id: 'd-caught', type: 'helper', z: 'd-tab' },
    { id: 'd-complete', type: 'complete', z: 'd-tab', scope: ['d-sender'], uncaught: false, wires: [['d-completed']] },
    { id: 'd-completed', type: 'helper', z: 'd-tab' },
  ];
}

async function start(props: Record<string, unknown>, contextDir?: string) {
  const userDir = await loadFlow(NODES, flow(props), {}, { contextDir });
  return {
    userDir,
    sender: helper.getNode('d-sender'),
    caught: collect(helper.getNode('d-caught')),
    completed: collect(helper.getNode('d-completed')),
  };
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Every call of node[method] from now on (the test helper spies on node methods). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function calls(node: any, method: 'error' | 'warn' | 'log'): unknown[][] {
  const seen: unknown[][] = [];
  node.on(`call:${method}`, (call: { args: unknown[] }) => seen.push(call.args));
  return seen;
}

function caughtText(msg: Record<string, unknown>): string {
  return (msg.error as { message: string }).message.replace(/^Error: /, '');
}

describe('secflow-syslog delivery', () => {
  const receivers: TcpReceiver[] = [];
  afterEach(async () => {
    hooks.remove('*.secflowSpillTest');
    await unloadFlow();
    for (const r of receivers.splice(0)) await r.close();
  });

  it('TCP: no done() before the kernel took the bytes: a receiver that stops reading holds completions back; once it reads, all complete and arrive', async () => {
    const receiver = new TcpReceiver();
    receivers.push(receiver);
    const port = await receiver.listen();
    receiver.pause();
    const { sender, completed, caught } = await start({ port });
    const total = 3000;
    const pad = 'x'.repeat(4000);
    for (let n = 0; n < total; n++) sender.receive({ payload: `m${n} ${pad}`, _msgid: `m${n}` });
    await new Promise((r) => setTimeout(r, 1500));
    // 12 MB sent into a receiver that reads nothing: the kernel buffers take a few MB at most.
    const heldBack = completed.messages.length;
    assert.ok(heldBack < total, `completions held back while the receiver does not read (${heldBack} of ${total})`);
    assert.ok(heldBack * pad.length < 10 * 1024 * 1024, `only what fits in the socket buffers completed (${heldBack})`);
    receiver.resume();
    await completed.waitFor(total, 30_000);
    await until(() => receiver.lines().length === total, 10_000, 'every line');
    assert.deepEqual(receiver.lines().map((l) => l.split(' ')[0]), Array.from({ length: total }, (_, n) => `m${n}`));
    assert.equal(caught.messages.length, 0);
  });

  it('queueBytes bounds the queue; each message over it is rejected with its own error that reaches Catch', async () => {
    const { sender, caught, completed } = await start({ port: await closedPort(), queueBytes: 4096 });
    // 1,000-byte messages: 4 fit in 4,096 bytes (with their LF), the other 16 are rejected.
    const messages = Array.from({ length: 20 }, (_, n) => `${String(n).padStart(3, '0')} ${'y'.repeat(995)}`);
    messages.forEach((payload, n) => sender.receive({ payload, _msgid: `q${n}` }));
    await caught.waitFor(16, 10_000);
    await new Promise((r) => setTimeout(r, 300));
    const rejected = caught.messages.filter((m) => /queue full/.test(caughtText(m)));
    assert.equal(rejected.length, 16, 'one error per rejected message, none rate limited');
    assert.deepEqual(rejected.map((m) => m._msgid).sort(), Array.from({ length: 16 }, (_, n) => `q${n + 4}`).sort());
    for (const m of rejected) assert.match(caughtText(m), /queueBytes is 4096; message of 1000 bytes rejected/);
    assert.equal(completed.messages.length, 0);
  });

  it('spill off: a redeploy with a full queue fails each queued message with done(err) and logs the count', async () => {
    const { sender } = await start({ port: await closedPort(), spill: false });
    const errors = calls(sender, 'error');
    const warnings = calls(sender, 'warn');
    for (let n = 0; n < 25; n++) sender.receive({ payload: `queued ${n}`, _msgid: `r${n}` });
    await new Promise((r) => setTimeout(r, 300));
    await helper.setFlows(flow({ port: 1, spill: false }), 'full');
    const failed = errors.filter((args) => /closed before the message was sent/.test(String((args[0] as Error)?.message ?? args[0])));
    assert.equal(failed.length, 25, 'one error per queued message');
    assert.deepEqual(failed.map((args) => (args[1] as { _msgid: string })._msgid), Array.from({ length: 25 }, (_, n) => `r${n}`));
    assert.ok(warnings.some((args) => /^25 queued syslog message\(s\) failed at close/.test(String(args[0]))), `the count is logged: ${JSON.stringify(warnings)}`);
  });

  it('spill on: a redeploy with a full queue loses nothing: each message completes once fsync\'d to a private spill, the next instance sends them all in order', async () => {
    const port = await closedPort();
    const { sender, userDir } = await start({ port, spill: true });
    const errors = calls(sender, 'error');
    // The old flow's Complete node is stopping too: the runtime's own hook sees every done().
    const completions: string[] = [];
    hooks.add('onComplete.secflowSpillTest', (event: { msg: { _msgid: string }; error?: unknown; node: { id: string } }) => {
      if (event.node.id === 'd-sender' && !event.error) completions.push(event.msg._msgid);
    });
    const total = 200;
    for (let n = 0; n < total; n++) sender.receive({ payload: `kept ${n}`, _msgid: `k${n}` });
    await new Promise((r) => setTimeout(r, 300));
    await helper.setFlows(flow({ port, spill: true }), 'full');
    assert.deepEqual(errors.filter((args) => /kept|closed/.test(String(args[0]))), [], 'nothing failed');
    assert.deepEqual(completions, Array.from({ length: total }, (_, n) => `k${n}`), 'every queued message completed once it was on disk');

    const dir = spillDirOf(userDir, 'd-sender');
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700, 'the spill directory is private');
    const files = fs.readdirSync(dir);
    assert.ok(files.some((f) => f.endsWith('.ndjson')), 'the queue is on disk');
    for (const f of files) assert.equal(fs.statSync(path.join(dir, f)).mode & 0o777, 0o600, `${f} is private`);

    // The peer comes up: the new instance sends what the old one spilled.
    const receiver = new TcpReceiver();
    receivers.push(receiver);
    await receiver.listen(port);
    await until(() => receiver.lines().length >= total, 30_000, 'the spilled messages to arrive');
    assert.deepEqual(receiver.lines(), Array.from({ length: total }, (_, n) => `kept ${n}`));
    await until(() => !fs.readdirSync(dir).some((f) => f.endsWith('.ndjson')), 5000, 'the delivered spill to be removed');
    hooks.remove('*.secflowSpillTest');
  });

  it('spill on, two redeploys while the peer stays down: the third instance sends the first queue, then the second, in order', async () => {
    const port = await closedPort();
    const { sender } = await start({ port, spill: true });
    for (let n = 0; n < 50; n++) sender.receive({ payload: `first ${n}` });
    await new Promise((r) => setTimeout(r, 200));
    await helper.setFlows(flow({ port, spill: true }), 'full');
    // The second instance resumes the spill (nothing to send to) and queues more.
    const second = helper.getNode('d-sender');
    for (let n = 0; n < 50; n++) second.receive({ payload: `second ${n}` });
    await new Promise((r) => setTimeout(r, 200));
    await helper.setFlows(flow({ port, spill: true }), 'full');
    const receiver = new TcpReceiver();
    receivers.push(receiver);
    await receiver.listen(port);
    await until(() => receiver.lines().length >= 100, 30_000, 'both queues to arrive');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(receiver.lines(), [...Array.from({ length: 50 }, (_, n) => `first ${n}`), ...Array.from({ length: 50 }, (_, n) => `second ${n}`)]);
  });

  it('a receiver that goes away closing its sockets with unread data: after it comes back every message arrives; duplicates stay within replayBytes', async () => {
    const receiver = new TcpReceiver();
    receivers.push(receiver);
    const port = await receiver.listen();
    const replayBytes = 16 * 1024 * 1024;
    const { sender, completed, caught } = await start({ port, replayBytes });
    const total = 5000;
    const pad = 'z'.repeat(2000);
    for (let n = 0; n < total; n++) sender.receive({ payload: `e${n} ${pad}`, _msgid: `e${n}` });
    // Mid-stream, it stops reading (unread data piles up), then resets every connection.
    await until(() => receiver.lines().length > 300, 10_000, 'some lines');
    receiver.pause();
    await new Promise((r) => setTimeout(r, 200));
    await receiver.goAway();
    await new Promise((r) => setTimeout(r, 1000));
    await receiver.comeBack();
    await completed.waitFor(total, 60_000);
    const ids = () => receiver.lines().map((l) => l.split(' ')[0]);
    await until(() => new Set(ids()).size === total, 30_000, 'every message to arrive');
    const duplicates = ids().length - total;
    assert.ok(duplicates * (pad.length + 8) <= replayBytes + pad.length + 8, `duplicates within replayBytes (${duplicates})`);
    assert.deepEqual(caught.messages.filter((m) => m._msgid !== undefined && /^e\d+$/.test(String(m._msgid))), [], 'no message failed');
  });
});
