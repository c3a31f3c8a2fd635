// secflow-risky-commands in the Node-RED runtime: streaming findings, sessions
// on output 2, the compat batch chain and invalid rules through Catch.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import riskyNode from '../../src/nodes/secflow-risky-commands';
import { clusterSessionsCompat } from '../../src/lib/linux';
import { collect, helper, loadFlow, unloadFlow, type NodeModule } from '../support/node-harness';
import { catchNode, caughtText, singleNodeFlow } from '../support/single-node-flow';

async function start(props: Record<string, unknown> = {}) {
  await loadFlow([riskyNode as NodeModule, catchNode], singleNodeFlow('secflow-risky-commands', { rules: '', commandField: 'Command', speedEvents: 10, speedSeconds: 5, compat: false, ...props }, 2));
  return { node: helper.getNode('n-under-test'), findings: collect(helper.getNode('n-out0')), sessions: collect(helper.getNode('n-out1')), caught: collect(helper.getNode('n-caught')) };
}

describe('secflow-risky-commands node', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  // @@FIXTURE-TESTS@@

  it('rules that are not valid JSON: every message is an error through Catch', async () => {
    const { node, caught } = await start({ rules: '{"Syslog": [".*authorized_keys.*",' });
    node.receive({ payload: { Command: '/bin/bash' } });
    node.receive({ payload: { Command: 'ls' } });
    const errors = await caught.waitFor(2);
    assert.match(caughtText(errors[0]), /rules is not valid JSON/);
    assert.equal(errors.length, 2);
  });

  it('bad input: a string payload, a batch without the command field', async () => {
    const { node, caught, findings } = await start();
    node.receive({ payload: 'ls -la' });
    node.receive({ payload: [{ TimeGenerated: '2026-11-23T05:00:00Z', Other: 'x' }] });
    const errors = await caught.waitFor(2);
    assert.match(caughtText(errors[0]), /msg\.payload must be an event object .* got string/);
    assert.match(caughtText(errors[1]), /does not contain the Command field/);
    node.receive({ payload: { TimeGenerated: '2026-11-23T05:00:00Z', Command: 'cat ~/.ssh/authorized_keys' } });
    const [f] = await findings.waitFor(1);
    assert.equal((f.payload as Record<string, unknown>).rule, '.*authorized_keys.*');
  });
});
