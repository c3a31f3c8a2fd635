// The seam between the generic extractor and an API flavour. v1 (forensic search,
// legacy alerts) is the first implementation; the Incydr API becomes a second one
// behind the same interface, so the nodes do not fork.
import type { ExemptRule, FilterGroup, Clause } from './filters';

/** What one page of a run hands to the extractor. */
export interface Page<T, C> {
  /** New items, in API order, de-duplicated against the cursor. */
  items: T[];
  /** The cursor to store once every item of this page was delivered. */
  cursor: C;
  /** True if `cursor` differs from the one before this page. */
  cursorChanged: boolean;
  info: PageInfo;
}

export interface PageInfo {
  /** 1-based page number within the run. */
  page: number;
  /** Items the API returned on this page, skipped ones included. */
  received: number;
  /** Items skipped as already delivered. */
  skipped: number;
  totalCount?: number;
}

/** The user's query part, shared by all flavours. */
export interface QueryOptions {
  groups: FilterGroup[];
  groupClause: Clause;
  orMode: boolean;
  orExempt?: ExemptRule[];
  /** Start of a first run (epoch ms); undefined = no time filter. */
  sinceMs?: number;
  pageSize: number;
  /** Look-back overlap in ms (late-indexed events). */
  overlapMs: number;
}

export interface PagesOptions<C> {
  cursor: C | undefined;
  signal?: AbortSignal;
  /** Non-fatal problems (e.g. an observation whose data does not parse). */
  warn?: (message: string) => void;
}

export interface SearchFlavour<T, C> {
  /** e.g. `v1 file events`; used in messages. */
  readonly label: string;
  /** Restores a stored cursor (incl. legacy forms); throws if unreadable. */
  reviveCursor(raw: unknown): C | undefined;
  /** Throws (R1 text) if the filters cannot be combined with this cursor. */
  checkFilters(cursor: C | undefined): void;
  /** Pages of one run, lazily: the next request is made only when the consumer asks. */
  pages(options: PagesOptions<C>): AsyncGenerator<Page<T, C>>;
  /** The cursor's position for status lines and summaries (ISO time). */
  cursorTime(cursor: C | undefined): string | undefined;
  /** The item's type, for msg.topic. */
  itemType(item: T): string | undefined;
}
