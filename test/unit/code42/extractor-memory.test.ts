// The extractor streams: while page N+1 is requested, nothing of page N is reachable
// any more (the extractor, the v1 flavour's generator and the HTTP client hold no
// reference), so a run holds one page in memory whatever its length. Checked with a
// full GC at the moment the emulator receives the next request.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { CursorStore, type ContextLike } from '../../../src/lib/cursor';
import { Code42Client, V1FileEvents, runExtraction, reviveFileEventCursor, type FileEventCursor } from '../../../src/lib/code42';
import { Code42Emulator } from '../../emulators/code42';
import type { EmuRequest, EmuResponse } from '../../emulators/framework';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

describe('runExtraction memory (v1 file events)', () => {
  let emu: Code42Emulator;
  let client: Code42Client;
  before(async () => {
    emu = new Code42Emulator({ acceptAnyCredentials: true, logBodies: false });
    emu.addFileEvents({ count: 2_000, startMs: Date.UTC(2026, 0, 1), stepMs: 1 });
    await emu.listen();
    client = new Code42Client({ url: emu.baseUrl, credentials: { authType: 'apiClient', id: 'a', secret: 'b' } });
  });
  after(async () => {
    client.close();
    await emu.close();
  });

  it('no event of the delivered page is reachable when the next page is requested', async () => {
    const data = new Map<string, unknown>();
    const context: ContextLike = { get: (k, _s, cb) => setImmediate(() => cb(null, data.get(k))), set: (k, v, _s, cb) => setImmediate(() => { data.set(k, structuredClone(v)); cb(); }) };
    const store = new CursorStore<FileEventCursor>(context, { scope: 'node', key: 'm' }, reviveFileEventCursor);
    const flavour = new V1FileEvents(client, { groups: [], groupClause: 'AND', orMode: false, pageSize: 500, overlapMs: 0 });
    // The emulator's own handler, called after a full GC that records what survived.
    const search = (emu as unknown as { searchFileEvents(req: EmuRequest): EmuResponse }).searchFileEvents.bind(emu);
    const refs: Array<WeakRef<object>> = [];
    const alive: number[] = [];
    emu.inject({
      route: 'fileevents', nth: [2, 3, 4], fault: {
        type: 'respond',
        respond: (req) => {
          gc();
          alive.push(refs.filter((r) => r.deref() !== undefined).length);
          refs.length = 0;
          return search(req);
        },
      },
    });
    let events = 0;
    await runExtraction(flavour, store, {
      deliver: (page) => {
        events += page.items.length;
        // Weak references only: a first, a middle and a last event, and the items array.
        refs.push(new WeakRef(page.items[0]), new WeakRef(page.items[250]), new WeakRef(page.items[499]), new WeakRef(page.items));
      },
    });
    assert.equal(events, 2_000);
    assert.deepEqual(alive, [0, 0, 0], 'events of page N still reachable while page N+1 is requested');
  });
});
