// Conformance: the CB Cloud client replays the SDK's own event-search fixtures
// (carbon-black-cloud-sdk-python mock_events.py): segment polling 3/7 → 7/7, the
// 10/100/250 row caps, and start paging of a capped set. test/unit/carbonblack/
// client.test.ts checks the same on the project's own replies.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { CbcClient } from '../../../src/lib/carbonblack/client';
import { CbcEmulator, startCbcEmulator } from '../../emulators/carbonblack';
import { vectorPath } from '../../support/vectors';

const fixtures = JSON.parse(fs.readFileSync(vectorPath('carbonblack', 'cbc_sdk_mock_event_search_responses.json'), 'utf8'));
const FIXTURE_GUID = 'J7G6DTLN-006633e3-00000334-00000000-1d677bedfbb1c2e';

let emu: CbcEmulator;
const clients: CbcClient[] = [];

function client(extra: Partial<ConstructorParameters<typeof CbcClient>[0]> = {}): CbcClient {
  const c = new CbcClient({ url: emu.baseUrl, orgKey: emu.orgKey, apiId: 'APIID01', apiSecret: 'apisecret', pollMs: 5, retry: { baseDelayMs: 10, throttleBaseMs: 10 }, ...extra });
  clients.push(c);
  return c;
}

before(async () => {
  emu = await startCbcEmulator();
});
after(async () => {
  for (const c of clients) c.close();
  await emu.close();
});
beforeEach(() => {
  emu.clearFaults();
  emu.segments = { total: 1, pollsToComplete: 1 };
  emu.maxAvailable = Number.POSITIVE_INFINITY;
  emu.log.length = 0;
});

test('SDK fixtures: interim 3/7 segments then 7/7; events carry the requested GUID', async () => {
  emu.replay(FIXTURE_GUID, [fixtures.EVENT_SEARCH_RESP_INTERIM, fixtures.EVENT_SEARCH_RESP]);
  const r = await client().searchEvents(FIXTURE_GUID, { maxEvents: 10 });
  assert.equal(r.events.length, 10);
  assert.ok(r.events.every((e) => e.process_guid === FIXTURE_GUID));
  assert.equal(emu.requests('events:search').length, 2);
});

test('SDK fixtures: 10-row cap → 10, 100-row cap → 100, everything → 250', async () => {
  for (const [limit, expected] of [[10, 10], [100, 100], [undefined, 250]] as const) {
    emu.replay(FIXTURE_GUID, [fixtures.EVENT_SEARCH_RESP]);
    const r = await client().searchEvents(FIXTURE_GUID, { maxEvents: limit });
    assert.equal(r.events.length, expected, `limit ${limit}`);
    assert.equal(r.numAvailable, 250);
  }
});

test('SDK fixtures: PART_ONE then PART_TWO → second body has start 1, 3 events, truncated', async () => {
  emu.replay(FIXTURE_GUID, [fixtures.EVENT_SEARCH_RESP_PART_ONE, fixtures.EVENT_SEARCH_RESP_PART_TWO]);
  const r = await client().searchEvents(FIXTURE_GUID);
  const bodies = emu.requests('events:search').map((e) => JSON.parse(e.body));
  assert.equal(bodies.length, 2);
  assert.equal(bodies[0].start, 0);
  assert.equal(bodies[1].start, 1);
  assert.equal(r.events.length, 3);
  assert.equal(r.numFound, 250);
  assert.equal(r.numAvailable, 3);
  assert.equal(r.truncated, true);
});

