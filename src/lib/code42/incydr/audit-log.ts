// The Incydr audit log over `POST /v1/audit/search-audit-log` (code42/incydr_python,
// _incydr_sdk/audit_log): body {actorIds, actorIpAddresses, actorNames, dateRange:
// {startTime, endTime} (epoch seconds, inclusive), eventTypes, page (from 0), pageSize
// (≤ 10,000), resourceIds, userTypes}; reply {events, paginationRangeStartIndex,
// paginationRangeEndIndex}, `events` possibly absent on an empty page. The order is not
// documented and the SDK sends no sort, so nothing here relies on it: the extractor
// reads one time window completely (pages until a short one) before its cursor moves
// past it, and knows delivered events by their digest.
import type { Page, PagesOptions, SearchFlavour } from '../flavour';
import { parseFilterText } from '../filters';
import { IsoMsParser } from '../time';
import { advanceAuditLogCursor, auditEventDigest, knownAuditDigests, reviveAuditLogCursor, type AuditLogCursor } from './audit-cursor';
import type { IncydrClient } from './client';
import type { AuditEvent } from './types';

export const MAX_AUDIT_PAGE = 10_000;
export const DEFAULT_AUDIT_PAGE = 5_000;
/** Code42: audit events can take up to 5 minutes to appear. */
export const DEFAULT_AUDIT_LOOKBACK_MS = 300_000;
/**
 * Results one window may hold: page·pageSize stays below this. Not a documented API
 * limit (offset paging usually has one; the v2 file-event search stops at 10,000): a
 * window that fills it is split, so a window is always read to its end, and the
 * digests of a window in progress stay bounded.
 */
export const MAX_AUDIT_WINDOW_RESULTS = 10_000;
/** First run without `since`: 90 days back. */
export const AUDIT_FIRST_RUN_MS = 90 * 86_400_000;
const FIRST_SPAN_MS = 3_600_000;
const MAX_SPAN_MS = 7 * 86_400_000;

export const USER_TYPES = ['USER', 'SUPPORT_USER', 'API_CLIENT', 'SYSTEM', 'UNKNOWN'] as const;
/** The search's list filters, in the SDK's body order. */
export const AUDIT_FILTER_KEYS = ['actorIds', 'actorIpAddresses', 'actorNames', 'eventTypes', 'resourceIds', 'userTypes'] as const;
export type AuditFilterKey = (typeof AUDIT_FILTER_KEYS)[number];
export type AuditFilters = Partial<Record<AuditFilterKey, string[]>>;
/** Keys the cursor owns. */
const CURSOR_KEYS = ['dateRange', 'page', 'pageSize', 'startTime', 'endTime'];
/** The SDK's / CLI's snake_case names → the API's. */
const ALIASES: Record<string, AuditFilterKey> = {
  actor_ids: 'actorIds', actor_ip_addresses: 'actorIpAddresses', actor_names: 'actorNames', event_types: 'eventTypes', resource_ids: 'resourceIds', user_types: 'userTypes',
};

/**
 * The raw-JSON filters: an object of the search's list filters (API or snake_case
 * names), each a string or a list of strings. Errors name the field and the key.
 */
export function parseAuditFilters(text: string, field = 'filters'): AuditFilters {
  const raw = parseFilterText(text, field);
  if (raw === undefined) return {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${field} must be a JSON object of audit-log filters, e.g. {"eventTypes":["logged_in"],"userTypes":["USER"]}`);
  const out: AuditFilters = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (CURSOR_KEYS.includes(key)) throw new Error(`${field}.${key}: set by the node's cursor (time windows and paging); remove it`);
    const name = (AUDIT_FILTER_KEYS as readonly string[]).includes(key) ? (key as AuditFilterKey) : ALIASES[key];
    if (!name) throw new Error(`${field}.${key} is not an audit-log filter; use ${AUDIT_FILTER_KEYS.join(', ')}`);
    if (value === null) continue;
    const values = Array.isArray(value) ? value : [value];
    if (!values.every((v) => typeof v === 'string' && v !== '')) throw new Error(`${field}.${key} must be a non-empty string or a list of them`);
    out[name] = mergeLists(out[name], values as string[]);
  }
  checkUserTypes(out, field);
  return out;
}

/** Form lists and raw-JSON filters together: each key's values united. */
export function mergeAuditFilters(a: AuditFilters, b: AuditFilters, field = 'filters'): AuditFilters {
  const out: AuditFilters = {};
  for (const key of AUDIT_FILTER_KEYS) {
    const merged = mergeLists(a[key], b[key] ?? []);
    if (merged.length > 0) out[key] = merged;
  }
  checkUserTypes(out, field);
  return out;
}

function mergeLists(a: string[] | undefined, b: string[]): string[] {
  return [...new Set([...(a ?? []), ...b])];
}

function checkUserTypes(filters: AuditFilters, field: string): void {
  for (const t of filters.userTypes ?? []) {
    if (!(USER_TYPES as readonly string[]).includes(t)) throw new Error(`${field === 'userTypes' ? field : `${field}.userTypes`} must be among ${USER_TYPES.join(', ')}, got ${JSON.stringify(t)}`);
  }
}

export interface AuditLogQueryOptions {
  filters: AuditFilters;
  /** Start of a first run (epoch ms); undefined = 90 days back. */
  sinceMs?: number;
  pageSize: number;
  lookbackMs: number;
}

/** An audit event's type (`type$`, e.g. `audit_log::logged_in/1`), or undefined. */
export function auditEventType(event: AuditEvent): string | undefined {
  const t = event?.['type$'] ?? event?.['@type'];
  return typeof t === 'string' && t !== '' ? t : undefined;
}

/**
 * Audit events with a durable cursor: from readTo − look-back (first run: `since`)
 * to the run's start, in time windows; each window paged from 0 until a short page,
 * and split in two when it holds too many events to page through. Events are
 * de-duplicated by digest and passed on whole.
 */
export class IncydrAuditLog implements SearchFlavour<AuditEvent, AuditLogCursor> {
  readonly label = 'Incydr audit log';

  constructor(private readonly client: IncydrClient, private readonly query: AuditLogQueryOptions, private readonly now: () => number = Date.now) {
    if (!Number.isInteger(query.pageSize) || query.pageSize < 1 || query.pageSize > MAX_AUDIT_PAGE) {
      throw new Error(`pageSize must be an integer from 1 to ${MAX_AUDIT_PAGE}, got ${query.pageSize}`);
    }
  }

  reviveCursor(raw: unknown): AuditLogCursor | undefined {
    return reviveAuditLogCursor(raw);
  }

  checkFilters(): void {
    // The cursor's keys are refused when the filters are parsed.
  }

  cursorTime(cursor: AuditLogCursor | undefined): string | undefined {
    return cursor ? new Date(cursor.readTo).toISOString() : undefined;
  }

  itemType(item: AuditEvent): string | undefined {
    return auditEventType(item);
  }

  /** The request body for a time window [fromMs, toMs] (inclusive) and a page number. */
  body(fromMs: number, toMs: number, page: number): Record<string, unknown> {
    const f = this.query.filters;
    return {
      actorIds: f.actorIds ?? null,
      actorIpAddresses: f.actorIpAddresses ?? null,
      actorNames: f.actorNames ?? null,
      dateRange: { endTime: toMs / 1000, startTime: fromMs / 1000 },
      eventTypes: f.eventTypes ?? null,
      page,
      pageSize: this.query.pageSize,
      resourceIds: f.resourceIds ?? null,
      userTypes: f.userTypes ?? null,
    };
  }

  async *pages(options: PagesOptions<AuditLogCursor>): AsyncGenerator<Page<AuditEvent, AuditLogCursor>> {
    const { pageSize, lookbackMs } = this.query;
    const end = Math.floor(this.now());
    let cursor = options.cursor;
    let known = knownAuditDigests(cursor);
    let from = cursor ? cursor.readTo - lookbackMs : Math.floor(this.query.sinceMs ?? end - AUDIT_FIRST_RUN_MS);
    if (from > end) from = end;
    let span = FIRST_SPAN_MS;
    let pageNo = 0;
    const parser = new IsoMsParser();
    for (;;) {
      const to = Math.min(from + span, end);
      let received = 0;
      let split = false;
      for (let page = 0; ; page++) {
        let events: AuditEvent[] | undefined = await this.pageEvents(from, to, page, options.signal);
        const full = events.length >= pageSize;
        // A window too big to page through: split it before delivering this page.
        if (full && to > from && (page + 2) * pageSize > MAX_AUDIT_WINDOW_RESULTS) {
          // eslint-disable-next-line no-useless-assignment -- releases the page for GC
          events = undefined;
          split = true;
          break;
        }
        pageNo++;
        received += events.length;
        const last = !full;
        let result: Page<AuditEvent, AuditLogCursor> | undefined = this.digest(events, { page, pageNo, from, to, last }, cursor, known, parser);
        cursor = result.cursor;
        if (known.size > 2 * (cursor.recent.length + cursor.ids.length) + 20_000) known = knownAuditDigests(cursor);
        // Nothing of this page may stay referenced while the next one is fetched and parsed
        // (a generator's locals live across awaits): one page in memory, not two.
        // eslint-disable-next-line no-useless-assignment -- releases the page for GC
        events = undefined;
        yield result;
        // eslint-disable-next-line no-useless-assignment -- releases the page for GC
        result = undefined;
        if (last) break;
      }
      if (split) {
        // Down to a single instant ([t, t]), which is paged through whatever it holds.
        span = Math.floor((to - from) / 2);
        continue;
      }
      if (to >= end) return;
      // Times are whole ms and the window was read to its end, both bounds included.
      from = to + 1;
      span = Math.max(1, received < MAX_AUDIT_WINDOW_RESULTS / 4 ? Math.min(span * 2, MAX_SPAN_MS) : span);
    }
  }

  /** The events of one page of a window (the reply itself is not kept). */
  private async pageEvents(from: number, to: number, page: number, signal: AbortSignal | undefined): Promise<AuditEvent[]> {
    const raw = (await this.client.searchAuditLog(this.body(from, to, page), signal)).events;
    if (raw !== undefined && raw !== null && !Array.isArray(raw)) throw new Error(`${this.label}: events is not an array (window ${iso(from)} – ${iso(to)}, page ${page})`);
    return raw ?? [];
  }

  /** One page: the events not seen before, and the cursor advanced past them. */
  private digest(events: AuditEvent[], at: { page: number; pageNo: number; from: number; to: number; last: boolean }, cursor: AuditLogCursor | undefined, known: Set<string>, parser: IsoMsParser): Page<AuditEvent, AuditLogCursor> {
    const digests: string[] = [];
    const times: number[] = [];
    const items: AuditEvent[] = [];
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      const stamp = e?.timestamp;
      if (!e || typeof e !== 'object' || typeof stamp !== 'string') throw new Error(`${this.label}: event ${i} of page ${at.page} (window ${iso(at.from)} – ${iso(at.to)}) has no timestamp`);
      const ms = parser.parse(stamp);
      const digest = auditEventDigest(e);
      if (known.has(digest)) continue;
      known.add(digest);
      digests.push(digest);
      times.push(ms);
      items.push(e);
    }
    const next = advanceAuditLogCursor(cursor, digests, times, { lookbackMs: this.query.lookbackMs, startMs: at.from, windowEnd: at.last ? at.to : undefined });
    const changed = items.length > 0 || !cursor || next.readTo !== cursor.readTo;
    return { items, cursor: changed ? next : cursor!, cursorChanged: changed, info: { page: at.pageNo, received: events.length, skipped: events.length - items.length } };
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
