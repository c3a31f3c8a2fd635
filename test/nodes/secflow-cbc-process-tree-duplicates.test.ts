// The exporter node's keepDuplicateChildren: a child process announced twice by its
// parent is exported twice in compat mode, as the original Process Event Exporter does,
// and once by default.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import cbcNode from '../../src/nodes/secflow-cbc';
import exporterNode from '../../src/nodes/secflow-cbc-process-tree';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { CbcEmulator, startCbcEmulator } from '../emulators/carbonblack';

let emu: CbcEmulator;

before(async () => {
  emu = await startCbcEmulator({ apiId: 'NODEID', apiSecret: 'dup-secret' });
});
after(async () => {
  await emu.close();
});

function flow(props: Record<string, unknown>): FlowNode[] {
  return [
    { id: 'd-tab', type: 'tab', label: 'cbc duplicates' },
    { id: 'd-tenant', type: 'secflow-cbc', url: emu.baseUrl, orgKey: emu.orgKey, verifyTls: true, timeout: 10, rateLimit: 0 },
    {
      id: 'd-export', type: 'secflow-cbc-process-tree', z: 'd-tab', tenant: 'd-tenant',
      guid: '', guidType: 'str', start: '', startType: 'str', end: '', endType: 'str', depth: 2, levelMode: 'compat',
      summaryConfig: '', outputDir: '', concurrency: 4, maxNodes: 1000, pollInterval: 5, ...props,
      wires: [['d-procs'], ['d-tree']],
    },
    { id: 'd-procs', type: 'helper', z: 'd-tab' },
    { id: 'd-tree', type: 'helper', z: 'd-tab' },
  ];
}

describe('secflow-cbc-process-tree keepDuplicateChildren', () => {
  afterEach(() => unloadFlow());

  for (const [keep, expected] of [[undefined, 3], [false, 3], [true, 5]] as const) {
    it(`keepDuplicateChildren ${keep}: ${expected} processes exported`, async () => {
      const synth = emu.addTree({ fanOut: 2, depth: 1, eventsPerProcess: 3, duplicateChildprocs: true });
      await loadFlow([cbcNode as NodeModule, exporterNode as NodeModule], flow(keep === undefined ? {} : { keepDuplicateChildren: keep }), { 'd-tenant': { apiId: 'NODEID', apiSecret: 'dup-secret' } });
      const procs = collect(helper.getNode('d-procs'));
      const tree = collect(helper.getNode('d-tree'));
      helper.getNode('d-export').receive({ guid: synth[0].guid });
      const [t] = await tree.waitFor(1);
      assert.equal(procs.messages.length, expected);
      const children = (t.payload as { children: unknown[] }).children;
      assert.equal(children.length, expected - 1);
    });
  }
});
