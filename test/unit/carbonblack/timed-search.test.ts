// The CB alerts flavour through runExtraction against the emulator: an update moves an
// alert to a new key (sent again, marked updated) while an unchanged alert inside the
// look-back is skipped; more than 10,000 alerts on one millisecond is a clear error
// rather than a silent cut; a cursor of another API is refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CbcAlertSearch, CbcClient, reviveTimedCursor, type CbcAlert, type TimedCursor, type TimedItem } from '../../../src/lib/carbonblack';
import { runExtraction } from '../../../src/lib/code42';
import { CursorStore, type ContextLike } from '../../../src/lib/cursor';
import { CbcEmulator } from '../../emulators/carbonblack';

function memoryStore(): CursorStore<TimedCursor> {
  const data = new Map<string, unknown>();
  const context: ContextLike = {
    get: (key, _s, cb) => setImmediate(() => cb(null, data.get(key))),
    set: (key, value, _s, cb) => setImmediate(() => { data.set(key, JSON.parse(JSON.stringify(value))); cb(); }),
  };
  return new CursorStore<TimedCursor>(context, { scope: 'node', key: 'c' }, (raw) => reviveTimedCursor(raw, 'cbc-alerts'));
}

describe('CbcAlertSearch', () => {
  let emu: CbcEmulator;
  let client: CbcClient;
  before(async () => {
    emu = new CbcEmulator({ demo: true });
    const url = await emu.listen(0);
    client = new CbcClient({ url, orgKey: emu.orgKey, apiId: 'x', apiSecret: 'y' });
  });
  after(async () => {
    client.close();
    await emu.close();
  });

  const search = (pageSize = 500) => new CbcAlertSearch(client, { criteria: {}, updateWindowMs: 86_400_000 }, { sinceMs: Date.now() - 7_200_000, pageSize, lookbackMs: 120_000 });
  async function extract(store: CursorStore<TimedCursor>, pageSize?: number): Promise<Array<TimedItem<CbcAlert>>> {
    const got: Array<TimedItem<CbcAlert>> = [];
    await runExtraction(search(pageSize), store, { deliver: (page) => void got.push(...page.items) });
    return got;
  }

  it('re-sends an updated alert once as "updated" and skips unchanged ones inside the look-back', async () => {
    const ids = emu.alerts.add({ count: 40, startMs: Date.now() - 60_000, stepMs: 1000 });
    const store = memoryStore();
    assert.equal((await extract(store)).length, 40);
    emu.alerts.update(ids[3], Date.now() - 10);
    const second = await extract(store);
    assert.deepEqual(second.map((i) => [i.record.id, i.change]), [[ids[3], 'updated']]);
    assert.equal((await extract(store)).length, 0);
  });

  it('refuses to cut a tie of more than 10,000 alerts on one millisecond', async () => {
    emu.alerts.add({ count: 10_001, startMs: Date.now() - 30_000, stepMs: 0 });
    await assert.rejects(extract(memoryStore(), 10_000), /more than 10000 records share/);
  });

  it('refuses a cursor of another API', () => {
    assert.throws(() => reviveTimedCursor({ v: 1, api: 'cbc-audit', ts: 1, ids: [], recent: [] }, 'cbc-alerts'), /not a cbc-alerts cursor/);
  });
});
