// The two example flows of issue 5, deployed in the real runtime: the inject
// buttons pressed, debug nodes swapped for helpers, the CB demo emulator (the
// sandbox's startDemo) on an ephemeral port instead of 18430.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import cbcNode from '../../src/nodes/secflow-cbc';
import exporterNode from '../../src/nodes/secflow-cbc-process-tree';
import auditdNode from '../../src/nodes/secflow-auditd';
import treeNode from '../../src/nodes/secflow-process-tree';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { startDemo } from '../emulators/carbonblack';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
const injectNode: NodeModule = require('@node-red/nodes/core/common/20-inject.js');
const NODES = [cbcNode, exporterNode, auditdNode, treeNode].map((n) => n as NodeModule).concat([catchNode, injectNode]);
const EXAMPLES = path.resolve(__dirname, '../../examples/flows');

function load(name: string, url?: string): FlowNode[] {
  const flow = JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), 'utf8')) as FlowNode[];
  assert.ok(!JSON.stringify(flow).includes('"credentials"'), 'no credentials in an example');
  return flow.map((n) => {
    if (n.type === 'debug') return { id: n.id, type: 'helper', z: n.z, name: n.name };
    if (n.type === 'secflow-cbc' && url) {
      assert.equal(n.url, 'http://127.0.0.1:18430', 'the example uses the sandbox port');
      return { ...n, url };
    }
    return n;
  });
}

describe('issue 5 example flows', () => {
  let demo: Awaited<ReturnType<typeof startDemo>>;
  before(async () => {
    demo = await startDemo(0);
  });
  after(async () => {
    await demo.close();
  });
  afterEach(async () => {
    await unloadFlow();
  });

  it('"Export a CB process tree to CSV" exports the demo tree and reports the unknown GUID to Catch', async () => {
    await loadFlow(NODES, load('Export a CB process tree to CSV.json', demo.url));
    const csv = collect(helper.getNode('secflow-ex-cbc-d1'));
    const tree = collect(helper.getNode('secflow-ex-cbc-d2'));
    const text = collect(helper.getNode('secflow-ex-cbc-d3'));
    const errors = collect(helper.getNode('secflow-ex-cbc-d4'));
    helper.getNode('secflow-ex-cbc-i1').receive({});
    const procs = await csv.waitFor(7);
    assert.equal(procs[0].guid, demo.rootGuid);
    assert.ok((procs[0].payload as string).startsWith('event_timestamp,event_type,event_description,summary,details\r\n'));
    const [t] = await tree.waitFor(1);
    assert.equal((t.payload as { guid: string }).guid, demo.rootGuid);
    const [drawn] = await text.waitFor(1);
    assert.equal((drawn.text as string).split('\n').filter((l) => /^\s*\+/.test(l)).length, 7);
    helper.getNode('secflow-ex-cbc-i2').receive({});
    const [e] = await errors.waitFor(1);
    assert.match((e.error as { message: string }).message, /unknown GUID/);
  });

  it('"auditd log to process tree" parses the embedded lines and draws sshd → bash → curl, sh → crontab', async () => {
    await loadFlow(NODES, load('auditd log to process tree.json'));
    const events = collect(helper.getNode('secflow-ex-auditd-d1'));
    const summary = collect(helper.getNode('secflow-ex-auditd-d2'));
    helper.getNode('secflow-ex-auditd-i1').receive({});
    const [ev] = await events.waitFor(1);
    const list = ev.payload as Array<Record<string, unknown>>;
    assert.equal(list.filter((e) => e.EventType === 'SYSCALL_EXECVE').length, 5);
    assert.equal(list.find((e) => e.exe === '/usr/bin/curl')?.cmdline, 'curl -s -o /tmp/x.sh');
    assert.equal(list.find((e) => e.EventType === 'USER_CMD')?.cmd, 'id');
    const [s] = await summary.waitFor(1);
    assert.deepEqual((s.payload as { summary: unknown }).summary, { Processes: 6, RootProcesses: 1, LeafProcesses: 2, BranchProcesses: 3, IsolatedProcesses: 0, LargestTreeDepth: 5 });
    assert.match(s.text as string, /\+-- {2}Process: \/usr\/bin\/crontab {2}PID: 2104/);
  });
});
