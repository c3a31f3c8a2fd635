// secflow-auditd through the real Node-RED runtime: raw log text, line arrays
// and Sentinel rows in; events out (whole array or split); errors to Catch.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import auditdNode from '../../src/nodes/secflow-auditd';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { vectorPath } from '../support/vectors';

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

describe('secflow-auditd node', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  // @@FIXTURE-TESTS@@

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
