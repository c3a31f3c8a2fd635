// The Incydr emulator's audit log as a client sees it over HTTP: the SDK's request body,
// 0-based pages with pageSize ≤ 10,000 and the emulator's result window, inclusive
// dateRange bounds in epoch seconds, newest first, the list filters, an empty page with
// no `events` key, late indexing, the results count, and auth.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HttpClient, HttpError } from '../../../src/lib/http';
import { IncydrEmulator } from '../../emulators/incydr';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Incydr emulator: audit log', () => {
  const emu = new IncydrEmulator({ acceptAnyCredentials: true });
  let token = '';
  let http: HttpClient;
  const t0 = Date.UTC(2026, 0, 1, 12);
  before(async () => {
    // No retries: the test sees every answer.
    http = new HttpClient({ baseUrl: await emu.listen(), retry: { retries: 0, throttleAttempts: 1 } });
    const res = await http.request<Json>({ method: 'POST', path: '/v1/oauth', headers: { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } });
    token = res.data.access_token;
    emu.audit.add({ count: 100, startMs: t0, stepMs: 1000 });
    emu.audit.add({ count: 3, startMs: t0 + 50_500, stepMs: 0, visibleAt: emu.clock.now() + 3_600_000 });
  });
  after(async () => {
    http.close();
    await emu.close();
  });

  const search = async (body: Json, path = '/v1/audit/search-audit-log', auth = true): Promise<{ status: number; body: Json }> => {
    try {
      const res = await http.request<Json>({ method: 'POST', path, body, headers: auth ? { Authorization: `Bearer ${token}` } : {} });
      return { status: res.status, body: res.data };
    } catch (err) {
      if (!(err instanceof HttpError) || err.status === undefined) throw err;
      return { status: err.status, body: JSON.parse(err.body ?? '{}') as Json };
    }
  };
  const range = (fromMs: number | null, toMs: number | null) => ({ startTime: fromMs === null ? null : fromMs / 1000, endTime: toMs === null ? null : toMs / 1000 });

  it('pages newest first from page 0, with inclusive bounds in epoch seconds', async () => {
    const r = await search({ dateRange: range(t0 + 10_000, t0 + 19_000), page: 0, pageSize: 4 });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.events.map((e: Json) => e.timestamp), [19, 18, 17, 16].map((s) => new Date(t0 + s * 1000).toISOString()));
    assert.equal(r.body.paginationRangeStartIndex, 0);
    assert.equal(r.body.paginationRangeEndIndex, 4);
    const last = await search({ dateRange: range(t0 + 10_000, t0 + 19_000), page: 2, pageSize: 4 });
    assert.deepEqual(last.body.events.map((e: Json) => e.timestamp), [11, 10].map((s) => new Date(t0 + s * 1000).toISOString()), 'both bounds included');
    const e = r.body.events[0];
    for (const k of ['type$', 'actorId', 'actorName', 'actorAgent', 'actorIpAddress', 'timestamp', 'actorType']) assert.ok(k in e, k);
  });

  it('an empty page has no events key; late events stay hidden until indexed', async () => {
    const r = await search({ dateRange: range(t0 + 500_000, null), page: 0, pageSize: 10 });
    assert.deepEqual(r.body, {});
    const around = await search({ dateRange: range(t0 + 50_000, t0 + 51_000), page: 0, pageSize: 10 });
    assert.equal(around.body.events.length, 2, 'the 3 late ones are not visible yet');
  });

  it('filters by type (full or short), actor, IP among several, user type and resource; counts', async () => {
    const byType = await search({ eventTypes: ['logged_in', 'audit_log::case_created/1'], pageSize: 100 });
    assert.ok(byType.body.events.length > 0 && byType.body.events.every((e: Json) => ['audit_log::logged_in/1', 'audit_log::case_created/1'].includes(e['type$'])));
    const byIp = await search({ actorIpAddresses: ['64.252.71.111'], pageSize: 100 });
    assert.ok(byIp.body.events.length > 0 && byIp.body.events.every((e: Json) => e.actorIpAddress.includes('64.252.71.111')));
    const system = await search({ userTypes: ['SYSTEM'], pageSize: 100 });
    assert.ok(system.body.events.every((e: Json) => e.actorType === 'SYSTEM' && e.actorIpAddress === null));
    const one = byType.body.events[0];
    const byRes = await search({ resourceIds: [one.resourceId], actorIds: [one.actorId], actorNames: [one.actorName], pageSize: 100 });
    assert.deepEqual(byRes.body.events, [one]);
    const count = await search({ eventTypes: ['logged_in', 'audit_log::case_created/1'] }, '/v1/audit/search-results-count');
    assert.equal(count.body.totalResultCount, byType.body.events.length);
  });

  it('rejects bad paging, bad filters and missing tokens', async () => {
    assert.equal((await search({ pageSize: 10_001 })).status, 400);
    assert.equal((await search({ page: -1, pageSize: 10 })).status, 400);
    assert.equal((await search({ page: 1, pageSize: 5000 })).status, 200);
    assert.equal((await search({ page: 2, pageSize: 5000 })).status, 400, 'beyond the result window');
    assert.equal((await search({ userTypes: ['ADMIN'] })).status, 400);
    assert.equal((await search({ dateRange: { startTime: '2024-01-01' } })).status, 400);
    assert.equal((await search({}, undefined, false)).status, 401);
  });
});
