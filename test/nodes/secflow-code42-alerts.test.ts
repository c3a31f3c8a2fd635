// secflow-code42-alerts through the real Node-RED runtime with the `file` context
// store, against the Code42 emulator: exactly-once across runs, a redeploy and a
// restart with a createdAt tie larger than a page, details in batches of ≤100 with
// observations parsed (an unparsable one kept as a string, with a warning), faults.
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import configNode from '../../src/nodes/secflow-code42';
import alertsNode from '../../src/nodes/secflow-code42-alerts';
import { helper, loadFlow, tempDir, unloadFlow, type NodeModule } from '../support/node-harness';
import { extractorFlow, runOnce, wireExtractor } from '../support/code42-flow';
import { Code42Emulator } from '../emulators/code42';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
const NODES = [configNode as NodeModule, alertsNode as NodeModule, catchNode];
const CREDS = { c42: { id: 'cid', secret: 'csecret' } };
const T0 = Date.UTC(2026, 9, 1, 8, 0, 0);

function flow(url: string, props: Record<string, unknown> = {}) {
  return extractorFlow('alerts', { id: 'c42', type: 'secflow-code42', url, authType: 'apiClient', verifyTls: true, timeout: 10, retryScale: 0.001 }, {
    id: 'al', type: 'secflow-code42-alerts', tenant: 'c42', filters: '', orMode: false, since: '', pageSize: 100, details: true,
    interval: 0, output: 'event', cursorStore: 'file', cursorScope: 'node', cursorKey: '', lookback: 0, ...props,
  });
}

function wire() {
  const w = wireExtractor('al');
  const warnings: string[] = [];
  w.node.on('call:warn', (call: { args: unknown[] }) => warnings.push(String(call.args[0])));
  return { ...w, warnings };
}

async function run(w: ReturnType<typeof wire>) {
  const { summary, messages } = await runOnce(w);
  return { summary: summary.payload as Record<string, unknown>, alerts: messages.map((m) => m.payload as Record<string, unknown>), msgs: messages };
}

describe('secflow-code42-alerts node', () => {
  let emu: Code42Emulator | undefined;
  afterEach(async () => {
    await unloadFlow();
    await emu?.close();
    emu = undefined;
  });
  after(() => helper.stopServer?.((): void => undefined));

  it('delivers alerts exactly once across runs, a redeploy and a restart, with details', async () => {
    emu = new Code42Emulator({ clients: { cid: 'csecret' } });
    const url = await emu.listen();
    emu.addAlerts({ count: 450, startMs: T0, stepMs: 1000, observationCount: 2, unparsableEvery: 200 });
    emu.addAlerts({ count: 250, startMs: T0, createdAt: '2026-10-01T09:00:00.1234567Z', observationCount: 1 });
    const contextDir = tempDir();
    await loadFlow(NODES, flow(url), CREDS, { contextDir });
    let w = wire();
    const r1 = await run(w);
    assert.equal(r1.summary.events, 700);
    assert.equal(r1.summary.cursor, '2026-10-01T09:00:00.1234567Z', 'the cursor keeps all 7 digits');
    // Details: batches of at most 100 ids, observations parsed, the unparsable one kept with a warning.
    const detailBatches = emu.requests('details').map((e) => JSON.parse(e.body).alertIds.length as number);
    assert.ok(detailBatches.every((n) => n <= 100) && detailBatches.reduce((a, b) => a + b, 0) === 700);
    const first = r1.alerts[0];
    const obs = first.observations as Array<{ data: unknown }>;
    assert.equal(typeof obs[0].data, 'string', 'alert 0 has unparsable data, kept as the string');
    assert.equal(typeof obs[1].data, 'object');
    assert.ok(r1.alerts.filter((a) => a !== first).some((a) => typeof (a.observations as Array<{ data: unknown }>)[0].data === 'object'));
    assert.ok(w.warnings.some((m) => /not valid JSON; kept as a string/.test(m)), 'warned');
    assert.equal(r1.msgs[0].topic, first.type);
    // The query: tenant from /api/v3/customer/my, ON_OR_AFTER at µs once a cursor exists.
    const firstQuery = JSON.parse(emu.requests('alerts')[0].body);
    assert.equal(firstQuery.tenantId, emu.tenantUid);
    assert.deepEqual([firstQuery.pgNum, firstQuery.pgSize, firstQuery.srtDirection, firstQuery.srtKey], [0, 100, 'asc', 'CreatedAt']);

    emu.addAlerts({ count: 300, startMs: T0 + 3_700_000, stepMs: 500 });
    emu.inject({ route: 'alerts', nth: [emu.requests('alerts').length + 2], fault: { type: 'status', status: 502 } });
    emu.inject({ route: 'details', times: 1, fault: { type: 'throttle', retryAfterSeconds: 1 } });
    await helper.setFlows(flow(url), 'full', CREDS);
    w = wire();
    const r2 = await run(w);
    assert.equal(r2.summary.events, 300);
    const q = JSON.parse(emu.requests('alerts').at(-1)!.body);
    assert.deepEqual(q.groups.at(-1).filters[0], { operator: 'ON_OR_AFTER', term: 'createdAt', value: '2026-10-01T09:00:00.123456Z' });

    await unloadFlow();
    await loadFlow(NODES, flow(url), CREDS, { contextDir });
    w = wire();
    const r3 = await run(w);
    assert.equal(r3.summary.events, 0);
    const ids = [...r1.alerts, ...r2.alerts, ...r3.alerts].map((a) => a.id as string);
    assert.equal(new Set(ids).size, ids.length, 'no duplicates');
    assert.deepEqual([...ids].sort(), emu.alertIds().sort(), 'none missing');
  });

  it('a createdAt filter with a cursor fails with the reference text; output=page sends arrays', async () => {
    emu = new Code42Emulator({ clients: { cid: 'csecret' } });
    const url = await emu.listen();
    emu.addAlerts({ count: 30, startMs: T0, stepMs: 1000 });
    const f = JSON.stringify({ groups: [{ filterClause: 'AND', filters: [{ operator: 'ON_OR_AFTER', term: 'createdAt', value: '2026-01-01T00:00:00.000000Z' }] }] });
    await loadFlow(NODES, flow(url, { filters: f, output: 'page', pageSize: 20, details: false, cursorStore: '' }), CREDS);
    const w = wire();
    const r1 = await run(w);
    assert.equal(r1.summary.events, 30);
    assert.deepEqual(r1.msgs.map((m) => (m.payload as unknown[]).length), [20, 10]);
    const r2 = await run(w);
    assert.equal(r2.summary.error, "DateObserved filter can't be used with AlertExtractor when a cursor checkpoint exists.");
    const [caught] = await w.caught.waitFor(1);
    assert.match((caught.error as { message: string }).message, /DateObserved filter/);
  });
});
