// Alerts v7 search (POST /api/alerts/v7/orgs/{org_key}/alerts/_search) as a durable
// extractor. Facts from the CB Cloud API docs (Alerts API v7, Alert Bulk Export guide)
// and carbonblack/cbc-syslog: body {time_range, criteria, exclusions, query, start
// (1-based), rows (≤ 10,000), sort}; reply {results, num_found, num_available}.
// time_range filters backend_timestamp and defaults to the last two weeks, so an
// update of an older alert is found only with a time_range reaching back to its
// creation: the node asks backend_update_timestamp ∈ [from, now] within a time_range
// of `updateWindow` before that (cbc-syslog and the export guide use one day).
import { TimedSearch, type TimedSearchOptions } from './timed-search';
import type { CbcClient } from './client';

export type CbcAlert = Record<string, unknown> & { id: string; type?: string; backend_timestamp?: string; backend_update_timestamp: string };

export const ALERT_TYPES = ['CB_ANALYTICS', 'WATCHLIST', 'DEVICE_CONTROL', 'CONTAINER_RUNTIME', 'HOST_BASED_FIREWALL', 'INTRUSION_DETECTION_SYSTEM'] as const;
export const ALERTS_PATH = '/api/alerts/v7/orgs/{org}/alerts/_search';
export const DEFAULT_ALERT_LOOKBACK_MS = 120_000;
export const DEFAULT_UPDATE_WINDOW_MS = 86_400_000;

/** What the user asks for: form criteria merged with raw JSON ({criteria, exclusions, query}). */
export interface AlertQuery {
  criteria: Record<string, unknown>;
  exclusions?: Record<string, unknown>;
  query?: string;
  /** How far before the update window the alerts' creation (time_range) may lie. */
  updateWindowMs: number;
}

const OWNED = ['time_range', 'start', 'rows', 'sort'];

/**
 * The raw-JSON part of a search (alerts, audit logs): an object with any of criteria, exclusions, query
 * (the API's own request fields; the cursor owns time_range, start, rows, sort and
 * criteria.backend_update_timestamp). Errors name the field and the key.
 */
export function parseSearchJson(text: string, field = 'filters', timeCriterion = 'backend_update_timestamp'): Omit<AlertQuery, 'updateWindowMs'> {
  const trimmed = text.trim();
  if (trimmed === '') return { criteria: {} };
  let raw: unknown;
  try {
    raw = JSON.parse(trimmed);
  } catch (err) {
    throw new Error(`${field} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${field} must be a JSON object such as {"criteria":{"device_os":["WINDOWS"]}}`);
  const out: Omit<AlertQuery, 'updateWindowMs'> = { criteria: {} };
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (OWNED.includes(key)) throw new Error(`${field}.${key}: set by the node's cursor; remove it`);
    if (key === 'criteria' || key === 'exclusions') {
      if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${field}.${key} must be an object of field → values`);
      if (key === 'criteria' && timeCriterion in (value as object)) throw new Error(`${field}.criteria.${timeCriterion}: set by the node's cursor; remove it`);
      out[key] = { ...(value as Record<string, unknown>) };
    } else if (key === 'query') {
      if (typeof value !== 'string') throw new Error(`${field}.query must be a string`);
      out.query = value;
    } else {
      throw new Error(`${field}.${key} is not a search field; use criteria, exclusions or query`);
    }
  }
  return out;
}

/** Form settings → criteria: alert types and a minimum severity (1–10). */
export function alertFormCriteria(form: { types: string[]; minimumSeverity?: number }, field = 'types'): Record<string, unknown> {
  const criteria: Record<string, unknown> = {};
  const bad = form.types.filter((t) => !(ALERT_TYPES as readonly string[]).includes(t));
  if (bad.length) throw new Error(`${field}: unknown alert type ${bad.join(', ')}; use ${ALERT_TYPES.join(', ')}`);
  if (form.types.length) criteria.type = form.types;
  if (form.minimumSeverity !== undefined) criteria.minimum_severity = form.minimumSeverity;
  return criteria;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class CbcAlertSearch extends TimedSearch<CbcAlert> {
  constructor(client: CbcClient, query: AlertQuery, options: TimedSearchOptions) {
    super(client, {
      label: 'Carbon Black alerts',
      api: 'cbc-alerts',
      path: ALERTS_PATH,
      timeField: 'backend_update_timestamp',
      firstRow: 1,
      key: (a) => `${a.id}@${a.backend_update_timestamp}`,
      identity: (key) => key.slice(0, key.lastIndexOf('@')),
      createdMs: (a) => (typeof a.backend_timestamp === 'string' ? Date.parse(a.backend_timestamp) : undefined),
      itemType: (a) => (typeof a.type === 'string' ? a.type : undefined),
      body: (fromMs, toMs) => ({
        time_range: { start: iso(fromMs - query.updateWindowMs), end: iso(toMs) },
        criteria: { ...query.criteria, backend_update_timestamp: { start: iso(fromMs), end: iso(toMs) } },
        ...(query.exclusions ? { exclusions: query.exclusions } : {}),
        ...(query.query ? { query: query.query } : {}),
      }),
    }, options);
  }
}
