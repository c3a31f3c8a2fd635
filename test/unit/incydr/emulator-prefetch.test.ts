// The Incydr emulator's `prefetch` (benches): the next token page is written ahead
// while the client parses this one. It must never change what a search answers:
// every page is byte-identical to the plain emulator's, and a change to the events
// between two pages is seen (the prefetched page is dropped, not served stale).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pageSideBySide } from '../../support/prefetch-pages';
import { IncydrEmulator } from '../../emulators/incydr';

const T0 = Date.UTC(2026, 0, 1);

describe('Incydr emulator prefetch', () => {
  const emus: IncydrEmulator[] = [];
  after(async () => {
    for (const emu of emus) await emu.close();
  });

  it('every page of a token-paged search is byte-identical to the plain emulator\'s, and a change in between is seen', async () => {
    const plain = new IncydrEmulator({ acceptAnyCredentials: true, logBodies: false });
    const ahead = new IncydrEmulator({ acceptAnyCredentials: true, logBodies: false, prefetch: true });
    emus.push(plain, ahead);
    for (const emu of [plain, ahead]) emu.addFileEvents({ count: 2_500, insertedMs: T0, stepMs: 1, returnIds: false });
    const [plainUrl, aheadUrl] = [await plain.listen(), await ahead.listen()];
    const token = async (url: string) => {
      const res = await fetch(`${url}/v1/oauth`, { method: 'POST', headers: { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } });
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const auth = { plain: await token(plainUrl), ahead: await token(aheadUrl) };
    const search = async (url: string, bearer: string, pgToken: string) => {
      const body = { groupClause: 'AND', groups: [{ filterClause: 'AND', filters: [{ term: 'event.inserted', operator: 'ON_OR_AFTER', value: new Date(T0 + 100).toISOString() }] }], srtDir: 'asc', srtKey: 'event.inserted', pgToken, pgSize: 1000 };
      const res = await fetch(`${url}/v2/file-events`, { method: 'POST', headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(res.status, 200);
      return res.text();
    };
    // New events between pages 2 and 3: the prefetched page 3 must not be served stale.
    const pages = await pageSideBySide((side, pgToken) => (side === 'plain' ? search(plainUrl, auth.plain, pgToken) : search(aheadUrl, auth.ahead, pgToken)), () => {
      for (const emu of [plain, ahead]) emu.addFileEvents({ count: 700, insertedMs: T0 + 2_500, stepMs: 1, returnIds: false });
    });
    assert.equal(pages, 4, '3,100 events after the bound in pages of 1,000');
    // Pages 2 and 4 came from prefetches; page 3's was dropped by the change.
    assert.equal(ahead.prefetchHits, 2);
    assert.equal(plain.prefetchHits, 0);
    assert.deepEqual(ahead.searchLog.map((s) => s.returned), plain.searchLog.map((s) => s.returned), 'only served searches are logged');
  });
});
