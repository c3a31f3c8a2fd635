// The id-window maths every time-ordered extractor cursor shares (Code42 file events,
// Incydr audit log, Carbon Black alerts and audit logs): the newest time read, the
// ids at exactly that time, and recent [id, ms] pairs for de-duplicating a look-back.

export interface IdWindow {
  ts: number;
  ids: string[];
  recent: Array<[string, number]>;
}

export const RECENT_CAP = 50_000;

/** The well-formed [id, ms] pairs of a stored `recent` list (none if it is not a list). */
export function reviveRecent(raw: unknown): Array<[string, number]> {
  return Array.isArray(raw) ? raw.filter((p): p is [string, number] => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'number') : [];
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

/**
 * Advances a window by one page (`ids[i]` read at `times[i]`, skipped ones included):
 * ts = page max (never backwards); ids = all ids at ts, plus the old ones if ts is
 * unchanged; recent = ids at or after ts − overlap, capped (oldest evicted).
 */
export function advanceIdWindow(old: IdWindow | undefined, ids: readonly string[], times: ArrayLike<number>, overlapMs: number, cap = RECENT_CAP): IdWindow | undefined {
  const n = ids.length;
  if (n === 0) return old;
  const { ts, atTs } = newestIds(old, ids, times);
  const floor = ts - overlapMs;
  // Pairs are never mutated, so the old cursor's are reused rather than copied.
  const recentMap = new Map<string, [string, number]>();
  if (old) for (const pair of old.recent) if (pair[1] >= floor) recentMap.set(pair[0], pair);
  for (let i = 0; i < n; i++) if (times[i] >= floor) recentMap.set(ids[i], [ids[i], times[i]]);
  return { ts, ids: [...atTs], recent: capRecent([...recentMap.values()], cap) };
}

/** Ids a run must skip: those at the cursor time and the recent ones. */
export function knownIds(window: IdWindow | undefined): Set<string> {
  const known = new Set<string>();
  if (!window) return known;
  for (const id of window.ids) known.add(id);
  for (const [id] of window.recent) known.add(id);
  return known;
}
