// The Incydr flavours driven by runExtraction against the Incydr emulator on
// loopback: the look-back catches late-indexed events (and 0 s misses them), a
// failed delivery leaves the cursor after the previous page, INVALID_PAGE_TOKEN
// restarts once and a second one in a row is an error, problems on a 500 are an
// error naming them, and the OAuth provider renews early, after expiry and never
// leaks the secret.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CursorStore, type ContextLike } from '../../../src/lib/cursor';
import { HttpClient } from '../../../src/lib/http';
import { IncydrAuth, IncydrClient, IncydrFileEvents, IncydrSessions, reviveIncydrFileEventCursor, reviveSessionCursor, runExtraction, type IncydrFileEventCursor, type SessionCursor, type V2FileEvent } from '../../../src/lib/code42';
import { IncydrEmulator } from '../../emulators/incydr';

function memoryContext(): ContextLike & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: (key, _store, cb) => setImmediate(() => cb(null, structuredClone(data.get(key)))),
    set: (key, value, _store, cb) => setImmediate(() => {
      data.set(key, structuredClone(value));
      cb();
    }),
  };
}

const SECRET = 'unit-s3cret';

describe('Incydr flavours with runExtraction', () => {
  // A fresh emulator per test: each oracle sees only that test's events.
  let emu: IncydrEmulator;
  let client: IncydrClient;
  beforeEach(async () => {
    emu = new IncydrEmulator({ clients: { unit: SECRET } });
    await emu.listen();
    client = new IncydrClient({ url: emu.baseUrl, credentials: { clientId: 'unit', secret: SECRET }, retryScale: 0.001 });
  });
  afterEach(async () => {
    client.close();
    await emu.close();
  });
  const flavour = (overlapMs: number, pageSize = 1000, sinceMs?: number) => new IncydrFileEvents(client, { groups: [], groupClause: 'AND', orMode: false, pageSize, overlapMs, sinceMs });
  const store = (ctx: ContextLike, key: string) => new CursorStore<IncydrFileEventCursor>(ctx, { scope: 'node', key }, reviveIncydrFileEventCursor);
  const ids = (items: V2FileEvent[]) => items.map((e) => e.event.id);

  for (const [overlap, expectLate] of [[60_000, true], [0, false]] as const) {
    it(`a ${overlap / 1000} s look-back ${expectLate ? 'catches events indexed 45 s late, exactly once' : 'misses events indexed 45 s late'}`, async () => {
      const since = emu.clock.now() - 120_000;
      const base = emu.clock.now() - 20_000;
      emu.addFileEvents({ count: 300, insertedMs: base, stepMs: 10 });
      const late = emu.addFileEvents({ count: 50, insertedMs: base + 5, stepMs: 20, visibleAfterMs: 45_000 });
      const ctx = memoryContext();
      const got: string[] = [];
      const f = flavour(overlap, 100, since);
      await runExtraction(f, store(ctx, 'c'), { deliver: (p) => { got.push(...ids(p.items)); } });
      assert.equal(got.length, 300, 'first run: the visible events');
      emu.clock.advance(50_000);
      emu.addFileEvents({ count: 20, insertedMs: emu.clock.now() - 1000, stepMs: 10 });
      await runExtraction(f, store(ctx, 'c'), { deliver: (p) => { got.push(...ids(p.items)); } });
      assert.equal(new Set(got).size, got.length, 'no duplicates');
      assert.equal(late.every((id) => got.includes(id)), expectLate);
      assert.equal(late.some((id) => got.includes(id)), expectLate);
      if (expectLate) assert.deepEqual(new Set(got), new Set(emu.visibleIds()));
      else assert.equal(got.length, 320);
    });
  }

  it('a failed delivery leaves the cursor after the previous page; the next run resumes with no gap and no repeat', async () => {
    const since = emu.clock.now() - 10_000;
    const added = emu.addFileEvents({ count: 2500, insertedMs: emu.clock.now() - 5_000, stepMs: 1 });
    const ctx = memoryContext();
    const f = flavour(60_000, 1000, since);
    const got: string[] = [];
    let pages = 0;
    await assert.rejects(runExtraction(f, store(ctx, 'd'), {
      deliver: (p) => {
        if (++pages === 2) throw new Error('downstream failed');
        got.push(...ids(p.items));
      },
    }), /downstream failed/);
    assert.equal(got.length, 1000);
    const c = ctx.data.get('d') as IncydrFileEventCursor;
    const inserted = String((emu.eventById(added[999])!.event as Record<string, unknown>).inserted);
    assert.equal(c.ts, Date.parse(`${inserted.slice(0, 23)}Z`), 'the cursor is at the last event of page 1');
    await runExtraction(f, store(ctx, 'd'), { deliver: (p) => { got.push(...ids(p.items)); } });
    assert.deepEqual(got.filter((id) => added.includes(id)), added);
  });

  it('INVALID_PAGE_TOKEN restarts once from the stored cursor; twice in a row is an error', async () => {
    const since = emu.clock.now() - 4_000;
    emu.addFileEvents({ count: 1500, insertedMs: emu.clock.now() - 3_000, stepMs: 1 });
    const ctx = memoryContext();
    const warnings: string[] = [];
    const n = emu.requests('file-events').length;
    emu.injectInvalidPageToken({ nth: [n + 2] });
    const got: string[] = [];
    await runExtraction(flavour(60_000, 500, since), store(ctx, 'e'), { deliver: (p) => { got.push(...ids(p.items)); }, warn: (m) => warnings.push(m) });
    assert.equal(new Set(got).size, got.length);
    assert.deepEqual(new Set(got), new Set(emu.visibleIds()));
    assert.match(warnings.join(' '), /INVALID_PAGE_TOKEN; restarting the query from the stored cursor/);
    // A bad-token 400 whose body is text only (as py42 saw it) restarts the same way.
    const t = emu.requests('file-events').length;
    emu.addFileEvents({ count: 700, insertedMs: emu.clock.now() - 1500, stepMs: 1 });
    emu.inject({ route: 'file-events', nth: [t + 2], fault: { type: 'status', status: 400, body: 'Bad request: INVALID_PAGE_TOKEN' } });
    warnings.length = 0;
    await runExtraction(flavour(60_000, 500, since), store(ctx, 'e'), { deliver: (p) => { got.push(...ids(p.items)); }, warn: (w) => warnings.push(w) });
    assert.match(warnings.join(' '), /INVALID_PAGE_TOKEN/);
    assert.equal(new Set(got).size, got.length);
    assert.deepEqual(new Set(got), new Set(emu.visibleIds()));
    const m = emu.requests('file-events').length;
    emu.addFileEvents({ count: 600, insertedMs: emu.clock.now() - 1000, stepMs: 1 });
    emu.injectInvalidPageToken({ nth: [m + 2, m + 3] });
    await assert.rejects(runExtraction(flavour(60_000, 500, since), store(ctx, 'e'), { deliver: () => undefined }), /rejected the page token again after a restart \(INVALID_PAGE_TOKEN\)/);
  });

  it('with a cursor, an event.inserted filter is refused before any request and a @timestamp filter is warned about', async () => {
    emu.addFileEvents({ count: 10, insertedMs: emu.clock.now() - 5000 });
    const ctx = memoryContext();
    const make = (term: string) => new IncydrFileEvents(client, { groups: [{ filterClause: 'AND', filters: [{ term, operator: 'ON_OR_AFTER', value: new Date(emu.clock.now() - 60_000).toISOString() }] }], groupClause: 'AND', orMode: false, pageSize: 100, overlapMs: 0 });
    // Without a cursor both are fine (the first run may be bounded by them).
    await runExtraction(make('event.inserted'), store(ctx, 'g'), { deliver: () => undefined });
    const before = emu.requests('file-events').length;
    await assert.rejects(runExtraction(make('event.inserted'), store(ctx, 'g'), { deliver: () => undefined }), /event\.inserted filter can't be used with the Incydr file-event extractor when a cursor checkpoint exists/);
    assert.equal(emu.requests('file-events').length, before);
    const warnings: string[] = [];
    await runExtraction(make('@timestamp'), store(ctx, 'g'), { deliver: () => undefined, warn: (w) => warnings.push(w) });
    assert.match(warnings.join(' '), /@timestamp filter with a cursor on event\.inserted can hide late-indexed events/);
  });

  it('problems on a 500 (after the retries) and on a 200 are errors naming them; nothing is delivered', async () => {
    const ctx = memoryContext();
    emu.injectProblems({ status: 500, type: 'SEARCH_FAILED', when: { times: 4 } });
    let delivered = 0;
    await assert.rejects(runExtraction(flavour(0), store(ctx, 'f'), { deliver: () => { delivered++; } }), /search reported problems \(HTTP 500\): SEARCH_FAILED/);
    emu.injectProblems({ status: 200, type: 'QUERY_TIMEOUT' });
    await assert.rejects(runExtraction(flavour(0), store(ctx, 'f'), { deliver: () => { delivered++; } }), /problems \(HTTP 200\): QUERY_TIMEOUT/);
    assert.equal(delivered, 0);
    assert.equal(ctx.data.get('f'), undefined);
  });

  it('sessions: new, then updated, never unchanged; the cursor keeps the window', async () => {
    const now = emu.clock.now();
    const sids = emu.addSessions({ count: 3, beginMs: now - 7_200_000, at: now - 100 });
    const ctx = memoryContext();
    const f = new IncydrSessions(client, { params: [], lookbackMs: 86_400_000 });
    const s = () => new CursorStore<SessionCursor>(ctx, { scope: 'node', key: 's' }, reviveSessionCursor);
    const changes: string[] = [];
    const deliver = (p: { items: Array<{ session: { sessionId: string }; change: string }> }) => { changes.push(...p.items.map((i) => `${i.change}:${i.session.sessionId}`)); };
    await runExtraction(f, s(), { deliver });
    assert.deepEqual(changes.sort(), sids.map((id) => `new:${id}`).sort());
    emu.updateSession(sids[1], { score: 40 }, emu.clock.now() - 1);
    changes.length = 0;
    await runExtraction(f, s(), { deliver });
    assert.deepEqual(changes, [`updated:${sids[1]}`]);
    const c = ctx.data.get('s') as SessionCursor;
    assert.equal(c.beginMs, now - 7_200_000);
    assert.equal(c.seen.length, 3);
    // sessionUpdates "first": a change is tracked but not sent.
    emu.updateSession(sids[2], { score: 50 }, emu.clock.now() - 1);
    changes.length = 0;
    await runExtraction(new IncydrSessions(client, { params: [], lookbackMs: 86_400_000, updates: 'first' }), s(), { deliver });
    assert.deepEqual(changes, []);
    assert.ok((ctx.data.get('s') as SessionCursor).seen.some(([id, updated]) => id === sids[2] && updated === emu.sessionView(sids[2])!.lastUpdated));
  });
});

describe('IncydrAuth', () => {
  let emu: IncydrEmulator;
  before(async () => {
    emu = new IncydrEmulator({ clients: { unit: SECRET } });
    await emu.listen();
  });
  after(() => emu.close());

  it('renews 60 s before expires_in, once after a 401 (expired on the server), and rejects a bad secret without leaking it', async () => {
    let now = 1_000_000;
    const auth = new IncydrAuth({ clientId: 'unit', secret: SECRET }, () => now);
    const http = new HttpClient({ baseUrl: emu.baseUrl, auth, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    try {
      await http.request({ method: 'GET', path: '/v1/customer' });
      await http.request({ method: 'GET', path: '/v1/customer' });
      assert.equal(auth.fetches, 1);
      assert.equal(auth.claims()?.tenantUid, emu.tenantId);
      now += 900_000 - 60_000; // 14 min: inside the renewal margin
      await http.request({ method: 'GET', path: '/v1/customer' });
      assert.equal(auth.fetches, 2);
      const oauth = emu.requests('oauth').at(-1)!;
      assert.equal(new URLSearchParams(oauth.query).get('grant_type'), 'client_credentials');
      assert.match(String(oauth.headers.authorization), /^Basic /);
      emu.clock.advance(16 * 60_000); // the server's clock runs out the token; ours does not know
      await http.request({ method: 'GET', path: '/v1/customer' });
      assert.equal(auth.fetches, 3, 'one refresh after the 401');
    } finally {
      http.close();
    }
    const bad = new IncydrClient({ url: emu.baseUrl, credentials: { clientId: 'unit', secret: 'wrong-secret-xyz' }, retryScale: 0.001 });
    try {
      await assert.rejects(bad.tenantId(), (err: Error) => /^Incydr authentication failed \(HTTP 401\)/.test(err.message) && !err.message.includes('wrong-secret-xyz'));
    } finally {
      bad.close();
    }
  });

  it('sends empty credentials as they are and says so when the tenant rejects them', async () => {
    const empty = new IncydrClient({ url: emu.baseUrl, credentials: { clientId: '', secret: '' }, retryScale: 0.001 });
    try {
      await assert.rejects(empty.tenantId(), /Incydr authentication failed \(HTTP 401\).*the config node has no client id or secret/);
      assert.equal(emu.requests('oauth').at(-1)!.headers.authorization, `Basic ${Buffer.from(':').toString('base64')}`);
    } finally {
      empty.close();
    }
  });
});
