// Incydr v2 file-event extraction end to end: the lib extractor as the file-event
// node drives it in incydr mode (HttpClient with OAuth, the Incydr flavour, cursor
// maths, a cursor store saved after each page, one message object per event)
// reading `POST /v2/file-events` from the Incydr emulator over loopback with pages
// of 10,000. The emulator runs in this process; each extraction runs in its own
// child process so that its peak RSS is its own (bench/_extraction-harness.ts).
// Targets (issue 19, replacing issue 7's 100,000 events/s, which JSON.parse alone of
// the same pages cannot reach): events/s ≥ 70 % of the JSON.parse floor measured in
// the same run, and ≥ 2 × the API's own ceiling (120 requests/min × 10,000 events =
// 20,000 events/s); peak RSS(1,000,000) ≤ 1.5 × peak RSS(100,000).
import { IncydrEmulator } from '../test/emulators/incydr';
import { IncydrClient, IncydrFileEvents, reviveIncydrFileEventCursor, type V2FileEvent } from '../src/lib/code42';
import { extractionBench } from './_extraction-harness';

const PAGE = Number(process.env.SECFLOW_INCYDR_BENCH_PAGE ?? 10_000);
const START_MS = Date.UTC(2026, 0, 1);

export const run = extractionBench({
  file: __filename,
  module,
  title: 'Incydr v2 file events',
  pageSize: PAGE,
  searchRoute: 'file-events',
  target: '≥ 0.7 × JSON.parse floor, ≥ 2 × API ceiling',
  apiCeiling: { eventsPerSec: (120 / 60) * 10_000, why: '120 requests/min × 10,000 events per page' },
  emulator: (count) => {
    // The timed runs are answered from replies recorded first (searchRoute); prefetch
    // (the next page written while the client parses this one) speeds up the recording.
    const emu = new IncydrEmulator({ acceptAnyCredentials: true, logBodies: false, prefetch: true });
    emu.addFileEvents({ count, insertedMs: START_MS, stepMs: 1, returnIds: false });
    return emu;
  },
  setup: (url) => {
    const client = new IncydrClient({ url, credentials: { clientId: 'bench', secret: 'bench' } });
    const flavour = new IncydrFileEvents(client, { groups: [], groupClause: 'AND', orMode: false, pageSize: PAGE, overlapMs: 60_000, sinceMs: START_MS });
    const pageText = async (pgToken: string) => (await client.http.request<string>({ method: 'POST', path: '/v2/file-events', body: flavour.body(undefined, pgToken), raw: true })).data;
    return {
      flavour, reviveCursor: reviveIncydrFileEventCursor, isEvent: (item: V2FileEvent) => Boolean(item.event.id),
      firstPageText: () => pageText(''),
      pageText,
      close: () => client.close(),
    };
  },
});
