// secflow-code42-audit-log with `confirm` (the extractors' confirmed commits): while
// the confirm node fails the events, the cursor stays and the run ends with an error;
// once it takes them, the next run delivers every event and only then saves the cursor.
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import configNode from '../../src/nodes/secflow-code42';
import auditLogNode from '../../src/nodes/secflow-code42-audit-log';
import { auditEventDigest } from '../../src/lib/code42';
import { helper, loadFlow, tempDir, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { runOnce, storedValue, wireExtractor } from '../support/code42-flow';
import { IncydrEmulator } from '../emulators/incydr';

const core = (file: string): NodeModule => require(`@node-red/nodes/core/${file}`);
const NODES = [configNode as NodeModule, auditLogNode as NodeModule, core('common/25-catch.js'), core('function/10-function.js')];
const SECRET = 'incydr-audit-confirm';

function flow(url: string): FlowNode[] {
  const nodes: FlowNode[] = [
    { id: 'tab', type: 'tab', label: 'audit confirm' },
    { id: 'c42', type: 'secflow-code42', apiVersion: 'incydr', region: '', url, verifyTls: true, timeout: 10, retryScale: 0.001 },
    {
      id: 'ex', type: 'secflow-code42-audit-log', z: 'tab', tenant: 'c42', eventTypes: '', actorNames: '', actorIds: '', actorIpAddresses: '', resourceIds: '', userTypes: '',
      filters: '', since: '3h', pageSize: 100, lookback: '', interval: 0, output: 'event', cursorStore: 'file', cursorScope: 'node', cursorKey: 'audit-cursor',
      confirm: ['sink'], confirmTimeout: 10, onFailure: 'stop', wires: [['sink'], ['sum']],
    },
    // The "SIEM": fails every event while the global flag `down` is set.
    { id: 'sink', type: 'function', z: 'tab', name: 'sink', func: "if (global.get('down')) throw new Error('SIEM down'); node.send(msg); return null;", outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], wires: [['out']] },
    { id: 'out', type: 'helper', z: 'tab' },
    { id: 'sum', type: 'helper', z: 'tab' },
    { id: 'catcher', type: 'catch', z: 'tab', scope: ['ex'], uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', z: 'tab' },
  ];
  return nodes.map((n, i) => (n.z ? { x: 100 + i * 10, y: 100, ...n } : n));
}

describe('secflow-code42-audit-log with confirm', () => {
  let emu: IncydrEmulator | undefined;
  afterEach(async () => {
    await unloadFlow();
    await emu?.close();
    emu = undefined;
  });
  after(() => helper.stopServer?.((): void => undefined));

  it('keeps the cursor while the confirm node fails the events, and delivers them all on the next run', async () => {
    emu = new IncydrEmulator({ clients: { 'key-1': SECRET } });
    const url = await emu.listen();
    const firstMs = emu.clock.now() - 3_600_000;
    emu.audit.add({ count: 250, startMs: firstMs, stepMs: 1000 });
    await loadFlow(NODES, flow(url), { c42: { id: 'key-1', secret: SECRET } }, { contextDir: tempDir() });
    const w = wireExtractor('ex');
    const global = helper.getNode('sink').context().global;

    global.set('down', true);
    const failed = await runOnce(w, {}, 60_000);
    assert.match(String((failed.summary.error as { message?: string } | undefined)?.message ?? failed.summary.payload), /delivery not confirmed/);
    // Empty time windows before the events may be committed; no event and nothing past the first one.
    const kept = await storedValue<{ readTo: number; ids: string[]; recent: unknown[] }>('ex', 'audit-cursor');
    if (kept) {
      assert.deepEqual([kept.ids, kept.recent], [[], []], 'no failed event is in the cursor');
      assert.ok(kept.readTo < firstMs, `readTo ${kept.readTo} stays before the first event ${firstMs}`);
    }

    global.set('down', false);
    const before = w.out.messages.length;
    const ok = await runOnce(w, {}, 60_000);
    assert.equal((ok.summary.payload as { error?: unknown }).error, undefined);
    const delivered = w.out.messages.slice(before).map((m) => auditEventDigest(m.payload));
    assert.equal(new Set(delivered).size, 250, 'every event delivered once the SIEM takes them');
    assert.ok(await storedValue('ex', 'audit-cursor'), 'the cursor is saved once delivered');
  });
});
