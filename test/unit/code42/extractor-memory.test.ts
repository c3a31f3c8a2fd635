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
const message = 'events of page N still reachable while page N+1 is requested';

describe('runExtraction memory: one page at a time', () => {
  it('v1 file events', async () => {
    const emu = new Code42Emulator({ acceptAnyCredentials: true, logBodies: false });
    emu.addFileEvents({ count: 2_000, startMs: START, stepMs: 1 });
    await emu.listen();
    const client = new Code42Client({ url: emu.baseUrl, credentials: { authType: 'apiClient', id: 'a', secret: 'b' } });
    try {
      const handler = (emu as unknown as { searchFileEvents(req: EmuRequest): EmuResponse }).searchFileEvents.bind(emu);
      const flavour = new V1FileEvents(client, { groups: [], groupClause: 'AND', orMode: false, pageSize: 500, overlapMs: 0 });
      const { alive, events } = await aliveAtNextRequest(emu, 'fileevents', handler, flavour, reviveFileEventCursor, 500);
      assert.equal(events, 2_000);
      assert.deepEqual(alive, [0, 0, 0], message);
    } finally {
      client.close();
      await emu.close();
    }
  });

  describe('Incydr', () => {
    it('file events', async () => {
      const emu = new IncydrEmulator({ acceptAnyCredentials: true, logBodies: false });
      emu.addFileEvents({ count: 2_000, insertedMs: START, stepMs: 1, returnIds: false });
      await emu.listen();
      const client = new IncydrClient({ url: emu.baseUrl, credentials: { clientId: 'a', secret: 'b' } });
      try {
        const handler = (emu as unknown as { searchFileEvents(req: EmuRequest): EmuResponse }).searchFileEvents.bind(emu);
        const flavour = new IncydrFileEvents(client, { groups: [], groupClause: 'AND', orMode: false, pageSize: 500, overlapMs: 60_000, sinceMs: START });
        const { alive, events } = await aliveAtNextRequest(emu, 'file-events', handler, flavour, reviveIncydrFileEventCursor, 500);
        assert.equal(events, 2_000);
        assert.deepEqual(alive, [0, 0, 0], message);
      } finally {
        client.close();
        await emu.close();
      }
    });

    it('alerts, with details', async () => {
      const emu = new IncydrEmulator({ acceptAnyCredentials: true, logBodies: false });
      emu.addAlerts({ count: 2_000, createdMs: START, stepMs: 1000 });
      await emu.listen();
      const client = new IncydrClient({ url: emu.baseUrl, credentials: { clientId: 'a', secret: 'b' } });
      try {
        const handler = (emu as unknown as { queryAlerts(req: EmuRequest): EmuResponse }).queryAlerts.bind(emu);
        const flavour = new IncydrAlerts(client, { groups: [], groupClause: 'AND', pageSize: 500, details: true, sinceMs: START });
        const { alive, events } = await aliveAtNextRequest(emu, 'alerts', handler, flavour, reviveAlertCursor, 500);
        assert.equal(events, 2_000);
        assert.deepEqual(alive, [0, 0, 0], message);
      } finally {
        client.close();
        await emu.close();
      }
    });

    it('sessions', async () => {
      const emu = new IncydrEmulator({ acceptAnyCredentials: true, logBodies: false });
      const now = emu.clock.now();
      emu.addSessions({ count: 200, beginMs: now - 7_200_000, stepMs: 1000, at: now - 100 });
      await emu.listen();
      const client = new IncydrClient({ url: emu.baseUrl, credentials: { clientId: 'a', secret: 'b' } });
      try {
        const handler = (emu as unknown as { listSessions(req: EmuRequest): EmuResponse }).listSessions.bind(emu);
        const flavour = new IncydrSessions(client, { params: [], lookbackMs: 86_400_000 }, () => emu.clock.now());
        const { alive, events } = await aliveAtNextRequest(emu, 'sessions', handler, flavour, reviveSessionCursor, 50);
        assert.equal(events, 200);
        assert.deepEqual(alive, [0, 0, 0], message);
      } finally {
        client.close();
        await emu.close();
      }
    });

    it('audit log', async () => {
      const emu = new IncydrEmulator({ acceptAnyCredentials: true, logBodies: false });
      const now = emu.clock.now();
      emu.audit.add({ count: 2_000, startMs: now - 3_600_000, stepMs: 1000 });
      await emu.listen();
      const client = new IncydrClient({ url: emu.baseUrl, credentials: { clientId: 'a', secret: 'b' } });
      try {
        const flavour = new IncydrAuditLog(client, { filters: {}, pageSize: 500, lookbackMs: 300_000, sinceMs: now - 3_700_000 }, () => emu.clock.now());
        const { alive, events } = await aliveAtNextRequest(emu, 'audit-log', (req) => emu.audit.search(req), flavour, reviveAuditLogCursor, 500);
        assert.equal(events, 2_000);
        assert.deepEqual(alive, [0, 0, 0], message);
      } finally {
        client.close();
        await emu.close();
      }
    });
  });

  it('Carbon Black alerts', async () => {
    const emu = new CbcEmulator({ logBodies: false });
    const url = await emu.listen(0);
    emu.alerts.add({ count: 2_000, startMs: Date.now() - 3_600_000, stepMs: 1000 });
    const client = new CbcClient({ url, orgKey: emu.orgKey, apiId: 'APIID01', apiSecret: 'apisecret' });
    try {
      const flavour = new CbcAlertSearch(client, { criteria: {}, updateWindowMs: 86_400_000 }, { sinceMs: Date.now() - 7_200_000, pageSize: 500, lookbackMs: 120_000 });
      const handler = (req: EmuRequest) => emu.alerts.search((req.json ?? {}) as Record<string, unknown>);
      const { alive, events } = await aliveAtNextRequest(emu, 'alerts:search', handler, flavour, (raw) => reviveTimedCursor(raw, 'cbc-alerts'), 500);
      assert.equal(events, 2_000);
      assert.deepEqual(alive, [0, 0, 0], message);
    } finally {
      client.close();
      await emu.close();
    }
  });
});
