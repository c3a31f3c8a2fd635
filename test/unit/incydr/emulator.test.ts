// The Incydr emulator (test/emulators/incydr.ts) driven over loopback with plain
// HttpClient requests: the executable spec of the API the Incydr client is built
// against. Auth and expiry, the v2 filter model, sorts, pgToken and numbered
// paging, INVALID_PAGE_TOKEN, late indexing, 429, problems, alerts, sessions
// (paging, created / updated / unchanged) and the seeded data's shape.
// Expected results are computed here from the events themselves with plain
// lambdas, never with the emulator's filter code.
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient, HttpError } from '../../../src/lib/http';
import { ACTIONS, OBSERVERS } from '../../emulators/incydr-data';
import { IncydrEmulator } from '../../emulators/incydr';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DAY = Date.parse('2024-03-01T00:00:00Z');
const CLIENT = { id: 'key-7f3a', secret: 's3cr3t' };

/** A request that returns {status, data, headers} for any status (no retries: the test sees every answer). */
async function call(http: HttpClient, method: 'GET' | 'POST', path: string, opts: { body?: unknown; token?: string; headers?: Record<string, string>; query?: Record<string, string | number> } = {}): Promise<{ status: number; data: Json; headers: Record<string, string> }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  try {
    const res = await http.request<Json>({ method, path, body: opts.body, headers, query: opts.query });
    return { status: res.status, data: res.data, headers: res.headers };
  } catch (err) {
    if (!(err instanceof HttpError) || err.status === undefined) throw err;
    let data: Json;
    try {
      data = JSON.parse(err.body ?? '{}');
    } catch {
      data = { text: err.body };
    }
    return { status: err.status, data, headers: { 'retry-after': err.retryAfter ?? '' } };
  }
}

function basic(id: string, secret: string): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` };
}

async function login(http: HttpClient): Promise<string> {
  const res = await call(http, 'POST', '/v1/oauth', { headers: basic(CLIENT.id, CLIENT.secret) });
  assert.equal(res.status, 200, JSON.stringify(res.data));
  return res.data.access_token as string;
}

const since = (iso: string) => ({ filterClause: 'AND', filters: [{ term: 'event.inserted', operator: 'ON_OR_AFTER', value: iso }] });
const ALL = [since('2000-01-01T00:00:00.000Z')];

/** Token-pages a query to the end; returns the events and the responses' tokens. */
async function fetchAll(http: HttpClient, token: string, body: Json): Promise<{ events: Json[]; tokens: Array<string | null>; totals: number[] }> {
  const events: Json[] = [];
  const tokens: Array<string | null> = [];
  const totals: number[] = [];
  let pgToken: string | null = '';
  for (let guard = 0; pgToken !== null; guard++) {
    assert.ok(guard < 1000, 'paging never ends');
    const res = await call(http, 'POST', '/v2/file-events', { token, body: { ...body, pgToken } });
    assert.equal(res.status, 200, JSON.stringify(res.data).slice(0, 300));
    events.push(...res.data.fileEvents);
    pgToken = res.data.nextPgToken;
    tokens.push(pgToken);
    totals.push(res.data.totalCount);
    if (res.data.fileEvents.length === 0) break;
  }
  return { events, tokens, totals };
}

const ids = (events: Json[]) => events.map((e) => e.event.id as string);

describe('Incydr emulator', () => {
  let emu: IncydrEmulator;
  let http: HttpClient;

  beforeEach(async () => {
    emu = new IncydrEmulator({ clients: { [CLIENT.id]: CLIENT.secret }, seed: 7 });
    emu.clock.set(DAY + 86_400_000);
    http = new HttpClient({ baseUrl: await emu.listen(), retry: { retries: 0, throttleAttempts: 1 } });
  });

  // Also called inside tests that swap the emulator; closing twice is harmless.
  const stop = async () => {
    http.close();
    await emu.close();
  };
  afterEach(stop);

  describe('auth', () => {
    it('Basic client credentials → a JWT with tenantUid, bearer, expires_in 900; it works until the clock passes 15 min', async () => {
      const res = await call(http, 'POST', '/v1/oauth', { headers: basic(CLIENT.id, CLIENT.secret), query: { grant_type: 'client_credentials' } });
      assert.equal(res.status, 200);
      assert.equal(res.data.token_type, 'bearer');
      assert.equal(res.data.expires_in, 900);
      const parts = (res.data.access_token as string).split('.');
      assert.equal(parts.length, 3, 'header.payload.signature');
      const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
      assert.equal(claims.tenantUid, emu.tenantId);
      assert.equal(claims.sub, CLIENT.id);
      assert.equal(claims.exp - claims.iat, 900);
      const token = res.data.access_token as string;
      assert.deepEqual((await call(http, 'GET', '/v1/customer', { token })).data, { tenantId: emu.tenantId, name: 'Emulated Incydr tenant' });
      emu.clock.advance(899_000);
      assert.equal((await call(http, 'GET', '/v1/customer', { token })).status, 200, 'still valid at 14:59');
      emu.clock.advance(2_000);
      const expired = await call(http, 'GET', '/v1/customer', { token });
      assert.equal(expired.status, 401);
      assert.equal(expired.data.error, 'invalid_token');
      await stop();
    });

    it('a form body and no grant_type work too; a wrong grant is 400, a wrong client 401 invalid_client; no or bad Bearer 401', async () => {
      const form = await call(http, 'POST', '/v1/oauth', { body: `client_id=${CLIENT.id}&client_secret=${CLIENT.secret}`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
      assert.equal(form.status, 200);
      assert.equal((await call(http, 'POST', '/v1/oauth', { headers: basic(CLIENT.id, CLIENT.secret) })).status, 200, 'grant_type is optional');
      const grant = await call(http, 'POST', '/v1/oauth', { headers: basic(CLIENT.id, CLIENT.secret), query: { grant_type: 'password' } });
      assert.deepEqual([grant.status, grant.data.error], [400, 'unsupported_grant_type']);
      const wrong = await call(http, 'POST', '/v1/oauth', { headers: basic(CLIENT.id, 'nope') });
      assert.deepEqual([wrong.status, wrong.data], [401, { error: 'invalid_client' }]);
      assert.equal((await call(http, 'POST', '/v1/oauth', {})).status, 401, 'no credentials');
      assert.equal((await call(http, 'POST', '/v2/file-events', { body: { groups: ALL } })).status, 401, 'no Bearer');
      assert.equal((await call(http, 'POST', '/v2/file-events', { token: 'a.b.c', body: { groups: ALL } })).status, 401, 'unknown token');
      await stop();
    });

    it('tokenTtlSeconds / setTokenTtl set expires_in; expireTokens() expires every token at once', async () => {
      await stop();
      emu = new IncydrEmulator({ clients: { [CLIENT.id]: CLIENT.secret }, tokenTtlSeconds: 60 });
      http = new HttpClient({ baseUrl: await emu.listen(), retry: { retries: 0, throttleAttempts: 1 } });
      const res = await call(http, 'POST', '/v1/oauth', { headers: basic(CLIENT.id, CLIENT.secret) });
      assert.equal(res.data.expires_in, 60);
      emu.clock.advance(61_000);
      assert.equal((await call(http, 'GET', '/v1/customer', { token: res.data.access_token })).status, 401);
      emu.setTokenTtl(5);
      const short = await call(http, 'POST', '/v1/oauth', { headers: basic(CLIENT.id, CLIENT.secret) });
      assert.equal(short.data.expires_in, 5);
      const token = await login(http);
      emu.expireTokens();
      assert.equal((await call(http, 'GET', '/v1/customer', { token })).status, 401);
      await stop();
    });
  });

  describe('file-event search', () => {
    it('sorts: the API default is descending (by event.id); asc/desc on event.inserted and @timestamp, ties by event.id', async () => {
      const token = await login(http);
      emu.addFileEvents({ count: 300, insertedMs: DAY, stepMs: 10 });
      emu.addFileEvents({ count: 40, insertedMs: DAY + 1000, stepMs: 0, subMsNanos: 0 }); // a tie
      const oracle = emu.visibleIds();
      assert.equal(oracle.length, 340);

      const dflt = await call(http, 'POST', '/v2/file-events', { token, body: { groups: ALL, pgSize: 10_000 } });
      assert.deepEqual(ids(dflt.data.fileEvents), [...oracle].sort().reverse(), 'no srtKey/srtDir: event.id, descending');

      const asc = await call(http, 'POST', '/v2/file-events', { token, body: { groups: ALL, srtKey: 'event.inserted', srtDir: 'asc', pgSize: 10_000 } });
      assert.deepEqual(ids(asc.data.fileEvents), oracle, 'asc by inserted = the oracle order');
      for (const e of asc.data.fileEvents) assert.deepEqual(e, emu.eventById(e.event.id), 'the page writer and eventById agree');
      const insertedKey = (e: Json) => `${(e.event.inserted as string).padEnd(31, '0')}|${e.event.id}`;
      const keys = asc.data.fileEvents.map(insertedKey);
      assert.deepEqual(keys, [...keys].sort(), 'ascending (inserted text at full precision, then id)');
      const desc = await call(http, 'POST', '/v2/file-events', { token, body: { groups: ALL, srtKey: 'event.inserted', srtDir: 'desc', pgSize: 10_000 } });
      assert.deepEqual(ids(desc.data.fileEvents), [...oracle].reverse());

      const ts = await call(http, 'POST', '/v2/file-events', { token, body: { groups: ALL, srtKey: '@timestamp', srtDir: 'asc', pgSize: 10_000 } });
      const tsKeys = ts.data.fileEvents.map((e: Json) => `${e['@timestamp']}|${e.event.id}`);
      assert.deepEqual(tsKeys, [...tsKeys].sort());
      assert.notDeepEqual(ids(ts.data.fileEvents), oracle, '@timestamp order differs from inserted order');
      const bad = await call(http, 'POST', '/v2/file-events', { token, body: { groups: ALL, srtDir: 'up' } });
      assert.deepEqual([bad.status, bad.data.problems[0].type], [400, 'ILLEGAL_VALUE']);
      await stop();
    });

    it('filters: IS (with *), IS_NOT, IS_ANY, IS_NONE, EXISTS, DOES_NOT_EXIST, numbers, lists matching by any element, OR and subgroups', async () => {
      const token = await login(http);
      emu.addFileEvents({ count: 700, insertedMs: DAY, stepMs: 100 });
      const all = (await fetchAll(http, token, { groups: ALL, srtKey: 'event.inserted', srtDir: 'asc', pgSize: 10_000 })).events;
      assert.equal(all.length, 700);
      const query = async (groups: Json[], groupClause?: string) => {
        const res = await call(http, 'POST', '/v2/file-events', { token, body: { groups, groupClause, srtKey: 'event.inserted', srtDir: 'asc', pgSize: 10_000 } });
        assert.equal(res.status, 200, JSON.stringify(res.data));
        assert.equal(res.data.totalCount, res.data.fileEvents.length);
        return ids(res.data.fileEvents);
      };
      const one = (term: string, operator: string, value: unknown) => [{ filterClause: 'AND', filters: [{ term, operator, value }] }];
      const expect = (pred: (e: Json) => boolean) => ids(all.filter(pred));
      const cases: Array<[string, Json[], (e: Json) => boolean, string?]> = [
        ['IS', one('event.action', 'IS', 'file-emailed'), (e) => e.event.action === 'file-emailed'],
        ['IS *', one('file.name', 'IS', '*.csv'), (e) => e.file.name.endsWith('.csv')],
        ['IS_NOT', one('event.observer', 'IS_NOT', 'Endpoint'), (e) => e.event.observer !== 'Endpoint'],
        ['IS_ANY', one('risk.severity', 'IS_ANY', ['CRITICAL', 'HIGH']), (e) => ['CRITICAL', 'HIGH'].includes(e.risk.severity)],
        ['IS_NONE', one('event.action', 'IS_NONE', ['file-created', 'file-modified']), (e) => !['file-created', 'file-modified'].includes(e.event.action)],
        ['EXISTS', one('file.url', 'EXISTS', null), (e) => e.file.url !== null],
        ['DOES_NOT_EXIST', one('destination.email.recipients', 'DOES_NOT_EXIST', null), (e) => !e.destination.email.recipients?.length],
        ['list element', one('destination.email.recipients', 'IS', 'outside@partner.example.org'), (e) => (e.destination.email.recipients ?? []).includes('outside@partner.example.org')],
        ['list of objects', one('risk.indicators.name', 'IS', 'Source code'), (e) => e.risk.indicators.some((i: Json) => i.name === 'Source code')],
        ['GREATER_THAN', one('file.sizeInBytes', 'GREATER_THAN', 25_000_000), (e) => e.file.sizeInBytes > 25_000_000],
        ['LESS_THAN', one('risk.score', 'LESS_THAN', 7), (e) => e.risk.score < 7],
        ['event.id', one('event.id', 'IS', all[5].event.id), (e) => e.event.id === all[5].event.id],
        ['OR groups', [...one('event.action', 'IS', 'file-printed'), ...one('event.observer', 'IS', 'Box')], (e) => e.event.action === 'file-printed' || e.event.observer === 'Box', 'OR'],
        ['OR filters', [{ filterClause: 'OR', filters: [{ term: 'event.action', operator: 'IS', value: 'file-printed' }, { term: 'event.action', operator: 'IS', value: 'file-shared' }] }], (e) => ['file-printed', 'file-shared'].includes(e.event.action)],
        ['subgroups', [{ subgroupClause: 'AND', subgroups: [one('risk.severity', 'IS', 'HIGH')[0], { filterClause: 'OR', filters: [{ term: 'event.observer', operator: 'IS', value: 'Endpoint' }, { term: 'file.category', operator: 'IS', value: 'Pdf' }] }] }],
          (e) => e.risk.severity === 'HIGH' && (e.event.observer === 'Endpoint' || e.file.category === 'Pdf')],
      ];
      for (const [what, groups, pred, clause] of cases) {
        const expected = expect(pred);
        assert.ok(expected.length > 0 && expected.length < all.length, `${what}: the case must select some but not all`);
        assert.deepEqual(await query(groups, clause), expected, what);
      }
      await stop();
    });

    it('time filters at full precision: ON_OR_AFTER / ON_OR_BEFORE inclusive at the value\'s precision, ON a day, WITHIN_THE_LAST on the clock, @timestamp', async () => {
      let token = await login(http);
      const ev = (id: string, inserted: string, timestamp: string) => ({ '@timestamp': timestamp, event: { id, inserted, action: 'file-created' }, extra: { kept: true } });
      emu.addCustomFileEvents([
        ev('a', '2024-03-01T10:00:00.464999999Z', '2024-02-20T10:00:00.000Z'),
        ev('b', '2024-03-01T10:00:00.465000Z', '2024-03-01T09:59:00.000Z'),
        ev('c', '2024-03-01T10:00:00.465999999Z', '2024-03-01T09:59:30.000Z'),
        ev('d', '2024-03-01T10:00:00.466001Z', '2024-03-01T09:59:59.000Z'),
        ev('e', '2024-03-02T00:00:00.000000Z', '2024-03-01T23:00:00.000Z'),
      ]);
      const q = async (filters: Json[]) => ids((await call(http, 'POST', '/v2/file-events', { token, body: { groups: [{ filterClause: 'AND', filters }], srtKey: 'event.inserted', srtDir: 'asc' } })).data.fileEvents);
      const f = (term: string, operator: string, value: unknown) => ({ term, operator, value });
      assert.deepEqual(await q([f('event.inserted', 'ON_OR_AFTER', '2024-03-01T10:00:00.465Z')]), ['b', 'c', 'd', 'e']);
      assert.deepEqual(await q([f('event.inserted', 'ON_OR_BEFORE', '2024-03-01T10:00:00.465Z')]), ['a', 'b', 'c'], 'the whole ms is included');
      assert.deepEqual(await q([f('event.inserted', 'ON_OR_AFTER', '2024-03-01T10:00:00.465Z'), f('event.inserted', 'ON_OR_BEFORE', '2024-03-01T10:00:00.465Z')]), ['b', 'c']);
      assert.deepEqual(await q([f('event.inserted', 'ON_OR_AFTER', '2024-03-01T10:00:00.465500Z')]), ['c', 'd', 'e'], 'a µs value');
      assert.deepEqual(await q([f('event.inserted', 'GREATER_THAN', '2024-03-01T10:00:00.465999999Z')]), ['d', 'e']);
      assert.deepEqual(await q([f('event.inserted', 'ON', '2024-03-01')]), ['a', 'b', 'c', 'd']);
      assert.deepEqual(await q([f('@timestamp', 'ON_OR_BEFORE', '2024-02-28T00:00:00.000Z')]), ['a'], '@timestamp days before inserted');
      emu.clock.set(Date.parse('2024-03-02T00:30:00Z'));
      token = await login(http); // 30 min on: the first token has expired
      assert.deepEqual(await q([f('event.inserted', 'WITHIN_THE_LAST', 'PT1H')]), ['e']);
      assert.deepEqual(await q([f('event.inserted', 'WITHIN_THE_LAST', 'P1D')]), ['a', 'b', 'c', 'd', 'e']);
      const bad = await call(http, 'POST', '/v2/file-events', { token, body: { groups: [{ filterClause: 'AND', filters: [f('event.inserted', 'ON_OR_AFTER', 'yesterday')] }] } });
      assert.deepEqual([bad.status, bad.data.problems[0].type, bad.data.fileEvents, bad.data.totalCount], [400, 'ILLEGAL_VALUE', null, null]);
      // Custom events are served exactly as given, unknown fields included.
      assert.deepEqual(emu.eventById('a'), ev('a', '2024-03-01T10:00:00.464999999Z', '2024-02-20T10:00:00.000Z'));
      await stop();
    });

    it('no groups → 400 MISSING_GROUPS; CONTAINS (a v1 operator) → 400 ILLEGAL_OPERATOR naming the filter; pgSize outside 1..10,000 → INVALID_PAGE_SIZE', async () => {
      const token = await login(http);
      emu.addFileEvents({ count: 10, insertedMs: DAY });
      const missing = await call(http, 'POST', '/v2/file-events', { token, body: { groups: [], pgSize: 10 } });
      assert.deepEqual([missing.status, missing.data.problems[0].type], [400, 'MISSING_GROUPS']);
      const filter = { term: 'file.name', operator: 'CONTAINS', value: 'plan' };
      const contains = await call(http, 'POST', '/v2/file-events', { token, body: { groups: [{ filterClause: 'AND', filters: [filter] }] } });
      assert.deepEqual([contains.status, contains.data.problems[0].type, contains.data.problems[0].badFilter], [400, 'ILLEGAL_OPERATOR', filter]);
      for (const pgSize of [0, 10_001, 2.5]) {
        const res = await call(http, 'POST', '/v2/file-events', { token, body: { groups: ALL, pgSize } });
        assert.deepEqual([res.status, res.data.problems[0].type], [400, 'INVALID_PAGE_SIZE'], String(pgSize));
      }
      await stop();
    });
  });

  describe('paging', () => {
    it('pgToken "" starts token paging; each token is the last event.id; a 12,000-event tie on one inserted value and a set over 10,000 page exactly once', async () => {
      const token = await login(http);
      emu.addFileEvents({ count: 6000, insertedMs: DAY, stepMs: 1 });
      emu.addFileEvents({ count: 12_000, insertedMs: DAY + 3000, stepMs: 0, subMsNanos: 123_000 });
      emu.addFileEvents({ count: 3000, insertedMs: DAY + 4000, stepMs: 1 });
      const body = { groups: ALL, srtKey: 'event.inserted', srtDir: 'asc', pgSize: 5000 };
      const { events, tokens, totals } = await fetchAll(http, token, body);
      assert.equal(events.length, 21_000);
      assert.equal(new Set(ids(events)).size, 21_000, 'no duplicates');
      assert.deepEqual(ids(events), emu.visibleIds(), 'exactly the oracle, in order');
      assert.deepEqual(tokens, [events[4999].event.id, events[9999].event.id, events[14_999].event.id, events[19_999].event.id, null]);
      assert.ok(totals.every((t) => t === 21_000), 'totalCount is the true total');
      assert.equal(events.filter((e) => e.event.inserted === '2024-03-01T00:00:03.000123Z').length, 12_000, 'one inserted value, µs text');
      // Descending token paging walks the same set backwards.
      const desc = await fetchAll(http, token, { ...body, srtDir: 'desc' });
      assert.deepEqual(ids(desc.events), [...emu.visibleIds()].reverse());
      await stop();
    });

    it('without a token: pgNum from 1, nextPgToken null, nothing past 10,000 (INVALID_PAGE_NUMBER)', async () => {
      const token = await login(http);
      emu.addFileEvents({ count: 12_000, insertedMs: DAY, stepMs: 1 });
      const page = async (pgNum: number, pgSize: number) => call(http, 'POST', '/v2/file-events', { token, body: { groups: ALL, srtKey: 'event.inserted', srtDir: 'asc', pgSize, pgNum } });
      const p2 = await page(2, 4000);
      assert.equal(p2.status, 200);
      assert.equal(p2.data.nextPgToken, null);
      assert.equal(p2.data.totalCount, 12_000);
      assert.deepEqual(ids(p2.data.fileEvents), emu.visibleIds().slice(4000, 8000));
      const noPgNum = await call(http, 'POST', '/v2/file-events', { token, body: { groups: ALL, srtKey: 'event.inserted', srtDir: 'asc', pgSize: 3 } });
      assert.deepEqual(ids(noPgNum.data.fileEvents), emu.visibleIds().slice(0, 3), 'pgNum defaults to 1');
      assert.equal((await page(1, 10_000)).status, 200);
      for (const [n, size] of [[2, 10_000], [3, 4000]]) {
        const res = await page(n, size);
        assert.deepEqual([res.status, res.data.problems[0].type], [400, 'INVALID_PAGE_NUMBER'], `${n} x ${size}`);
      }
      await stop();
    });

    it('INVALID_PAGE_TOKEN: an unknown token, a token from another query, a token whose event expired (retention); the injected fault', async () => {
      const token = await login(http);
      emu.addFileEvents({ count: 100, insertedMs: DAY, stepMs: 1000 });
      const body = { groups: ALL, srtKey: 'event.inserted', srtDir: 'asc', pgSize: 10 };
      const first = await call(http, 'POST', '/v2/file-events', { token, body: { ...body, pgToken: '' } });
      const next = first.data.nextPgToken as string;
      assert.equal(next, first.data.fileEvents[9].event.id);
      const invalid = async (b: Json) => {
        const res = await call(http, 'POST', '/v2/file-events', { token, body: b });
        assert.equal(res.status, 400);
        assert.deepEqual(res.data, { fileEvents: null, nextPgToken: null, problems: [{ badFilter: null, description: 'Invalid page token', type: 'INVALID_PAGE_TOKEN' }], totalCount: null });
      };
      await invalid({ ...body, pgToken: 'no-such-event' });
      await invalid({ ...body, groups: [since('2024-03-01T00:00:30.000Z')], pgToken: next }, );
      assert.equal((await call(http, 'POST', '/v2/file-events', { token, body: { ...body, pgToken: next } })).status, 200, 'the token still works for its own query');
      emu.expireBefore(DAY + 20_000);
      await invalid({ ...body, pgToken: next });
      assert.equal(emu.visibleIds().length, 80, 'retention removes events from the oracle too');
      emu.injectInvalidPageToken({ times: 1 });
      await invalid({ ...body, pgToken: '' });
      assert.equal((await call(http, 'POST', '/v2/file-events', { token, body: { ...body, pgToken: '' } })).status, 200, 'the fault was used up');
      await stop();
    });

    it('trailingEmptyPage: the last page still carries a token and an empty page ends the set', async () => {
      await stop();
      emu = new IncydrEmulator({ clients: { [CLIENT.id]: CLIENT.secret }, trailingEmptyPage: true });
      emu.clock.set(DAY + 86_400_000);
      http = new HttpClient({ baseUrl: await emu.listen(), retry: { retries: 0, throttleAttempts: 1 } });
      const token = await login(http);
      emu.addFileEvents({ count: 20, insertedMs: DAY });
      const { events, tokens } = await fetchAll(http, token, { groups: ALL, srtKey: 'event.inserted', srtDir: 'asc', pgSize: 10 });
      assert.equal(events.length, 20);
      assert.deepEqual(tokens, [events[9].event.id, events[19].event.id, null]);
      await stop();
    });
  });

  describe('scale', () => {
    it('a million events: bulk load, then cursor queries answered by binary search over the inserted index', async () => {
      const token = await login(http);
      const started = Date.now();
      emu.addFileEvents({ count: 1_000_000, insertedMs: DAY, stepMs: 1, returnIds: false });
      assert.equal(emu.fileEventCount, 1_000_000);
      const body = (from: string, extra: Json = {}) => ({ groups: [since(from)], srtKey: 'event.inserted', srtDir: 'asc', pgSize: 1000, pgToken: '', ...extra });
      const tail = await call(http, 'POST', '/v2/file-events', { token, body: body('2024-03-01T00:16:39.000Z') }); // the last 1,000 ms
      assert.equal(tail.data.totalCount, 1000);
      assert.equal(tail.data.fileEvents[0].event.inserted.slice(0, 23), '2024-03-01T00:16:39.000');
      assert.equal(tail.data.nextPgToken, null);
      const head = await call(http, 'POST', '/v2/file-events', { token, body: body('2024-03-01T00:00:00.000Z') });
      assert.equal(head.data.totalCount, 1_000_000);
      const next = await call(http, 'POST', '/v2/file-events', { token, body: body('2024-03-01T00:00:00.000Z', { pgToken: head.data.nextPgToken }) });
      assert.equal(next.data.fileEvents[0].event.inserted.slice(0, 23), '2024-03-01T00:00:01.000', 'the token resumes right after page 1');
      const newest = await call(http, 'POST', '/v2/file-events', { token, body: body('2024-03-01T00:00:00.000Z', { srtDir: 'desc', pgSize: 1 }) });
      assert.equal(newest.data.fileEvents[0].event.inserted.slice(0, 23), '2024-03-01T00:16:39.999');
      // Generous: a linear or per-event-JSON implementation takes minutes here, this one well under a second.
      assert.ok(Date.now() - started < 30_000, `${Date.now() - started} ms`);
    });
  });

  describe('late indexing', () => {
    it('500 events become visible 45 s after their event.inserted, on the emulator clock; the oracle follows', async () => {
      let token = await login(http);
      const t0 = DAY + 3_600_000;
      emu.clock.set(t0 + 10_000);
      emu.addFileEvents({ count: 1000, insertedMs: t0 - 60_000, stepMs: 50 });
      // One per second: the emulator clock runs on with real time, so the test stays clear of the moments one becomes visible.
      const late = emu.addFileEvents({ count: 500, insertedMs: t0, stepMs: 1000, visibleAfterMs: 45_000 });
      const body = { groups: [since(new Date(t0 - 120_000).toISOString())], srtKey: 'event.inserted', srtDir: 'asc', pgSize: 300 };
      const before = await fetchAll(http, token, body);
      assert.equal(before.events.length, 1000);
      assert.ok(before.totals.every((t) => t === 1000), 'totalCount counts visible events only');
      assert.deepEqual(ids(before.events), emu.visibleIds());
      assert.equal(emu.visibleIds(t0 + 45_000 + 499_000).filter((id) => late.includes(id)).length, 500, 'the oracle answers for any time');
      assert.equal(emu.visibleIds(t0 + 45_000 + 498_999).filter((id) => late.includes(id)).length, 499);
      const hidden = await call(http, 'POST', '/v2/file-events', { token, body: { ...body, pgToken: late[0] } });
      assert.equal(hidden.data.problems[0].type, 'INVALID_PAGE_TOKEN', 'a hidden event is not in the result set');

      emu.clock.set(t0 + 45_000 + 200_500); // the first 201 late events are visible now
      token = await login(http);
      const partly = await fetchAll(http, token, body);
      const visibleLate = ids(partly.events).filter((id) => late.includes(id));
      assert.deepEqual(visibleLate, late.slice(0, 201));
      assert.deepEqual(ids(partly.events), emu.visibleIds());
      emu.clock.set(t0 + 45_000 + 500_000);
      token = await login(http);
      const all = await fetchAll(http, token, body);
      assert.equal(all.events.length, 1500);
      // Their inserted times are older than the moment they appeared.
      const firstLate = all.events.find((e) => e.event.id === late[0])!;
      assert.ok(Date.parse(firstLate.event.inserted) < t0 + 45_000);
      await stop();
    });
  });

  describe('faults', () => {
    it('429 with Retry-After (injected, and a real per-minute limit on the clock); problems on 200 and 500', async () => {
      const token = await login(http);
      emu.addFileEvents({ count: 5, insertedMs: DAY });
      emu.injectThrottle('file-events', 7);
      const throttled = await call(http, 'POST', '/v2/file-events', { token, body: { groups: ALL } });
      assert.deepEqual([throttled.status, throttled.headers['retry-after']], [429, '7']);
      emu.injectProblems({ status: 200, type: 'SEARCH_FAILED' });
      const p200 = await call(http, 'POST', '/v2/file-events', { token, body: { groups: ALL } });
      assert.deepEqual([p200.status, p200.data.problems[0].type, p200.data.fileEvents], [200, 'SEARCH_FAILED', []]);
      emu.injectProblems({ status: 500, type: 'QUERY_TIMEOUT' });
      const p500 = await call(http, 'POST', '/v2/file-events', { token, body: { groups: ALL } });
      assert.deepEqual([p500.status, p500.data.problems[0].type], [500, 'QUERY_TIMEOUT']);
      const ok = await call(http, 'POST', '/v2/file-events', { token, body: { groups: ALL } });
      assert.deepEqual([ok.status, ok.data.problems, ok.data.fileEvents.length], [200, null, 5]);
      await stop();

      emu = new IncydrEmulator({ clients: { [CLIENT.id]: CLIENT.secret }, rateLimitPerMin: 3 });
      http = new HttpClient({ baseUrl: await emu.listen(), retry: { retries: 0, throttleAttempts: 1 } });
      const t2 = await login(http);
      for (let i = 0; i < 3; i++) assert.equal((await call(http, 'GET', '/v1/customer', { token: t2 })).status, 200);
      const limited = await call(http, 'GET', '/v1/customer', { token: t2 });
      assert.equal(limited.status, 429);
      const wait = Number(limited.headers['retry-after']);
      assert.ok(wait >= 1 && wait <= 60, String(wait));
      emu.clock.advance(60_000);
      assert.equal((await call(http, 'GET', '/v1/customer', { token: t2 })).status, 200, 'the window moved on');
      await stop();
    });
  });

  describe('alerts', () => {
    it('query-alerts needs tenantId, pages from 0 with pgSize ≤ 500, filters PascalCase terms at µs; query-details sends data as a string', async () => {
      const token = await login(http);
      const added = emu.addAlerts({ count: 12, createdMs: DAY, stepMs: 60_000, observationCount: 2, unparsableEvery: 5 });
      assert.match(added[1].createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/, '6 fraction digits');
      const q = (body: Json) => call(http, 'POST', '/v1/alerts/query-alerts', { token, body });
      const missing = await q({ groups: [], pgNum: 0, pgSize: 10 });
      assert.equal(missing.status, 400);
      assert.equal((await q({ tenantId: emu.tenantId, groups: [], pgSize: 501 })).status, 400);
      const base = { tenantId: emu.tenantId, groupClause: 'AND', srtKey: 'CreatedAt', srtDirection: 'ASC', pgSize: 5 };
      const pages = [];
      for (let pgNum = 0; pgNum < 3; pgNum++) pages.push(await q({ ...base, groups: [], pgNum }));
      assert.deepEqual(pages.map((p) => p.data.alerts.length), [5, 5, 2]);
      assert.equal(pages[0].data.type$, 'ALERT_QUERY_RESPONSE');
      assert.equal(pages[0].data.totalCount, 12);
      assert.deepEqual(pages.flatMap((p) => p.data.alerts.map((a: Json) => a.id)), added.map((a) => a.id));
      assert.ok(pages[0].data.alerts.every((a: Json) => a.observations === undefined), 'summaries carry no observations');
      const desc = await q({ ...base, srtDirection: 'DESC', groups: [], pgNum: 0 });
      assert.equal(desc.data.alerts[0].id, added[11].id);
      const at = added[4].createdAt;
      const after = await q({ ...base, pgSize: 100, pgNum: 0, groups: [{ filterClause: 'AND', filters: [{ term: 'CreatedAt', operator: 'ON_OR_AFTER', value: at }] }] });
      assert.deepEqual(after.data.alerts.map((a: Json) => a.id), added.slice(4).map((a) => a.id), 'inclusive at 6 digits');
      const state = await q({ ...base, pgSize: 100, pgNum: 0, groups: [{ filterClause: 'AND', filters: [{ term: 'State', operator: 'IS', value: 'OPEN' }] }] });
      assert.deepEqual(state.data.alerts.map((a: Json) => a.id), added.filter((a) => a.state === 'OPEN').map((a) => a.id));

      const details = await call(http, 'POST', '/v1/alerts/query-details', { token, body: { alertIds: [added[0].id, added[1].id, 'unknown'] } });
      assert.equal(details.data.alerts.length, 2, 'unknown ids are left out');
      const obs = details.data.alerts[1].observations;
      assert.equal(obs.length, 2);
      assert.equal(typeof obs[0].data, 'string');
      assert.equal(JSON.parse(obs[0].data).type$, 'OBSERVED_ENDPOINT_ACTIVITY');
      assert.throws(() => JSON.parse(details.data.alerts[0].observations[0].data), 'every 5th alert has unparsable data');
      assert.equal((await call(http, 'POST', '/v1/alerts/query-details', { token, body: { alertIds: Array.from({ length: 101 }, (_x, i) => String(i)) } })).status, 400);
      await stop();
    });
  });

  describe('sessions', () => {
    it('page_size ≤ 50, pages from 0, totalCount; on_or_after/before on beginTime; has_alerts by default; state, severity, order', async () => {
      const token = await login(http);
      const now = emu.clock.now();
      const withAlerts = emu.addSessions({ count: 120, beginMs: now - 10 * 3_600_000, stepMs: 60_000, at: now - 1000 });
      emu.addSessions({ count: 5, beginMs: now - 3_600_000, withAlerts: false, at: now - 1000 });
      const list = (query: Record<string, string | number>) => call(http, 'GET', '/v1/sessions', { token, query });
      assert.deepEqual((await list({ page_size: 51 })).status, 400);
      assert.equal(typeof (await list({ page_size: 51 })).data.msg, 'string');
      const got: string[] = [];
      const sizes: number[] = [];
      for (let page = 0; page < 3; page++) {
        const res = await list({ page_size: 50, page_number: page, order_by: 'end_time', sort_direction: 'asc' });
        assert.equal(res.data.totalCount, 120, 'has_alerts=true by default: the 5 without alerts are left out');
        sizes.push(res.data.items.length);
        got.push(...res.data.items.map((s: Json) => s.sessionId));
      }
      assert.deepEqual(sizes, [50, 50, 20]);
      assert.deepEqual(got, withAlerts, 'ascending end time = creation order here');
      const dflt = await list({});
      assert.equal(dflt.data.items[0].sessionId, withAlerts[119], 'default: end_time, descending');
      assert.equal(dflt.data.items.length, 50, 'default page size 50');
      assert.equal((await list({ has_alerts: 'false', page_size: 1 })).data.totalCount, 125);
      const begin = now - 10 * 3_600_000 + 100 * 60_000;
      assert.equal((await list({ on_or_after: begin })).data.totalCount, 20, 'on beginTime, inclusive');
      assert.equal((await list({ on_or_after: begin, before: begin + 5 * 60_000 })).data.totalCount, 5);
      emu.updateSession(withAlerts[3], { state: 'CLOSED_TP', severity: 4 });
      assert.deepEqual((await list({ state: 'CLOSED_TP' })).data.items.map((s: Json) => s.sessionId), [withAlerts[3]]);
      assert.deepEqual((await list({ severity: 4 })).data.items.map((s: Json) => s.sessionId), [withAlerts[3]]);
      assert.equal((await list({ severity: 7 })).status, 400);
      const one = await call(http, 'GET', `/v1/sessions/${encodeURIComponent(withAlerts[3])}`, { token });
      assert.equal(one.data.states.at(-1).stateV2, 'CLOSED_TP');
      assert.equal((await call(http, 'GET', '/v1/sessions/nope', { token })).status, 404);
      await stop();
    });

    it('sessions are created, updated (lastUpdated changes) and left unchanged as the clock moves', async () => {
      const token = await login(http);
      const t0 = emu.clock.now();
      const [a, b] = emu.addSessions({ count: 2, beginMs: t0 - 7_200_000, at: t0 - 1000 });
      const [c] = emu.addSessions({ count: 1, beginMs: t0 - 600_000, at: t0 + 30_000 }); // appears later
      emu.updateSession(a, { score: 13, severity: 3, endTime: t0 + 600_000 }, t0 + 60_000); // scheduled
      const snapshot = async () => {
        const res = await call(http, 'GET', '/v1/sessions', { token, query: { on_or_after: t0 - 86_400_000, order_by: 'end_time', sort_direction: 'asc', page_size: 50 } });
        return new Map<string, Json>(res.data.items.map((s: Json) => [s.sessionId, s]));
      };
      const run1 = await snapshot();
      assert.deepEqual([...run1.keys()].sort(), [a, b].sort());
      emu.clock.set(t0 + 45_000);
      const run2 = await snapshot();
      assert.deepEqual([...run2.keys()].sort(), [a, b, c].sort(), 'c was created');
      assert.equal(run2.get(a)!.lastUpdated, run1.get(a)!.lastUpdated, 'a not yet changed');
      emu.clock.set(t0 + 61_000);
      const run3 = await snapshot();
      assert.equal(run3.get(a)!.lastUpdated, t0 + 60_000, 'a was updated: lastUpdated is the change time');
      assert.equal(run3.get(a)!.scores.at(-1).score, 13);
      assert.equal(run3.get(a)!.endTime, t0 + 600_000);
      assert.deepEqual(run3.get(b), run1.get(b), 'b unchanged, byte for byte');
      assert.deepEqual(emu.visibleSessions().map((s) => s.sessionId).sort(), [a, b, c].sort());
      await stop();
    });
  });

  describe('seeded data', () => {
    let shapeEmu: IncydrEmulator;
    let events: Json[];
    before(() => {
      shapeEmu = new IncydrEmulator({ seed: 11 });
      shapeEmu.addFileEvents({ count: 3000, insertedMs: DAY });
      events = shapeEmu.visibleIds(DAY + 86_400_000).map((id) => shapeEmu.eventById(id)!);
    });
    after(async () => {
      await shapeEmu.close();
    });

    it('every action and observer; endpoint and cloud ids; 3/6/9-digit fractions; USB in destination; all objects present', () => {
      assert.deepEqual(new Set(events.map((e) => e.event.action)), new Set(ACTIONS));
      assert.deepEqual(new Set(events.map((e) => e.event.observer)), new Set(OBSERVERS));
      const endpointId = /^0_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}_\d{19}_\d+_\d+$/;
      const cloudId = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/;
      for (const e of events) {
        assert.match(e.event.id, e.event.observer === 'Endpoint' ? endpointId : cloudId);
        assert.match(e['@timestamp'], /\.\d{3}Z$/);
        for (const key of ['event', 'user', 'file', 'source', 'destination', 'process', 'risk', 'report', 'git', 'responseControls']) assert.equal(typeof e[key], 'object', key);
        if (e.event.action.startsWith('removable-media-')) {
          assert.equal(e.destination.removableMedia.busType, 'USB');
          assert.equal(e.source.removableMedia.busType, null);
        }
      }
      const digits = new Set(events.map((e) => /\.(\d+)Z$/.exec(e.event.inserted)![1].length));
      assert.deepEqual([...digits].sort(), [6, 9]);
      assert.ok(events.some((e) => Date.parse(e.event.inserted) - Date.parse(e['@timestamp']) > 86_400_000), '@timestamp can be days older');
      assert.ok(events.some((e) => e.paste !== undefined) && events.some((e) => e.user.department !== undefined), 'fields outside the SDK model');
      assert.equal(new Set(events.map((e) => e.event.id)).size, events.length, 'unique ids');
    });

    it('the same seed gives the same events; another seed different ones', () => {
      const again = new IncydrEmulator({ seed: 11 });
      again.addFileEvents({ count: 50, insertedMs: DAY });
      const other = new IncydrEmulator({ seed: 12 });
      other.addFileEvents({ count: 50, insertedMs: DAY });
      const first = again.visibleIds(DAY + 1e9);
      assert.deepEqual(first, shapeEmu.visibleIds(DAY + 1e9).filter((id) => first.includes(id)));
      assert.deepEqual(again.eventById(first[7]), shapeEmu.eventById(first[7]));
      assert.notDeepEqual(other.visibleIds(DAY + 1e9), first);
    });
  });
});
