// secflow-mozdef's delivery promise, through the real Node-RED runtime and the loginput
// emulator: done() only once the event is safe (the 2xx came, or it is fsync'd to the
// spill), through a 30 s outage with and without spill; one catchable error per event
// the queue cannot keep (overflow by count or bytes, a redeploy without spill).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import senderNode from '../../src/nodes/secflow-mozdef';
import targetNode from '../../src/nodes/secflow-mozdef-target';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { LoginputEmulator } from '../emulators/mozdef-loginput';
import type { MozDefTarget } from '../../src/lib/mozdef';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
const completeNode: NodeModule = require('@node-red/nodes/core/common/24-complete.js');
const NODES = [targetNode as NodeModule, senderNode as NodeModule, catchNode, completeNode];

/** One sender per target config; one Catch and one Complete node watching them all (the test helper loads a core node type once). */
function flow(targets: Array<Record<string, unknown>>): FlowNode[] {
  const senders = targets.map((_, i) => `m-send-${i}`);
  const nodes: FlowNode[] = [{ id: 'm-tab', type: 'tab', label: 'mozdef delivery' }];
  targets.forEach((props, i) => {
    nodes.push(
      // Scaled-down backoff (the defaults are 500 ms … 60 s).
      { id: `m-target-${i}`, type: 'secflow-mozdef-target', transport: 'http', spill: false, timeout: 5, backoffBaseMs: 50, backoffMaxMs: 1000, httpRetries: 0, ...props },
      { id: senders[i], type: 'secflow-mozdef', z: 'm-tab', target: `m-target-${i}`, eventType: 'event', summary: '', summaryType: 'str', severity: 'INFO', severityType: 'str', wires: [] },
    );
  });
  nodes.push(
    { id: 'm-catch', type: 'catch', z: 'm-tab', scope: senders, uncaught: false, wires: [['m-caught']] },
    { id: 'm-caught', type: 'helper', z: 'm-tab' },
    { id: 'm-complete', type: 'complete', z: 'm-tab', scope: senders, uncaught: false, wires: [['m-completed']] },
    { id: 'm-completed', type: 'helper', z: 'm-tab' },
  );
  return nodes;
}

type Collected = ReturnType<typeof collect>;

/** The messages of one sender: the tests give sender i's messages _msgid prefix `s${i}-`. */
function ofSender(all: Collected, i: number): Collected {
  const mine = () => all.messages.filter((m) => String(m._msgid).startsWith(`s${i}-`));
  return {
    get messages() {
      return mine();
    },
    async waitFor(count: number, timeoutMs = 30_000) {
      await until(() => mine().length >= count, timeoutMs, `${count} messages of sender ${i} (got ${mine().length})`);
      return mine();
    },
  };
}

async function start(targets: Array<Record<string, unknown>>) {
  const userDir = await loadFlow(NODES, flow(targets));
  const caught = collect(helper.getNode('m-caught'));
  const completed = collect(helper.getNode('m-completed'));
  return {
    userDir,
    senders: targets.map((_, i) => helper.getNode(`m-send-${i}`)),
    caught: targets.map((_, i) => ofSender(caught, i)),
    completed: targets.map((_, i) => ofSender(completed, i)),
  };
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function arrived(emu: LoginputEmulator): Set<number> {
  const seen = new Set<number>();
  for (const m of emu.messages() as Array<{ details?: { n?: number } }>) if (typeof m.details?.n === 'number') seen.add(m.details.n);
  return seen;
}

function caughtText(msg: Record<string, unknown>): string {
  return (msg.error as { message: string }).message.replace(/^(Mozdef)?Error: /i, '');
}

describe('secflow-mozdef delivery', () => {
  const emulators: LoginputEmulator[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await unloadFlow();
    for (const emu of emulators.splice(0)) await emu.close();
    for (const dir of dirs.splice(0)) fs.rmSync(path.join(dir, 'secflow-mozdef'), { recursive: true, force: true });
  });

  for (const transport of ['http', 'bulk'] as const) {
    it(`${transport}: no done() before the 2xx: MozDef answering after 1.5 s holds the completion back`, async () => {
      const emu = new LoginputEmulator({ logBodies: false });
      emulators.push(emu);
      const url = await emu.listen(0);
      emu.inject({ route: transport === 'http' ? 'events' : 'bulk', fault: { type: 'latency', ms: 1500 } });
      const { senders, completed, caught } = await start([{ url, transport, batchSize: 1, flushInterval: 0.01 }]);
      const sentAt = Date.now();
      senders[0].receive({ summary: 'slow', details: { n: 1 }, _msgid: 's0-slow' });
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(completed[0].messages.length, 0, 'not complete while MozDef has not answered');
      await completed[0].waitFor(1, 10_000);
      assert.ok(Date.now() - sentAt >= 1400, 'completed after the answer');
      assert.deepEqual([...arrived(emu)], [1], 'MozDef has it');
      assert.equal(completed[0].messages[0]._msgid, 's0-slow');
      assert.equal(caught[0].messages.length, 0);
    });
  }

  it('a 30 s outage: without spill every event completes only once delivered; with spill the overflow completes once on disk; all arrive', async () => {
    const emus = [new LoginputEmulator({ logBodies: false }), new LoginputEmulator({ logBodies: false })];
    emulators.push(...emus);
    const urls = await Promise.all(emus.map((e) => e.listen(0)));
    for (const emu of emus) emu.inject({ route: 'events', fault: { type: 'status', status: 500 }, untilMs: emu.clock.now() + 30_000 });
    const total = 100;
    const { senders, completed, caught, userDir } = await start([
      { url: urls[0], spill: false, maxQueue: 1000 },
      { url: urls[1], spill: true, maxQueue: 20 },
    ]);
    dirs.push(userDir);
    senders.forEach((send, i) => {
      for (let n = 0; n < total; n++) send.receive({ summary: `event ${n}`, details: { n }, _msgid: `s${i}-${n}` });
    });

    // With spill, the events past maxQueue (and the in-flight ones) go to disk, fsync'd at once: those are safe.
    const spillTarget = helper.getNode('m-target-1').mozdef.target as MozDefTarget;
    await until(() => spillTarget.stats().spilled >= total - 20 - 8, 5000, 'the overflow to spill');
    await completed[1].waitFor(spillTarget.stats().spilled, 5000);
    await new Promise((r) => setTimeout(r, 20_000));
    const spilled = spillTarget.stats().spilled;
    assert.equal(completed[0].messages.length, 0, 'no spill: nothing completes during the outage');
    assert.equal(completed[1].messages.length, spilled, 'spill: exactly the spilled events completed during the outage');
    assert.ok(spilled < total, 'the events in memory wait for MozDef');
    assert.equal(arrived(emus[0]).size + arrived(emus[1]).size, 0, 'still in the outage');

    await completed[0].waitFor(total, 60_000);
    await completed[1].waitFor(total, 60_000);
    await until(() => arrived(emus[0]).size === total && arrived(emus[1]).size === total, 60_000, 'every event to arrive');
    // What completed without spill is exactly what arrived.
    assert.deepEqual(new Set(completed[0].messages.map((m) => m._msgid)), new Set(Array.from({ length: total }, (_, n) => `s0-${n}`)));
    // Errors: only the outage report (one per target), never an event failure.
    for (const c of caught) for (const m of c.messages) assert.match(caughtText(m), /MozDef unreachable, events are kept and retried/);
    assert.equal(completed[0].messages.length + completed[1].messages.length, 2 * total, 'each input completed once');
  });

  for (const bound of ['maxQueue', 'queueBytes'] as const) {
    it(`no spill, overflow by ${bound}: each dropped event fails with its own error that reaches Catch (no rate limit)`, async () => {
      const emu = new LoginputEmulator({ logBodies: false });
      emulators.push(emu);
      const url = await emu.listen(0);
      emu.inject({ route: 'events', fault: { type: 'hang' } });
      // One event is in flight (hanging); the queue holds 4 (by count), or what fits in 5,000 bytes of ~1.3 kB events.
      const limits = bound === 'maxQueue' ? { maxQueue: 4 } : { maxQueue: 1000, queueBytes: 5000 };
      const { senders, caught, completed } = await start([{ url, overflow: 'drop-new', concurrency: 1, timeout: 60, ...limits }]);
      const filler = 'f'.repeat(1000);
      senders[0].receive({ summary: 'first', details: { n: 0, filler }, _msgid: 's0-0' });
      await until(() => emu.requests('events').length === 1, 5000, 'the first request');
      for (let n = 1; n < 20; n++) senders[0].receive({ summary: `event ${n}`, details: { n, filler }, _msgid: `s0-${n}` });
      await caught[0].waitFor(12, 10_000);
      await new Promise((r) => setTimeout(r, 300));
      const dropped = caught[0].messages.filter((m) => /queue full/.test(caughtText(m)));
      const kept = 19 - dropped.length;
      if (bound === 'maxQueue') assert.equal(kept, 4);
      else assert.ok(kept >= 2 && kept <= 4, `the byte bound keeps 2 to 4 events of ~1.3 kB (kept ${kept})`);
      assert.deepEqual(dropped.map((m) => m._msgid), Array.from({ length: dropped.length }, (_, n) => `s0-${n + 1 + kept}`), 'one error per dropped event, in order');
      assert.equal(completed[0].messages.length, 0);
    });
  }

  it('no spill: a redeploy with a full queue fails each queued event with done(err) and logs the count', async () => {
    const emu = new LoginputEmulator({ logBodies: false });
    emulators.push(emu);
    const url = await emu.listen(0);
    emu.inject({ route: 'events', fault: { type: 'status', status: 503 } });
    const targets = [{ url, spill: false }];
    const { senders } = await start(targets);
    const errors: Array<{ message: string; msgid?: string }> = [];
    senders[0].on('call:error', (call: { args: unknown[] }) => errors.push({ message: String((call.args[0] as Error)?.message ?? call.args[0]), msgid: (call.args[1] as { _msgid?: string })?._msgid }));
    const target = helper.getNode('m-target-0');
    const warnings: string[] = [];
    target.on('call:warn', (call: { args: unknown[] }) => warnings.push(String(call.args[0])));
    for (let n = 0; n < 30; n++) senders[0].receive({ summary: `event ${n}`, details: { n }, _msgid: `s0-${n}` });
    await until(() => errors.some((e) => /unreachable/.test(e.message)), 10_000, 'the outage');
    await helper.setFlows(flow(targets), 'full');
    const failed = errors.filter((e) => /closed before the event was delivered/.test(e.message));
    assert.deepEqual(failed.map((e) => e.msgid).sort(), Array.from({ length: 30 }, (_, n) => `s0-${n}`).sort(), 'one error per queued event');
    assert.ok(warnings.some((w) => /^30 MozDef event\(s\) still queued at close were not delivered/.test(w)), `the count is logged: ${JSON.stringify(warnings)}`);
  });
});
