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
