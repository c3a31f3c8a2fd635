// Cursor maths (S-a), pure: how a cursor is restored and advanced by one page.
import { toSevenDigits } from './time';

/**
 * The id window of a file-event cursor, the same in both flavours (S-a): the newest
 * insertion ms, the ids at that ms, and recent [id, ms] pairs for overlap de-duplication.
 */
export interface IdWindow {
  ts: number;
  ids: string[];
  recent: Array<[string, number]>;
}

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

export const RECENT_CAP = 50_000;

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

/** The well-formed [id, ms] pairs of a stored `recent` list (none if it is not a list). */
export function reviveRecent(raw: unknown): Array<[string, number]> {
  return Array.isArray(raw) ? raw.filter((p): p is [string, number] => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'number') : [];
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
  const n = ids.length;
  if (n === 0 && old) return old;
  const { ts, atTs } = newestIds(old, ids, times);
  const floor = ts - overlapMs;
  // id → its [id, ms] pair, in first-seen order (a later ms replaces the pair in place).
  // The old cursor's pairs are reused, not copied: with a look-back the window holds up
  // to `cap` of them, and re-allocating each on every page was per-event garbage.
  // (Pairs are never mutated, so sharing them with the old cursor is safe.)
  const recentMap = new Map<string, [string, number]>();
  if (old) for (const pair of old.recent) if (pair[1] >= floor) recentMap.set(pair[0], pair);
  for (let i = 0; i < n; i++) if (times[i] >= floor) recentMap.set(ids[i], [ids[i], times[i]]);
  return { v: 1, ts, ids: [...atTs], recent: capRecent([...recentMap.values()], cap) };
}

/** A window's new ts (the page's maximum, never backwards) and every id at it (the old ones too if ts is unchanged). */
export function newestIds(old: IdWindow | undefined, ids: readonly string[], times: ArrayLike<number>): { ts: number; atTs: Set<string> } {
  const n = ids.length;
  let ts = old ? old.ts : -Infinity;
  for (let i = 0; i < n; i++) if (times[i] > ts) ts = times[i];
  const atTs = new Set<string>(old && old.ts === ts ? old.ids : []);
  for (let i = 0; i < n; i++) if (times[i] === ts) atTs.add(ids[i]);
  return { ts, atTs };
}

/** `recent` cut to its newest `cap` pairs (oldest evicted: that can only cause duplicates); sorted by ms first unless it already is. */
export function capRecent(recent: Array<[string, number]>, cap: number): Array<[string, number]> {
  if (recent.length <= cap) return recent;
  let sorted = true;
  for (let i = 1; i < recent.length && sorted; i++) sorted = recent[i - 1][1] <= recent[i][1];
  if (!sorted) recent.sort((a, b) => a[1] - b[1]);
  return recent.slice(recent.length - cap);
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
