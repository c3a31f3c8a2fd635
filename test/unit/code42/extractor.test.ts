// The extractor against a real emulator on loopback: the cursor is saved only after
// a page was delivered (a failed delivery or save leaves it after the previous
// page), late-indexed events are caught with the look-back overlap, INVALID_PAGE_TOKEN
// restarts once, and both auth types work (with re-auth after expiry).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CursorStore, type ContextLike } from '../../../src/lib/cursor';
import { Code42Client, V1FileEvents, runExtraction, type FileEventCursor, reviveFileEventCursor } from '../../../src/lib/code42';
import { Code42Emulator } from '../../emulators/code42';

const T0 = Date.UTC(2026, 0, 1);

function memoryContext(failWrites = () => false): ContextLike & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    get: (key, _store, cb) => setImmediate(() => cb(null, structuredClone(data.get(key)))),
    set: (key, value, _store, cb) => setImmediate(() => {
      if (failWrites()) return cb(new Error('disk full'));
      data.set(key, structuredClone(value));
      cb();
    }),
  };
}

describe('runExtraction (v1 file events)', () => {
  let emu: Code42Emulator;
  let client: Code42Client;
  before(async () => {
    emu = new Code42Emulator({ clients: { cid: 's' }, users: { ann: 'pw' }, tokenTtlSeconds: 3600 });
    await emu.listen();
    client = new Code42Client({ url: emu.baseUrl, credentials: { authType: 'apiClient', id: 'cid', secret: 's' }, retryScale: 0.001 });
  });
  after(async () => {
    client.close();
    await emu.close();
  });
  const flavour = (overlapMs = 0, pageSize = 100) => new V1FileEvents(client, { groups: [], groupClause: 'AND', orMode: false, pageSize, overlapMs });

  it('when delivering page N fails, the stored cursor is the one after page N−1; the next run resumes exactly', async () => {
    emu.addFileEvents({ count: 1000, startMs: T0, stepMs: 1 });
    const ctx = memoryContext();
    const store = new CursorStore<FileEventCursor>(ctx, { scope: 'node', key: 'c' }, reviveFileEventCursor);
    const got: string[] = [];
    let afterPage2: FileEventCursor | undefined;
    await assert.rejects(runExtraction(flavour(), store, {
      deliver: (page) => {
        if (page.info.page === 3) throw new Error('downstream failed');
        got.push(...page.items.map((e) => e.eventId));
        if (page.info.page === 2) afterPage2 = page.cursor;
      },
    }), /downstream failed/);
    assert.equal(got.length, 200);
    assert.deepEqual(ctx.data.get('c'), afterPage2);
    const summary = await runExtraction(flavour(), store, { deliver: (page) => { got.push(...page.items.map((e) => e.eventId)); } });
    assert.equal(summary.events, 800);
    assert.deepEqual(got, emu.visibleFileEventIds());
  });

  it('a failed cursor save stops the run before the next request', async () => {
    const ctx = memoryContext(() => true);
    const store = new CursorStore<FileEventCursor>(ctx, { scope: 'node', key: 'c' }, reviveFileEventCursor);
    const requests = emu.requests('fileevents').length;
    let pages = 0;
    await assert.rejects(runExtraction(flavour(), store, { deliver: () => { pages++; } }), /cannot write cursor "c".*disk full/);
    assert.equal(pages, 1);
    assert.equal(emu.requests('fileevents').length, requests + 1, 'no request after the failed save');
  });

  it('catches late-indexed events within the look-back overlap, without duplicates', async () => {
    const late = new Code42Emulator({ clients: { cid: 's' } });
    await late.listen();
    const c = new Code42Client({ url: late.baseUrl, credentials: { authType: 'apiClient', id: 'cid', secret: 's' }, retryScale: 0.001 });
    try {
      late.addFileEvents({ count: 300, startMs: T0, stepMs: 100 });
      // 20 events inserted mid-range but only visible 45 s later (late indexing).
      late.addFileEvents({ count: 20, startMs: T0 + 29_000, stepMs: 1, visibleAt: late.clock.now() + 45_000 });
      const store = new CursorStore<FileEventCursor>(memoryContext(), { scope: 'node', key: 'c' }, reviveFileEventCursor);
      const fl = new V1FileEvents(c, { groups: [], groupClause: 'AND', orMode: false, pageSize: 64, overlapMs: 60_000 });
      const got: string[] = [];
      const deliver = (page: { items: Array<{ eventId: string }> }) => { got.push(...page.items.map((e) => e.eventId)); };
      assert.equal((await runExtraction(fl, store, { deliver })).events, 300);
      late.clock.advance(46_000);
      assert.equal((await runExtraction(fl, store, { deliver })).events, 20);
      assert.equal((await runExtraction(fl, store, { deliver })).events, 0);
      assert.equal(new Set(got).size, got.length);
      assert.deepEqual(new Set(got), new Set(late.visibleFileEventIds()));
    } finally {
      c.close();
      await late.close();
    }
  });

  it('INVALID_PAGE_TOKEN restarts once from the stored cursor; twice in a row is an error', async () => {
    const store = new CursorStore<FileEventCursor>(memoryContext(), { scope: 'node', key: 'c' }, reviveFileEventCursor);
    const n = emu.requests('fileevents').length;
    emu.injectInvalidPageToken({ nth: [n + 3] });
    const got: string[] = [];
    const warnings: string[] = [];
    await runExtraction(flavour(), store, { deliver: (p) => { got.push(...p.items.map((e) => e.eventId)); }, warn: (m) => warnings.push(m) });
    assert.deepEqual(got, emu.visibleFileEventIds());
    assert.match(warnings[0], /INVALID_PAGE_TOKEN; restarting/);
    const bodies = emu.requests('fileevents').slice(n).map((e) => JSON.parse(e.body).pgToken);
    assert.equal(bodies[3], '', 'the restart sends pgToken ""');

    const store2 = new CursorStore<FileEventCursor>(memoryContext(), { scope: 'node', key: 'c' }, reviveFileEventCursor);
    const m = emu.requests('fileevents').length;
    emu.injectInvalidPageToken({ nth: [m + 2, m + 3] });
    await assert.rejects(runExtraction(flavour(), store2, { deliver: () => undefined }), /rejected the page token again/);
  });

  it('authenticates a local account and renews after the token expired', async () => {
    const local = new Code42Client({ url: emu.baseUrl, credentials: { authType: 'localAccount', id: 'ann', secret: 'pw' }, retryScale: 0.001 });
    try {
      assert.equal(await local.tenantId(), emu.tenantUid);
      emu.expireTokens();
      const page = await local.searchFileEvents({ groups: [], pgSize: 5, pgToken: '', srtKey: 'insertionTimestamp', srtDir: 'asc' });
      assert.equal(page.fileEvents!.length, 5);
      assert.equal(emu.requests('jwt').length, 2);
      assert.match(String(emu.requests('jwt')[0].headers.authorization), /^Basic /);
    } finally {
      local.close();
    }
  });

  it('page-number paging stops at 10,000 (why secflow pages by token)', async () => {
    const big = new Code42Emulator({ clients: { cid: 's' } });
    await big.listen();
    const c = new Code42Client({ url: big.baseUrl, credentials: { authType: 'apiClient', id: 'cid', secret: 's' } });
    try {
      big.addFileEvents({ count: 12_000, startMs: T0, stepMs: 1 });
      const p2 = await c.searchFileEvents({ groups: [], pgSize: 10_000, pgNum: 2, srtKey: 'insertionTimestamp', srtDir: 'asc' });
      assert.equal(p2.fileEvents!.length, 0);
      assert.equal(p2.totalCount, 12_000);
      assert.equal(p2.nextPgToken, null);
      await assert.rejects(c.searchFileEvents({ groups: [], pgSize: 10_001, pgToken: '' }), /HTTP 400/);
    } finally {
      c.close();
      await big.close();
    }
  });
});
