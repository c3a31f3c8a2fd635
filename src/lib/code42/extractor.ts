import type { Cursors } from '../cursor';
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
  /**
   * Confirmed delivery: called right after `deliver`, resolves once the flow has
   * settled every message of the page (rejects to stop the run). The page's cursor
   * is saved only then; meanwhile at most one further page is fetched and delivered.
   */
  settled?(page: Page<T, C>): Promise<void>;
  warn?: (message: string) => void;
  /** Called after each page was delivered and its cursor saved. */
  progress?: (summary: RunSummary<C>) => void;
}

/**
 * One extraction run: load the cursor, check the filters against it, then page by
 * page deliver → save → next request. Never holds more than one page; the next
 * request waits for the save; a failed save stops the run with an error. With
 * `settled` (confirmed delivery), page n's cursor is saved once page n settled,
 * after page n+1 was delivered and before page n+2 is requested.
 */
export async function runExtraction<T, C>(flavour: SearchFlavour<T, C>, store: Cursors<C>, options: RunOptions<T, C>): Promise<RunSummary<C>> {
  const started = Date.now();
  let cursor: C | undefined = await store.load();
  flavour.checkFilters(cursor);
  const summary = (): RunSummary<C> => ({ events, pages, cursor, cursorTime: flavour.cursorTime(cursor), durationMs: Date.now() - started });
  let events = 0;
  let pages = 0;
  // Iterated by hand rather than with for-await: the delivered page (and the iterator
  // result that carried it) must not stay reachable while the next page is fetched and
  // parsed, or a run holds two pages (test/unit/code42/extractor-memory.test.ts).
  const iterator = flavour.pages({ cursor, signal: options.signal, warn: options.warn });
  // Confirmed delivery: each page's commit (wait until settled, then save) chains
  // behind the previous page's, so cursors are saved in page order, each as soon as
  // its page settled; the run waits for page n's commit before requesting page n+2.
  let commits: Promise<void> = Promise.resolve();
  let page: Page<T, C> | undefined;
  try {
    for (;;) {
      page = undefined; // dropped before the await below, not after it
      page = await nextPage(iterator);
      if (page === undefined) break;
      if (options.signal?.aborted) throw new Error(`${flavour.label}: run aborted`);
      pages++;
      if (page.items.length > 0) await options.deliver(page);
      if (!options.settled) {
        events += page.items.length;
        if (page.cursorChanged) await store.save(page.cursor);
        cursor = page.cursor;
        options.progress?.(summary());
        continue;
      }
      const settling = page.items.length > 0 ? options.settled(page) : Promise.resolve();
      settling.catch(() => undefined); // observed through `commits`; this keeps it from counting as unhandled meanwhile
      const count = page.items.length;
      const { cursor: pageCursor, cursorChanged } = page;
      const upToPrevious = commits;
      commits = upToPrevious.then(async () => {
        await settling;
        events += count;
        if (cursorChanged) await store.save(pageCursor);
        cursor = pageCursor;
        options.progress?.(summary());
      });
      commits.catch(() => undefined);
      await upToPrevious;
    }
    await commits;
  } catch (err) {
    // As for-await does: let the generator finish before the error propagates.
    await iterator.return(undefined).catch(() => undefined);
    throw err;
  }
  return summary();
}

/** The next page, or undefined at the end (the iterator result lives only in here). */
async function nextPage<T, C>(iterator: AsyncGenerator<Page<T, C>>): Promise<Page<T, C> | undefined> {
  const step = await iterator.next();
  return step.done ? undefined : step.value;
}
