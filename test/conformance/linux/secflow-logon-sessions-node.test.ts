// Conformance: secflow-logon-sessions in the Node-RED runtime on msticpy's sudo_events.csv.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import sessionsNode from '../../../src/nodes/secflow-logon-sessions';
import { collect, helper, loadFlow, unloadFlow, type NodeModule } from '../../support/node-harness';
import { readCsv } from './vectors';
import { catchNode, caughtText, singleNodeFlow } from '../../support/single-node-flow';

async function start(props: Record<string, unknown> = {}) {
  await loadFlow([sessionsNode as NodeModule, catchNode], singleNodeFlow('secflow-logon-sessions', { mode: 'paired', timeout: 3600, ...props }));
  return { node: helper.getNode('n-under-test'), out: collect(helper.getNode('n-out0')), caught: collect(helper.getNode('n-caught')) };
}

describe('secflow-logon-sessions node (upstream vectors)', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  it('compat: sudo_events.csv as a batch gives msticpy\'s session; a single event is an error', async () => {
    const { node, out, caught } = await start({ mode: 'compat' });
    node.receive({ payload: readCsv('sudo_events.csv') });
    const [msg] = await out.waitFor(1);
    assert.deepEqual(msg.payload, { User: 'peteb', Start: '2019-07-10T15:13:26.000Z', End: '2019-07-10T15:13:26.000Z' });
    node.receive({ payload: readCsv('sudo_events.csv')[0] });
    node.receive({ payload: [] });
    const errors = await caught.waitFor(2);
    assert.match(caughtText(errors[0]), /mode compat pairs a batch/);
    assert.match(caughtText(errors[1]), /There are no logon sessions in the supplied data set/);
  });
});
