// Conformance: secflow-risky-commands in the Node-RED runtime on msticpy's sudo_*.csv, syslog_data.csv and risky_stuff_custom.json.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import riskyNode from '../../../src/nodes/secflow-risky-commands';
import { clusterSessionsCompat } from '../../../src/lib/linux';
import { collect, helper, loadFlow, unloadFlow, type NodeModule } from '../../support/node-harness';
import { readCsv, readText } from './vectors';
import { catchNode, singleNodeFlow } from '../../support/single-node-flow';

async function start(props: Record<string, unknown> = {}) {
  await loadFlow([riskyNode as NodeModule, catchNode], singleNodeFlow('secflow-risky-commands', { rules: '', commandField: 'Command', speedEvents: 10, speedSeconds: 5, compat: false, ...props }, 2));
  return { node: helper.getNode('n-under-test'), findings: collect(helper.getNode('n-out0')), sessions: collect(helper.getNode('n-out1')), caught: collect(helper.getNode('n-caught')) };
}

describe('secflow-risky-commands node (upstream vectors)', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  it('sudo_data.csv streamed: 2019-07-05T18:19:52.873Z is flagged /bin/bash; a session around it comes out on output 2', async () => {
    const { node, findings, sessions } = await start();
    for (const row of readCsv('sudo_data.csv')) node.receive({ payload: row });
    node.receive({ topic: 'session', payload: { User: 'peteb', Start: '2019-07-05T18:19:50Z', End: '2019-07-05T18:20:00Z', Computer: 'UbuntuDevEnv' } });
    const [risky] = await sessions.waitFor(1);
    const bash = findings.messages.map((m) => m.payload as Record<string, unknown>).filter((p) => p.TimeGenerated === '2019-07-05T18:19:52.873Z');
    assert.deepEqual(bash.map((p) => [p.kind, p.command]), [['risky', '/bin/bash']]);
    const s = risky.payload as Record<string, unknown>;
    assert.deepEqual([s.User, s.Risk, (s.RiskyCommands as unknown[]).length], ['peteb', '/bin/bash', 1]);
  });

  it('compat batch: sudo_data_speed.csv has a speed window; sudo_session_test.csv with msg.sessions gives 2 risky sessions', async () => {
    const { node, findings, sessions } = await start({ compat: true });
    node.receive({ payload: readCsv('sudo_data_speed.csv') });
    const [speed] = await findings.waitFor(1);
    assert.ok(((speed.payload as { speed: unknown[] }).speed).length >= 1);
    await unloadFlow();
    const again = await start({ compat: true, speedEvents: 2, speedSeconds: 60 });
    const rows = readCsv('sudo_session_test.csv');
    again.node.receive({ payload: rows, sessions: clusterSessionsCompat(rows) });
    const [marked] = await again.sessions.waitFor(1);
    assert.equal(Object.keys(marked.payload as object).length, 2);
    assert.equal(sessions.messages.length, 0);
  });

  it('custom rules on another field (risky_stuff_custom.json on SyslogMessage)', async () => {
    const { node, findings } = await start({ rules: readText('risky_stuff_custom.json'), commandField: 'SyslogMessage' });
    node.receive({ payload: readCsv('syslog_data.csv').slice(0, 5) });
    await findings.waitFor(1);
    assert.ok(findings.messages.every((m) => (m.payload as Record<string, unknown>).kind === 'risky'));
    assert.ok(findings.messages.some((m) => String((m.payload as Record<string, unknown>).rule) === '.*pam_unix.*'));
  });
});
