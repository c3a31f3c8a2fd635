// The audit log search (POST /audit_log/v1/orgs/{org_key}/logs/_search; CB Cloud
// Audit Logs API), not the read-once `_queue`, which a restart cannot replay.
// Records: {actor, actor_ip, create_time (ISO), description, flagged, org_key,
// request_url, verbose} (CB Audit Log schema 1.0.0) — no id, so each is known by
// a digest of its canonical JSON. Body {criteria: {create_time: {start, end}, …},
// query, start (0-based), rows, sort}.
import crypto from 'node:crypto';
import { canonicalJson } from '../util/canonical-json';
import { TimedSearch, type TimedSearchOptions } from './timed-search';
import type { CbcClient } from './client';

export type CbcAuditLog = Record<string, unknown> & { create_time: string };

export const AUDIT_PATH = '/audit_log/v1/orgs/{org}/logs/_search';
export const DEFAULT_AUDIT_LOOKBACK_MS = 300_000;

export interface AuditQuery {
  criteria: Record<string, unknown>;
  exclusions?: Record<string, unknown>;
  query?: string;
}

export function auditDigest(record: unknown): string {
  return crypto.createHash('sha256').update(canonicalJson(record)).digest('base64url');
}

const iso = (ms: number) => new Date(ms).toISOString();

export class CbcAuditLogSearch extends TimedSearch<CbcAuditLog> {
  constructor(client: CbcClient, query: AuditQuery, options: TimedSearchOptions) {
    super(client, {
      label: 'Carbon Black audit logs',
      api: 'cbc-audit',
      path: AUDIT_PATH,
      timeField: 'create_time',
      firstRow: 0,
      key: auditDigest,
      itemType: () => 'audit-log',
      body: (fromMs, toMs) => ({
        criteria: { ...query.criteria, create_time: { start: iso(fromMs), end: iso(toMs) } },
        ...(query.exclusions ? { exclusions: query.exclusions } : {}),
        ...(query.query ? { query: query.query } : {}),
      }),
    }, options);
  }
}
