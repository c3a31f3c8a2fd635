// Incydr audit-log extraction end to end: the lib extractor as secflow-code42-audit-log
// drives it (HttpClient with OAuth, the audit-log flavour: time windows read to their
// last page, sha256 digest per event, cursor saved after each page, one message object
// per event) reading `POST /v1/audit/search-audit-log` from the Incydr emulator over
// loopback with pages of 10,000. Events are 10 ms apart (1,000,000 span 2.8 h), so the
// 300 s look-back holds 30,000 digests. Each extraction runs in its own child process
// (bench/_extraction-harness.ts). Targets (issue 17): events/s shown; peak RSS(1,000,000)
// ≤ 1.5 × peak RSS(100,000).
import { IncydrEmulator } from '../test/emulators/incydr';
import { DEFAULT_AUDIT_LOOKBACK_MS, IncydrAuditLog, IncydrClient, reviveAuditLogCursor, type AuditEvent } from '../src/lib/code42';
import { extractionBench } from './_extraction-harness';

const PAGE = Number(process.env.SECFLOW_AUDIT_BENCH_PAGE ?? 10_000);
const STEP_MS = 10;
/** Events start this far back (1,000,000 × 10 ms = 10,000 s fit before now). */
const BACK_MS = 3.5 * 3_600_000;

export const run = extractionBench({
  file: __filename,
  module,
  title: 'Incydr audit log',
  pageSize: PAGE,
  // No events/s target in the issue: audit logs are small (a busy tenant logs thousands a day).
  target: 'shown',
  emulator: (count) => {
    const emu = new IncydrEmulator({ acceptAnyCredentials: true, logBodies: false });
    emu.audit.add({ count, startMs: Date.now() - BACK_MS, stepMs: STEP_MS });
    return emu;
  },
  setup: (url) => {
    const client = new IncydrClient({ url, credentials: { clientId: 'bench', secret: 'bench' } });
    const sinceMs = Date.now() - BACK_MS - 60_000;
    const flavour = new IncydrAuditLog(client, { filters: {}, pageSize: PAGE, lookbackMs: DEFAULT_AUDIT_LOOKBACK_MS, sinceMs });
    return {
      flavour, reviveCursor: reviveAuditLogCursor, isEvent: (item: AuditEvent) => typeof item.timestamp === 'string',
      firstPageText: async () => (await client.http.request<string>({ method: 'POST', path: '/v1/audit/search-audit-log', body: flavour.body(sinceMs, sinceMs + 600_000, 0), raw: true })).data,
      close: () => client.close(),
    };
  },
});
