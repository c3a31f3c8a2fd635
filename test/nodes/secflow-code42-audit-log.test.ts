// secflow-code42-audit-log through the real Node-RED runtime with the real `file`
// context store, against the Incydr emulator's audit log: every event exactly once
// across runs, a redeploy and a restart (2,500 on one timestamp with pages of 1,000,
// events indexed late inside the look-back), through 429, token expiry, a 5xx and a
// malformed page; msg.topic, the summary, page output, msg.reset, form filters, and
// bad input reaching Catch.
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import configNode from '../../src/nodes/secflow-code42';
import auditLogNode from '../../src/nodes/secflow-code42-audit-log';
import { auditEventDigest } from '../../src/lib/code42';
import { helper, loadFlow, tempDir, unloadFlow, type NodeModule } from '../support/node-harness';
import { extractorFlow, runOnce, storedValue, wireExtractor, type WiredExtractor } from '../support/code42-flow';
import { IncydrEmulator } from '../emulators/incydr';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
const NODES = [configNode as NodeModule, auditLogNode as NodeModule, catchNode];
const SECRET = 'incydr-audit-s3cret';
const creds = () => ({ c42: { id: 'key-1', secret: SECRET } });
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function flow(url: string, props: Record<string, unknown> = {}, apiVersion = 'incydr') {
  return extractorFlow('audit', { id: 'c42', type: 'secflow-code42', apiVersion, region: '', url, verifyTls: true, timeout: 10, retryScale: 0.001 }, {
    id: 'ex', type: 'secflow-code42-audit-log', tenant: 'c42', eventTypes: '', actorNames: '', actorIds: '', actorIpAddresses: '', resourceIds: '', userTypes: '',
    filters: '', since: '3h', pageSize: 1000, lookback: '', interval: 0, output: 'event', cursorStore: 'file', cursorScope: 'node', cursorKey: 'audit-cursor', ...props,
  });
}

async function run(w: WiredExtractor) {
  const { summary, messages } = await runOnce(w, {}, 120_000);
  return { summary: summary.payload as Json, messages };
}

const digestOf = (m: Json) => auditEventDigest(m.payload);

describe('secflow-code42-audit-log', () => {
  let emu: IncydrEmulator | undefined;
  afterEach(async () => {
    await unloadFlow();
    await emu?.close();
    emu = undefined;
  });
  after(() => helper.stopServer?.((): void => undefined));

  it('delivers every audit event exactly once across runs, a redeploy and a restart with the file store, through 429, token expiry, 5xx and a malformed page', async () => {
    emu = new IncydrEmulator({ clients: { 'key-1': SECRET } });
    const url = await emu.listen();
    const n0 = emu.clock.now();
    emu.audit.add({ count: 6000, startMs: n0 - 2 * 3_600_000, stepMs: 1000 });
    const tieMs = n0 - 3_000_000;
    emu.audit.add({ count: 2500, startMs: tieMs, stepMs: 0 });
    const contextDir = tempDir();
    const emitted: string[] = [];
    const oracle = () => emu!.audit.visible().map((r) => auditEventDigest(emu!.audit.event(r)));

    emu.injectThrottle('audit-log', 1, { nth: [2] });
    emu.inject({ route: 'audit-log', nth: [3], fault: { type: 'status', status: 401, body: { error: 'invalid_token' } } });
    emu.inject({ route: 'audit-log', nth: [5], fault: { type: 'status', status: 502 } });
    emu.inject({ route: 'audit-log', nth: [7], fault: { type: 'malformed' } });
    await loadFlow(NODES, flow(url), creds(), { contextDir });
    let w = wireExtractor('ex');
    const r1 = await run(w);
    assert.equal(r1.summary.error, undefined, String(r1.summary.error));
    assert.equal(r1.summary.events, 8500);
    assert.ok(r1.summary.pages >= 9);
    assert.match(String(r1.summary.cursor), /^\d{4}-\d{2}-\d{2}T/);
    emitted.push(...r1.messages.map(digestOf));
    const statuses = emu.requests('audit-log').map((e) => e.status);
    for (const s of [429, 401, 502]) assert.ok(statuses.includes(s), `saw ${s}`);
    const m0 = r1.messages[0];
    assert.equal(m0.topic, (m0.payload as Json)['type$'], 'msg.topic is the event type');
    assert.match(String(m0.topic), /^audit_log::\w+\/1$/);
    assert.equal((m0.code42 as Json).kind, 'audit-event');
    const c1 = await storedValue<Json>('ex', 'audit-cursor');
    assert.equal(c1?.v, 1);
    assert.equal(c1?.api, 'incydr-audit');
    assert.ok(c1!.readTo >= n0);

    // Redeploy (same flow, full deploy): only the new events.
    emu.audit.add({ count: 200, startMs: emu.clock.now() - 30_000, stepMs: 100 });
    await helper.setFlows(flow(url), 'full', creds());
    w = wireExtractor('ex');
    const r2 = await run(w);
    assert.equal(r2.messages.length, 200);
    emitted.push(...r2.messages.map(digestOf));

    // Late events (timestamps inside the 300 s look-back, not yet indexed) and a restart.
    const lateFrom = emu.clock.now() - 200_000;
    emu.audit.add({ count: 50, startMs: lateFrom, stepMs: 3000, visibleAt: emu.clock.now() + 20_000 });
    const r2b = await run(w);
    assert.equal(r2b.messages.length, 0, 'late events not visible yet');
    await unloadFlow();
    emu.clock.advance(30_000);
    emu.expireTokens();
    // (Timestamps on the node's clock: the emulator's now runs 30 s ahead, and a run reads up to the node's now.)
    emu.audit.add({ count: 120, startMs: Date.now() - 40_000, stepMs: 100 });
    await loadFlow(NODES, flow(url), creds(), { contextDir });
    w = wireExtractor('ex');
    const r3 = await run(w);
    assert.equal(r3.summary.error, undefined, String(r3.summary.error));
    assert.equal(r3.messages.length, 170, '50 late + 120 new');
    emitted.push(...r3.messages.map(digestOf));

    assert.equal(new Set(emitted).size, emitted.length, 'no duplicates');
    assert.deepEqual(new Set(emitted), new Set(oracle()));
    assert.equal(emitted.length, 8870);

    // msg.reset clears the cursor: the next run starts from `since` again.
    w.node.receive({ reset: true });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await storedValue('ex', 'audit-cursor'), undefined);
    const r4 = await run(w);
    assert.equal(r4.messages.length, oracle().length);
  });

  it('sends pages on request, applies the form filters, and reports bad input through Catch', async () => {
    emu = new IncydrEmulator({ clients: { 'key-1': SECRET } });
    const url = await emu.listen();
    emu.audit.add({ count: 300, startMs: emu.clock.now() - 600_000, stepMs: 1000 });
    await loadFlow(NODES, flow(url, { output: 'page', pageSize: 100, eventTypes: 'logged_in, user_role_added', userTypes: 'user' }), creds());
    let w = wireExtractor('ex');
    let r = await run(w);
    assert.equal(r.summary.error, undefined, String(r.summary.error));
    assert.ok(r.messages.length >= 1);
    const events = r.messages.flatMap((m) => m.payload as Json[]);
    assert.equal(r.messages[0].topic, 'audit-event');
    assert.ok(events.length > 0 && events.every((e) => ['audit_log::logged_in/1', 'audit_log::user_role_added/1'].includes(e['type$']) && e.actorType === 'USER'));
    const body = JSON.parse(emu.requests('audit-log')[0].body) as Json;
    assert.deepEqual(body.eventTypes, ['logged_in', 'user_role_added']);
    assert.deepEqual(body.userTypes, ['USER']);

    await helper.setFlows(flow(url, { filters: '{"dateRange":{"startTime":0}}' }), 'full', creds());
    w = wireExtractor('ex');
    r = await run(w);
    let caught = await w.caught.waitFor(1);
    assert.match(String((caught[0].error as Json).message), /filters\.dateRange: set by the node's cursor/);
    assert.match(String(r.summary.error), /dateRange/);

    await helper.setFlows(flow(url, { userTypes: 'ADMIN' }), 'full', creds());
    w = wireExtractor('ex');
    await run(w);
    caught = await w.caught.waitFor(1);
    assert.match(String((caught[0].error as Json).message), /userTypes must be among USER/);

    await helper.setFlows(flow(url, {}, 'v1'), 'full', creds());
    w = wireExtractor('ex');
    await run(w);
    caught = await w.caught.waitFor(1);
    assert.match(String((caught[0].error as Json).message), /tenant: the audit log needs the Incydr API/);
  });
});
