// The Incydr audit-log flavour driven by runExtraction against the emulator's audit
// log on loopback: exactly once across runs (a tie on one timestamp bigger than a
// page, events indexed late inside the look-back, windows split when too full),
// faults (429, 5xx, token expiry, a malformed page, a failed delivery, a page that
// is not a list) lose nothing and never move the cursor past an undelivered event,
// filters reach the request, and the cursor stays bounded.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CursorStore, type ContextLike } from '../../../src/lib/cursor';
import { AUDIT_RECENT_CAP, IncydrAuditLog, advanceAuditLogCursor, IncydrClient, MAX_AUDIT_WINDOW_RESULTS, auditEventDigest, mergeAuditFilters, parseAuditFilters, reviveAuditLogCursor, runExtraction, type AuditEvent, type AuditLogCursor, type AuditLogQueryOptions } from '../../../src/lib/code42';
import { canonicalJson } from '../../../src/lib/util/canonical-json';
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

const SECRET = 'audit-s3cret';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('canonical JSON and audit digests', () => {
  it('ignores key order at every depth and tells different content apart', () => {
    const a = { b: 1, a: { y: [1, { q: null, p: 'x' }], x: 'é' }, t: 'audit_log::logged_in/1' };
    const b = { t: 'audit_log::logged_in/1', a: { x: 'é', y: [1, { p: 'x', q: null }] }, b: 1 };
    assert.equal(canonicalJson(a), '{"a":{"x":"é","y":[1,{"p":"x","q":null}]},"b":1,"t":"audit_log::logged_in/1"}');
    assert.equal(auditEventDigest(a), auditEventDigest(b));
    assert.notEqual(auditEventDigest(a), auditEventDigest({ ...b, b: 2 }));
    assert.match(auditEventDigest(a), /^[A-Za-z0-9_-]{43}$/);
  });
});

describe('audit-log cursor', () => {
  it('moves readTo only with a finished window, keeps the digests the next query can return, and stays bounded', () => {
    const d = (n: number) => `d${n}`;
    const start = 1_000_000;
    // A page inside a window: readTo stays before the window, the digests are kept.
    const mid = advanceAuditLogCursor(undefined, [d(1), d(2)], [start + 10, start + 20], { lookbackMs: 300_000, startMs: start });
    assert.equal(mid.readTo, start - 1);
    assert.equal(mid.ts, start + 20);
    assert.deepEqual(mid.ids, [d(2)]);
    assert.deepEqual(mid.recent.map((e) => e[0]), [d(1), d(2)]);
    // The window's last page: readTo = its end; older digests outside readTo − look-back are dropped.
    const done = advanceAuditLogCursor(mid, [d(3)], [start + 20], { lookbackMs: 10, startMs: start, windowEnd: start + 50 });
    assert.equal(done.readTo, start + 50);
    assert.deepEqual(done.ids.sort(), [d(2), d(3)]);
    const next = advanceAuditLogCursor(done, [], [], { lookbackMs: 10, startMs: start + 51, windowEnd: start + 100 });
    assert.equal(next.readTo, start + 100);
    assert.deepEqual(next.recent, [], 'nothing left inside 100 − 10');
    // Capped: the newest digests stay.
    const many = Array.from({ length: AUDIT_RECENT_CAP + 10 }, (_x, i) => d(i));
    const capped = advanceAuditLogCursor(undefined, many, many.map((_x, i) => start + i), { lookbackMs: 10 * AUDIT_RECENT_CAP, startMs: start, windowEnd: start + AUDIT_RECENT_CAP + 10 });
    assert.equal(capped.recent.length, AUDIT_RECENT_CAP);
    assert.equal(capped.recent[0][0], d(10));
    // Stored and revived (also from JSON text); anything else is an error naming the shape.
    assert.deepEqual(reviveAuditLogCursor(JSON.stringify(done)), done);
    assert.throws(() => reviveAuditLogCursor({ v: 2, api: 'incydr', ts: 1, ids: [], recent: [] }), /not an Incydr audit-log cursor/);
  });
});

describe('audit-log filters', () => {
  it('reads API and snake_case names, unites form and JSON lists, and names the field in errors', () => {
    const json = parseAuditFilters('{"eventTypes":"logged_in","actor_names":["a@x","b@x"],"userTypes":["USER"]}');
    assert.deepEqual(json, { eventTypes: ['logged_in'], actorNames: ['a@x', 'b@x'], userTypes: ['USER'] });
    assert.deepEqual(mergeAuditFilters({ actorNames: ['b@x', 'c@x'], resourceIds: ['r1'] }, json), { actorNames: ['b@x', 'c@x', 'a@x'], eventTypes: ['logged_in'], resourceIds: ['r1'], userTypes: ['USER'] });
    assert.throws(() => parseAuditFilters('{"dateRange":{}}'), /filters\.dateRange: set by the node's cursor/);
    assert.throws(() => parseAuditFilters('{"actors":["x"]}'), /filters\.actors is not an audit-log filter/);
    assert.throws(() => parseAuditFilters('{"userTypes":["ADMIN"]}'), /userTypes must be among USER, SUPPORT_USER, API_CLIENT, SYSTEM, UNKNOWN/);
    assert.throws(() => parseAuditFilters('[1]'), /filters must be a JSON object/);
    assert.throws(() => parseAuditFilters('{"eventTypes":[3]}'), /filters\.eventTypes must be a non-empty string/);
    assert.throws(() => parseAuditFilters('{'), /filters is not valid JSON/);
  });
});

describe('Incydr audit log with runExtraction', () => {
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
  const flavour = (q: Partial<AuditLogQueryOptions> = {}) => new IncydrAuditLog(client, { filters: {}, pageSize: 1000, lookbackMs: 300_000, ...q }, () => emu.clock.now());
  const store = (ctx: ContextLike, key = 'c') => new CursorStore<AuditLogCursor>(ctx, { scope: 'node', key }, reviveAuditLogCursor);
  const oracle = () => emu.audit.visible().map((r) => auditEventDigest(emu.audit.event(r)));
  const run = async (f: IncydrAuditLog, ctx: ContextLike, got: string[], deliver?: (items: AuditEvent[]) => void) =>
    runExtraction(f, store(ctx), { deliver: (p) => { deliver?.(p.items); got.push(...p.items.map(auditEventDigest)); } });
  const assertExactlyOnce = (got: string[], expected: string[]) => {
    assert.equal(new Set(got).size, got.length, `${got.length - new Set(got).size} duplicates`);
    const have = new Set(got);
    const missing = expected.filter((d) => !have.has(d));
    assert.equal(missing.length, 0, `${missing.length} missing`);
    assert.equal(got.length, expected.length);
  };
  const bodies = () => emu.requests('audit-log').filter((e) => e.status === 200).map((e) => JSON.parse(e.body) as Json);

  it('delivers every event exactly once across runs: 2,500 on one timestamp (beyond a page), windows split when too full, late events inside the look-back', async () => {
    const now = emu.clock.now();
    const since = now - 3 * 3_600_000;
    emu.audit.add({ count: 12_000, startMs: since + 1000, stepMs: 250 });
    const tieMs = now - 3_600_000 + 7;
    emu.audit.add({ count: 2500, startMs: tieMs, stepMs: 0 });
    emu.audit.add({ count: 3000, startMs: now - 1_800_000, stepMs: 100 });
    const ctx = memoryContext();
    const got: string[] = [];
    const f = flavour({ sinceMs: since });
    const s1 = await run(f, ctx, got);
    assertExactlyOnce(got, oracle());
    assert.equal(s1.events, 17_500);
    // Every request: the SDK's body, 0-based pages within the window limit, inclusive second bounds.
    for (const b of bodies()) {
      assert.deepEqual(Object.keys(b), ['actorIds', 'actorIpAddresses', 'actorNames', 'dateRange', 'eventTypes', 'page', 'pageSize', 'resourceIds', 'userTypes']);
      assert.ok((b.page + 1) * b.pageSize <= MAX_AUDIT_WINDOW_RESULTS);
      assert.ok(b.dateRange.startTime <= b.dateRange.endTime);
    }
    assert.ok(bodies().some((b) => b.page > 0), 'windows are paged');
    const spans = bodies().filter((b) => b.page === 0).map((b) => b.dateRange.endTime - b.dateRange.startTime);
    assert.equal(spans[0], 3600, 'the first window is an hour');
    assert.ok(spans.some((s) => s < 3600), 'a window too full to page through was split');
    assert.ok(bodies().some((b) => b.dateRange.startTime * 1000 <= tieMs && b.dateRange.endTime * 1000 >= tieMs && b.page === 2), 'the tie was paged through within one window');
    const c1 = (await store(ctx).load())!;
    assert.ok(c1.readTo >= now && c1.readTo <= emu.clock.now(), 'read up to the run\'s start');
    assert.ok(c1.recent.length <= AUDIT_RECENT_CAP);

    // Late events: timestamps 55–250 s back (inside the 300 s look-back), indexed only 30 s from now; and new ones.
    const lateStart = emu.clock.now() - 250_000;
    emu.audit.add({ count: 40, startMs: lateStart, stepMs: 5000, visibleAt: emu.clock.now() + 30_000 });
    emu.audit.add({ count: 30, startMs: emu.clock.now() - 20_000, stepMs: 500 });
    await run(f, ctx, got);
    assert.equal(got.length, 17_530, 'run 2: the new visible events, not the late ones yet');
    emu.clock.advance(60_000);
    emu.audit.add({ count: 10, startMs: emu.clock.now() - 5000, stepMs: 100 });
    await run(f, ctx, got);
    assertExactlyOnce(got, oracle());
    assert.equal(got.length, 17_580);
    // A run with nothing new sends nothing.
    const s4 = await run(f, ctx, got);
    assert.equal(s4.events, 0);
  });

  it('without a look-back, late events are missed (the look-back is what catches them)', async () => {
    const now = emu.clock.now();
    emu.audit.add({ count: 20, startMs: now - 10_000, stepMs: 100 });
    emu.audit.add({ count: 5, startMs: now - 9_000, stepMs: 100, visibleAfterMs: 30_000 });
    const ctx = memoryContext();
    const got: string[] = [];
    const f = flavour({ sinceMs: now - 60_000, lookbackMs: 0 });
    await run(f, ctx, got);
    emu.clock.advance(40_000);
    await run(f, ctx, got);
    assert.equal(got.length, 20);
    assert.equal(new Set(got).size, 20);
  });

  it('429, 5xx, token expiry and a malformed page are retried in place: nothing lost, nothing repeated', async () => {
    const now = emu.clock.now();
    emu.audit.add({ count: 5000, startMs: now - 3_000_000, stepMs: 500 });
    emu.injectThrottle('audit-log', 1, { nth: [2] });
    emu.inject({ route: 'audit-log', nth: [3], fault: { type: 'status', status: 503 } });
    emu.inject({ route: 'audit-log', nth: [4], fault: { type: 'status', status: 401, body: { error: 'invalid_token' } } });
    emu.inject({ route: 'audit-log', nth: [6], fault: { type: 'malformed' } });
    const ctx = memoryContext();
    const got: string[] = [];
    await run(flavour({ sinceMs: now - 3_600_000 }), ctx, got);
    assertExactlyOnce(got, oracle());
    const statuses = emu.requests('audit-log').map((e) => e.status);
    for (const s of [429, 503, 401]) assert.ok(statuses.includes(s), `saw ${s}`);
    assert.ok(emu.requests('oauth').length >= 2, 'a new token after the 401');
  });

  it('a run that fails mid-window (5xx beyond the retries, a failed delivery, events not a list) leaves the cursor before every undelivered event; the next runs deliver the rest exactly once', async () => {
    const now = emu.clock.now();
    emu.audit.add({ count: 6000, startMs: now - 3_000_000, stepMs: 400 });
    emu.audit.add({ count: 1500, startMs: now - 2_000_000, stepMs: 0 });
    const ctx = memoryContext();
    const got: string[] = [];
    const f = flavour({ sinceMs: now - 3_600_000, pageSize: 500 });
    // 1: a 500 on every request from the 4th on, until the retries give up.
    emu.inject({ route: 'audit-log', nth: Array.from({ length: 30 }, (_x, i) => i + 4), fault: { type: 'status', status: 500 } });
    await assert.rejects(run(f, ctx, got), /500/);
    const checkCursor = async () => {
      const c = await store(ctx).load();
      if (!c) return;
      const delivered = new Set(got);
      // Every visible event at or before readTo was delivered; nothing after it is claimed.
      for (const r of emu.audit.visible(emu.clock.now(), -Infinity, c.readTo)) assert.ok(delivered.has(auditEventDigest(emu.audit.event(r))), 'cursor passed an undelivered event');
    };
    await checkCursor();
    assert.ok(got.length > 0 && got.length < 7500);
    emu.clearFaults();
    // 2: the consumer fails on its 3rd page.
    let pages = 0;
    await assert.rejects(run(f, ctx, got, () => {
      if (++pages === 3) throw new Error('downstream refused');
    }).then(() => undefined), /downstream refused/);
    await checkCursor();
    // 3: a page whose events is not a list.
    emu.inject({ route: 'audit-log', nth: [emu.requests('audit-log').length + 2], fault: { type: 'respond', respond: () => ({ body: { events: { oops: true } } }) } });
    await assert.rejects(run(f, ctx, got), /events is not an array/);
    await checkCursor();
    await run(f, ctx, got);
    assertExactlyOnce(got, oracle());
  });

  it('an empty page without an events key ends a window; filters reach the request; the page size is checked', async () => {
    const now = emu.clock.now();
    emu.audit.add({ count: 100, startMs: now - 50_000, stepMs: 500 });
    const ctx = memoryContext();
    const got: AuditEvent[] = [];
    const filters = { eventTypes: ['logged_in'], userTypes: ['USER', 'SUPPORT_USER'], actorIpAddresses: ['64.252.71.111'] };
    await runExtraction(flavour({ sinceMs: now - 60_000, filters }), store(ctx), { deliver: (p) => { got.push(...p.items); } });
    assert.ok(got.length > 0);
    for (const e of got) {
      assert.equal(e['type$'], 'audit_log::logged_in/1');
      assert.match(String(e.actorIpAddress), /64\.252\.71\.111/);
    }
    const b = bodies()[0];
    assert.deepEqual(b.eventTypes, ['logged_in']);
    assert.deepEqual(b.userTypes, ['USER', 'SUPPORT_USER']);
    assert.equal(b.actorIds, null);
    // No match at all: the reply is {} (no events key), and the run ends cleanly.
    const none = await runExtraction(flavour({ sinceMs: now - 60_000, filters: { actorIds: ['nobody'] } }), store(memoryContext()), { deliver: () => undefined });
    assert.equal(none.events, 0);
    assert.equal(emu.requests('audit-log').at(-1)?.status, 200);
    assert.throws(() => flavour({ pageSize: 10_001 }), /pageSize must be an integer from 1 to 10000/);
  });
});
