// A durable, exactly-once read of a Carbon Black Cloud `_search` API whose records
// carry a time (alerts v7: backend_update_timestamp; audit logs: create_time), as a
// SearchFlavour for the shared extractor (runExtraction). Each run asks for
// [cursor time − look-back, now], sorted by that time ascending, page by page with
// start/rows. The API serves at most 10,000 results of one query (start + rows), so a
// longer window is asked again from the last time read — inclusively: records tied on
// that millisecond are told apart by the ids the cursor keeps, never skipped with a
// +1 ms (cbc-syslog's fetch_alerts loses the rest of a tie that way). Records are known
// by a key (alerts: id@backend_update_timestamp, so a later update is a new key and is
// sent again; audit logs: a digest of the record), kept for the look-back window.
import type { Page, PagesOptions, SearchFlavour } from '../code42/flavour';
import { advanceIdWindow, knownIds, reviveRecent, type IdWindow } from '../cursor/id-window';
import type { CbcClient } from './client';

/** The most results one query can page through (start + rows), as the SDK's MAX_RESULTS_LIMIT. */
export const MAX_QUERY_RESULTS = 10_000;

export interface TimedCursor extends IdWindow {
  v: 1;
  api: string;
}

export interface TimedItem<R> {
  record: R;
  /** `updated`: the record was created before this run's window, or was sent before with an older time. */
  change: 'new' | 'updated';
}

export interface TimedSearchSpec<R> {
  label: string;
  /** Cursor tag (`cbc-alerts`, `cbc-audit`): a cursor of another API is refused. */
  api: string;
  /** Path with `{org}`. */
  path: string;
  timeField: string;
  /** Index of the first row: alerts count from 1, audit-log search from 0. */
  firstRow: 0 | 1;
  /** The record's identity across pages and runs. */
  key(record: R): string;
  /** The part of a key that names the record whatever its version (alerts: the id). */
  identity?(key: string): string;
  /** When the record came into being (ms), to tell updates from new records; undefined = always new. */
  createdMs?(record: R): number | undefined;
  /** The request body for [fromIso, toIso] without start, rows and sort. */
  body(fromMs: number, toMs: number): Record<string, unknown>;
  itemType(record: R): string | undefined;
}

export interface TimedSearchOptions {
  /** First run: from here (epoch ms). */
  sinceMs: number;
  pageSize: number;
  lookbackMs: number;
  now?: () => number;
}

export function reviveTimedCursor(raw: unknown, api: string): TimedCursor | undefined {
  if (typeof raw === 'string' && /^\s*\{/.test(raw)) raw = JSON.parse(raw);
  if (raw === undefined || raw === null) return undefined;
  const c = raw as Partial<TimedCursor>;
  if (typeof c !== 'object' || c.v !== 1 || c.api !== api || typeof c.ts !== 'number' || !Number.isFinite(c.ts) || !Array.isArray(c.ids)) {
    throw new Error(`not a ${api} cursor {v:1, api:"${api}", ts, ids, recent}`);
  }
  return { v: 1, api, ts: c.ts, ids: c.ids.map(String), recent: reviveRecent(c.recent) };
}

export class TimedSearch<R> implements SearchFlavour<TimedItem<R>, TimedCursor> {
  readonly label: string;

  constructor(private readonly client: CbcClient, private readonly spec: TimedSearchSpec<R>, private readonly options: TimedSearchOptions) {
    this.label = spec.label;
    if (!Number.isInteger(options.pageSize) || options.pageSize < 1 || options.pageSize > MAX_QUERY_RESULTS) throw new Error(`pageSize must be 1…${MAX_QUERY_RESULTS}`);
  }

  reviveCursor(raw: unknown): TimedCursor | undefined {
    return reviveTimedCursor(raw, this.spec.api);
  }

  checkFilters(): void {
    /* the criteria never conflict with the cursor: it owns only the time criterion */
  }

  cursorTime(cursor: TimedCursor | undefined): string | undefined {
    return cursor && Number.isFinite(cursor.ts) ? new Date(cursor.ts).toISOString() : undefined;
  }

  itemType(item: TimedItem<R>): string | undefined {
    return this.spec.itemType(item.record);
  }

  async *pages(options: PagesOptions<TimedCursor>): AsyncGenerator<Page<TimedItem<R>, TimedCursor>> {
    const { spec } = this;
    const toMs = (this.options.now ?? Date.now)();
    const resumed = options.cursor;
    // Known keys: bounded by the cursor's window (ids at ts + recent), not by the run.
    const known = knownIds(resumed);
    const sentBefore = new Set<string>();
    if (spec.identity) for (const k of known) sentBefore.add(spec.identity(k));
    const runFrom = resumed ? resumed.ts - this.options.lookbackMs : this.options.sinceMs;
    let from = runFrom;
    let cursor = resumed;
    let pageNo = 0;
    let row = spec.firstRow;
    const path = this.client.orgPath(spec.path);
    for (;;) {
      const offset = row - spec.firstRow;
      const rows = Math.min(this.options.pageSize, MAX_QUERY_RESULTS - offset);
      const body = { ...spec.body(from, toMs), sort: [{ field: spec.timeField, order: 'ASC' }], start: row, rows };
      // The reply is never a local of this generator: its locals live across awaits, and
      // nothing of this page may stay referenced while the next one is fetched and parsed.
      pageNo++;
      let page: Page<TimedItem<R>, TimedCursor> | undefined;
      let received: number, available: number, lastMs: number;
      ({ page, cursor, received, available, lastMs } = this.digest(await this.client.search<R>(path, body, options.signal), pageNo, { cursor, known, sentBefore, resumed, runFrom }));
      if (page) yield page;
      // eslint-disable-next-line no-useless-assignment -- releases the page for GC
      page = undefined;
      if (received < rows) return;
      row += received;
      if (row - spec.firstRow >= available && available < MAX_QUERY_RESULTS) return;
      if (row - spec.firstRow >= MAX_QUERY_RESULTS) {
        // The query's result limit: ask again from the last time read (inclusive).
        if (lastMs <= from) throw new Error(`${spec.label}: more than ${MAX_QUERY_RESULTS} records share ${new Date(lastMs).toISOString()}; the API cannot page through them`);
        from = lastMs;
        row = spec.firstRow;
      }
    }
  }

  /** One page of results: the new or updated items, and the cursor advanced past the page. */
  private digest(reply: { results: R[]; num_found?: number; num_available?: number }, pageNo: number, run: { cursor: TimedCursor | undefined; known: Set<string>; sentBefore: Set<string>; resumed: TimedCursor | undefined; runFrom: number }): { page: Page<TimedItem<R>, TimedCursor> | undefined; cursor: TimedCursor | undefined; received: number; available: number; lastMs: number } {
    const { spec } = this;
    const { cursor, known, sentBefore, resumed, runFrom } = run;
    const results = reply.results;
    const ids: string[] = new Array(results.length);
    const times: number[] = new Array(results.length);
    const items: Array<TimedItem<R>> = [];
    const atTs = cursor ? new Set(cursor.ids) : new Set<string>();
    for (let i = 0; i < results.length; i++) {
      const record = results[i];
      const raw = (record as Record<string, unknown>)[spec.timeField];
      const ms = typeof raw === 'string' ? Date.parse(raw) : typeof raw === 'number' ? raw : NaN;
      if (!Number.isFinite(ms)) throw new Error(`${spec.label}: a result has no readable ${spec.timeField} (${JSON.stringify(raw)})`);
      const key = spec.key(record);
      ids[i] = key;
      times[i] = ms;
      if (known.has(key) || atTs.has(key)) continue;
      const identity = spec.identity?.(key);
      const created = spec.createdMs?.(record);
      const updated = (identity !== undefined && sentBefore.has(identity)) || (resumed !== undefined && created !== undefined && created < runFrom);
      items.push({ record, change: updated ? 'updated' : 'new' });
    }
    const next = advanceIdWindow(cursor, ids, times, this.options.lookbackMs) as TimedCursor | undefined;
    const nextCursor = next ? { v: 1 as const, api: spec.api, ts: next.ts, ids: next.ids, recent: next.recent } : undefined;
    const changed = nextCursor !== undefined && nextCursor !== cursor && !(cursor && sameWindow(cursor, nextCursor));
    const page = nextCursor || items.length > 0
      ? { items, cursor: (nextCursor ?? cursor) as TimedCursor, cursorChanged: changed, info: { page: pageNo, received: results.length, skipped: results.length - items.length, totalCount: reply.num_found } }
      : undefined;
    return { page, cursor: nextCursor ?? cursor, received: results.length, available: reply.num_available ?? Number.POSITIVE_INFINITY, lastMs: times[times.length - 1] };
  }
}

function sameWindow(a: TimedCursor, b: TimedCursor): boolean {
  return a.ts === b.ts && a.ids.length === b.ids.length && a.recent.length === b.recent.length && a.ids.every((id, i) => id === b.ids[i]);
}
