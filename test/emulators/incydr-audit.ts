// The Incydr audit log for the Incydr emulator (incydr.ts mounts it):
//   POST /v1/audit/search-audit-log     (route name `audit-log`)
//   POST /v1/audit/search-results-count (route name `audit-count`) → {totalResultCount}
// As code42/incydr_python's audit-log client sends it: body {actorIds, actorIpAddresses,
// actorNames, dateRange: {startTime, endTime} (epoch seconds, fractions allowed, both
// inclusive; null = open), eventTypes, page (from 0), pageSize (1..10,000), resourceIds,
// userTypes}; null or absent lists do not filter. Reply {events, paginationRangeStartIndex,
// paginationRangeEndIndex}; an empty page has no `events` key at all.
//   - eventTypes match the full `type$` (`audit_log::logged_in/1`) or its short name
//     (`logged_in`); actorIpAddresses match any of the comma-separated addresses;
//     userTypes match actorType; resourceIds match the event's `resourceId` (the
//     emulator's own field: the real events' resource fields vary by type).
//   - Order: newest first (public hints; the SDK sends no sort), ties newest-added first.
//   - The emulator's own limit (unverified): page·pageSize + pageSize ≤ 10,000
//     (`maxResultWindow`), else 400 — offset paging stops somewhere.
//   - Late indexing: each event has a visibleAt (clock ms); searches see only visible ones.
// Event types, actors and type-specific fields are the emulator's own, modelled on the
// two events of the SDK's tests (logged_in, federation_metadata_updated). Every generated
// event differs from every other in content (a per-event value), as the digest cursor
// needs: identical events at one instant are one event to it (and to Code42's CLI).
import type { EmuRequest, EmuResponse } from './framework';

export const AUDIT_LOG_PATH = '/v1/audit/search-audit-log';
export const AUDIT_COUNT_PATH = '/v1/audit/search-results-count';
export const MAX_AUDIT_PAGE_SIZE = 10_000;

interface AuditType {
  type: string;
  actorTypes: string[];
  /** The type's own fields for the event numbered `seq`. */
  fields(seq: number): Record<string, unknown>;
}

const ACTORS = [
  { id: '898209175991065670', name: 'ann.admin@example.com', type: 'USER', ip: '203.0.113.21', agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15' },
  { id: '898209175991065671', name: 'sam.soc@example.com', type: 'USER', ip: '198.51.100.7, 64.252.71.111', agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36' },
  { id: 'key-7f3a9c', name: 'siem-connector', type: 'API_CLIENT', ip: '192.0.2.44', agent: 'incydr-sdk 2.3.0 python 3.12' },
  { id: 'thwlhuOyiq2svbdcqfmm2demndi', name: 'SYSTEM', type: 'SYSTEM', ip: null, agent: null },
  { id: '898209175991065999', name: 'support@code42.com', type: 'SUPPORT_USER', ip: '2001:db8::42', agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0' },
];
const USERS = ['dee.dunn@example.com', 'bob.bell@example.com', 'eve.east@example.com', 'cid.cole@example.com'];

export const AUDIT_TYPES: AuditType[] = [
  { type: 'audit_log::logged_in/1', actorTypes: ['USER', 'SUPPORT_USER'], fields: (s) => ({ resourceId: `login-${s}`, authMethod: s % 3 === 0 ? 'SSO' : 'LOCAL' }) },
  { type: 'audit_log::logged_out/1', actorTypes: ['USER'], fields: (s) => ({ resourceId: `login-${s - 1}` }) },
  { type: 'audit_log::user_role_added/1', actorTypes: ['USER', 'API_CLIENT'], fields: (s) => ({ resourceId: `user-${s}`, userId: `user-${s}`, userName: USERS[s % USERS.length], roleId: 'desktop-user', roleName: 'Desktop User' }) },
  { type: 'audit_log::user_role_removed/1', actorTypes: ['USER'], fields: (s) => ({ resourceId: `user-${s}`, userId: `user-${s}`, userName: USERS[(s + 1) % USERS.length], roleId: 'security-center-user', roleName: 'Security Center User' }) },
  { type: 'audit_log::watchlist_user_added/1', actorTypes: ['USER', 'API_CLIENT'], fields: (s) => ({ resourceId: `wl-${s % 13}`, watchlistId: `wl-${s % 13}`, watchlistType: 'DEPARTING_EMPLOYEE', userId: `user-${s}`, userName: USERS[(s + 2) % USERS.length] }) },
  { type: 'audit_log::case_created/1', actorTypes: ['USER'], fields: (s) => ({ resourceId: `case-${s}`, caseNumber: s, caseName: `Case ${s}: exfiltration review`, subjectUsername: USERS[(s + 3) % USERS.length] }) },
  { type: 'audit_log::alert_rule_updated/1', actorTypes: ['USER', 'API_CLIENT'], fields: (s) => ({ resourceId: `rule-${s % 31}`, ruleId: `rule-${s % 31}`, ruleName: 'Removable media exfiltration', ruleVersion: s, changes: [{ field: 'severity', before: 'MODERATE', after: s % 2 ? 'HIGH' : 'CRITICAL' }] }) },
  { type: 'audit_log::file_events_exported/1', actorTypes: ['USER', 'API_CLIENT'], fields: (s) => ({ resourceId: `export-${s}`, exportFormat: s % 2 ? 'CSV' : 'JSON', resultCount: 100 + (s % 5000), query: { groups: [{ filters: [{ term: 'user.email', operator: 'IS', value: USERS[s % USERS.length] }] }] } }) },
  { type: 'audit_log::api_client_created/1', actorTypes: ['USER'], fields: (s) => ({ resourceId: `key-${s}`, apiClientId: `key-${s}`, apiClientName: `integration ${s % 100}`, note: 'pipe | equals = backslash \\ newline\nend' }) },
  { type: 'audit_log::federation_metadata_updated/1', actorTypes: ['SYSTEM'], fields: (s) => ({ resourceId: `fed-${s % 3}`, federationId: String(1034183599256332463n + BigInt(s % 3)), metadataUrl: 'https://md.incommon.org/InCommon/InCommon-metadata.xml', displayName: 'Auth Provider Federation', metadataMd5sum: (s * 2654435761 >>> 0).toString(16).padStart(32, '0') }) },
];

const ACTORS_OF = AUDIT_TYPES.map((t) => ACTORS.filter((a) => t.actorTypes.includes(a.type)));

/** The short name of a type$ (`audit_log::logged_in/1` → `logged_in`). */
export function shortAuditType(type: string): string {
  const m = /^[^:]*::([^/]+)/.exec(type);
  return m ? m[1] : type;
}

export interface AddAuditEventsOptions {
  count: number;
  /** timestamp (ms) of the first event. */
  startMs: number;
  /** ms between consecutive events (default 1000; 0 = all share one ms). */
  stepMs?: number;
  /** Visible this long after their timestamp (late indexing; default 0). */
  visibleAfterMs?: number;
  /** Visible from this clock time (overrides visibleAfterMs). */
  visibleAt?: number;
  /** Only these types (full type$), default all, in turn. */
  types?: string[];
}

export interface AuditLogOptions {
  /** page·pageSize + pageSize must stay within this (default 10,000). */
  maxResultWindow?: number;
}

function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}

/** The audit log's data and routes; times on the emulator's clock. */
export class AuditLogStore {
  private readonly ts: number[] = [];
  private readonly vis: number[] = [];
  private readonly typeOf: number[] = [];
  private readonly custom = new Map<number, Record<string, unknown>>();
  /** Records in (timestamp, record) order. */
  private order: number[] = [];
  private retentionMs = -Infinity;

  constructor(private readonly now: () => number, private readonly options: AuditLogOptions = {}) {}

  get count(): number {
    return this.ts.length;
  }

  /** Generated events; returns their record numbers. */
  add(opts: AddAuditEventsOptions): number[] {
    const step = opts.stepMs ?? 1000;
    const types = (opts.types ?? AUDIT_TYPES.map((t) => t.type)).map((t) => {
      const k = AUDIT_TYPES.findIndex((x) => x.type === t);
      if (k < 0) throw new Error(`unknown audit type ${t}`);
      return k;
    });
    const added: number[] = [];
    for (let i = 0; i < opts.count; i++) {
      const r = this.ts.length;
      const ms = opts.startMs + i * step;
      this.ts.push(ms);
      this.vis.push(Math.max(ms, opts.visibleAt ?? ms + (opts.visibleAfterMs ?? 0)));
      this.typeOf.push(types[r % types.length]);
      added.push(r);
    }
    this.index(added);
    return added;
  }

  /** Explicit events (a `timestamp` ISO string required), served as given. */
  addCustom(events: Array<Record<string, unknown>>, opts: { visibleAt?: number } = {}): number[] {
    const added: number[] = [];
    for (const e of events) {
      const ms = typeof e.timestamp === 'string' ? Date.parse(e.timestamp) : NaN;
      if (!Number.isFinite(ms)) throw new Error('a custom audit event needs an ISO timestamp');
      const r = this.ts.length;
      this.ts.push(ms);
      this.vis.push(opts.visibleAt ?? ms);
      this.typeOf.push(-1);
      this.custom.set(r, structuredClone(e));
      added.push(r);
    }
    this.index(added);
    return added;
  }

  expireBefore(ms: number): void {
    this.retentionMs = ms;
  }

  /** The event as the API sends it. */
  event(r: number): Record<string, unknown> {
    return JSON.parse(this.json(r)) as Record<string, unknown>;
  }

  /** The oracle: records visible at `nowMs` (optionally in [fromMs, toMs]), oldest first. */
  visible(nowMs: number = this.now(), fromMs = -Infinity, toMs = Infinity): number[] {
    return this.order.filter((r) => this.vis[r] <= nowMs && this.ts[r] >= Math.max(fromMs, this.retentionMs) && this.ts[r] <= toMs);
  }

  search(req: EmuRequest): EmuResponse {
    const q = this.parse(req);
    if ('error' in q) return q.error;
    const window = this.options.maxResultWindow ?? 10_000;
    if ((q.page + 1) * q.pageSize > window) return bad(`page·pageSize + pageSize may not exceed ${window}`);
    const out: string[] = [];
    let skip = q.page * q.pageSize;
    this.walk(q, (r) => {
      if (skip > 0) {
        skip--;
        return true;
      }
      out.push(this.json(r));
      return out.length < q.pageSize;
    });
    if (out.length === 0) return { body: {} };
    const start = q.page * q.pageSize;
    return { headers: { 'Content-Type': 'application/json' }, body: `{"events":[${out.join(',')}],"paginationRangeStartIndex":${start},"paginationRangeEndIndex":${start + out.length}}` };
  }

  countResults(req: EmuRequest): EmuResponse {
    const q = this.parse(req);
    if ('error' in q) return q.error;
    let n = 0;
    this.walk(q, () => {
      n++;
      return true;
    });
    return { body: { totalResultCount: n } };
  }

  // ---- internals --------------------------------------------------------------

  private json(r: number): string {
    const c = this.custom.get(r);
    if (c) return JSON.stringify(c);
    const t = AUDIT_TYPES[this.typeOf[r]];
    const candidates = ACTORS_OF[this.typeOf[r]];
    const actor = candidates[r % candidates.length];
    return JSON.stringify({
      'type$': t.type, actorId: actor.id, actorName: actor.name, actorAgent: actor.agent, actorIpAddress: actor.ip,
      timestamp: isoMs(this.ts[r]), actorType: actor.type, ...t.fields(r),
    });
  }

  private index(records: number[]): void {
    const sorted = records.slice().sort((a, b) => this.ts[a] - this.ts[b] || a - b);
    const old = this.order;
    if (old.length === 0 || this.ts[old[old.length - 1]] <= this.ts[sorted[0]]) {
      for (const r of sorted) old.push(r);
      return;
    }
    this.order = [...old, ...sorted].sort((a, b) => this.ts[a] - this.ts[b] || a - b);
  }

  /** First position whose timestamp is ≥ ms. */
  private lower(ms: number): number {
    let lo = 0;
    let hi = this.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ts[this.order[mid]] < ms) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Calls `visit` on each matching record, newest first, until it returns false. */
  private walk(q: ParsedQuery, visit: (r: number) => boolean): void {
    const now = this.now();
    const lo = this.lower(Math.max(q.fromMs, this.retentionMs));
    const hi = this.lower(q.toMs + 1);
    for (let i = hi - 1; i >= lo; i--) {
      const r = this.order[i];
      if (this.vis[r] > now || !this.matches(r, q)) continue;
      if (!visit(r)) return;
    }
  }

  private matches(r: number, q: ParsedQuery): boolean {
    if (!q.filtered) return true;
    const e = this.custom.get(r) ?? this.event(r);
    const str = (v: unknown) => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
    const type = str(e['type$']);
    if (q.eventTypes && !q.eventTypes.has(type) && !q.eventTypes.has(shortAuditType(type))) return false;
    if (q.actorIds && !q.actorIds.has(str(e.actorId))) return false;
    if (q.actorNames && !q.actorNames.has(str(e.actorName))) return false;
    if (q.userTypes && !q.userTypes.has(str(e.actorType))) return false;
    if (q.resourceIds && !q.resourceIds.has(str(e.resourceId))) return false;
    if (q.actorIpAddresses && !str(e.actorIpAddress).split(',').some((ip) => q.actorIpAddresses!.has(ip.trim()))) return false;
    return true;
  }

  private parse(req: EmuRequest): ParsedQuery | { error: EmuResponse } {
    const body = req.json as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return { error: bad('request body must be a JSON object') };
    const page = body.page ?? 0;
    const pageSize = body.pageSize ?? 100;
    if (!Number.isInteger(page) || (page as number) < 0) return { error: bad(`page is 0-based, got ${JSON.stringify(body.page)}`) };
    if (!Number.isInteger(pageSize) || (pageSize as number) < 1 || (pageSize as number) > MAX_AUDIT_PAGE_SIZE) return { error: bad(`pageSize must be 1..${MAX_AUDIT_PAGE_SIZE}, got ${JSON.stringify(body.pageSize)}`) };
    const range = (body.dateRange ?? {}) as Record<string, unknown>;
    const seconds = (v: unknown, open: number): number | undefined => (v === null || v === undefined ? open : typeof v === 'number' && Number.isFinite(v) ? Math.round(v * 1000) : undefined);
    const fromMs = seconds(range.startTime, -Infinity);
    const toMs = seconds(range.endTime, Infinity);
    if (fromMs === undefined || toMs === undefined) return { error: bad('dateRange.startTime and endTime are epoch seconds (numbers) or null') };
    const q: ParsedQuery = { page: page as number, pageSize: pageSize as number, fromMs, toMs, filtered: false };
    for (const key of ['actorIds', 'actorIpAddresses', 'actorNames', 'eventTypes', 'resourceIds', 'userTypes'] as const) {
      const v = body[key];
      if (v === null || v === undefined) continue;
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return { error: bad(`${key} must be a list of strings or null`) };
      if (key === 'userTypes' && v.some((x) => !['USER', 'SUPPORT_USER', 'API_CLIENT', 'SYSTEM', 'UNKNOWN'].includes(x as string))) return { error: bad(`userTypes: unknown value in ${JSON.stringify(v)}`) };
      q[key] = new Set(v as string[]);
      q.filtered = true;
    }
    return q;
  }
}

interface ParsedQuery {
  page: number;
  pageSize: number;
  fromMs: number;
  toMs: number;
  filtered: boolean;
  actorIds?: Set<string>;
  actorIpAddresses?: Set<string>;
  actorNames?: Set<string>;
  eventTypes?: Set<string>;
  resourceIds?: Set<string>;
  userTypes?: Set<string>;
}

function bad(message: string): EmuResponse {
  return { status: 400, body: { error: [{ error: 'BAD_REQUEST', message }] } };
}
