// Conformance: secflow-auditd in the Node-RED runtime on msticpy's auditd_log.txt and linux_events.csv.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import auditdNode from '../../../src/nodes/secflow-auditd';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../../support/node-harness';
import { vectorPath } from '../../support/vectors';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
const LOG = fs.readFileSync(vectorPath('linux', 'auditd_log.txt'), 'utf8');

function flow(props: Record<string, unknown>): FlowNode[] {
  return [
    { id: 'n-tab', type: 'tab', label: 'auditd test' },
    { id: 'n-auditd', type: 'secflow-auditd', z: 'n-tab', name: 'auditd', mode: 'default', split: false, ...props, wires: [['n-out']] },
    { id: 'n-out', type: 'helper', z: 'n-tab' },
    { id: 'n-catch', type: 'catch', z: 'n-tab', scope: ['n-auditd'], uncaught: false, wires: [['n-caught']] },
    { id: 'n-caught', type: 'helper', z: 'n-tab' },
  ];
}

async function start(props: Record<string, unknown> = {}) {
  await loadFlow([auditdNode as NodeModule, catchNode], flow(props));
  return { auditd: helper.getNode('n-auditd'), out: collect(helper.getNode('n-out')), caught: collect(helper.getNode('n-caught')) };
}

type Event = Record<string, unknown>;

describe('secflow-auditd node (upstream vectors)', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  it('compat mode reproduces msticpy on auditd_log.txt (381 events, 78 SYSCALL_EXECVE)', async () => {
    const { auditd, out } = await start({ mode: 'compat' });
    auditd.receive({ payload: LOG, topic: 'host1' });
    const [m] = await out.waitFor(1);
    const events = m.payload as Event[];
    assert.equal(events.length, 381);
    assert.equal(events.filter((e) => e.EventType === 'SYSCALL_EXECVE').length, 78);
    assert.equal(m.topic, 'host1');
  });

  it('default mode: ts:serial events from an array of lines, full command lines', async () => {
    const { auditd, out } = await start();
    auditd.receive({ payload: LOG.split('\n') });
    const [m] = await out.waitFor(1);
    const events = m.payload as Event[];
    assert.equal(events.length, 938);
    const long = events.find((e) => e.EventType === 'SYSCALL_EXECVE' && e.argc === 16)!;
    assert.ok((long.cmdline as string).split(' ').length >= 16);
  });

  it('split: one message per event with msg.parts; Sentinel rows keep their columns', async () => {
    const rows = (parse(fs.readFileSync(vectorPath('linux', 'linux_events.csv')), { columns: true, bom: true }) as Event[]).slice(0, 5);
    const { auditd, out } = await start({ split: true });
    auditd.receive({ payload: rows });
    const msgs = await out.waitFor(5);
    assert.deepEqual(msgs.map((m) => (m.parts as { index: number }).index), [0, 1, 2, 3, 4]);
    assert.ok(msgs.every((m) => (m.parts as { count: number }).count === 5));
    assert.deepEqual(msgs.map((m) => (m.payload as Event).EventType), ['USER_END', 'CRED_DISP', 'SYSCALL_EXECVE', 'SYSCALL_EXECVE', 'SYSCALL_EXECVE']);
    assert.ok(msgs.every((m) => (m.payload as Event).Computer === 'MSTICAlertsLxVM2'));
  });
});
