// secflow-process-tree through the real Node-RED runtime, fed by secflow-auditd
// in one flow: msticpy's summaries on our own process lists, text and HTML out,
// Carbon Black input, and errors to Catch.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import auditdNode from '../../src/nodes/secflow-auditd';
import treeNode from '../../src/nodes/secflow-process-tree';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { AUDIT_LOG, sentinelRows } from '../fixtures/auditd/sentinel-rows';
import { layeredExecs } from '../fixtures/proctree/make-process-list';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
const LX_EXECS = path.resolve(__dirname, '../fixtures/proctree/lx-execs.json');

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

describe('secflow-process-tree node', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  it('lx-execs.json: summary {18, 3, 8, 7, 0, 5}, text and HTML with every process', async () => {
    const rows = JSON.parse(fs.readFileSync(LX_EXECS, 'utf8')).rows;
    const { tree, out } = await start();
    tree.receive({ payload: rows });
    const [m] = await out.waitFor(1);
    const r = m.payload as Result;
    assert.equal(r.schema, 'linux');
    assert.deepEqual(r.summary, { Processes: 18, RootProcesses: 3, LeafProcesses: 8, BranchProcesses: 7, IsolatedProcesses: 0, LargestTreeDepth: 5 });
    assert.equal((m.text as string).split('\n').filter((l) => /^\s*\+/.test(l)).length, 18);
    const html = m.html as string;
    assert.match(html, /^<!DOCTYPE html>/);
    assert.equal(JSON.parse(/<script id="tree-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]).length, 18);
    assert.match(html, /<title>Test tree<\/title>/);
  });

  it('a generated list of 1,040 processes: the summary its shape gives, every process in text and HTML', async () => {
    const { tree, out } = await start();
    tree.receive({ payload: layeredExecs({ sessions: 20, shells: 10, commands: 4 }) });
    const [m] = await out.waitFor(1);
    assert.deepEqual((m.payload as Result).summary, { Processes: 1040, RootProcesses: 20, LeafProcesses: 800, BranchProcesses: 220, IsolatedProcesses: 0, LargestTreeDepth: 4 });
    assert.equal((m.text as string).split('\n').filter((l) => /^\s*\+/.test(l)).length, 1040);
    assert.equal(JSON.parse(/<script id="tree-data" type="application\/json">(.*?)<\/script>/s.exec(m.html as string)![1]).length, 1040);
  });

  it('our auditd log as Sentinel rows through secflow-auditd then the tree: 8 processes, depth 5', async () => {
    const { auditd, out } = await start('linux');
    auditd.receive({ payload: sentinelRows(AUDIT_LOG, 'lab-host-01', '2025-12-06 09:00:00') });
    const [m] = await out.waitFor(1);
    const r = m.payload as Result;
    assert.equal(r.processes.length, 8);
    assert.deepEqual(r.summary, { Processes: 8, RootProcesses: 2, LeafProcesses: 3, BranchProcesses: 3, IsolatedProcesses: 0, LargestTreeDepth: 5 });
  });

  it('Windows 4688 events with parent names; CB childproc events and exporter trees by GUID', async () => {
    const { tree, out } = await start();
    const win = (pid: string, ppid: string, name: string, parent: string, t: string) => ({ EventID: 4688, NewProcessId: pid, ProcessId: ppid, NewProcessName: name, ParentProcessName: parent, TimeGenerated: t, CommandLine: name, SubjectLogonId: '0x3e7', TargetLogonId: '0x0', Computer: 'w1' });
    tree.receive({ payload: [
      win('0x10', '0x4', 'C:\\Windows\\cmd.exe', 'C:\\Windows\\explorer.exe', '2024-01-01T00:00:01Z'),
      win('0x20', '0x10', 'C:\\Windows\\whoami.exe', 'C:\\Windows\\cmd.exe', '2024-01-01T00:00:02Z'),
      win('0x30', '0x10', 'C:\\Windows\\net.exe', 'C:\\Windows\\CMD.EXE', '2024-01-01T00:00:03Z'),
    ] });
    tree.receive({ payload: [
      { event_type: 'childproc', event_timestamp: '2024-01-01T00:00:01Z', process_guid: 'O-1-A', childproc_process_guid: 'O-1-B', childproc_name: '/bin/b', childproc_pid: 2 },
      { event_type: 'childproc', event_timestamp: '2024-01-01T00:00:02Z', process_guid: 'O-1-B', childproc_process_guid: 'O-1-C', childproc_name: '/bin/c', childproc_pid: 3 },
    ] });
    tree.receive({ payload: { guid: 'R-1', name: '', pid: '', level: 0, children: [{ guid: 'R-2', name: '/bin/x', pid: 5, level: 1, children: [{ guid: 'R-3', name: '/bin/y', pid: 6, level: 2 }] }] } });
    const [w, cb, exported] = await out.waitFor(3);
    assert.equal((w.payload as Result).schema, 'windows');
    assert.deepEqual((w.payload as Result).summary, { Processes: 4, RootProcesses: 1, LeafProcesses: 2, BranchProcesses: 1, IsolatedProcesses: 0, LargestTreeDepth: 3 });
    assert.equal((cb.payload as Result).schema, 'cbc');
    assert.equal((cb.payload as Result).summary.LargestTreeDepth, 3);
    assert.deepEqual((exported.payload as Result).summary, { Processes: 3, RootProcesses: 1, LeafProcesses: 1, BranchProcesses: 1, IsolatedProcesses: 0, LargestTreeDepth: 3 });
  });

  it('bad input reaches Catch with the problem named, and the node keeps working', async () => {
    const { tree, out, caught } = await start();
    tree.receive({ payload: 'not events' });
    tree.receive({ payload: [{ a: 1 }] });
    tree.receive({ payload: [{ EventType: 'SYSCALL_EXECVE', exe: '/bin/x', pid: 1, ppid: 0, TimeGenerated: 'soon', Computer: 'h' }] });
    const errs = (await caught.waitFor(3)).map((m) => (m.error as { message: string }).message);
    assert.match(errs[0], /payload must be an array of process events/);
    assert.match(errs[1], /no process schema matches/);
    assert.match(errs[2], /payload: event 0: TimeGenerated is not a time \("soon"\)/);
    tree.receive({ payload: [{ EventType: 'SYSCALL_EXECVE', exe: '/bin/x', pid: 1, ppid: 0, TimeGenerated: '2024-01-01T00:00:00Z', Computer: 'h' }] });
    const [m] = await out.waitFor(1);
    assert.equal((m.payload as Result).summary.Processes, 2);
  });

  it('over 50,000 processes: the tree is built, text and HTML hold a note, and the node warns', async () => {
    const rows = Array.from({ length: 50_001 }, (_v, i) => ({ EventType: 'SYSCALL_EXECVE', pid: 100 + i, ppid: i === 0 ? 1 : 100 + Math.floor((i - 1) / 3), exe: '/bin/sh', TimeGenerated: new Date(Date.UTC(2024, 0, 1) + i).toISOString() }));
    const { tree, out } = await start('linux');
    const warned = new Promise<string>((resolve) => tree.on('call:warn', (call: { args: unknown[] }) => resolve(String(call.args[0]))));
    tree.receive({ payload: rows });
    const [m] = await out.waitFor(1);
    assert.equal((m.payload as Result).summary.Processes, 50_002);
    assert.match(m.text as string, /^50002 processes: more than 50000/);
    assert.ok((m.html as string).length < 20_000);
    assert.match(await warned, /more than 50000/);
  });
});
