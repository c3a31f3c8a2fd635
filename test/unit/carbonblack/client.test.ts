// The CB Cloud client against the loopback emulator: auth, segment polling, start
// paging and truncation (on the project's own replies, test/fixtures/carbonblack),
// deep paging, 429 gates and rate limits.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { CbcClient } from '../../../src/lib/carbonblack/client';
import { CbcEmulator, startCbcEmulator } from '../../emulators/carbonblack';
import { PROCESS_GUID, SEARCH_INTERIM, SEARCH_COMPLETE, SEARCH_CAPPED_PART_ONE, SEARCH_CAPPED_PART_TWO } from '../../fixtures/carbonblack/event-search';

let emu: CbcEmulator;
const clients: CbcClient[] = [];

function client(extra: Partial<ConstructorParameters<typeof CbcClient>[0]> = {}): CbcClient {
  const c = new CbcClient({ url: emu.baseUrl, orgKey: emu.orgKey, apiId: 'APIID01', apiSecret: 'apisecret', pollMs: 5, retry: { baseDelayMs: 10, throttleBaseMs: 10 }, ...extra });
  clients.push(c);
  return c;
}

before(async () => {
  emu = await startCbcEmulator();
});
after(async () => {
  for (const c of clients) c.close();
  await emu.close();
});
beforeEach(() => {
  emu.clearFaults();
  emu.segments = { total: 1, pollsToComplete: 1 };
  emu.maxAvailable = Number.POSITIVE_INFINITY;
  emu.log.length = 0;
});

test('sends X-Auth-Token secret/id with the org key and plain GUID in the path', async () => {
  const [root] = emu.addTree({ fanOut: 1, depth: 0, eventsPerProcess: 3 });
  const r = await client().searchEvents(root.guid);
  assert.equal(r.events.length, 3);
  const req = emu.requests('events:search')[0];
  assert.equal(req.headers['x-auth-token'], 'apisecret/APIID01');
  assert.equal(req.path, `/api/investigate/v2/orgs/${emu.orgKey}/events/${root.guid}/_search`);
  assert.equal(JSON.parse(req.body).query, `process_guid:${root.guid.replace(/-/g, '\\-')}`);
});

test('wrong credentials fail with HTTP 401 and the error never shows the secret', async () => {
  const [root] = emu.addTree({ fanOut: 1, depth: 0 });
  await assert.rejects(client({ apiSecret: 'wrong-secret' }).searchEvents(root.guid), (err: Error) => {
    assert.match(err.message, /HTTP 401/);
    assert.ok(!err.message.includes('wrong-secret'));
    return true;
  });
});

test('empty keys are sent as they are, and a rejection says they are empty', async () => {
  const [root] = emu.addTree({ fanOut: 1, depth: 0 });
  await assert.rejects(client({ apiId: '', apiSecret: '' }).searchEvents(root.guid), /HTTP 401.*has no API ID or secret key/);
  assert.equal(emu.requests('events:search').at(-1)!.headers['x-auth-token'], '/');
});

test('event search: interim 3/7 segments then 7/7; the interim results are not kept, events carry the requested GUID', async () => {
  emu.replay(PROCESS_GUID, [SEARCH_INTERIM, SEARCH_COMPLETE]);
  const r = await client().searchEvents(PROCESS_GUID, { maxEvents: 10 });
  assert.equal(r.events.length, 10);
  assert.deepEqual(r.events, SEARCH_COMPLETE.results);
  assert.ok(r.events.every((e) => e.process_guid === PROCESS_GUID));
  assert.equal(emu.requests('events:search').length, 2);
});

test('event search: 10-row cap → 10, 100-row cap → 100, everything → 250 (the page is served again as start advances)', async () => {
  for (const [limit, expected] of [[10, 10], [100, 100], [undefined, 250]] as const) {
    emu.log.length = 0;
    emu.replay(PROCESS_GUID, [SEARCH_COMPLETE]);
    const r = await client().searchEvents(PROCESS_GUID, { maxEvents: limit });
    assert.equal(r.events.length, expected, `limit ${limit}`);
    assert.equal(r.numAvailable, 250);
    assert.equal(r.truncated, false);
    const starts = emu.requests('events:search').map((e) => JSON.parse(e.body).start);
    assert.deepEqual(starts, Array.from({ length: expected / 10 }, (_, i) => i * 10), 'start advances by the page length');
  }
});

test('event search: a capped set in two parts → the second body has start 1, 3 events, truncated', async () => {
  emu.replay(PROCESS_GUID, [SEARCH_CAPPED_PART_ONE, SEARCH_CAPPED_PART_TWO]);
  const r = await client().searchEvents(PROCESS_GUID);
  const bodies = emu.requests('events:search').map((e) => JSON.parse(e.body));
  assert.equal(bodies.length, 2);
  assert.equal(bodies[0].start, 0);
  assert.equal(bodies[1].start, 1);
  assert.deepEqual(r.events.map((e) => e.event_guid), [...SEARCH_CAPPED_PART_ONE.results, ...SEARCH_CAPPED_PART_TWO.results].map((e) => e.event_guid));
  assert.equal(r.numFound, 250);
  assert.equal(r.numAvailable, 3);
  assert.equal(r.truncated, true);
});

test('a process with more than 10,000 events pages through completely (rows ≤ 10000)', async () => {
  const guid = emu.guidFor(0xabc, 4242, Date.UTC(2024, 0, 1));
  emu.addManyEvents(guid, 23_456);
  const r = await client().searchEvents(guid, { sort: [{ field: 'event_timestamp', order: 'DESC' }] });
  assert.equal(r.events.length, 23_456);
  assert.equal(new Set(r.events.map((e) => e.event_guid)).size, 23_456);
  const bodies = emu.requests('events:search').map((e) => JSON.parse(e.body));
  assert.deepEqual(bodies.map((b) => b.start), [0, 10_000, 20_000]);
  assert.ok(bodies.every((b) => b.rows <= 10_000));
  // Newest first across the page boundaries.
  assert.ok(r.events.every((e, i) => i === 0 || String(e.event_timestamp) <= String(r.events[i - 1].event_timestamp)));
  assert.equal(r.truncated, false);
});

test('segments: polls until every segment is processed, then returns the complete page', async () => {
  const [root] = emu.addTree({ fanOut: 1, depth: 0, eventsPerProcess: 8 });
  emu.segments = { total: 7, pollsToComplete: 4 };
  const r = await client().searchEvents(root.guid);
  assert.equal(r.events.length, 8);
  assert.equal(emu.requests('events:search').length, 4);
});

test('a search that stalls in segments ends with a clear error after the stall cap, not a hang', async () => {
  const [root] = emu.addTree({ fanOut: 1, depth: 0, eventsPerProcess: 8 });
  emu.segments = { total: 7, pollsToComplete: 1, stall: true };
  const started = Date.now();
  await assert.rejects(client({ maxStalls: 10 }).searchEvents(root.guid), /did not complete: segments stuck at 3\/7 after 10 polls without progress/);
  assert.equal(emu.requests('events:search').length, 11);
  assert.ok(Date.now() - started < 10_000);
});

test('429 with Retry-After: the request waits, then succeeds; nothing is sent before Retry-After', async () => {
  const [root] = emu.addTree({ fanOut: 1, depth: 0, eventsPerProcess: 2 });
  emu.inject({ route: 'events:search', fault: { type: 'throttle', retryAfterSeconds: 1 }, times: 1 });
  const c = client();
  const r = await c.searchEvents(root.guid);
  assert.equal(r.events.length, 2);
  const log = emu.requests('events:search');
  assert.equal(log.length, 2);
  assert.equal(log[0].status, 429);
  assert.ok(log[1].at - log[0].at >= 950, `retried after ${log[1].at - log[0].at} ms`);
});

test('429 pauses every worker of the client (shared gate)', async () => {
  const tree = emu.addTree({ fanOut: 3, depth: 1, eventsPerProcess: 2 });
  emu.inject({ route: 'events:search', fault: { type: 'throttle', retryAfterSeconds: 1 }, times: 1 });
  const c = client();
  const first = c.searchEvents(tree[0].guid);
  // Let the first request hit the 429, then start others: they must wait for the gate.
  await new Promise((r) => setTimeout(r, 200));
  const t0 = Date.now();
  await Promise.all([first, ...tree.slice(1).map((p) => c.searchEvents(p.guid))]);
  const firstThrottled = emu.requests('events:search')[0];
  assert.equal(firstThrottled.status, 429);
  const later = emu.requests('events:search').slice(1);
  assert.ok(later.every((e) => e.at - firstThrottled.at >= 950), 'no request went out during the Retry-After pause');
  assert.ok(Date.now() - t0 >= 600);
});

test('request rate limit spaces requests', async () => {
  const tree = emu.addTree({ fanOut: 4, depth: 1, eventsPerProcess: 1 });
  const c = client({ rateLimit: 10 });
  await Promise.all(tree.map((p) => c.searchEvents(p.guid)));
  const at = emu.requests('events:search').map((e) => e.at).sort((a, b) => a - b);
  assert.equal(at.length, 5);
  assert.ok(at[4] - at[0] >= 350, `5 requests at 10/s took ${at[4] - at[0]} ms`);
});

test('rows above 10,000 are refused by the emulator with 400 (contract check)', async () => {
  const res = await fetch(`${emu.baseUrl}/api/investigate/v2/orgs/${emu.orgKey}/events/x/_search`, { method: 'POST', headers: { 'X-Auth-Token': emu.token, 'Content-Type': 'application/json' }, body: JSON.stringify({ rows: 10_001 }) });
  assert.equal(res.status, 400);
});

test('bad client options name the field', () => {
  assert.throws(() => new CbcClient({ url: 'ftp://x', orgKey: 'A', apiId: 'a', apiSecret: 'b' }), /url must start with http/);
  assert.throws(() => new CbcClient({ url: 'http://x', orgKey: '', apiId: 'a', apiSecret: 'b' }), /orgKey is required/);
});

test('CB rate-limit window: over the limit → 429 block that later requests extend; the client waits it out', async () => {
  const [root] = emu.addTree({ fanOut: 1, depth: 0, eventsPerProcess: 1 });
  emu.rateWindow = { max: 2, windowMs: 60_000, blockSeconds: 1 };
  try {
    const c = client();
    await c.searchEvents(root.guid);
    await c.searchEvents(root.guid);
    const t0 = Date.now();
    const r = await c.searchEvents(root.guid); // third in the window: blocked, retried after Retry-After
    assert.equal(r.events.length, 1);
    assert.ok(Date.now() - t0 >= 900);
    const statuses = emu.requests('events:search').map((e) => e.status);
    assert.deepEqual(statuses.slice(0, 3), [200, 200, 429]);
    // During a block each request pushes the end further out.
    emu.rateWindow = undefined;
    emu.block(1);
    const first = await fetch(`${emu.baseUrl}/api/investigate/v2/orgs/${emu.orgKey}/events/x/_search`, { method: 'POST', headers: { 'X-Auth-Token': emu.token } });
    assert.equal(first.status, 429);
    await new Promise((res) => setTimeout(res, 600));
    const second = await fetch(`${emu.baseUrl}/api/investigate/v2/orgs/${emu.orgKey}/events/x/_search`, { method: 'POST', headers: { 'X-Auth-Token': emu.token } });
    assert.equal(second.status, 429, 'still blocked: the first blocked request extended the block');
    assert.equal(second.headers.get('retry-after'), '1');
  } finally {
    emu.rateWindow = undefined;
    emu.block(0);
  }
});

test('emulator process search jobs: contacted/completed progression and paging (contract §2)', async () => {
  emu.addTree({ fanOut: 2, depth: 1 });
  const headers = { 'X-Auth-Token': emu.token, 'Content-Type': 'application/json' };
  const base = `${emu.baseUrl}/api/investigate/v2/orgs/${emu.orgKey}/processes/search_jobs`;
  const { job_id } = await (await fetch(base, { method: 'POST', headers, body: JSON.stringify({ query: 'process_name:tool', rows: 10000 }) })).json() as { job_id: string };
  const poll1 = await (await fetch(`${base}/${job_id}/results?start=0&rows=0`, { headers })).json() as Record<string, number>;
  assert.notEqual(poll1.contacted, poll1.completed);
  const poll2 = await (await fetch(`${base}/${job_id}/results?start=0&rows=0`, { headers })).json() as Record<string, number>;
  assert.equal(poll2.contacted, poll2.completed);
  const page = await (await fetch(`${base}/${job_id}/results?start=1&rows=1`, { headers })).json() as { results: Array<Record<string, unknown>>; num_available: number };
  assert.equal(page.results.length, 1);
  assert.ok(page.num_available >= 2);
  assert.ok(Array.isArray(page.results[0].process_pid) && typeof page.results[0].parent_guid === 'string');
  assert.equal((await fetch(`${base}/nope/results`, { headers })).status, 404);
});
