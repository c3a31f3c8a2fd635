// Code42 extraction end to end: the lib extractor as the file-event node drives it
// (HttpClient, v1 file-event flavour, cursor maths, a cursor store saved after each
// page, one message object built per event) reading from the Code42 emulator over
// loopback HTTP with pages of 10,000. The emulator runs in this process; each
// extraction runs in its own child process so that its peak RSS is its own
// (bench/_extraction-harness.ts).
// Targets (issue 2): ≥ 100,000 events/s; peak RSS(1,000,000) ≤ 1.5 × peak RSS(100,000).
import { Code42Emulator } from '../test/emulators/code42';
import { Code42Client, V1FileEvents, reviveFileEventCursor, type FileEvent } from '../src/lib/code42';
import { extractionBench } from './_extraction-harness';

const PAGE = 10_000;

export const run = extractionBench({
  file: __filename,
  module,
  title: 'Code42 v1 file events',
  pageSize: PAGE,
  searchRoute: 'fileevents',
  emulator: (count) => {
    // The timed runs are answered from replies recorded first (searchRoute); prefetch
    // (the next page written while the client parses this one) speeds up the recording.
    const emu = new Code42Emulator({ acceptAnyCredentials: true, logBodies: false, prefetch: true });
    emu.addGeneratedFileEvents({ count, startMs: Date.UTC(2026, 0, 1), stepMs: 1 });
    return emu;
  },
  setup: (url) => {
    const client = new Code42Client({ url, credentials: { authType: 'apiClient', id: 'bench', secret: 'bench' } });
    const flavour = new V1FileEvents(client, { groups: [], groupClause: 'AND', orMode: false, pageSize: PAGE, overlapMs: 0 });
    const pageText = async (pgToken: string) => (await client.http.request<string>({ method: 'POST', path: '/forensic-search/queryservice/api/v1/fileevent', body: flavour.body(undefined, pgToken), raw: true })).data;
    return {
      flavour, reviveCursor: reviveFileEventCursor, isEvent: (item: FileEvent) => Boolean(item.eventId),
      firstPageText: () => pageText(''),
      pageText,
      close: () => client.close(),
    };
  },
});
