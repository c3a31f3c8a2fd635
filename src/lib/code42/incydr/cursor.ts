// The Incydr file-event cursor (contract incydr-v2 §5.1, S-a maths):
// {"v":2,"api":"incydr","ts":<event.inserted ms floor>,"ids":[ids at ts],"recent":[[id,ms]…]}.
// Its own shape rather than ../cursor.ts's v1 one ({v:1}): the shapes must stay
// tellable apart in a store a node shares across flavours. The id-window maths are
// shared, except how `recent` is kept (see advanceIncydrCursor).
import { capRecent, knownFileEventIds, newestIds, reviveRecent, type IdWindow } from '../cursor';

export interface IncydrFileEventCursor extends IdWindow {
  v: 2;
  api: 'incydr';
}

/** Ids kept for de-duplication over the look-back window; more evicts the oldest (can only cause duplicates). */
export const INCYDR_RECENT_CAP = 50_000;

/**
 * A stored cursor. A v1 file-event cursor ({v:1, ts, ids, recent}) is taken over as
 * is (insertionTimestamp and event.inserted are the same instant, ids are the same),
 * so switching a node from v1 to incydr neither repeats nor skips.
 */
export function reviveIncydrFileEventCursor(raw: unknown): IncydrFileEventCursor | undefined {
  if (typeof raw === 'string' && /^\s*\{/.test(raw)) raw = JSON.parse(raw);
  if (raw === undefined || raw === null) return undefined;
  const c = raw as { v?: unknown; ts?: unknown; ids?: unknown; recent?: unknown };
  if (typeof c !== 'object' || (c.v !== 2 && c.v !== 1) || typeof c.ts !== 'number' || !Number.isFinite(c.ts) || !Array.isArray(c.ids)) {
    throw new Error('not an Incydr file-event cursor {v:2, api:"incydr", ts, ids, recent}');
  }
  return { v: 2, api: 'incydr', ts: c.ts, ids: (c.ids as unknown[]).map(String), recent: reviveRecent(c.recent) };
}

/** Ids a run must skip: those at the cursor time and the recent ones. */
export const knownIncydrIds: (cursor: IncydrFileEventCursor | undefined) => Set<string> = knownFileEventIds;

/**
 * Advances the cursor by one page (`ids[i]` inserted at `times[i]` ms, skipped events
 * included): ts = the page's maximum (never backwards); ids = every id at ts (plus the
 * old ones if ts is unchanged); recent = ids at or after ts − overlap, capped.
 *
 * `repeats`, when given, are the indexes of the page whose id the run already knew
 * (splitFileEventPage's): every id of the old window is known, so only these can be in
 * it or occur twice in the page. Without it, every id of the page is checked.
 */
export function advanceIncydrCursor(old: IncydrFileEventCursor | undefined, ids: readonly string[], times: ArrayLike<number>, overlapMs: number, cap = INCYDR_RECENT_CAP, repeats?: readonly number[]): IncydrFileEventCursor {
  const n = ids.length;
  if (n === 0 && old) return old;
  const { ts, atTs } = newestIds(old, ids, times);
  const floor = ts - overlapMs;
  // The window is kept in arrival order, which is event.inserted order (ascending
  // searches): old entries still inside it, minus those this page repeats, then the
  // page's own. No map of the whole window per page: it holds 50,000 ids at 1,000/s.
  // A steady run repeats nothing, and then no id is looked up at all.
  const shared = new Set<string>();
  if (repeats) {
    for (const i of repeats) if (times[i] >= floor) shared.add(ids[i]);
  } else {
    for (let i = 0; i < n; i++) if (times[i] >= floor) shared.add(ids[i]);
  }
  const recent: Array<[string, number]> = [];
  if (old) for (const entry of old.recent) if (entry[1] >= floor && !(shared.size > 0 && shared.has(entry[0]))) recent.push(entry);
  const added = new Set<string>();
  for (let i = 0; i < n; i++) {
    if (times[i] < floor) continue;
    const id = ids[i];
    if (shared.size > 0 && shared.has(id)) {
      if (added.has(id)) continue;
      added.add(id);
    }
    recent.push([id, times[i]]);
  }
  return { v: 2, api: 'incydr', ts, ids: [...atTs], recent: capRecent(recent, cap) };
}
