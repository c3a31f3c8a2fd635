// secflow-code42-file-events and secflow-code42-alerts in incydr mode, through the
// real Node-RED runtime with the real `file` context store, against the Incydr
// emulator: exactly-once delivery of 30,000 v2 events (12,000 on one event.inserted,
// 500 indexed 45 s late) across three runs with restarts, with 429 + Retry-After,
// token expiry, INVALID_PAGE_TOKEN and `problems` on the way, checked against the
// emulator's oracle; alerts with details exactly once; bad input reaching Catch.
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import configNode from '../../src/nodes/secflow-code42';
import fileEventsNode from '../../src/nodes/secflow-code42-file-events';
import alertsNode from '../../src/nodes/secflow-code42-alerts';
import { helper, loadFlow, tempDir, unloadFlow, type NodeModule } from '../support/node-harness';
import { extractorFlow, runOnce, storedValue, wireExtractor, type WiredExtractor } from '../support/code42-flow';
import { IncydrEmulator } from '../emulators/incydr';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
const NODES = [configNode as NodeModule, fileEventsNode as NodeModule, alertsNode as NodeModule, catchNode];
const SECRET = 'incydr-s3cret-value';
const OLD_SECRET = 'expired-old-secret';
// A fresh object per load/deploy: the runtime adopts the object as its credential cache and deletes from it.
const creds = () => ({ c42: { id: 'key-1', secret: SECRET }, c42old: { id: 'key-1', secret: OLD_SECRET } });

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function flow(url: string, type: string, props: Record<string, unknown> = {}, tenant: Record<string, unknown> = {}, tenantId = 'c42') {
  return extractorFlow('incydr', { id: tenantId, type: 'secflow-code42', apiVersion: 'incydr', region: '', url, verifyTls: true, timeout: 10, retryScale: 0.001, ...tenant }, {
    id: 'ex', type, tenant: tenantId, filters: '', orMode: false, since: '', pageSize: 5000,
    interval: 0, output: 'event', cursorStore: 'file', cursorScope: 'node', cursorKey: 'incydr-cursor', lookback: '', ...props,
  });
}

const wire = () => wireExtractor('ex');

/** Triggers one run and waits for its summary; returns it and the payloads this run sent. */
async function run(w: WiredExtractor) {
  const { summary, messages } = await runOnce(w, {}, 120_000);
  return { summary: summary.payload as Json, messages };
}

const storedCursor = (key = 'incydr-cursor') => storedValue<Json>('ex', key);

function assertExactlyOnce(emitted: string[], expected: string[]) {
  const set = new Set(emitted);
  assert.equal(set.size, emitted.length, `${emitted.length - set.size} duplicates`);
  const missing = expected.filter((id) => !set.has(id));
  assert.equal(missing.length, 0, `${missing.length} missing, e.g. ${missing[0]}`);
  const extra = emitted.filter((id) => !expected.includes(id));
  assert.equal(extra.length, 0, `${extra.length} not in the oracle`);
  assert.equal(emitted.length, expected.length);
}

const eventId = (m: Json) => (m.payload as Json).event.id as string;

describe('Code42 extractor nodes in incydr mode', () => {
  let emu: IncydrEmulator | undefined;
  afterEach(async () => {
    await unloadFlow();
    await emu?.close();
    emu = undefined;
  });
  after(() => helper.stopServer?.((): void => undefined));

  it('delivers 30,000 v2 events (12,000 on one event.inserted, 500 indexed 45 s late) exactly once across three runs with restarts, through 429, token expiry, INVALID_PAGE_TOKEN and problems', async () => {
    emu = new IncydrEmulator({ clients: { 'key-1': SECRET } });
    const url = await emu.listen();
    const n0 = emu.clock.now();
    const tieMs = n0 - 500_000;
    emu.addFileEvents({ count: 8000, insertedMs: n0 - 600_000, stepMs: 1 });
    const tieIds = emu.addFileEvents({ count: 12_000, insertedMs: tieMs, stepMs: 0, subMsNanos: 0 });
    const contextDir = tempDir();
    const emitted: string[] = [];

    // Run 1: a 429 with Retry-After on the 2nd search, a 401 (token expiry) on the 3rd.
    emu.injectThrottle('file-events', 1, { nth: [2] });
    emu.inject({ route: 'file-events', nth: [3], fault: { type: 'status', status: 401, body: { error: 'invalid_token' } } });
    await loadFlow(NODES, flow(url, 'secflow-code42-file-events'), creds(), { contextDir });
    let w = wire();
    const r1 = await run(w);
    assert.equal(r1.summary.error, undefined, String(r1.summary.error));
    assert.equal(r1.summary.events, 20_000);
    emitted.push(...r1.messages.map(eventId));
    assert.equal(emu.searchLog.length, 4, 'four pages of 5,000 (429 and 401 retried in place)');
    assert.ok(emu.requests('oauth').length >= 2, 'the 401 got a new token');
    assert.ok(emu.requests('file-events').some((e) => e.status === 429));
    // The tie (12,000 on one µs value, more than a page) is complete, and all of it is in the cursor.
    const c1 = await storedCursor();
    assert.equal(c1?.v, 2);
    assert.equal(c1?.api, 'incydr');
    assert.equal(c1?.ts, tieMs);
    assert.equal(new Set(c1?.ids).size, 12_000);
    assert.ok(tieIds.every((id) => emitted.includes(id)));
    // Every search: v2 endpoint, event.inserted ascending, token paging from "", never page numbers.
    for (const e of emu.requests('file-events').filter((x) => x.status === 200)) {
      const body = JSON.parse(e.body) as Json;
      assert.equal(body.srtKey, 'event.inserted');
      assert.equal(body.srtDir, 'asc');
      assert.ok(typeof body.pgToken === 'string');
      assert.ok(!('pgNum' in body));
      assert.deepEqual(body.groups.at(-1).filters[0].term, 'event.inserted');
    }
    assert.equal(JSON.parse(emu.requests('file-events')[0].body).pgToken, '');
    const p0 = r1.messages[0];
    assert.equal(p0.topic, (p0.payload as Json).event.action, 'msg.topic is event.action');
    assert.deepEqual(p0.payload, emu.eventById(eventId(p0)), 'events are passed on whole');

    // Restart. New events, 500 of them indexed 45 s after their event.inserted (hidden during run 2).
    await unloadFlow();
    emu.expireTokens();
    const e = emu.clock.now();
    emu.addFileEvents({ count: 4000, insertedMs: e - 30_000, stepMs: 5 });
    const lateIds = emu.addFileEvents({ count: 500, insertedMs: e - 25_000, stepMs: 10, visibleAfterMs: 45_000 });
    const searchesBefore = emu.requests('file-events').length;
    // Run 2a: INVALID_PAGE_TOKEN on its 2nd search (restart from the stored cursor), then problems on a 200.
    emu.injectInvalidPageToken({ nth: [searchesBefore + 2] });
    emu.injectProblems({ status: 200, type: 'QUERY_TIMEOUT', when: { nth: [searchesBefore + 5] } });
    const oauthBefore = emu.requests('oauth').length;
    await loadFlow(NODES, flow(url, 'secflow-code42-file-events'), creds(), { contextDir });
    w = wire();
    const r2a = await run(w);
    assert.match(String(r2a.summary.error), /QUERY_TIMEOUT/);
    const caught = await w.caught.waitFor(1);
    assert.match(String((caught[0].error as Json).message), /problems.*QUERY_TIMEOUT/);
    emitted.push(...r2a.messages.map(eventId));
    assert.ok(emu.requests('file-events').slice(searchesBefore).some((x) => x.status === 400), 'INVALID_PAGE_TOKEN was answered');
    // Run 2b: the rest; the late events are still hidden.
    const r2b = await run(w);
    assert.equal(r2b.summary.error, undefined, String(r2b.summary.error));
    emitted.push(...r2b.messages.map(eventId));
    assert.equal(r2a.messages.length + r2b.messages.length, 4000);
    assert.ok(emu.requests('oauth').length > oauthBefore);
    assert.ok(lateIds.every((id) => !emitted.includes(id)), 'late events not visible yet');

    // Restart; the late events become visible (inside the 60 s look-back); more events and another 429.
    await unloadFlow();
    emu.clock.advance(60_000);
    emu.addFileEvents({ count: 5500, insertedMs: emu.clock.now() - 6000, stepMs: 1 });
    emu.injectThrottle('file-events', 1, { times: 1 });
    await loadFlow(NODES, flow(url, 'secflow-code42-file-events'), creds(), { contextDir });
    w = wire();
    const r3 = await run(w);
    assert.equal(r3.summary.error, undefined, String(r3.summary.error));
    emitted.push(...r3.messages.map(eventId));
    assert.equal(r3.messages.length, 6000, '500 late + 5,500 new');
    assert.ok(lateIds.every((id) => emitted.includes(id)), 'late events delivered');

    assert.equal(emitted.length, 30_000);
    assertExactlyOnce(emitted, emu.visibleIds());
  });

  it('maps the edit form to v2 terms and OR mode to a subgroup; keeps unknown fields', async () => {
    emu = new IncydrEmulator({ clients: { 'key-1': SECRET } });
    const url = await emu.listen();
    const now = emu.clock.now();
    const custom = (id: string, action: string, email: string, extra: Json = {}) => ({
      '@timestamp': new Date(now - 90_000).toISOString(),
      event: { id, inserted: new Date(now - 60_000).toISOString().replace('Z', '123Z'), action, futureField: { nested: [1, 2] } },
      user: { email }, file: { name: 'a.docx' }, brandNewObject: { x: 'y' }, ...extra,
    });
    emu.addCustomFileEvents([custom('e1', 'file-created', 'ann@example.com'), custom('e2', 'file-deleted', 'ann@example.com'), custom('e3', 'file-created', 'bob@example.com'), custom('e4', 'some-new-action', 'ann@example.com')]);
    await loadFlow(NODES, flow(url, 'secflow-code42-file-events', { eventTypes: 'CREATED, some-new-action', usernames: 'ann@example.com', since: '1h' }), creds());
    const w = wire();
    const r = await run(w);
    assert.deepEqual(r.messages.map(eventId).sort(), ['e1', 'e4']);
    const e4 = r.messages.find((m) => eventId(m) === 'e4')!;
    assert.deepEqual((e4.payload as Json).brandNewObject, { x: 'y' });
    assert.deepEqual((e4.payload as Json).event.futureField, { nested: [1, 2] });
    assert.equal(e4.topic, 'some-new-action');
    const body = JSON.parse(emu.requests('file-events')[0].body) as Json;
    assert.deepEqual(body.groups[0], { filterClause: 'OR', filters: [{ term: 'event.action', operator: 'IS', value: 'file-created' }, { term: 'event.action', operator: 'IS', value: 'some-new-action' }] });
    assert.deepEqual(body.groups[1].filters[0], { term: 'user.email', operator: 'IS', value: 'ann@example.com' });

    // OR mode: the user's groups become one OR subgroup, still AND-ed with the cursor.
    await helper.setFlows(flow(url, 'secflow-code42-file-events', { eventTypes: 'DELETED', usernames: 'bob@example.com', orMode: true, cursorKey: 'other' }), 'full', creds());
    const w2 = wire();
    const r2 = await run(w2);
    assert.deepEqual(r2.messages.map(eventId).sort(), ['e2', 'e3']);
    const body2 = JSON.parse(emu.requests('file-events').at(-1)!.body) as Json;
    assert.equal(body2.groups[0].subgroupClause, 'OR');
    assert.equal(body2.groups.length, 2);
  });

  it('reports bad input through Catch: a wrong region, a rejected secret, a v1 filter term; the node keeps working', async () => {
    emu = new IncydrEmulator({ clients: { 'key-1': SECRET } });
    const url = await emu.listen();
    emu.addFileEvents({ count: 10, insertedMs: emu.clock.now() - 60_000 });

    await loadFlow(NODES, flow(url, 'secflow-code42-file-events', {}, { region: 'mars' }), creds());
    let w = wire();
    let r = await run(w);
    let caught = await w.caught.waitFor(1);
    assert.match(String((caught[0].error as Json).message), /^(Error: )?region: "mars" is not an Incydr region; use one of us, us2, ie, gov, us7, uk, au, ca, de, za/);
    assert.match(String(r.summary.error), /region/);

    await helper.setFlows(flow(url, 'secflow-code42-file-events', {}, {}, 'c42old'), 'full', creds());
    w = wire();
    r = await run(w);
    caught = await w.caught.waitFor(1);
    const authMessage = String((caught[0].error as Json).message);
    assert.match(authMessage, /Incydr authentication failed \(HTTP 401\)/);
    assert.ok(!authMessage.includes(OLD_SECRET) && !JSON.stringify(r.summary).includes(OLD_SECRET), 'the secret never appears');
    assert.equal(emu.requests('file-events').length, 0);

    const v1Filter = JSON.stringify({ groups: [{ filterClause: 'AND', filters: [{ term: 'eventType', operator: 'IS', value: 'CREATED' }] }] });
    await helper.setFlows(flow(url, 'secflow-code42-file-events', { filters: v1Filter }), 'full', creds());
    w = wire();
    r = await run(w);
    assert.match(String(r.summary.error), /eventType/);
    caught = await w.caught.waitFor(1);
    assert.match(String((caught[0].error as Json).message), /^(Error: )?filters\.groups\[0\]\.filters\[0\]\.term "eventType" is a v1 \(legacy API\) term; with apiVersion incydr use the v2 term event\.action$/);
    const tsFilter = JSON.stringify({ groups: [{ filterClause: 'AND', filters: [{ term: 'insertionTimestamp', operator: 'ON_OR_AFTER', value: '2024-01-01T00:00:00.000Z' }] }] });
    await helper.setFlows(flow(url, 'secflow-code42-file-events', { filters: tsFilter }), 'full', creds());
    w = wire();
    r = await run(w);
    assert.equal(r.summary.events, 0);
    caught = await w.caught.waitFor(1);
    assert.match(String((caught[0].error as Json).message), /"insertionTimestamp" is a v1 \(legacy API\) term; with apiVersion incydr use the v2 term event\.inserted/);
    assert.equal(emu.requests('file-events').length, 0, 'bad input fails before any request');

    // The node keeps working once the input is fixed.
    await helper.setFlows(flow(url, 'secflow-code42-file-events'), 'full', creds());
    w = wire();
    r = await run(w);
    assert.equal(r.summary.events, 10, JSON.stringify(r.summary));
  });

  it('delivers Incydr alerts exactly once with details (observations parsed), across a restart', async () => {
    emu = new IncydrEmulator({ clients: { 'key-1': SECRET } });
    const url = await emu.listen();
    const now = emu.clock.now();
    emu.addAlerts({ count: 1200, createdMs: now - 7_200_000, stepMs: 3000, observationCount: 2, unparsableEvery: 97 });
    const contextDir = tempDir();
    const props = { details: true, pageSize: 500, cursorKey: 'alerts-cursor', since: '' };
    await loadFlow(NODES, flow(url, 'secflow-code42-alerts', props), creds(), { contextDir });
    let w = wire();
    const r1 = await run(w);
    assert.equal(r1.summary.error, undefined, String(r1.summary.error));
    const emitted = r1.messages.map((m) => (m.payload as Json).id as string);
    assert.equal(emitted.length, 1200);
    // Alert seq 0 (every 97th) has an observation whose data is not JSON: kept as the string.
    const a0 = r1.messages[0].payload as Json;
    const a1 = r1.messages[1].payload as Json;
    assert.ok(Array.isArray(a1.observations) && a1.observations.length === 2);
    assert.equal(typeof a1.observations[0].data, 'object', 'observation data parsed from its JSON string');
    assert.equal(typeof a0.observations[0].data, 'string', 'unparsable data kept as the string');
    const queries = emu.requests('alerts').map((x) => JSON.parse(x.body) as Json);
    assert.ok(queries.every((q) => q.tenantId === emu!.tenantId && q.srtKey === 'CreatedAt' && q.srtDirection === 'ASC' && q.pgSize === 500));
    assert.deepEqual(queries.map((q) => q.pgNum), [0, 1, 2]);
    assert.ok(emu.requests('alert-details').every((x) => (JSON.parse(x.body) as Json).alertIds.length <= 100));
    assert.equal(emu.requests('customer').length, 1);

    await unloadFlow();
    emu.addAlerts({ count: 300, createdMs: now - 60_000, stepMs: 100 });
    await loadFlow(NODES, flow(url, 'secflow-code42-alerts', props), creds(), { contextDir });
    w = wire();
    const r2 = await run(w);
    emitted.push(...r2.messages.map((m) => (m.payload as Json).id as string));
    assert.equal(r2.messages.length, 300);
    const r3 = await run(w);
    assert.equal(r3.messages.length, 0);
    assertExactlyOnce(emitted, emu.alertIds());
    const lastQuery = JSON.parse(emu.requests('alerts').at(-1)!.body) as Json;
    assert.deepEqual(lastQuery.groups.at(-1).filters[0].term, 'CreatedAt');
    assert.match(lastQuery.groups.at(-1).filters[0].value, /\.\d{6}Z$/);

    // A camelCase (v1) alert term is a clear error in incydr mode.
    await helper.setFlows(flow(url, 'secflow-code42-alerts', { ...props, filters: '[{"filterClause":"AND","filters":[{"term":"state","operator":"IS","value":"OPEN"}]}]' }), 'full', creds());
    w = wire();
    await run(w);
    const caught = await w.caught.waitFor(1);
    assert.match(String((caught[0].error as Json).message), /"state" is not an Incydr alert term; with apiVersion incydr alert terms are PascalCase: use State/);
  });
});
