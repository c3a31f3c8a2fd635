// runExtraction with `settled` (confirmed delivery), against the emulator: page n's
// cursor is saved only once page n settled, in page order, and page n+2 is not
// requested before page n is committed; a rejected settle stops the run there.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CursorStore, type ContextLike } from '../../../src/lib/cursor';
import { Code42Client, V1FileEvents, runExtraction, type FileEventCursor, reviveFileEventCursor } from '../../../src/lib/code42';
import { Code42Emulator } from '../../emulators/code42';

const T0 = Date.UTC(2026, 0, 1);

function memoryContext(): ContextLike & { data: Map<string, unknown>; writes: unknown[] } {
  const data = new Map<string, unknown>();
  const writes: unknown[] = [];
  return {
    data,
    writes,
    get: (key, _store, cb) => setImmediate(() => cb(null, structuredClone(data.get(key)))),
    set: (key, value, _store, cb) => setImmediate(() => {
      data.set(key, structuredClone(value));
      writes.push(structuredClone(value));
      cb();
    }),
  };
}

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

describe('runExtraction with settled (confirmed delivery)', () => {
  let emu: Code42Emulator;
  let client: Code42Client;
  before(async () => {
    emu = new Code42Emulator({ clients: { cid: 's' } });
    await emu.listen();
    client = new Code42Client({ url: emu.baseUrl, credentials: { authType: 'apiClient', id: 'cid', secret: 's' }, retryScale: 0.001 });
    emu.addFileEvents({ count: 400, startMs: T0, stepMs: 1 });
  });
  after(async () => {
    client.close();
    await emu.close();
  });
  const flavour = () => new V1FileEvents(client, { groups: [], groupClause: 'AND', orMode: false, pageSize: 100, overlapMs: 0 });

  it('saves each page\'s cursor after it settled, in page order, with at most one further page delivered meanwhile', async () => {
    const ctx = memoryContext();
    const store = new CursorStore<FileEventCursor>(ctx, { scope: 'node', key: 'c' }, reviveFileEventCursor);
    const settles = new Map<number, ReturnType<typeof deferred>>();
    const cursors = new Map<number, FileEventCursor>();
    const delivered: number[] = [];
    const run = runExtraction(flavour(), store, {
      deliver: (page) => { delivered.push(page.info.page); cursors.set(page.info.page, page.cursor); },
      settled: (page) => { const d = deferred(); settles.set(page.info.page, d); return d.promise; },
    });
    const until = async (cond: () => boolean) => { while (!cond()) await new Promise((r) => setTimeout(r, 5)); };
    await until(() => delivered.length === 2);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(delivered, [1, 2], 'page 3 waits for page 1');
    // Page 2 settles first: nothing is saved until page 1 has.
    settles.get(2)!.resolve();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(ctx.writes.length, 0);
    settles.get(1)!.resolve();
    await until(() => ctx.writes.length === 2);
    assert.deepEqual(ctx.writes, [cursors.get(1), cursors.get(2)]);
    await until(() => delivered.length === 4);
    settles.get(3)!.resolve();
    settles.get(4)!.resolve();
    const summary = await run;
    assert.equal(summary.events, 400);
    assert.deepEqual(ctx.data.get('c'), cursors.get(4));
  });

  it('a page that does not settle stops the run; the cursor stays after the last settled page', async () => {
    const ctx = memoryContext();
    const store = new CursorStore<FileEventCursor>(ctx, { scope: 'node', key: 'c' }, reviveFileEventCursor);
    const cursors = new Map<number, FileEventCursor>();
    const delivered: number[] = [];
    await assert.rejects(runExtraction(flavour(), store, {
      deliver: (page) => { delivered.push(page.info.page); cursors.set(page.info.page, page.cursor); },
      settled: async (page) => { if (page.info.page === 2) throw new Error('2 failed'); },
    }), /2 failed/);
    assert.deepEqual(ctx.data.get('c'), cursors.get(1));
    assert.deepEqual(delivered, [1, 2, 3], 'one page after the failed one went out');
  });
});
