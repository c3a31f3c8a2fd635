// Carbon Black alert extraction end to end: the lib extractor as secflow-cbc-alerts
// drives it (CbcClient over HttpClient, the alerts v7 flavour: sorted by
// backend_update_timestamp, start/rows pages of 10,000, the query asked again past its
// 10,000-result limit, a key per alert version, cursor saved after each page, one
// message object per alert) reading the CB emulator over loopback. Alerts are 10 ms
// apart (1,000,000 span 2.8 h), so the 120 s look-back holds 12,000 keys. Each
// extraction runs in its own child process (bench/_extraction-harness.ts). Target
// (issue 14): events/s shown; peak RSS(1,000,000) ≤ 1.5 × peak RSS(100,000).
import { CbcEmulator } from '../test/emulators/carbonblack';
import { ALERTS_PATH, CbcAlertSearch, CbcClient, DEFAULT_ALERT_LOOKBACK_MS, DEFAULT_UPDATE_WINDOW_MS, reviveTimedCursor, type CbcAlert, type TimedItem } from '../src/lib/carbonblack';
import { extractionBench } from './_extraction-harness';

const PAGE = Number(process.env.SECFLOW_CBC_BENCH_PAGE ?? 10_000);
const STEP_MS = 10;
const BACK_MS = 3.5 * 3_600_000;

export const run = extractionBench({
  file: __filename,
  module,
  title: 'Carbon Black alerts',
  pageSize: PAGE,
  target: 'shown',
  emulator: (count) => {
    const emu = new CbcEmulator({ demo: true, logBodies: false });
    emu.alerts.add({ count, startMs: Date.now() - BACK_MS, stepMs: STEP_MS });
    return { listen: () => emu.listen(0), close: () => emu.close() };
  },
  setup: (url) => {
    const client = new CbcClient({ url, orgKey: 'ORGKEY01', apiId: 'bench', apiSecret: 'bench' });
    const sinceMs = Date.now() - BACK_MS - 60_000;
    const flavour = new CbcAlertSearch(client, { criteria: {}, updateWindowMs: DEFAULT_UPDATE_WINDOW_MS }, { sinceMs, pageSize: PAGE, lookbackMs: DEFAULT_ALERT_LOOKBACK_MS });
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      flavour,
      reviveCursor: (raw: unknown) => reviveTimedCursor(raw, 'cbc-alerts'),
      isEvent: (item: TimedItem<CbcAlert>) => typeof item.record.id === 'string',
      firstPageText: async () => (await client.http.request<string>({
        method: 'POST', path: client.orgPath(ALERTS_PATH), raw: true,
        body: { time_range: { start: iso(sinceMs - DEFAULT_UPDATE_WINDOW_MS), end: iso(Date.now()) }, criteria: { backend_update_timestamp: { start: iso(sinceMs), end: iso(Date.now()) } }, sort: [{ field: 'backend_update_timestamp', order: 'ASC' }], start: 1, rows: PAGE },
      })).data,
      close: () => client.close(),
    };
  },
});
