import type { CursorStore } from '../cursor';
import type { Page, SearchFlavour } from './flavour';

export interface RunSummary<C> {
  events: number;
  pages: number;
  cursor: C | undefined;
  /** The cursor's time (ISO), for status lines. */
  cursorTime?: string;
  durationMs: number;
}

export interface RunOptions<T, C> {
  signal?: AbortSignal;
  /**
   * Delivers one page's new items. The cursor is saved only after this returns (or
   * its promise resolves); if it throws, the run stops and the cursor stays where it was.
   */
  deliver(page: Page<T, C>): void | Promise<void>;
  warn?: (message: string) => void;
  /** Called after each page was delivered and its cursor saved. */
  progress?: (summary: RunSummary<C>) => void;
}

/**
 * One extraction run: load the cursor, check the filters against it, then page by
 * page deliver → save → next request. Never holds more than one page; the next
 * request waits for the save; a failed save stops the run with an error.
 */
export async function runExtraction<T, C>(flavour: SearchFlavour<T, C>, store: CursorStore<C>, options: RunOptions<T, C>): Promise<RunSummary<C>> {
  const started = Date.now();
  let cursor: C | undefined = await store.load();
  flavour.checkFilters(cursor);
  const summary = (): RunSummary<C> => ({ events, pages, cursor, cursorTime: flavour.cursorTime(cursor), durationMs: Date.now() - started });
  let events = 0;
  let pages = 0;
  for await (const page of flavour.pages({ cursor, signal: options.signal, warn: options.warn })) {
    if (options.signal?.aborted) throw new Error(`${flavour.label}: run aborted`);
    pages++;
    if (page.items.length > 0) await options.deliver(page);
    events += page.items.length;
    if (page.cursorChanged) await store.save(page.cursor);
    cursor = page.cursor;
    options.progress?.(summary());
  }
  return summary();
}
