// secflow-auditd through the real Node-RED runtime: raw log text, line arrays
// and Sentinel rows in (our own log, test/fixtures/auditd/); events out (whole array or split); errors to Catch.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import auditdNode from '../../src/nodes/secflow-auditd';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { AUDIT_LOG as LOG, sentinelRows } from '../fixtures/auditd/sentinel-rows';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');

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

describe('secflow-auditd node', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  it('compat mode on our auditd-log.txt: 14 events (two share a millisecond), 6 SYSCALL_EXECVE', async () => {
    const { auditd, out } = await start({ mode: 'compat' });
    auditd.receive({ payload: LOG, topic: 'host1' });
    const [m] = await out.waitFor(1);
    const events = m.payload as Event[];
    assert.equal(events.length, 14);
    assert.equal(events.filter((e) => e.EventType === 'SYSCALL_EXECVE').length, 6);
    assert.equal(events.find((e) => e.argc === 16)!.cmdline, `nft add rule${' '.repeat(13)}`);
    assert.equal(m.topic, 'host1');
  });

  it('default mode: ts:serial events from an array of lines, full command lines', async () => {
    const { auditd, out } = await start();
    auditd.receive({ payload: LOG.split('\n') });
    const [m] = await out.waitFor(1);
    const events = m.payload as Event[];
    assert.equal(events.length, 15);
    const long = events.find((e) => e.EventType === 'SYSCALL_EXECVE' && e.argc === 16)!;
    assert.equal((long.cmdline as string).split(' ').length, 16);
  });

  it('split: one message per event with msg.parts; Sentinel rows keep their columns', async () => {
    const rows = sentinelRows(LOG, 'lab-host-01', '2025-12-06 09:00:00').slice(0, 5);
    const { auditd, out } = await start({ split: true });
    auditd.receive({ payload: rows });
    const msgs = await out.waitFor(5);
    assert.deepEqual(msgs.map((m) => (m.parts as { index: number }).index), [0, 1, 2, 3, 4]);
    assert.ok(msgs.every((m) => (m.parts as { count: number }).count === 5));
    assert.deepEqual(msgs.map((m) => (m.payload as Event).EventType), ['DAEMON_START', 'SYSCALL_EXECVE', 'SYSCALL_EXECVE', 'USER_ACCT', 'USER_CMD']);
    assert.ok(msgs.every((m) => (m.payload as Event).Computer === 'lab-host-01'));
  });

  it('bad input reaches Catch naming the payload, and the node keeps working', async () => {
    const { auditd, out, caught } = await start();
    auditd.receive({ payload: 42 });
    auditd.receive({ payload: [{ Computer: 'x' }] });
    const errs = (await caught.waitFor(2)).map((m) => (m.error as { message: string }).message);
    assert.match(errs[0], /payload must be a string of auditd log lines/);
    assert.match(errs[1], /payload: record 0 has no AuditdMessage/);
    auditd.receive({ payload: LOG.split('\n').slice(0, 3).join('\n') });
    const [m] = await out.waitFor(1);
    assert.ok((m.payload as Event[]).length >= 1);
  });
});
