// The extractors stream: while page N+1 is requested, nothing of page N is reachable
// any more (the extractor, the flavour's generator and the HTTP client hold no
// reference), so a run holds one page in memory whatever its length. Checked for
// every paged flavour with a full GC at the moment the emulator receives the next
// request. (A generator's locals live across its awaits: a page read into one stays
// reachable until the variable is overwritten, after the next page was parsed.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { CursorStore, type ContextLike } from '../../../src/lib/cursor';
import { Code42Client, IncydrAlerts, IncydrAuditLog, IncydrClient, IncydrFileEvents, IncydrSessions, reviveAlertCursor, reviveSessionCursor, V1FileEvents, reviveAuditLogCursor, reviveFileEventCursor, reviveIncydrFileEventCursor, runExtraction, type Page, type SearchFlavour } from '../../../src/lib/code42';
import { CbcAlertSearch, CbcClient, reviveTimedCursor } from '../../../src/lib/carbonblack';
import { Code42Emulator } from '../../emulators/code42';
import { CbcEmulator } from '../../emulators/carbonblack';
import { IncydrEmulator } from '../../emulators/incydr';
import type { EmuRequest, EmuResponse, Emulator } from '../../emulators/framework';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/**
 * Runs the flavour to the end; before the emulator answers requests `nth` (the 2nd and
 * later pages), a full GC, then a count of the previous page's events still alive
 * (weak references to a first, a middle and a last event, and the items array).
 */
async function aliveAtNextRequest<T, C>(emu: Emulator, route: string, handler: (req: EmuRequest) => EmuResponse, flavour: SearchFlavour<T, C>, revive: (raw: unknown) => C | undefined, pageSize: number): Promise<{ alive: number[]; events: number }> {
  const refs: Array<WeakRef<object>> = [];
  const alive: number[] = [];
  emu.inject({
    route, nth: [2, 3, 4], fault: {
      type: 'respond',
      respond: (req) => {
        gc();
        alive.push(refs.filter((r) => r.deref() !== undefined).length);
        refs.length = 0;
        return handler(req);
      },
    },
  });
  const data = new Map<string, unknown>();
  const context: ContextLike = { get: (k, _s, cb) => setImmediate(() => cb(null, data.get(k))), set: (k, v, _s, cb) => setImmediate(() => { data.set(k, structuredClone(v)); cb(); }) };
  let events = 0;
  await runExtraction(flavour, new CursorStore<C>(context, { scope: 'node', key: 'm' }, revive), {
    deliver: (page: Page<T, C>) => {
      events += page.items.length;
      const items = page.items as unknown as object[];
      refs.push(new WeakRef(items[0]), new WeakRef(items[Math.floor(pageSize / 2)]), new WeakRef(items[pageSize - 1]), new WeakRef(items));
    },
  });
  return { alive, events };
}

const START = Date.UTC(2026, 0, 1);

/** One flavour against its emulator, listening, with `count` records in pages of `pageSize`. */
interface MemoryCase<T, C> {
  emu: Emulator;
  /** The emulator route of the search, and its own handler for it. */
  route: string;
  handler: (req: EmuRequest) => EmuResponse;
  flavour: SearchFlavour<T, C>;
  revive: (raw: unknown) => C | undefined;
  pageSize: number;
  count: number;
  close(): void;
}

/** The emulator's private handler of a route, to answer after the GC. */
const own = <K extends string>(emu: object, method: K) => ((emu as Record<K, (req: EmuRequest) => EmuResponse>)[method]).bind(emu);

async function incydr(fill: (emu: IncydrEmulator) => void): Promise<{ emu: IncydrEmulator; client: IncydrClient }> {
  const emu = new IncydrEmulator({ acceptAnyCredentials: true, logBodies: false });
  fill(emu);
  await emu.listen();
  return { emu, client: new IncydrClient({ url: emu.baseUrl, credentials: { clientId: 'a', secret: 'b' } }) };
}

const CASES: Record<string, () => Promise<MemoryCase<unknown, unknown>>> = {
  'v1 file events': async () => {
    const emu = new Code42Emulator({ acceptAnyCredentials: true, logBodies: false });
    emu.addFileEvents({ count: 2_000, startMs: START, stepMs: 1 });
    await emu.listen();
    const client = new Code42Client({ url: emu.baseUrl, credentials: { authType: 'apiClient', id: 'a', secret: 'b' } });
    const flavour = new V1FileEvents(client, { groups: [], groupClause: 'AND', orMode: false, pageSize: 500, overlapMs: 0 });
    return { emu, route: 'fileevents', handler: own(emu, 'searchFileEvents'), flavour, revive: reviveFileEventCursor, pageSize: 500, count: 2_000, close: () => client.close() } as MemoryCase<unknown, unknown>;
  },
  'Incydr file events': async () => {
    const { emu, client } = await incydr((e) => e.addFileEvents({ count: 2_000, insertedMs: START, stepMs: 1, returnIds: false }));
    const flavour = new IncydrFileEvents(client, { groups: [], groupClause: 'AND', orMode: false, pageSize: 500, overlapMs: 60_000, sinceMs: START });
    return { emu, route: 'file-events', handler: own(emu, 'searchFileEvents'), flavour, revive: reviveIncydrFileEventCursor, pageSize: 500, count: 2_000, close: () => client.close() } as MemoryCase<unknown, unknown>;
  },
  'Incydr alerts, with details': async () => {
    const { emu, client } = await incydr((e) => e.addAlerts({ count: 2_000, createdMs: START, stepMs: 1000 }));
    const flavour = new IncydrAlerts(client, { groups: [], groupClause: 'AND', pageSize: 500, details: true, sinceMs: START });
    return { emu, route: 'alerts', handler: own(emu, 'queryAlerts'), flavour, revive: reviveAlertCursor, pageSize: 500, count: 2_000, close: () => client.close() } as MemoryCase<unknown, unknown>;
  },
  'Incydr sessions': async () => {
    let now = 0;
    const { emu, client } = await incydr((e) => {
      now = e.clock.now();
      e.addSessions({ count: 200, beginMs: now - 7_200_000, stepMs: 1000, at: now - 100 });
    });
    const flavour = new IncydrSessions(client, { params: [], lookbackMs: 86_400_000 }, () => emu.clock.now());
    return { emu, route: 'sessions', handler: own(emu, 'listSessions'), flavour, revive: reviveSessionCursor, pageSize: 50, count: 200, close: () => client.close() } as MemoryCase<unknown, unknown>;
  },
  'Incydr audit log': async () => {
    let now = 0;
    const { emu, client } = await incydr((e) => {
      now = e.clock.now();
      e.audit.add({ count: 2_000, startMs: now - 3_600_000, stepMs: 1000 });
    });
    const flavour = new IncydrAuditLog(client, { filters: {}, pageSize: 500, lookbackMs: 300_000, sinceMs: now - 3_700_000 }, () => emu.clock.now());
    return { emu, route: 'audit-log', handler: (req) => emu.audit.search(req), flavour, revive: reviveAuditLogCursor, pageSize: 500, count: 2_000, close: () => client.close() } as MemoryCase<unknown, unknown>;
  },
  'Carbon Black alerts': async () => {
    const emu = new CbcEmulator({ logBodies: false });
    const url = await emu.listen(0);
    emu.alerts.add({ count: 2_000, startMs: Date.now() - 3_600_000, stepMs: 1000 });
    const client = new CbcClient({ url, orgKey: emu.orgKey, apiId: 'APIID01', apiSecret: 'apisecret' });
    const flavour = new CbcAlertSearch(client, { criteria: {}, updateWindowMs: 86_400_000 }, { sinceMs: Date.now() - 7_200_000, pageSize: 500, lookbackMs: 120_000 });
    return { emu, route: 'alerts:search', handler: (req) => emu.alerts.search((req.json ?? {}) as Record<string, unknown>), flavour, revive: (raw) => reviveTimedCursor(raw, 'cbc-alerts'), pageSize: 500, count: 2_000, close: () => client.close() } as MemoryCase<unknown, unknown>;
  },
};

describe('runExtraction memory: one page at a time', () => {
  for (const [name, setup] of Object.entries(CASES)) {
    it(name, async () => {
      const c = await setup();
      try {
        const { alive, events } = await aliveAtNextRequest(c.emu, c.route, c.handler, c.flavour, c.revive, c.pageSize);
        assert.equal(events, c.count);
        assert.deepEqual(alive, [0, 0, 0], 'events of page N still reachable while page N+1 is requested');
      } finally {
        c.close();
        await c.emu.close();
      }
    });
  }
});
