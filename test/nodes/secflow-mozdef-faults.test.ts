// Nothing lost: 10,000 events while MozDef answers 500 for 30 s, with a full redeploy
// in the middle of the outage (the queue spills to the user directory and the new
// target resumes); and a stop/start with the spill present resumes sending.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import senderNode from '../../src/nodes/secflow-mozdef';
import targetNode from '../../src/nodes/secflow-mozdef-target';
import { helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { LoginputEmulator } from '../emulators/mozdef-loginput';
import type { MozDefTarget } from '../../src/lib/mozdef';

const NODES = [targetNode as NodeModule, senderNode as NodeModule];

function flow(url: string): FlowNode[] {
  return [
    { id: 'f-tab', type: 'tab', label: 'mozdef faults' },
    // Scaled-down backoff (the defaults are 500 ms … 60 s) so recovery is seen within a second.
    { id: 'f-target', type: 'secflow-mozdef-target', url, transport: 'http', spill: true, timeout: 5, backoffBaseMs: 50, backoffMaxMs: 1000, httpRetries: 1 },
    { id: 'f-send', type: 'secflow-mozdef', z: 'f-tab', target: 'f-target', eventType: 'event', summary: '', summaryType: 'str', severity: 'INFO', severityType: 'str', wires: [] },
  ];
}

function target(): MozDefTarget {
  return (helper.getNode('f-target') as { mozdef: { target: MozDefTarget } }).mozdef.target;
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function countsByN(emu: LoginputEmulator): Map<number, number> {
  const counts = new Map<number, number>();
  for (const m of emu.messages() as Array<{ details?: { n?: number } }>) {
    const n = m.details?.n;
    if (typeof n === 'number') counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  return counts;
}

// Each test unloads its flow (closing the context stores) before removing its user directory.
describe('secflow-mozdef faults', () => {
  it('500 for 30 s with a redeploy mid-outage: all 10,000 events arrive, duplicates only as counted retries', async () => {
    const emu = new LoginputEmulator({ logBodies: false });
    const url = await emu.listen(0);
    let userDir = '';
    try {
      const TOTAL = 10_000;
      const outageEnds = emu.clock.now() + 30_000;
      emu.inject({ route: 'events', fault: { type: 'status', status: 500 }, untilMs: outageEnds });
      userDir = await loadFlow(NODES, flow(url));
      const send = helper.getNode('f-send');
      for (let n = 0; n < TOTAL; n++) send.receive({ summary: `event ${n}`, details: { n } });
      const first = target();
      await until(() => first.stats().queued === TOTAL, 20_000, 'all events queued');
      assert.equal(first.stats().sent, 0);
      assert.equal(first.stats().dropped, 0);
      await until(() => first.stats().state === 'outage', 10_000, 'the outage state');

      // Redeploy mid-outage: the old target persists its queue, the new one resumes it.
      await new Promise((r) => setTimeout(r, 5000));
      await helper.setFlows(flow(url), 'full');
      const second = target();
      assert.notEqual(second, first);
      const spillDir = path.join(userDir, 'secflow-mozdef', 'f-target');
      assert.ok(fs.readdirSync(spillDir).some((f) => f.endsWith('.ndjson')), 'the queue is on disk in the user directory');
      assert.ok(Date.now() < outageEnds, 'the redeploy happened during the outage');

      // Generous: delivery speed after recovery depends on how busy the machine is.
      await until(() => countsByN(emu).size === TOTAL, 150_000, 'every event to arrive');
      await until(() => second.stats().queued === 0, 10_000, 'the queue to empty');
      const counts = countsByN(emu);
      for (let n = 0; n < TOTAL; n++) assert.ok(counts.has(n), `event ${n} arrived`);
      const duplicates = emu.messages().length - TOTAL;
      const retried = first.stats().retried + second.stats().retried;
      assert.ok(duplicates <= retried, `${duplicates} duplicates must be covered by ${retried} counted retries`);
      assert.equal(second.stats().failed + first.stats().failed, 0);
      assert.equal(second.stats().dropped + first.stats().dropped, 0);
      assert.ok(emu.requests('events').some((r) => r.status === 500) && emu.requests('events').at(-1)!.status === 200);
    } finally {
      await unloadFlow();
      await emu.close();
      // Only our spill: the harness's context store still owns the rest of the directory.
      if (userDir) fs.rmSync(path.join(userDir, 'secflow-mozdef'), { recursive: true, force: true });
    }
  });

  it('with the spill file present, a restart resumes sending', async () => {
    const emu = new LoginputEmulator({ logBodies: false });
    const url = await emu.listen(0);
    let userDir = '';
    try {
      emu.brokerDown = true;
      userDir = await loadFlow(NODES, flow(url));
      const send = helper.getNode('f-send');
      for (let n = 0; n < 300; n++) send.receive({ summary: `event ${n}`, details: { n } });
      await until(() => target().stats().queued === 300, 10_000, 'all events queued');
      await unloadFlow(); // a Node-RED stop: the queue goes to the spill
      const spillDir = path.join(userDir, 'secflow-mozdef', 'f-target');
      assert.ok(fs.readdirSync(spillDir).some((f) => f.endsWith('.ndjson')));
      assert.equal(countsByN(emu).size, 0);

      emu.brokerDown = false;
      await loadFlow(NODES, flow(url), {}, { contextDir: userDir });
      await until(() => countsByN(emu).size === 300, 20_000, 'the spilled events to arrive');
      await until(() => target().stats().queued === 0, 10_000, 'the queue to empty');
      assert.deepEqual(fs.readdirSync(spillDir).filter((f) => f.endsWith('.ndjson')), [], 'delivered segments are removed');
    } finally {
      await unloadFlow();
      await emu.close();
      // Only our spill: the harness's context store still owns the rest of the directory.
      if (userDir) fs.rmSync(path.join(userDir, 'secflow-mozdef'), { recursive: true, force: true });
    }
  });
});
