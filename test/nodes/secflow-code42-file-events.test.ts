// secflow-code42-file-events through the real Node-RED runtime with the `file`
// (localfilesystem) context store really loaded, against the Code42 emulator:
// exactly-once delivery across runs, redeploys and a restart; faults on the way;
// pgToken paging past 10,000 results; bad input reaching a real Catch node.
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import configNode from '../../src/nodes/secflow-code42';
import fileEventsNode from '../../src/nodes/secflow-code42-file-events';
import { helper, loadFlow, tempDir, unloadFlow, type NodeModule } from '../support/node-harness';
import { extractorFlow, runOnce, storedValue, wireExtractor, type WiredExtractor } from '../support/code42-flow';
import { Code42Emulator } from '../emulators/code42';
import { freePort } from '../support/free-port';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
const NODES = [configNode as NodeModule, fileEventsNode as NodeModule, catchNode];
const CREDS = { c42: { id: 'cid', secret: 'csecret' } };
const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);

function flow(url: string, props: Record<string, unknown> = {}) {
  return extractorFlow('code42', { id: 'c42', type: 'secflow-code42', url, authType: 'apiClient', verifyTls: true, timeout: 10, retryScale: 0.001 }, {
    id: 'fe', type: 'secflow-code42-file-events', tenant: 'c42', filters: '', orMode: false, since: '', pageSize: 5000,
    interval: 0, output: 'event', cursorStore: 'file', cursorScope: 'node', cursorKey: 'code42-cursor', lookback: 0, ...props,
  });
}

const wire = () => wireExtractor('fe');

/** Triggers one run and waits for its summary; returns the payload and the ids emitted by this run. */
async function run(w: WiredExtractor, msg: Record<string, unknown> = {}) {
  const { summary, messages } = await runOnce(w, msg);
  const ids = messages.map((m) => (m.payload as { eventId: string }).eventId);
  return { summary: summary.payload as Record<string, unknown>, summaryMsg: summary, ids };
}

const storedCursor = (key = 'code42-cursor') => storedValue<{ ts: number; ids: string[] }>('fe', key);

function assertExactlyOnce(emitted: string[], expected: string[]) {
  const set = new Set(emitted);
  assert.equal(set.size, emitted.length, `${emitted.length - set.size} duplicates`);
  const missing = expected.filter((id) => !set.has(id));
  assert.equal(missing.length, 0, `${missing.length} missing, e.g. ${missing[0]}`);
  assert.equal(emitted.length, expected.length);
}

describe('secflow-code42-file-events node', () => {
  let emu: Code42Emulator | undefined;
  afterEach(async () => {
    await unloadFlow();
    await emu?.close();
    emu = undefined;
  });
  after(() => helper.stopServer?.((): void => undefined));

  it('delivers 25,000 events (12,000 on one ms) exactly once across runs, redeploys and a restart; pages past 10,000 by pgToken', async () => {
    emu = new Code42Emulator({ clients: { cid: 'csecret' } });
    const url = await emu.listen();
    const tie = T0 + 10_000;
    emu.addFileEvents({ count: 5000, startMs: T0, stepMs: 1 });
    emu.addFileEvents({ count: 6000, startMs: tie, stepMs: 0 });
    const contextDir = tempDir();
    await loadFlow(NODES, flow(url), CREDS, { contextDir });
    let w = wire();
    const emitted: string[] = [];

    const r1 = await run(w);
    assert.equal(r1.summary.events, 11_000);
    assert.equal(r1.ids.length, 11_000);
    emitted.push(...r1.ids);
    assert.equal((await storedCursor())?.ts, tie);
    assert.equal((await storedCursor())?.ids.length, 6000, 'every id at the tie ms is in the cursor');

    // More events on the tie ms (12,000 in all, more than a page) and after it; redeploy first.
    emu.addFileEvents({ count: 6000, startMs: tie, stepMs: 0 });
    emu.addFileEvents({ count: 8000, startMs: tie + 1, stepMs: 1 });
    await helper.setFlows(flow(url), 'full', CREDS);
    w = wire();
    const tokensFrom = emu.searchLog.length;
    const r2 = await run(w);
    assert.equal(r2.summary.events, 14_000);
    emitted.push(...r2.ids);
    // 20,000 results (6,000 known) in one query: token paging, first "" then each returned token echoed.
    const searches = emu.searchLog.slice(tokensFrom);
    assert.ok(searches.length >= 4, `${searches.length} searches`);
    assert.equal(searches[0].pgToken, '');
    for (let i = 1; i < searches.length; i++) assert.equal(searches[i].pgToken, searches[i - 1].nextPgToken);
    assert.equal(searches.at(-1)!.nextPgToken, null);
    assert.ok(emu.requests('fileevents').every((e) => !('pgNum' in JSON.parse(e.body))), 'never page numbers');
    assertExactlyOnce(emitted, emu.visibleFileEventIds());
    assert.equal(emitted.length, 25_000);
    const tieIds = emu.visibleFileEventIds().filter((_id, i) => i >= 5000 && i < 17_000);
    assert.equal(tieIds.length, 12_000);

    // Restart: stop Node-RED (flushing the file store) and load again with the same directory.
    await unloadFlow();
    await loadFlow(NODES, flow(url), CREDS, { contextDir });
    w = wire();
    const r3 = await run(w);
    assert.equal(r3.summary.events, 0, 'nothing is repeated after a restart');
    emu.addFileEvents({ count: 2000, startMs: tie + 8001, stepMs: 1 });
    const r4 = await run(w);
    assert.equal(r4.summary.events, 2000, 'the cursor resumes with no gap');
    emitted.push(...r3.ids, ...r4.ids);
    assertExactlyOnce(emitted, emu.visibleFileEventIds());
    // The cursor group is the last AND group, ON_OR_AFTER the stored ms.
    const last = JSON.parse(emu.requests('fileevents').at(-1)!.body);
    assert.deepEqual(last.groups.at(-1), { filterClause: 'AND', filters: [{ operator: 'ON_OR_AFTER', term: 'insertionTimestamp', value: new Date(tie + 8000).toISOString() }] });
  });

  it('loses nothing through 429s, 5xx bursts, a token expiry, a malformed page, INVALID_PAGE_TOKEN and a failed page (opaque tokens)', async () => {
    emu = new Code42Emulator({ clients: { cid: 'csecret' }, tokenStyle: 'opaque' });
    const url = await emu.listen();
    emu.addFileEvents({ count: 9000, startMs: T0, stepMs: 1 });
    emu.addFileEvents({ count: 3000, startMs: T0 + 4000, stepMs: 0 });
    await loadFlow(NODES, flow(url, { pageSize: 1000 }), CREDS);
    const w = wire();
    const e = emu;
    e.inject({ route: 'fileevents', nth: [2], fault: { type: 'throttle', retryAfterSeconds: 1 } });
    e.inject({ route: 'fileevents', nth: [4, 5], fault: { type: 'status', status: 503 } });
    e.inject({ route: 'fileevents', nth: [7], fault: { type: 'respond', respond: () => { e.expireTokens(); return { status: 401, body: { error: 'token expired' } }; } } });
    e.inject({ route: 'fileevents', nth: [9], fault: { type: 'malformed' } });
    e.injectInvalidPageToken({ nth: [11] });
    // A page answered with problems mid-run: the run fails; the cursor covers only what was sent.
    e.injectProblems('fileevents', { nth: [15] });
    const r1 = await run(w);
    assert.match(String(r1.summary.error), /SEARCH_FAILED/);
    const [caught] = await w.caught.waitFor(1);
    assert.match(String((caught.error as { message: string }).message), /SEARCH_FAILED/);
    const cursor = await storedCursor();
    assert.ok(cursor, 'pages before the failure were saved');
    const order = emu.visibleFileEventIds();
    const position = new Map(order.map((id, i) => [id, i]));
    const sentMax = Math.max(...r1.ids.map((id) => position.get(id)!));
    const firstUnsent = order[sentMax + 1];
    assert.ok(!cursor.ids.includes(firstUnsent), 'the cursor never covers an undelivered event');
    const r2 = await run(w);
    assert.equal(r2.summary.error, undefined);
    assertExactlyOnce([...r1.ids, ...r2.ids], order);
    const statuses = emu.requests('fileevents').map((x) => x.status);
    for (const s of [429, 503, 401, 400]) assert.ok(statuses.includes(s), `saw ${s}`);
    assert.ok(emu.requests('oauth').length >= 2, 're-authenticated after the token expired');
  });

  it('a redeploy in the middle of a run keeps the cursor at the last delivered page', async () => {
    emu = new Code42Emulator({ clients: { cid: 'csecret' } });
    const url = await emu.listen();
    emu.addFileEvents({ count: 6000, startMs: T0, stepMs: 1 });
    const contextDir = tempDir();
    await loadFlow(NODES, flow(url, { pageSize: 500 }), CREDS, { contextDir });
    let w = wire();
    emu.inject({ route: 'fileevents', nth: [4], fault: { type: 'latency', ms: 400 } });
    w.node.receive({});
    await w.out.waitFor(1500);
    const partial = w.out.messages.map((m) => (m.payload as { eventId: string }).eventId);
    await helper.setFlows(flow(url, { pageSize: 500 }), 'full', CREDS);
    w = wire();
    const r = await run(w);
    assertExactlyOnce([...partial, ...r.ids], emu.visibleFileEventIds());
  });

  it('reports bad input through Catch and output 2, and keeps working', async () => {
    emu = new Code42Emulator({ clients: { cid: 'other' } });
    const url = await emu.listen();
    emu.addFileEvents({ count: 50, startMs: T0, stepMs: 10 });

    // Invalid filter JSON: the error names the field; a second input gets a second answer.
    await loadFlow(NODES, flow(url, { filters: '{"groups": [' }), CREDS);
    let w = wire();
    let r = await run(w, { payload: 'go' });
    assert.match(String(r.summary.error), /^filters is not valid JSON/);
    let [caught] = await w.caught.waitFor(1);
    assert.match((caught.error as { message: string }).message, /filters is not valid JSON/);
    assert.equal(caught.payload, 'go', 'Catch gets the triggering message');
    r = await run(w);
    assert.match(String(r.summary.error), /filters is not valid JSON/);
    await unloadFlow();

    // Wrong credentials: 401 from the token endpoint; fixed credentials work on the next run.
    await loadFlow(NODES, flow(url), CREDS);
    w = wire();
    r = await run(w);
    assert.match(String(r.summary.error), /authentication failed \(HTTP 401\)/);
    assert.doesNotMatch(String(r.summary.error), /csecret/);
    [caught] = await w.caught.waitFor(1);
    assert.match((caught.error as { message: string }).message, /authentication failed/);
    emu.config.clients!.cid = 'csecret';
    r = await run(w);
    assert.equal(r.summary.events, 50);

    // A filter on the cursor term while a cursor exists: the reference text; reset clears it.
    await unloadFlow();
    const f = JSON.stringify([{ filterClause: 'AND', filters: [{ operator: 'ON_OR_AFTER', term: 'insertionTimestamp', value: new Date(T0).toISOString() }] }]);
    await loadFlow(NODES, flow(url, { filters: f, cursorStore: '' }), CREDS);
    w = wire();
    r = await run(w);
    assert.equal(r.summary.events, 50, 'allowed without a cursor');
    r = await run(w);
    assert.equal(r.summary.error, "InsertionTimestamp filter can't be used with FileEventExtractor when a cursor checkpoint exists.");
    [caught] = await w.caught.waitFor(1);
    assert.match((caught.error as { message: string }).message, /InsertionTimestamp filter can't be used with FileEventExtractor when a cursor checkpoint exists\./);
    w.node.receive({ reset: true });
    await new Promise((resolve) => setTimeout(resolve, 100));
    r = await run(w);
    assert.equal(r.summary.events, 50, 'after msg.reset the run starts over');
    await unloadFlow();

    // Unreachable tenant (closed port), then the tenant comes up on that port.
    const port = await freePort();
    await loadFlow(NODES, flow(`http://127.0.0.1:${port}`), CREDS);
    w = wire();
    r = await run(w);
    assert.match(String(r.summary.error), /connection refused/);
    [caught] = await w.caught.waitFor(1);
    assert.match((caught.error as { message: string }).message, /connection refused/);
    const second = new Code42Emulator({ clients: { cid: 'csecret' } });
    await second.listen(port);
    second.addFileEvents({ count: 7, startMs: T0, stepMs: 1 });
    try {
      r = await run(w);
      assert.equal(r.summary.events, 7);
    } finally {
      await unloadFlow();
      await second.close();
    }
  });
});

