// Shapes of the Incydr API (contract incydr-v2 §2–4) as far as secflow reads them.
// Everything else in an event, alert or session is passed on untouched: the API
// adds fields and values over time, and they must never be rejected.
import type { SearchProblem } from '../types';

export interface V2FileEvent {
  '@timestamp'?: string | null;
  event: { id: string; inserted: string; action?: string | null; [field: string]: unknown };
  [field: string]: unknown;
}

export interface V2FileEventPage {
  fileEvents: V2FileEvent[] | null;
  nextPgToken?: string | null;
  problems?: SearchProblem[] | null;
  totalCount?: number | null;
}

export interface IncydrSession {
  sessionId: string;
  beginTime: number;
  endTime?: number;
  lastUpdated: number;
  states?: Array<{ stateV2?: string; sourceTimestamp?: number }>;
  [field: string]: unknown;
}

export interface SessionPage {
  items: IncydrSession[] | null;
  totalCount?: number | null;
}

/**
 * An audit-log event (fields vary by type; the SDK keeps them as a dict):
 * `type$` (e.g. `audit_log::logged_in/1`), actorId, actorName, actorAgent,
 * actorIpAddress (may list several, comma-separated), actorType, timestamp (ISO, ms).
 */
export interface AuditEvent {
  'type$'?: string;
  timestamp: string;
  actorId?: string | null;
  actorName?: string | null;
  actorAgent?: string | null;
  actorIpAddress?: string | null;
  actorType?: string | null;
  [field: string]: unknown;
}

/** A `POST /v1/audit/search-audit-log` reply; `events` may be missing on an empty page. */
export interface AuditLogPage {
  events?: AuditEvent[] | null;
  paginationRangeStartIndex?: number;
  paginationRangeEndIndex?: number;
}
