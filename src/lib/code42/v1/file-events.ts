import { HttpError } from '../../http';
import type { Code42Client } from '../client';
import { advanceFileEventCursorBy, knownFileEventIds, reviveFileEventCursor, splitFileEventPage, type FileEventCursor } from '../cursor';
import { onOrAfter, usesTerm } from '../filters';
import type { Page, PagesOptions, QueryOptions, SearchFlavour } from '../flavour';
import { IsoMsParser, isoMs } from '../time';
import { describeProblems, type FileEvent, type FileEventPage } from '../types';
import { userGroups } from './query';

export const FILE_EVENT_CURSOR_TERM = 'insertionTimestamp';
export const FILE_EVENT_CURSOR_FILTER_ERROR = "InsertionTimestamp filter can't be used with FileEventExtractor when a cursor checkpoint exists.";
export const MAX_FILE_EVENT_PAGE = 10_000;

/**
 * File events over the v1 forensic search (S-a): ON_OR_AFTER (cursor − overlap) as the
 * last AND group, ascending by insertionTimestamp, pgToken paging starting with "",
 * de-duplication by eventId against the cursor, INVALID_PAGE_TOKEN → one restart.
 */
export class V1FileEvents implements SearchFlavour<FileEvent, FileEventCursor> {
  readonly label = 'Code42 file events (v1)';

  constructor(private readonly client: Code42Client, private readonly query: QueryOptions) {
    if (!Number.isInteger(query.pageSize) || query.pageSize < 1 || query.pageSize > MAX_FILE_EVENT_PAGE) {
      throw new Error(`pageSize must be an integer from 1 to ${MAX_FILE_EVENT_PAGE}, got ${query.pageSize}`);
    }
  }

  reviveCursor(raw: unknown): FileEventCursor | undefined {
    return reviveFileEventCursor(raw);
  }

  checkFilters(cursor: FileEventCursor | undefined): void {
    if (cursor && usesTerm(this.query.groups, FILE_EVENT_CURSOR_TERM)) throw new Error(FILE_EVENT_CURSOR_FILTER_ERROR);
  }

  cursorTime(cursor: FileEventCursor | undefined): string | undefined {
    return cursor ? isoMs(cursor.ts) : undefined;
  }

  itemType(item: FileEvent): string | undefined {
    return item.eventType ?? undefined;
  }

  /** The request body for a cursor and page token (exported for tests and the bench). */
  body(cursor: FileEventCursor | undefined, pgToken: string): Record<string, unknown> {
    const groups = [...userGroups(this.query)];
    const from = cursor ? cursor.ts - this.query.overlapMs : this.query.sinceMs;
    if (from !== undefined) groups.push(onOrAfter(FILE_EVENT_CURSOR_TERM, isoMs(from)));
    return { groupClause: 'AND', groups, srtDir: 'asc', srtKey: FILE_EVENT_CURSOR_TERM, pgToken, pgSize: this.query.pageSize };
  }

  async *pages(options: PagesOptions<FileEventCursor>): AsyncGenerator<Page<FileEvent, FileEventCursor>> {
    let cursor = options.cursor;
    let known = knownFileEventIds(cursor);
    let token = '';
    // The query stays the same while paging by token; a restart re-bases it.
    let queryCursor = cursor;
    let body = this.body(queryCursor, token);
    let restarted = false;
    let page = 0;
    const insertionTime = new IsoMsParser();
    for (;;) {
      let reply: FileEventPage | undefined;
      try {
        reply = await this.client.searchFileEvents(body, options.signal);
      } catch (err) {
        if (err instanceof HttpError && err.status === 400 && /INVALID_PAGE_TOKEN/.test(err.body ?? err.message)) {
          if (restarted) throw new Error(`${this.label}: the API rejected the page token again after a restart (INVALID_PAGE_TOKEN)`, { cause: err });
          // Restart from the stored cursor: everything delivered so far is in it.
          restarted = true;
          token = '';
          queryCursor = cursor;
          body = this.body(queryCursor, token);
          options.warn?.(`${this.label}: INVALID_PAGE_TOKEN; restarting the query from the stored cursor`);
          continue;
        }
        throw err;
      }
      if (reply.problems && reply.problems.length > 0) throw new Error(`${this.label}: the search reported problems: ${describeProblems(reply.problems)}`);
      if (reply.fileEvents !== null && reply.fileEvents !== undefined && !Array.isArray(reply.fileEvents)) throw new Error(`${this.label}: fileEvents is not an array`);
      restarted = false;
      page++;
      if (!reply.fileEvents || reply.fileEvents.length === 0) return;
      const nextToken = reply.nextPgToken;
      let result: Page<FileEvent, FileEventCursor> | undefined = this.digest(reply, page, cursor, known, insertionTime);
      cursor = result.cursor;
      // Bound memory: only ids the cursor still covers are needed to de-duplicate.
      if (known.size > 2 * (cursor.ids.length + cursor.recent.length) + 20_000) known = knownFileEventIds(cursor);
      // Nothing of this page may stay referenced while the next one is fetched and parsed,
      // so that only one page is ever in memory (a generator's locals live across awaits;
      // without this the previous page stayed reachable: ≈12 MB more live heap per run).
      // eslint-disable-next-line no-useless-assignment -- releases the page for GC
      reply = undefined;
      yield result;
      // eslint-disable-next-line no-useless-assignment -- releases the page for GC
      result = undefined;
      if (nextToken === null || nextToken === undefined || nextToken === '') return;
      if (nextToken === token) throw new Error(`${this.label}: the API returned the same page token twice`);
      token = nextToken;
      body = this.body(queryCursor, token);
    }
  }

  /** One page's new items and the cursor after it. */
  private digest(reply: FileEventPage, page: number, cursor: FileEventCursor | undefined, known: Set<string>, insertionTime: IsoMsParser): Page<FileEvent, FileEventCursor> {
    const events = reply.fileEvents ?? [];
    const { ids, times, items } = splitFileEventPage(events, (e, i) => {
      if (!e || typeof e.eventId !== 'string' || typeof e.insertionTimestamp !== 'string') throw new Error(`${this.label}: event ${i} of page ${page} has no eventId or insertionTimestamp`);
      return e.eventId;
    }, (e) => insertionTime.parse(e.insertionTimestamp as string), known);
    const next = advanceFileEventCursorBy(cursor, ids, times, this.query.overlapMs);
    return { items, cursor: next, cursorChanged: next !== cursor, info: { page, received: events.length, skipped: events.length - items.length, totalCount: reply.totalCount ?? undefined } };
  }
}
