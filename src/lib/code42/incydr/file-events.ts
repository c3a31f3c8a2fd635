import type { Page, PagesOptions, SearchFlavour } from '../flavour';
import { describeProblems } from '../types';
import type { IncydrClient } from './client';
import { splitFileEventPage } from '../cursor';
import { advanceIncydrCursor, knownIncydrIds, reviveIncydrFileEventCursor, type IncydrFileEventCursor } from './cursor';
import { usesV2Term, type V2Clause, type V2Group } from './filters';
import { V2TimeParser, isoMsOf } from './time';
import type { V2FileEvent, V2FileEventPage } from './types';

/** A search reply with its HTTP status (problems can come with a 200 or a 400). */
type V2FileEventReply = V2FileEventPage & { status: number };

export const V2_CURSOR_TERM = 'event.inserted';
export const V2_CURSOR_FILTER_ERROR = "event.inserted filter can't be used with the Incydr file-event extractor when a cursor checkpoint exists (the cursor is on event.inserted).";
export const MAX_V2_PAGE = 10_000;
/** Default look-back for late-indexed events in incydr mode (contract §5.1). */
export const DEFAULT_V2_OVERLAP_MS = 60_000;
/** First run without `since` or a cursor: the API's 90-day retention (a query needs at least one group). */
export const RETENTION_MS = 90 * 86_400_000;

export interface IncydrQueryOptions {
  groups: V2Group[];
  groupClause: V2Clause;
  /** OR the user's groups together (they go into one OR subgroup, AND-ed with the cursor). */
  orMode: boolean;
  /** Start of a first run (epoch ms); undefined = the retention window. */
  sinceMs?: number;
  pageSize: number;
  overlapMs: number;
}

/** The user's groups as sent: AND-ed as given, or as one OR subgroup (so the cursor group is still AND-ed). */
export function v2UserGroups(q: Pick<IncydrQueryOptions, 'groups' | 'groupClause' | 'orMode'>): V2Group[] {
  if ((q.orMode || q.groupClause === 'OR') && q.groups.length > 1) return [{ subgroupClause: 'OR', subgroups: q.groups }];
  return q.groups;
}

/**
 * File events over `POST /v2/file-events` (contract incydr-v2 §5.1): the user's groups
 * AND `event.inserted ON_OR_AFTER (cursor − look-back)`, sorted by event.inserted
 * ascending (the API defaults to descending), pgToken paging from "", de-duplication
 * by event.id against the cursor's window, INVALID_PAGE_TOKEN → one restart from the
 * stored cursor. Events are passed on whole, whatever fields they carry.
 */
export class IncydrFileEvents implements SearchFlavour<V2FileEvent, IncydrFileEventCursor> {
  readonly label = 'Incydr file events';

  constructor(private readonly client: IncydrClient, private readonly query: IncydrQueryOptions, private readonly now: () => number = Date.now) {
    if (!Number.isInteger(query.pageSize) || query.pageSize < 1 || query.pageSize > MAX_V2_PAGE) {
      throw new Error(`pageSize must be an integer from 1 to ${MAX_V2_PAGE}, got ${query.pageSize}`);
    }
  }

  reviveCursor(raw: unknown): IncydrFileEventCursor | undefined {
    return reviveIncydrFileEventCursor(raw);
  }

  checkFilters(cursor: IncydrFileEventCursor | undefined): void {
    if (cursor && usesV2Term(this.query.groups, V2_CURSOR_TERM)) throw new Error(V2_CURSOR_FILTER_ERROR);
  }

  cursorTime(cursor: IncydrFileEventCursor | undefined): string | undefined {
    return cursor ? isoMsOf(cursor.ts) : undefined;
  }

  itemType(item: V2FileEvent): string | undefined {
    const action = item?.event?.action;
    return typeof action === 'string' && action !== '' ? action : undefined;
  }

  /** The request body for a cursor and page token. */
  body(cursor: IncydrFileEventCursor | undefined, pgToken: string): Record<string, unknown> {
    const from = cursor ? cursor.ts - this.query.overlapMs : this.query.sinceMs ?? this.now() - RETENTION_MS;
    const groups: V2Group[] = [...v2UserGroups(this.query), { filterClause: 'AND', filters: [{ term: V2_CURSOR_TERM, operator: 'ON_OR_AFTER', value: isoMsOf(from) }] }];
    return { groupClause: 'AND', groups, srtDir: 'asc', srtKey: V2_CURSOR_TERM, pgToken, pgSize: this.query.pageSize };
  }

  async *pages(options: PagesOptions<IncydrFileEventCursor>): AsyncGenerator<Page<V2FileEvent, IncydrFileEventCursor>> {
    if (options.cursor && usesV2Term(this.query.groups, '@timestamp')) {
      options.warn?.(`${this.label}: a @timestamp filter with a cursor on event.inserted can hide late-indexed events (their @timestamp may be much older)`);
    }
    let cursor = options.cursor;
    let known = knownIncydrIds(cursor);
    let token = '';
    // The query stays the same while paging by token; a restart re-bases it on the stored cursor.
    let body = this.body(cursor, token);
    let restarted = false;
    let page = 0;
    const inserted = new V2TimeParser();
    for (;;) {
      let reply: V2FileEventReply | undefined = await this.client.searchFileEvents(body, options.signal);
      const problems = reply.problems ?? [];
      if (problems.length > 0) {
        if (reply.status === 400 && problems.some((p) => p?.type === 'INVALID_PAGE_TOKEN')) {
          if (restarted) throw new Error(`${this.label}: the API rejected the page token again after a restart (INVALID_PAGE_TOKEN)`);
          // Everything delivered so far is in the stored cursor; its window de-duplicates the rest.
          restarted = true;
          token = '';
          body = this.body(cursor, token);
          options.warn?.(`${this.label}: INVALID_PAGE_TOKEN; restarting the query from the stored cursor`);
          continue;
        }
        throw new Error(`${this.label}: the search reported problems (HTTP ${reply.status}): ${describeProblems(problems)}`);
      }
      if (reply.fileEvents !== null && reply.fileEvents !== undefined && !Array.isArray(reply.fileEvents)) throw new Error(`${this.label}: fileEvents is not an array`);
      restarted = false;
      page++;
      if (!reply.fileEvents || reply.fileEvents.length === 0) return;
      const nextToken = reply.nextPgToken;
      let result: Page<V2FileEvent, IncydrFileEventCursor> | undefined = this.digest(reply, page, cursor, known, inserted);
      cursor = result.cursor;
      // Bound memory: only ids the cursor still covers are needed across a restart.
      if (known.size > 2 * (cursor.ids.length + cursor.recent.length) + 20_000) known = knownIncydrIds(cursor);
      // Nothing of this page may stay referenced while the next one is fetched and parsed
      // (a generator's locals live across awaits): one page in memory, not two.
      // eslint-disable-next-line no-useless-assignment -- releases the page for GC
      reply = undefined;
      yield result;
      // eslint-disable-next-line no-useless-assignment -- releases the page for GC
      result = undefined;
      if (nextToken === null || nextToken === undefined || nextToken === '') return;
      if (nextToken === token) throw new Error(`${this.label}: the API returned the same page token twice`);
      token = nextToken;
      body = { ...body, pgToken: token };
    }
  }

  /** One page's new items and the cursor after it. */
  private digest(reply: V2FileEventReply, page: number, cursor: IncydrFileEventCursor | undefined, known: Set<string>, inserted: V2TimeParser): Page<V2FileEvent, IncydrFileEventCursor> {
    const events = reply.fileEvents ?? [];
    const { ids, times, items, repeats } = splitFileEventPage(events, (e, i) => {
      const id = e?.event?.id;
      if (typeof id !== 'string' || typeof e.event.inserted !== 'string') throw new Error(`${this.label}: event ${i} of page ${page} has no event.id or event.inserted`);
      return id;
    }, (e) => inserted.parse(e.event.inserted as string), known);
    // Every id of the cursor's window is in `known`, so only the repeats can be in it.
    const next = advanceIncydrCursor(cursor, ids, times, this.query.overlapMs, undefined, repeats);
    return { items, cursor: next, cursorChanged: next !== cursor, info: { page, received: events.length, skipped: events.length - items.length, totalCount: reply.totalCount ?? undefined } };
  }
}
