// Shapes of the Code42 v1 API (A2, A3), as far as secflow reads them. Events and
// alerts are passed on whole; only the fields named here are interpreted.

export interface FileEvent {
  eventId: string;
  eventType?: string | null;
  insertionTimestamp: string;
  [field: string]: unknown;
}

export interface SearchProblem {
  type?: string;
  description?: string;
  badFilter?: unknown;
}

export interface FileEventPage {
  fileEvents: FileEvent[] | null;
  totalCount?: number | null;
  nextPgToken?: string | null;
  problems?: SearchProblem[] | null;
}

export interface Observation {
  'type$'?: string;
  id?: string;
  observedAt?: string;
  type?: string;
  /** A JSON string from the API; secflow parses it (kept as the string if it does not parse). */
  data?: unknown;
  [field: string]: unknown;
}

export interface Alert {
  id: string;
  createdAt: string;
  type?: string;
  name?: string;
  observations?: Observation[] | string | null;
  [field: string]: unknown;
}

export interface AlertPage {
  alerts: Alert[] | null;
  totalCount?: number | null;
  problems?: SearchProblem[] | null;
}

export interface AlertDetailsPage {
  alerts: Alert[] | null;
}

/** Renders `problems` of a search reply for an error message. */
export function describeProblems(problems: SearchProblem[]): string {
  return problems.map((p) => `${p.type ?? 'PROBLEM'}: ${p.description ?? ''}${p.badFilter ? ` (filter ${JSON.stringify(p.badFilter)})` : ''}`.trim()).join('; ');
}
