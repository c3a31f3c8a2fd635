// Conformance: secflow-linux-syslog in the Node-RED runtime on msticpy's sudo_data.csv.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import linuxSyslog from '../../../src/nodes/secflow-linux-syslog';
import { collect, helper, loadFlow, unloadFlow, type NodeModule } from '../../support/node-harness';
import { readCsv } from './vectors';
import { catchNode, singleNodeFlow } from '../../support/single-node-flow';

async function start(props: Record<string, unknown> = {}) {
  await loadFlow([linuxSyslog as NodeModule, catchNode], singleNodeFlow('secflow-linux-syslog', { compat: false, ...props }));
  return { node: helper.getNode('n-under-test'), out: collect(helper.getNode('n-out0')), caught: collect(helper.getNode('n-caught')) };
}

describe('secflow-linux-syslog node (upstream vectors)', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  it('classifies Sentinel rows; compat keeps "Sucess"; a batch gives one message with the array', async () => {
    const { node, out } = await start({ compat: true });
    const rows = readCsv('sudo_data.csv');
    node.receive({ payload: rows[0] });
    node.receive({ payload: rows });
    const [one, batch] = await out.waitFor(2);
    assert.equal((one.payload as Record<string, unknown>).SudoResult, 'Sucess');
    const list = batch.payload as Array<Record<string, unknown>>;
    assert.equal(list.length, rows.length);
    assert.ok(list.every((r, i) => r.activity === 'sudo' && r.Command === rows[i].Command));
  });
});
