// Event searches answered while CB is still searching (processed_segments <
// total_segments): the reply then carries only what the finished segments found,
// counts included, so `results.length === num_available` proves nothing. The
// client must wait for the API's own completion signal, then page through
// everything, and the exporter's files must equal those from complete replies.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { CbcClient } from '../../../src/lib/carbonblack/client';
import { exportProcessTree, LevelMode, ProcessExport } from '../../../src/lib/carbonblack/export';
import { DEFAULT_SUMMARY_CONFIG } from '../../../src/lib/carbonblack/summary';
import { CbcEmulator, startCbcEmulator } from '../../emulators/carbonblack';

let emu: CbcEmulator;
const clients: CbcClient[] = [];

function client(extra: Partial<ConstructorParameters<typeof CbcClient>[0]> = {}): CbcClient {
  const c = new CbcClient({ url: emu.baseUrl, orgKey: emu.orgKey, apiId: 'APIID01', apiSecret: 'apisecret', pollMs: 5, retry: { baseDelayMs: 10, throttleBaseMs: 10 }, ...extra });
  clients.push(c);
  return c;
}

before(async () => {
  emu = await startCbcEmulator({ seed: 7 });
});
after(async () => {
  for (const c of clients) c.close();
  await emu.close();
});
beforeEach(() => {
  emu.clearFaults();
  emu.segments = { total: 1, pollsToComplete: 1 };
  emu.maxAvailable = Number.POSITIVE_INFINITY;
  emu.rateWindow = undefined;
  emu.log.length = 0;
});

test('0 found at 1 of 4 segments is no answer: the client polls until 4 of 4 and returns every event', async () => {
  const [root] = emu.addTree({ fanOut: 1, depth: 0, eventsPerProcess: 11 });
  emu.segments = { total: 4, pollsToComplete: 4 };
  const r = await client().searchEvents(root.guid);
  assert.equal(r.events.length, 11);
  assert.equal(r.numFound, 11);
  assert.equal(emu.requests('events:search').length, 4, 'one request per poll until complete');
});

test('counts found so far are not final: every page is read once the search completes', async () => {
  const [root] = emu.addTree({ fanOut: 1, depth: 0, eventsPerProcess: 23 });
  emu.segments = { total: 4, pollsToComplete: 3 };
  const r = await client().searchEvents(root.guid, { rows: 5, sort: [{ field: 'event_timestamp', order: 'DESC' }] });
  assert.equal(r.events.length, 23);
  assert.equal(new Set(r.events.map((e) => JSON.stringify(e))).size, 23, 'no event twice');
  const starts = emu.requests('events:search').map((e) => JSON.parse(e.body).start);
  assert.deepEqual([...new Set(starts)], [0, 5, 10, 15, 20]);
});

test('num_available below num_found: everything available is read, and the result says it is truncated', async () => {
  const [root] = emu.addTree({ fanOut: 1, depth: 0, eventsPerProcess: 23 });
  emu.segments = { total: 4, pollsToComplete: 2 };
  emu.maxAvailable = 15;
  const r = await client().searchEvents(root.guid, { rows: 10 });
  assert.equal(r.events.length, 15);
  assert.equal(r.numFound, 23);
  assert.equal(r.numAvailable, 15);
  assert.equal(r.truncated, true);
});

test('a search that never completes ends at the time limit with a clear error, never a partial result', async () => {
  const [root] = emu.addTree({ fanOut: 1, depth: 0, eventsPerProcess: 8 });
  emu.segments = { total: 4, pollsToComplete: 1_000_000 };
  const started = Date.now();
  await assert.rejects(client({ searchTimeoutMs: 300, maxStalls: 1000 }).searchEvents(root.guid), /did not complete within 0\.3 s: segments [0-9]+\/4/);
  assert.ok(Date.now() - started < 5000);
});

test('sliding-window 429s while polling segments: waited out, and the result is complete', async () => {
  const [root] = emu.addTree({ fanOut: 1, depth: 0, eventsPerProcess: 9 });
  emu.segments = { total: 4, pollsToComplete: 4 };
  emu.rateWindow = { max: 2, windowMs: 2000, blockSeconds: 1 };
  const r = await client().searchEvents(root.guid);
  assert.equal(r.events.length, 9);
  assert.ok(emu.requests('events:search').some((e) => e.status === 429), 'the emulator throttled');
});

async function exportAll(mode: LevelMode, rootGuid: string, keepDuplicateChildren = false) {
  const processes: ProcessExport[] = [];
  const tree = await exportProcessTree(client(), {
    guid: rootGuid, depth: 3, levelMode: mode, summaryConfig: DEFAULT_SUMMARY_CONFIG, keepDuplicateChildren,
    onProcess: (p) => { processes.push(p); },
  });
  return { files: processes.map((p) => [p.filename, p.csv]), tree: tree?.json };
}

// depth 3: three true levels (1 + 3 + 9), or in compat three expansions (root and two
// children expanded, the third child and six grandchildren exported unexpanded).
for (const [mode, files] of [['compat', 10], ['depth', 13]] as const) {
  test(`${mode} mode: partial replies export the same files and tree as complete replies`, async () => {
    const [root] = emu.addTree({ fanOut: 3, depth: 2, eventsPerProcess: 11 });
    emu.segments = { total: 1, pollsToComplete: 1 };
    const complete = await exportAll(mode, root.guid);
    assert.equal(complete.files.length, files);
    emu.segments = { total: 4, pollsToComplete: 3 };
    const partial = await exportAll(mode, root.guid);
    assert.deepEqual(partial, complete);
  });
}

test('compat mode with keepDuplicateChildren keeps a child announced twice, as the original does', async () => {
  const [root] = emu.addTree({ fanOut: 2, depth: 1, eventsPerProcess: 4, duplicateChildprocs: true });
  const merged = await exportAll('compat', root.guid);
  const kept = await exportAll('compat', root.guid, true);
  assert.equal(merged.files.length, 3);
  assert.equal(kept.files.length, 5, 'each of the 2 children twice, as announced');
});
