// Conformance: secflow-process-tree (fed by secflow-auditd) in the Node-RED runtime on msticpy's linux_proc_test.json and linux_events.csv.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import auditdNode from '../../../src/nodes/secflow-auditd';
import treeNode from '../../../src/nodes/secflow-process-tree';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../../support/node-harness';
import { vectorPath } from '../../support/vectors';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
const LINUX = vectorPath('linux');

function flow(schema = 'auto'): FlowNode[] {
  return [
    { id: 'n-tab', type: 'tab', label: 'tree test' },
    { id: 'n-auditd', type: 'secflow-auditd', z: 'n-tab', mode: 'default', split: false, wires: [['n-tree']] },
    { id: 'n-tree', type: 'secflow-process-tree', z: 'n-tab', name: 'tree', schema, title: 'Test tree', wires: [['n-out']] },
    { id: 'n-out', type: 'helper', z: 'n-tab' },
    { id: 'n-catch', type: 'catch', z: 'n-tab', scope: ['n-tree'], uncaught: false, wires: [['n-caught']] },
    { id: 'n-caught', type: 'helper', z: 'n-tab' },
  ];
}

async function start(schema = 'auto') {
  await loadFlow([auditdNode as NodeModule, treeNode as NodeModule, catchNode], flow(schema));
  return { auditd: helper.getNode('n-auditd'), tree: helper.getNode('n-tree'), out: collect(helper.getNode('n-out')), caught: collect(helper.getNode('n-caught')) };
}

type Result = { processes: Array<Record<string, unknown>>; summary: Record<string, number>; schema: string };

describe('secflow-process-tree node (upstream vectors)', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  it('linux_proc_test.json: summary {1029, 29, 497, 503, 0, 5}, text and HTML with every process', async () => {
    const rows = JSON.parse(fs.readFileSync(`${LINUX}/linux_proc_test.json`, 'utf8')).rows;
    const { tree, out } = await start();
    tree.receive({ payload: rows });
    const [m] = await out.waitFor(1);
    const r = m.payload as Result;
    assert.equal(r.schema, 'linux');
    assert.deepEqual(r.summary, { Processes: 1029, RootProcesses: 29, LeafProcesses: 497, BranchProcesses: 503, IsolatedProcesses: 0, LargestTreeDepth: 5 });
    assert.equal((m.text as string).split('\n').filter((l) => /^\s*\+/.test(l)).length, 1029);
    const html = m.html as string;
    assert.match(html, /^<!DOCTYPE html>/);
    assert.equal(JSON.parse(/<script id="tree-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]).length, 1029);
    assert.match(html, /<title>Test tree<\/title>/);
  });

  it('linux_events.csv through secflow-auditd then the tree: ≥ 85 rows and depth 5', async () => {
    const rows = parse(fs.readFileSync(`${LINUX}/linux_events.csv`), { columns: true, bom: true });
    const { auditd, out } = await start('linux');
    auditd.receive({ payload: rows });
    const [m] = await out.waitFor(1);
    const r = m.payload as Result;
    assert.ok(r.processes.length >= 85);
    assert.equal(r.summary.LargestTreeDepth, 5);
  });
});
