// secflow-process-tree shows no invented times: a secflow-cbc-process-tree tree
// object carries none, and an inferred parent was never seen; neither is shown as
// 1970-01-01 in the text or the HTML view.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import treeNode from '../../src/nodes/secflow-process-tree';
import { collect, helper, loadFlow, unloadFlow, type NodeModule } from '../support/node-harness';

describe('secflow-process-tree times', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  it('a CB tree object and an inferred parent show "unknown", never 1970', async () => {
    await loadFlow([treeNode as NodeModule], [
      { id: 't-tab', type: 'tab', label: 'times' },
      { id: 't-tree', type: 'secflow-process-tree', z: 't-tab', schema: 'auto', title: 'times', wires: [['t-out']] },
      { id: 't-out', type: 'helper', z: 't-tab' },
    ]);
    const out = collect(helper.getNode('t-out'));
    const tree = { guid: 'ORG-1', name: '', pid: 1, level: 0, children: [{ guid: 'ORG-2', name: '/usr/bin/tool', pid: 2, level: 1, children: [] }] };
    helper.getNode('t-tree').receive({ payload: tree });
    helper.getNode('t-tree').receive({ payload: [{ EventType: 'SYSCALL_EXECVE', pid: 20, ppid: 10, exe: '/bin/sh', TimeGenerated: '2024-05-01T12:00:00Z' }] });
    const [cb, lx] = await out.waitFor(2);
    for (const msg of [cb, lx]) {
      assert.doesNotMatch(String(msg.text), /1970/);
      // What the page shows: each node's label and detail (its key is data, like msticpy's proc_key).
      const data = JSON.parse(/<script id="tree-data" type="application\/json">(.*?)<\/script>/s.exec(String(msg.html))![1]) as Array<{ label: string; detail: string }>;
      assert.deepEqual(data.filter((n) => /1970/.test(n.label + n.detail)), []);
    }
    assert.match(String(cb.text), /Process: \/usr\/bin\/tool {2}PID: 2 {2}GUID: ORG-2\n\s+Time: unknown\n/);
    assert.match(String(lx.text), /PID: 10\n\s+Time: unknown \(inferred parent, not seen\)\n/);
    assert.match(String(lx.text), /Time: 2024-05-01T12:00:00Z/);
  });
});
