// The Incydr audit-log cursor (secflow's own). Audit events carry no id, so each is
// known by a digest of its canonical JSON (sha256; Code42's CLI uses md5 of
// json.dumps(sort_keys=True), the XSOAR collector sha256). The id-window maths of
// ../cursor.ts apply with digests for ids:
//   {"v":1,"api":"incydr-audit","readTo":<ms>,"ts":<ms>,"ids":[digests at ts],"recent":[[digest,ms]…]}
// readTo: every event with a timestamp up to here (inclusive) that the API showed was
// delivered; the next run queries from readTo − look-back. ts/ids: the newest event
// delivered and the digests at that instant. recent: digests of the events delivered at
// or after readTo − look-back (and of a time window read only in part), for de-duplication.
import crypto from 'node:crypto';
import { canonicalJson } from '../../util/canonical-json';
import { capRecent, newestIds, reviveRecent, type IdWindow } from '../cursor';

export interface AuditLogCursor extends IdWindow {
  v: 1;
  api: 'incydr-audit';
  readTo: number;
}

/** Digests kept for de-duplication; more evicts the oldest (that can only cause repeats, never losses). */
export const AUDIT_RECENT_CAP = 50_000;

/** sha256 (base64url) of the event's canonical JSON: its identity across pages and runs. */
export function auditEventDigest(event: unknown): string {
  return sha256(canonicalJson(event));
}

// crypto.hash (Node ≥ 20.12) skips the Hash object per call: this runs once per event.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'base64url') => string }).hash;
const sha256 = oneShot ? (text: string) => oneShot('sha256', text, 'base64url') : (text: string) => crypto.createHash('sha256').update(text).digest('base64url');

export function reviveAuditLogCursor(raw: unknown): AuditLogCursor | undefined {
  if (typeof raw === 'string' && /^\s*\{/.test(raw)) raw = JSON.parse(raw);
  if (raw === undefined || raw === null) return undefined;
  const c = raw as Partial<AuditLogCursor>;
  if (typeof c !== 'object' || c.v !== 1 || c.api !== 'incydr-audit' || typeof c.readTo !== 'number' || !Number.isFinite(c.readTo) || typeof c.ts !== 'number' || !Array.isArray(c.ids)) {
    throw new Error('not an Incydr audit-log cursor {v:1, api:"incydr-audit", readTo, ts, ids, recent}');
  }
  return { v: 1, api: 'incydr-audit', readTo: c.readTo, ts: c.ts, ids: c.ids.map(String), recent: reviveRecent(c.recent) };
}

/**
 * The cursor after delivering a page (`digests[i]` at `times[i]` ms, the page's new
 * events): ts/ids move to the newest delivered instant; the digests join `recent`.
 * `readTo` moves only when a whole time window was read (`windowEnd`); then `recent`
 * keeps what the next query (from readTo − look-back) can return again.
 */
export function advanceAuditLogCursor(old: AuditLogCursor | undefined, digests: readonly string[], times: ArrayLike<number>, options: { lookbackMs: number; startMs: number; windowEnd?: number; cap?: number }): AuditLogCursor {
  const { ts, atTs } = newestIds(old, digests, times);
  const readTo = Math.max(old?.readTo ?? -Infinity, options.windowEnd ?? -Infinity, -Infinity);
  const anchor = Number.isFinite(readTo) ? readTo : options.startMs;
  const floor = Math.min(anchor - options.lookbackMs, options.startMs);
  const recent: Array<[string, number]> = [];
  if (old) for (const entry of old.recent) if (entry[1] >= floor) recent.push(entry);
  for (let i = 0; i < digests.length; i++) if (times[i] >= floor) recent.push([digests[i], times[i]]);
  return {
    v: 1,
    api: 'incydr-audit',
    readTo: Number.isFinite(readTo) ? readTo : options.startMs - 1,
    ts: Number.isFinite(ts) ? ts : (old?.ts ?? options.startMs - 1),
    ids: [...atTs],
    recent: capRecent(recent, options.cap ?? AUDIT_RECENT_CAP),
  };
}

/** Digests a run must skip: those at ts and the recent ones. */
export function knownAuditDigests(cursor: AuditLogCursor | undefined): Set<string> {
  const known = new Set<string>();
  if (!cursor) return known;
  for (const d of cursor.ids) known.add(d);
  for (const [d] of cursor.recent) known.add(d);
  return known;
}
