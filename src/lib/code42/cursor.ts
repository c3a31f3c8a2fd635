// Cursor maths (S-a), pure: how a cursor is restored and advanced by one page.
import { toSevenDigits } from './time';

import { advanceIdWindow, capRecent, newestIds, reviveRecent, RECENT_CAP, type IdWindow } from '../cursor/id-window';

export { capRecent, newestIds, reviveRecent, RECENT_CAP, type IdWindow };

/** File-event cursor: insertion ms, ids at that ms, and recent [id, ms] pairs for overlap de-duplication. */
export interface FileEventCursor extends IdWindow {
  v: 1;
}

/** Alert cursor: the 7-digit createdAt and the ids at exactly that time. */
export interface AlertCursor {
  v: 1;
  createdAt: string;
  ids: string[];
}

function parseMaybeJson(raw: unknown): unknown {
  if (typeof raw === 'string' && /^\s*[{[]/.test(raw)) return JSON.parse(raw);
  return raw;
}

/** A stored file-event cursor, or a legacy float cursor (epoch seconds: ts = floor(round(v·1e6)/1000)). */
export function reviveFileEventCursor(raw: unknown): FileEventCursor | undefined {
  raw = parseMaybeJson(raw);
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'number' || (typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw.trim()))) {
    const v = Number(raw);
    return { v: 1, ts: Math.floor(Math.round(v * 1e6) / 1000), ids: [], recent: [] };
  }
  const c = raw as Partial<FileEventCursor>;
  if (typeof c !== 'object' || c.v !== 1 || typeof c.ts !== 'number' || !Number.isFinite(c.ts) || !Array.isArray(c.ids)) {
    throw new Error('not a file-event cursor {v:1, ts, ids, recent}');
  }
  return { v: 1, ts: c.ts, ids: c.ids.map(String), recent: reviveRecent(c.recent) };
}

export function reviveAlertCursor(raw: unknown): AlertCursor | undefined {
  raw = parseMaybeJson(raw);
  if (raw === undefined || raw === null) return undefined;
  const c = raw as Partial<AlertCursor>;
  if (typeof c !== 'object' || c.v !== 1 || typeof c.createdAt !== 'string' || !Array.isArray(c.ids)) throw new Error('not an alert cursor {v:1, createdAt, ids}');
  return { v: 1, createdAt: toSevenDigits(c.createdAt), ids: c.ids.map(String) };
}

/** Ids a run must skip: those at the cursor time and the recent ones. */
export function knownFileEventIds(cursor: IdWindow | undefined): Set<string> {
  const known = new Set<string>();
  if (!cursor) return known;
  for (const id of cursor.ids) known.add(id);
  for (const [id] of cursor.recent) known.add(id);
  return known;
}

/**
 * One page of file events as the cursor maths want it: ids and insertion times in two
 * columns (not an object per event: a page is 10,000 events), the events whose id
 * `known` did not hold yet, in page order, and the indexes of the others (`repeats`);
 * `known` gains the page's ids (one Set operation per event). `idOf` returns an
 * event's id or throws naming what it lacks.
 */
export function splitFileEventPage<E>(events: readonly E[], idOf: (event: E, index: number) => string, msOf: (event: E) => number, known: Set<string>): { ids: string[]; times: number[]; items: E[]; repeats: number[] } {
  const ids: string[] = new Array(events.length);
  const times: number[] = new Array(events.length);
  const items: E[] = [];
  const repeats: number[] = [];
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const id = idOf(e, i);
    ids[i] = id;
    times[i] = msOf(e);
    const before = known.size;
    known.add(id);
    if (known.size !== before) items.push(e);
    else repeats.push(i);
  }
  return { ids, times, items, repeats };
}

/**
 * Advances a file-event cursor by one page (`seen`: every event of the page, skipped
 * ones included): ts = page max (never backwards); ids = all ids at ts, plus the old
 * ones if ts is unchanged; recent = ids at or after ts − overlap, capped (oldest evicted).
 */
export function advanceFileEventCursor(old: FileEventCursor | undefined, seen: Array<{ id: string; ms: number }>, overlapMs: number, cap = RECENT_CAP): FileEventCursor {
  return advanceFileEventCursorBy(old, seen.map((e) => e.id), seen.map((e) => e.ms), overlapMs, cap);
}

/**
 * advanceFileEventCursor with the page as two columns (`ids[i]` inserted at `times[i]`),
 * which is how the extractor collects them: no object per event.
 */
export function advanceFileEventCursorBy(old: FileEventCursor | undefined, ids: readonly string[], times: ArrayLike<number>, overlapMs: number, cap = RECENT_CAP): FileEventCursor {
  const w = advanceIdWindow(old, ids, times, overlapMs, cap);
  if (w === old && old) return old;
  return w ? { v: 1, ts: w.ts, ids: w.ids, recent: w.recent } : { v: 1, ts: -Infinity, ids: [], recent: [] };
}

/** Advances an alert cursor by one page (7-digit times, compared as strings). */
export function advanceAlertCursor(old: AlertCursor | undefined, seen: Array<{ id: string; createdAt: string }>): AlertCursor | undefined {
  if (seen.length === 0) return old;
  let createdAt = old ? old.createdAt : '';
  for (const a of seen) if (a.createdAt > createdAt) createdAt = a.createdAt;
  const ids = new Set<string>(old && old.createdAt === createdAt ? old.ids : []);
  for (const a of seen) if (a.createdAt === createdAt) ids.add(a.id);
  return { v: 1, createdAt, ids: [...ids] };
}

export function sameFileEventCursor(a: FileEventCursor | undefined, b: FileEventCursor | undefined): boolean {
  if (!a || !b) return a === b;
  return a.ts === b.ts && a.ids.length === b.ids.length && a.recent.length === b.recent.length && a.ids.every((id, i) => id === b.ids[i]);
}
