// secflow-code42-sessions through the real Node-RED runtime with the real `file`
// context store against the Incydr emulator: sessions created, updated and left
// unchanged across runs and a restart are sent as new / updated / not at all;
// bad input (filters, a v1 tenant) reaches a real Catch node.
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import configNode from '../../src/nodes/secflow-code42';
import sessionsNode from '../../src/nodes/secflow-code42-sessions';
import { helper, loadFlow, tempDir, unloadFlow, type NodeModule } from '../support/node-harness';
import { extractorFlow, runOnce, wireExtractor, type WiredExtractor } from '../support/code42-flow';
import { IncydrEmulator } from '../emulators/incydr';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
const NODES = [configNode as NodeModule, sessionsNode as NodeModule, catchNode];
// A fresh object per load: the runtime adopts it as its credential cache and deletes from it.
const creds = () => ({ c42: { id: 'key-1', secret: 'sess-secret' } });

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function flow(url: string, props: Record<string, unknown> = {}, tenant: Record<string, unknown> = {}) {
  return extractorFlow('sessions', { id: 'c42', type: 'secflow-code42', apiVersion: 'incydr', region: '', url, timeout: 10, retryScale: 0.001, ...tenant }, {
    id: 'ss', type: 'secflow-code42-sessions', tenant: 'c42', filters: '', lookback: '', interval: 0, output: 'event',
    cursorStore: 'file', cursorScope: 'node', cursorKey: 'sessions-cursor', ...props,
  });
}

const wire = () => wireExtractor('ss');

async function run(w: WiredExtractor) {
  const { summary, messages } = await runOnce(w);
  const byChange = (change: string) => messages.filter((m) => (m.code42 as Json).change === change).map((m) => (m.payload as Json).sessionId as string).sort();
  return { summary: summary.payload as Json, messages, created: byChange('new'), updated: byChange('updated') };
}

describe('secflow-code42-sessions node', () => {
  let emu: IncydrEmulator | undefined;
  afterEach(async () => {
    await unloadFlow();
    await emu?.close();
    emu = undefined;
  });
  after(() => helper.stopServer?.((): void => undefined));

  it('sends created sessions as new, changed ones as updated and unchanged ones not at all, across runs and a restart', async () => {
    emu = new IncydrEmulator({ clients: { 'key-1': 'sess-secret' } });
    const url = await emu.listen();
    const now = emu.clock.now();
    // 70 sessions with alerts (two pages of 50), 5 without (has_alerts=true leaves them out), 3 that began 30 h ago (outside the 24 h look-back).
    const ids = emu.addSessions({ count: 70, beginMs: now - 5 * 3_600_000, stepMs: 60_000, at: now - 1000 });
    emu.addSessions({ count: 5, beginMs: now - 4 * 3_600_000 + 7, withAlerts: false, at: now - 1000 });
    emu.addSessions({ count: 3, beginMs: now - 30 * 3_600_000 + 11, at: now - 1000 });
    const contextDir = tempDir();
    await loadFlow(NODES, flow(url), creds(), { contextDir });
    let w = wire();

    const r1 = await run(w);
    assert.equal(r1.summary.error, undefined, String(r1.summary.error));
    assert.deepEqual(r1.created, [...ids].sort());
    assert.deepEqual(r1.updated, []);
    const m0 = r1.messages[0];
    assert.equal(m0.topic, 'session-new');
    assert.deepEqual(m0.payload, emu.sessionView((m0.payload as Json).sessionId), 'sessions are passed on whole');
    const q = new URLSearchParams(emu.requests('sessions')[0].query);
    assert.equal(q.get('has_alerts'), 'true');
    assert.equal(q.get('order_by'), 'end_time');
    assert.equal(q.get('sort_direction'), 'asc');
    assert.equal(q.get('page_size'), '50');
    assert.ok(Math.abs(Number(q.get('on_or_after')) - (Date.now() - 24 * 3_600_000)) < 60_000, 'first run: now − 24 h on begin time');
    assert.deepEqual(emu.requests('sessions').map((r) => new URLSearchParams(r.query).get('page_number')), ['0', '1']);

    // Nothing changed: nothing is sent.
    const r2 = await run(w);
    assert.equal(r2.messages.length, 0);

    // Five sessions change (score, state — one is closed, one gets an alert), three new ones appear; restart in between.
    await unloadFlow();
    const t = emu.clock.now();
    emu.updateSession(ids[3], { score: 20, severity: 4 }, t - 500);
    emu.updateSession(ids[10], { state: 'IN_PROGRESS' }, t - 500);
    emu.updateSession(ids[20], { state: 'CLOSED_TP' }, t - 500);
    emu.updateSession(ids[55], { addAlert: true, endTime: t }, t - 500);
    emu.updateSession(ids[69], { fields: { exfiltrationSummary: 'changed' } }, t - 500);
    const fresh = emu.addSessions({ count: 3, beginMs: t - 600_000, stepMs: 1000, at: t - 500 });
    await loadFlow(NODES, flow(url), creds(), { contextDir });
    w = wire();
    const r3 = await run(w);
    assert.deepEqual(r3.updated, [ids[3], ids[10], ids[20], ids[55], ids[69]].sort());
    assert.deepEqual(r3.created, [...fresh].sort());
    assert.equal(r3.messages.length, 8);
    const changed = r3.messages.find((m) => (m.payload as Json).sessionId === ids[3])!;
    assert.equal(changed.topic, 'session-updated');
    assert.equal((changed.code42 as Json).lastUpdated, t - 500);

    // The window moved to the oldest open session's begin time; nothing is repeated.
    const r4 = await run(w);
    assert.equal(r4.messages.length, 0);
    const last = new URLSearchParams(emu.requests('sessions').at(-1)!.query);
    assert.equal(Number(last.get('on_or_after')), Number(ids[0].split('_').at(-1)) - 24 * 3_600_000);

    // A second change to a session already updated is sent again.
    emu.updateSession(ids[3], { score: 25 }, emu.clock.now() - 10);
    const r5 = await run(w);
    assert.deepEqual(r5.updated, [ids[3]]);
    assert.deepEqual(r5.created, []);
  });

  it('reports bad filters and a v1 tenant through Catch; filters reach the query', async () => {
    emu = new IncydrEmulator({ clients: { 'key-1': 'sess-secret' } });
    const url = await emu.listen();
    const now = emu.clock.now();
    emu.addSessions({ count: 4, beginMs: now - 3_600_000, state: 'OPEN', at: now - 1000 });
    emu.addSessions({ count: 2, beginMs: now - 3_500_000, state: 'CLOSED', at: now - 1000 });

    await loadFlow(NODES, flow(url, { filters: '{"states":["CLOSED"],"on_or_after":1}' }), creds());
    let w = wire();
    await run(w);
    let caught = await w.caught.waitFor(1);
    assert.match(String((caught[0].error as Json).message), /filters\.on_or_after: set by the node's cursor/);

    await helper.setFlows(flow(url, { filters: '{"severities":[9]}' }), 'full', creds());
    w = wire();
    await run(w);
    caught = await w.caught.waitFor(1);
    assert.match(String((caught[0].error as Json).message), /filters\.severities: severity is 0–4, got 9/);

    await helper.setFlows(flow(url, {}, { apiVersion: 'v1' }), 'full', creds());
    w = wire();
    await run(w);
    caught = await w.caught.waitFor(1);
    assert.match(String((caught[0].error as Json).message), /tenant: sessions need the Incydr API/);
    assert.equal(emu.requests('sessions').length, 0);

    await helper.setFlows(flow(url, { filters: '{"states":["CLOSED"]}', output: 'page' }), 'full', creds());
    w = wire();
    const r = await run(w);
    assert.equal(r.messages.length, 1);
    const page = r.messages[0];
    assert.equal((page.payload as Json[]).length, 2);
    assert.ok((page.payload as Json[]).every((s) => s.states.at(-1).stateV2 === 'CLOSED'));
    assert.deepEqual((page.code42 as Json).items.map((i: Json) => i.change), ['new', 'new']);
    assert.deepEqual(new URLSearchParams(emu.requests('sessions').at(-1)!.query).getAll('state'), ['CLOSED']);
  });
});
