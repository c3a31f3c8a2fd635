// secflow-risky-commands in the Node-RED runtime: streaming findings, sessions
// on output 2, the compat batch chain and invalid rules through Catch.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import riskyNode from '../../src/nodes/secflow-risky-commands';
import { classifyRow, clusterSessionsCompat, type SyslogRow } from '../../src/lib/linux';
import { collect, helper, loadFlow, unloadFlow, type NodeModule } from '../support/node-harness';
import { catchNode, caughtText, singleNodeFlow } from '../support/single-node-flow';
import { readFixtureCsv, readFixtureText } from '../fixtures/linux/read';

// Our three sudo sessions (test/fixtures/linux/sudo-session.csv) with the KQL columns.
const sessionRows = () => readFixtureCsv('sudo-session.csv').map((r) => classifyRow(r as SyslogRow, { compat: true }) as unknown as Record<string, unknown>);

async function start(props: Record<string, unknown> = {}) {
  await loadFlow([riskyNode as NodeModule, catchNode], singleNodeFlow('secflow-risky-commands', { rules: '', commandField: 'Command', speedEvents: 10, speedSeconds: 5, compat: false, ...props }, 2));
  return { node: helper.getNode('n-under-test'), findings: collect(helper.getNode('n-out0')), sessions: collect(helper.getNode('n-out1')), caught: collect(helper.getNode('n-caught')) };
}

describe('secflow-risky-commands node', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  it('sudo-session.csv streamed: 2025-05-04T09:00:05.000Z is flagged /bin/bash; a session around it comes out on output 2', async () => {
    const { node, findings, sessions } = await start();
    for (const row of sessionRows()) node.receive({ payload: row });
    node.receive({ topic: 'session', payload: { User: 'dana', Start: '2025-05-04T09:00:00Z', End: '2025-05-04T09:00:30Z', Computer: 'lab-db-01' } });
    const [risky] = await sessions.waitFor(1);
    const flagged = findings.messages.map((m) => m.payload as Record<string, unknown>);
    assert.deepEqual(flagged.map((p) => [p.kind, p.TimeGenerated, p.command]), [['risky', '2025-05-04T09:00:05.000Z', '/bin/bash']]);
    const s = risky.payload as Record<string, unknown>;
    assert.deepEqual([s.User, s.Risk, (s.RiskyCommands as unknown[]).length], ['dana', '/bin/bash', 1]);
  });

  it('compat batch: out-of-order rows give a speed window; sudo-session.csv with msg.sessions gives 2 risky sessions', async () => {
    const { node, findings, sessions } = await start({ compat: true });
    // Twelve commands a minute apart, the last logged 20 minutes early: one negative-delta window.
    const unsorted = Array.from({ length: 12 }, (_v, i) => ({ TimeGenerated: new Date(Date.UTC(2025, 4, 4, 11, i === 11 ? -20 : i)).toISOString(), Command: `/usr/bin/step${i}` }));
    node.receive({ payload: unsorted });
    const [speed] = await findings.waitFor(1);
    assert.equal(((speed.payload as { speed: unknown[] }).speed).length, 1);
    await unloadFlow();
    const again = await start({ compat: true, speedEvents: 2, speedSeconds: 60 });
    const rows = sessionRows();
    again.node.receive({ payload: rows, sessions: clusterSessionsCompat(rows) });
    const [marked] = await again.sessions.waitFor(1);
    assert.deepEqual(marked.payload, { 0: '/bin/bash', 1: 'Suspicious event pattern' });
    assert.equal(sessions.messages.length, 0);
  });

  it('custom rules on another field (our custom-rules.json on SyslogMessage)', async () => {
    const { node, findings } = await start({ rules: readFixtureText('custom-rules.json'), commandField: 'SyslogMessage' });
    node.receive({ payload: readFixtureCsv('sudo-rows.csv').slice(0, 5) });
    await findings.waitFor(1);
    assert.ok(findings.messages.every((m) => (m.payload as Record<string, unknown>).kind === 'risky'));
    assert.deepEqual(findings.messages.map((m) => (m.payload as Record<string, unknown>).rule), ['pam_unix\\(sudo:auth\\)']);
  });

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
