// The Incydr file-event cursor (contract incydr-v2 §5.1, S-a maths):
// {"v":2,"api":"incydr","ts":<event.inserted ms floor>,"ids":[ids at ts],"recent":[[id,ms]…]}.
// Own code rather than ../cursor.ts: that one is the v1 shape ({v:1}), and the
// shapes must stay tellable apart in a store a node shares across flavours.

export interface IncydrFileEventCursor {
  v: 2;
  api: 'incydr';
  ts: number;
  ids: string[];
  recent: Array<[string, number]>;
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
  const recent = Array.isArray(c.recent) ? (c.recent as unknown[]).filter((p): p is [string, number] => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'number') : [];
  return { v: 2, api: 'incydr', ts: c.ts, ids: (c.ids as unknown[]).map(String), recent };
}

export function knownIncydrIds(cursor: IncydrFileEventCursor | undefined): Set<string> {
  const known = new Set<string>();
  if (!cursor) return known;
  for (const id of cursor.ids) known.add(id);
  for (const [id] of cursor.recent) known.add(id);
  return known;
}

/**
 * Advances the cursor by one page (`ids[i]` inserted at `times[i]` ms, skipped events
 * included): ts = the page's maximum (never backwards); ids = every id at ts (plus the
 * old ones if ts is unchanged); recent = ids at or after ts − overlap, capped.
 */
export function advanceIncydrCursor(old: IncydrFileEventCursor | undefined, ids: readonly string[], times: ArrayLike<number>, overlapMs: number, cap = INCYDR_RECENT_CAP): IncydrFileEventCursor {
  const n = ids.length;
  if (n === 0 && old) return old;
  let ts = old ? old.ts : -Infinity;
  for (let i = 0; i < n; i++) if (times[i] > ts) ts = times[i];
  const atTs = new Set<string>(old && old.ts === ts ? old.ids : []);
  for (let i = 0; i < n; i++) if (times[i] === ts) atTs.add(ids[i]);
  const floor = ts - overlapMs;
  // The window is kept in arrival order, which is event.inserted order (ascending
  // searches): old entries still inside it, minus those this page repeats, then the
  // page's own. No map of the whole window per page: it holds 50,000 ids at 1,000/s.
  const page = new Set<string>();
  for (let i = 0; i < n; i++) if (times[i] >= floor) page.add(ids[i]);
  let recent: Array<[string, number]> = [];
  if (old) for (const entry of old.recent) if (entry[1] >= floor && !page.has(entry[0])) recent.push(entry);
  const added = new Set<string>();
  for (let i = 0; i < n; i++) {
    if (times[i] < floor || added.has(ids[i])) continue;
    added.add(ids[i]);
    recent.push([ids[i], times[i]]);
  }
  if (recent.length > cap) {
    let sorted = true;
    for (let i = 1; i < recent.length && sorted; i++) sorted = recent[i - 1][1] <= recent[i][1];
    if (!sorted) recent.sort((a, b) => a[1] - b[1]);
    recent = recent.slice(recent.length - cap);
  }
  return { v: 2, api: 'incydr', ts, ids: [...atTs], recent };
}
