// secflow-cbc-audit-logs through the real Node-RED runtime with the real `file` context
// store, against the CB emulator's audit-log search: every record exactly once across
// runs, a redeploy and a restart (1,500 records on one millisecond beyond a page of
// 1,000 and across the 10,000-result limit; records indexed late inside the
// look-back), through sliding-window 429s and a 503; the body it sends; bad input.
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import cbcNode from '../../src/nodes/secflow-cbc';
import auditNode from '../../src/nodes/secflow-cbc-audit-logs';
import { auditDigest } from '../../src/lib/carbonblack';
import { helper, loadFlow, tempDir, unloadFlow, type NodeModule } from '../support/node-harness';
import { extractorFlow, runOnce, storedValue, wireExtractor, type WiredExtractor } from '../support/code42-flow';
import { CbcEmulator } from '../emulators/carbonblack';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
const NODES = [cbcNode as NodeModule, auditNode as NodeModule, catchNode];
const SECRET = 'cbc-audit-s3cret';
const creds = () => ({ cbc: { apiId: 'AUDITID', apiSecret: SECRET } });
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function flow(emu: CbcEmulator, props: Record<string, unknown> = {}) {
  return extractorFlow('audit', { id: 'cbc', type: 'secflow-cbc', url: emu.baseUrl, orgKey: emu.orgKey, verifyTls: true, timeout: 10, rateLimit: 0 }, {
    id: 'ex', type: 'secflow-cbc-audit-logs', tenant: 'cbc', filters: '', since: '1d', pageSize: 1000, lookback: '',
    interval: 0, output: 'event', cursorStore: 'file', cursorScope: 'node', cursorKey: 'audit-cursor', ...props,
  });
}

async function run(w: WiredExtractor) {
  const { summary, messages } = await runOnce(w, {}, 120_000);
  return { summary: summary.payload as Json, messages: messages as Json[] };
}

describe('secflow-cbc-audit-logs', () => {
  let emu: CbcEmulator | undefined;
  afterEach(async () => {
    await unloadFlow();
    await emu?.close();
    emu = undefined;
  });
  after(() => helper.stopServer?.((): void => undefined));

  it('sends every audit record exactly once across runs, a redeploy and a restart with the file store, through 429s and a 503', async () => {
    emu = new CbcEmulator({ apiId: 'AUDITID', apiSecret: SECRET });
    await emu.listen(0);
    const now = Date.now();
    emu.audit.add({ count: 9500, startMs: now - 3 * 3_600_000, stepMs: 700 });
    emu.audit.add({ count: 1500, startMs: now - 3_600_000, stepMs: 0 });
    emu.rateWindow = { max: 5, windowMs: 1000, blockSeconds: 1 };
    emu.inject({ route: 'audit:search', nth: [3], fault: { type: 'status', status: 503 } });
    const contextDir = tempDir();
    const emitted: string[] = [];
    await loadFlow(NODES, flow(emu), creds(), { contextDir });
    let w = wireExtractor('ex');
    const r1 = await run(w);
    assert.equal(r1.summary.error, undefined, String(r1.summary.error));
    assert.equal(r1.messages.length, 11_000);
    emitted.push(...r1.messages.map((m) => auditDigest(m.payload)));
    const log = emu.requests('audit:search');
    assert.ok(log.some((e) => e.status === 429) && log.some((e) => e.status === 503));
    const bodies = log.filter((e) => e.status === 200).map((e) => JSON.parse(e.body) as Json);
    assert.equal(bodies[0].start, 0, 'audit-log search rows count from 0');
    assert.deepEqual(bodies[0].sort, [{ field: 'create_time', order: 'ASC' }]);
    assert.equal(r1.messages[0].topic, 'cbc-audit');
    assert.equal(r1.messages[0].cbc.kind, 'cbc-audit');
    const c1 = await storedValue<Json>('ex', 'audit-cursor');
    assert.equal(c1?.api, 'cbc-audit');
    assert.equal(c1?.ids.length, 1500);

    emu.audit.add({ count: 100, startMs: now - 60_000, stepMs: 100 });
    await helper.setFlows(flow(emu), 'full', creds());
    w = wireExtractor('ex');
    const r2 = await run(w);
    assert.equal(r2.messages.length, 100);
    emitted.push(...r2.messages.map((m) => auditDigest(m.payload)));

    const c2 = await storedValue<Json>('ex', 'audit-cursor');
    await unloadFlow();
    emu.audit.add({ count: 7, startMs: c2!.ts - 200_000, stepMs: 1000 }); // late, inside the 300 s look-back
    emu.audit.add({ count: 30, startMs: Date.now() - 1000, stepMs: 10 });
    await loadFlow(NODES, flow(emu), creds(), { contextDir });
    w = wireExtractor('ex');
    const r3 = await run(w);
    assert.equal(r3.summary.error, undefined, String(r3.summary.error));
    assert.equal(r3.messages.length, 37);
    emitted.push(...r3.messages.map((m) => auditDigest(m.payload)));
    assert.equal((await run(w)).messages.length, 0);

    assert.equal(new Set(emitted).size, emitted.length, 'no duplicates');
    assert.deepEqual(new Set(emitted), new Set(emu.audit.all().map((r) => auditDigest(emu!.audit.record(r)))));
  });

  it('adds raw JSON criteria and query, and reports cursor-owned keys through Catch', async () => {
    emu = new CbcEmulator({ apiId: 'AUDITID', apiSecret: SECRET });
    await emu.listen(0);
    emu.audit.add({ count: 20, startMs: Date.now() - 600_000, stepMs: 1000 });
    await loadFlow(NODES, flow(emu, { filters: '{"criteria":{"flagged":[true]},"query":"description:login"}', output: 'page' }), creds());
    let w = wireExtractor('ex');
    const r = await run(w);
    assert.equal(r.summary.error, undefined);
    assert.equal(r.messages.length, 1);
    const body = JSON.parse(emu.requests('audit:search')[0].body) as Json;
    assert.deepEqual(body.criteria.flagged, [true]);
    assert.equal(body.query, 'description:login');
    assert.ok(body.criteria.create_time.start && body.criteria.create_time.end);
    await helper.setFlows(flow(emu, { filters: '{"criteria":{"create_time":{"range":"-1d"}}}' }), 'full', creds());
    w = wireExtractor('ex');
    await run(w);
    const caught = await w.caught.waitFor(1);
    assert.match(String((caught[0].error as Json).message), /filters\.criteria\.create_time: set by the node's cursor/);
  });
});
