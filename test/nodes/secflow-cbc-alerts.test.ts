// secflow-cbc-alerts through the real Node-RED runtime with the real `file` context
// store, against the CB emulator's alerts v7 search: every alert exactly once across
// runs, a redeploy and a restart — 2,500 alerts on one millisecond that straddle the
// API's 10,000-results-per-query limit and several pages, alerts indexed late inside
// the look-back — and every later update of an old alert sent once more, marked
// msg.cbc.change = "updated"; through sliding-window 429s and a 502.
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import cbcNode from '../../src/nodes/secflow-cbc';
import alertsNode from '../../src/nodes/secflow-cbc-alerts';
import { collect, helper, loadFlow, tempDir, unloadFlow, type NodeModule } from '../support/node-harness';
import { extractorFlow, runOnce, storedValue, wireExtractor, type WiredExtractor } from '../support/code42-flow';
import { CbcEmulator } from '../emulators/carbonblack';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
const NODES = [cbcNode as NodeModule, alertsNode as NodeModule, catchNode];
const SECRET = 'cbc-alerts-s3cret';
const creds = () => ({ cbc: { apiId: 'ALERTID', apiSecret: SECRET } });
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function flow(emu: CbcEmulator, props: Record<string, unknown> = {}) {
  return extractorFlow('alerts', { id: 'cbc', type: 'secflow-cbc', url: emu.baseUrl, orgKey: emu.orgKey, verifyTls: true, timeout: 10, rateLimit: 0 }, {
    id: 'ex', type: 'secflow-cbc-alerts', tenant: 'cbc', types: '', minimumSeverity: '', filters: '', since: '1d', pageSize: 1000, lookback: '', updateWindow: '',
    interval: 0, output: 'event', cursorStore: 'file', cursorScope: 'node', cursorKey: 'alerts-cursor', ...props,
  });
}

async function run(w: WiredExtractor) {
  const { summary, messages } = await runOnce(w, {}, 120_000);
  return { summary: summary.payload as Json, messages: messages as Json[] };
}

const keyOf = (m: Json) => `${m.payload.id}@${m.payload.backend_update_timestamp}`;

describe('secflow-cbc-alerts', () => {
  let emu: CbcEmulator | undefined;
  afterEach(async () => {
    await unloadFlow();
    await emu?.close();
    emu = undefined;
  });
  after(() => helper.stopServer?.((): void => undefined));

  it('sends every alert once and every later update once more, across runs, a redeploy and a restart with the file store, through 429s and a 502', async () => {
    emu = new CbcEmulator({ apiId: 'ALERTID', apiSecret: SECRET });
    await emu.listen(0);
    const now = Date.now();
    const spread = emu.alerts.add({ count: 9000, startMs: now - 2 * 3_600_000, stepMs: 500 });
    emu.alerts.add({ count: 2500, startMs: now - 1_800_000, stepMs: 0 });
    emu.rateWindow = { max: 6, windowMs: 1000, blockSeconds: 1 };
    emu.inject({ route: 'alerts:search', nth: [4], fault: { type: 'status', status: 502 } });
    const contextDir = tempDir();
    const emitted: string[] = [];

    await loadFlow(NODES, flow(emu), creds(), { contextDir });
    let w = wireExtractor('ex');
    const r1 = await run(w);
    assert.equal(r1.summary.error, undefined, String(r1.summary.error));
    assert.equal(r1.messages.length, 11_500);
    assert.ok(r1.messages.every((m) => m.cbc.change === 'new'));
    emitted.push(...r1.messages.map(keyOf));
    const log = emu.requests('alerts:search');
    const statuses = log.map((e) => e.status);
    assert.ok(statuses.includes(429), 'saw a 429');
    assert.ok(statuses.includes(502), 'saw a 502');
    const bodies = log.filter((e) => e.status === 200).map((e) => JSON.parse(e.body) as Json);
    assert.equal(bodies[0].start, 1, 'alerts v7 rows count from 1');
    assert.deepEqual(bodies[0].sort, [{ field: 'backend_update_timestamp', order: 'ASC' }]);
    assert.ok(bodies.every((b) => b.start - 1 + b.rows <= 10_000), 'never past the 10,000-result limit');
    const requery = bodies.find((b, i) => i > 0 && b.start === 1);
    assert.ok(requery, 'the query was asked again after 10,000 results');
    assert.equal(requery.criteria.backend_update_timestamp.start, new Date(now - 1_800_000).toISOString(), 'from the tie, inclusive (not +1 ms)');
    const m0 = r1.messages[0];
    assert.equal(m0.topic, m0.payload.type, 'msg.topic is the alert type');
    assert.equal(m0.cbc.kind, 'cbc-alert');
    const c1 = await storedValue<Json>('ex', 'alerts-cursor');
    assert.equal(c1?.api, 'cbc-alerts');
    assert.equal(c1?.ts, now - 1_800_000);
    assert.equal(c1?.ids.length, 2500);

    // Redeploy: 200 new alerts, 10 old ones updated now.
    emu.alerts.add({ count: 200, startMs: now - 600_000, stepMs: 1000 });
    for (const id of spread.slice(0, 10)) emu.alerts.update(id, Date.now() - 5000);
    await helper.setFlows(flow(emu), 'full', creds());
    w = wireExtractor('ex');
    const r2 = await run(w);
    assert.equal(r2.summary.error, undefined, String(r2.summary.error));
    assert.equal(r2.messages.length, 210);
    const updated = r2.messages.filter((m) => m.cbc.change === 'updated');
    assert.deepEqual(updated.map((m) => m.payload.id).sort(), spread.slice(0, 10).sort());
    assert.ok(updated.every((m) => m.payload.sensor_action === 'DENY'), 'the update is the new state');
    emitted.push(...r2.messages.map(keyOf));

    // Late-indexed alerts inside the look-back, another update, a restart.
    const c2 = await storedValue<Json>('ex', 'alerts-cursor');
    emu.alerts.add({ count: 5, startMs: c2!.ts - 60_000, stepMs: 1000 });
    await unloadFlow();
    emu.alerts.update(spread[0], Date.now() - 1000);
    emu.alerts.add({ count: 50, startMs: Date.now() - 2000, stepMs: 10 });
    await loadFlow(NODES, flow(emu), creds(), { contextDir });
    w = wireExtractor('ex');
    const r3 = await run(w);
    assert.equal(r3.summary.error, undefined, String(r3.summary.error));
    assert.equal(r3.messages.length, 56, '5 late + 1 update + 50 new');
    assert.equal(r3.messages.filter((m) => m.cbc.change === 'updated').length, 1);
    emitted.push(...r3.messages.map(keyOf));
    const r4 = await run(w);
    assert.equal(r4.messages.length, 0, 'nothing new: nothing sent');

    assert.equal(new Set(emitted).size, emitted.length, 'no alert version twice');
    const oracle = emu.alerts.all().map((r) => `${r.id}@${new Date(r.updated).toISOString()}`);
    for (const k of oracle) assert.ok(emitted.includes(k), `latest version of every alert sent: ${k}`);
    assert.equal(new Set(emitted.map((k) => k.split('@')[0])).size, emu.alerts.size);
  });

  it('sends the form criteria and raw JSON, pages on request, and reports bad input through Catch', async () => {
    emu = new CbcEmulator({ apiId: 'ALERTID', apiSecret: SECRET });
    await emu.listen(0);
    emu.alerts.add({ count: 120, startMs: Date.now() - 600_000, stepMs: 1000 });
    await loadFlow(NODES, flow(emu, { output: 'page', pageSize: 50, types: 'cb_analytics, watchlist', minimumSeverity: 5, filters: '{"criteria":{"device_os":["WINDOWS"]},"exclusions":{"tags":["noise"]}}' }), creds());
    let w = wireExtractor('ex');
    const r = await run(w);
    assert.equal(r.summary.error, undefined, String(r.summary.error));
    const alerts = r.messages.flatMap((m) => m.payload as Json[]);
    assert.ok(alerts.length > 0 && alerts.every((a) => ['CB_ANALYTICS', 'WATCHLIST'].includes(a.type) && a.severity >= 5));
    assert.equal(r.messages[0].topic, 'cbc-alert');
    assert.equal(r.messages[0].cbc.items[0].change, 'new');
    const body = JSON.parse(emu.requests('alerts:search')[0].body) as Json;
    assert.deepEqual(body.criteria.type, ['CB_ANALYTICS', 'WATCHLIST']);
    assert.equal(body.criteria.minimum_severity, 5);
    assert.deepEqual(body.criteria.device_os, ['WINDOWS']);
    assert.deepEqual(body.exclusions, { tags: ['noise'] });
    assert.ok(Date.parse(body.time_range.start) <= Date.parse(body.criteria.backend_update_timestamp.start) - 86_400_000, 'time_range reaches a day back for updates');

    for (const [props, pattern] of [
      [{ filters: '{"criteria":{"backend_update_timestamp":{"range":"-1d"}}}' }, /filters\.criteria\.backend_update_timestamp: set by the node's cursor/],
      [{ filters: '{"rows":5}' }, /filters\.rows: set by the node's cursor/],
      [{ types: 'MALWARE' }, /types: unknown alert type MALWARE/],
      [{ minimumSeverity: 11 }, /minimumSeverity/],
      [{ tenant: '' }, /tenant: select a secflow-cbc config node/],
    ] as Array<[Record<string, unknown>, RegExp]>) {
      await helper.setFlows(flow(emu, props), 'full', creds());
      w = wireExtractor('ex');
      const bad = await run(w);
      const caught = await w.caught.waitFor(1);
      assert.match(String((caught[0].error as Json).message), pattern);
      assert.match(String(bad.summary.error), pattern);
    }
    w.node.receive({ reset: true });
  });
});

describe('tenant types', () => {
  afterEach(() => unloadFlow());
  it('a Code42 extractor refuses a secflow-cbc tenant, and a CB extractor a secflow-code42 one', async () => {
    const fileEvents: NodeModule = require('../../src/nodes/secflow-code42-file-events').default;
    const code42: NodeModule = require('../../src/nodes/secflow-code42').default;
    const flowNodes = [
      { id: 'tab', type: 'tab', label: 't' },
      { id: 'cbc', type: 'secflow-cbc', url: 'http://127.0.0.1:9', orgKey: 'ORG1', verifyTls: true, timeout: 10, rateLimit: 0 },
      { id: 'c42', type: 'secflow-code42', url: 'http://127.0.0.1:9', authType: 'apiClient', verifyTls: true, timeout: 10 },
      { id: 'fe', type: 'secflow-code42-file-events', z: 'tab', tenant: 'cbc', filters: '', since: '', pageSize: 50, interval: 0, output: 'event', cursorScope: 'node', wires: [[], ['s1']] },
      { id: 'al', type: 'secflow-cbc-alerts', z: 'tab', tenant: 'c42', since: '1d', pageSize: 50, interval: 0, output: 'event', cursorScope: 'node', wires: [[], ['s2']] },
      { id: 's1', type: 'helper', z: 'tab' },
      { id: 's2', type: 'helper', z: 'tab' },
    ];
    await loadFlow([...NODES, fileEvents, code42], flowNodes, {});
    const s1 = collect(helper.getNode('s1'));
    const s2 = collect(helper.getNode('s2'));
    helper.getNode('fe').receive({});
    helper.getNode('al').receive({});
    const [a] = await s1.waitFor(1);
    const [b] = await s2.waitFor(1);
    assert.match(String((a.payload as Json).error), /tenant: select a secflow-code42 config node/);
    assert.match(String((b.payload as Json).error), /tenant: select a secflow-cbc config node/);
  });
});
