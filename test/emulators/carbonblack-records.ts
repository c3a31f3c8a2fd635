// Carbon Black Cloud alerts v7 and audit-log search for the CB emulator: records kept
// compact (an index, times, a few criteria fields) and materialised only when served,
// so a bench can hold a million. Sorted by the time field ascending, ties in index
// order; start/rows paging with the API's 10,000-result limit per query; time_range
// on backend_timestamp (default: the last two weeks), criteria on the time field,
// type, minimum_severity and exact-match lists; late updates move an alert to a new
// backend_update_timestamp.
import type { EmuResponse } from './framework';

export type Json = Record<string, unknown>;

export const MAX_RESULTS = 10_000;

export interface AlertRec {
  i: number;
  id: string;
  created: number;
  updated: number;
  type: string;
  severity: number;
  /** Times the alert was updated (a new backend_update_timestamp). */
  version: number;
}

export interface AuditRec {
  i: number;
  time: number;
  actor: string;
  description: string;
}

const TYPES = ['CB_ANALYTICS', 'WATCHLIST', 'DEVICE_CONTROL', 'CONTAINER_RUNTIME', 'HOST_BASED_FIREWALL', 'INTRUSION_DETECTION_SYSTEM'];
const iso = (ms: number) => new Date(ms).toISOString();

function lowerBound<T>(arr: T[], value: number, key: (t: T) => number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(arr[mid]) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function range(value: unknown): { start: number; end: number } | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const r = value as { start?: string; end?: string };
  if (!r.start || !r.end) return undefined;
  return { start: Date.parse(r.start), end: Date.parse(r.end) };
}

function paging(body: Json, firstRow: number): { start: number; rows: number; error?: undefined } | { error: EmuResponse } {
  const rows = body.rows === undefined ? 100 : Number(body.rows);
  const start = body.start === undefined ? firstRow : Number(body.start);
  const bad = (message: string) => ({ error: { status: 400, body: { error_code: 'INVALID_ARGUMENT', message } } });
  if (!Number.isInteger(rows) || rows < 0 || rows > MAX_RESULTS) return bad('rows must be between 0 and 10000');
  if (!Number.isInteger(start) || start < firstRow) return bad(`start must be at least ${firstRow}`);
  if (start - firstRow + rows > MAX_RESULTS) return bad('start + rows must not exceed 10000');
  return { start: start - firstRow, rows };
}

export class AlertStore {
  private recs: AlertRec[] = [];
  private sorted = true;
  private next = 0;
  /** Seconds of a sliding "now" for the default time_range (tests: Date.now). */
  now: () => number = Date.now;

  constructor(private readonly orgKey: string) {}

  get size(): number {
    return this.recs.length;
  }

  /** Adds `count` alerts created (and last updated) at startMs + k·stepMs; returns their ids. */
  add(spec: { count: number; startMs: number; stepMs: number; type?: string; severity?: number }): string[] {
    const ids: string[] = [];
    for (let k = 0; k < spec.count; k++) {
      const i = this.next++;
      const t = spec.startMs + k * spec.stepMs;
      const id = `${(0x10000000 + i).toString(16)}-4b4f-11d1-5695-${i.toString(16).padStart(12, '0')}`;
      this.recs.push({ i, id, created: t, updated: t, type: spec.type ?? TYPES[i % TYPES.length], severity: spec.severity ?? 1 + (i % 10), version: 0 });
      ids.push(id);
    }
    this.sorted = false;
    return ids;
  }

  /** A late update: the alert's backend_update_timestamp moves to `atMs`. */
  update(id: string, atMs: number): void {
    const rec = this.recs.find((r) => r.id === id);
    if (!rec) throw new Error(`no alert ${id}`);
    rec.updated = atMs;
    rec.version++;
    this.sorted = false;
  }

  all(): AlertRec[] {
    this.sort();
    return this.recs;
  }

  alert(r: AlertRec): Json {
    return {
      org_key: this.orgKey,
      alert_url: `https://defense.example/alerts?s[c][query_string]=id:${r.id}&orgKey=${this.orgKey}`,
      id: r.id,
      type: r.type,
      backend_timestamp: iso(r.created),
      user_update_timestamp: null,
      backend_update_timestamp: iso(r.updated),
      detection_timestamp: iso(r.created - 30_000),
      first_event_timestamp: iso(r.created - 60_000),
      last_event_timestamp: iso(r.created - 40_000),
      severity: r.severity,
      reason: `The application run${r.i}.js acted as a network server.`,
      reason_code: 'R_NET_SERVER',
      threat_id: `threat${r.i % 97}`,
      run_state: 'RAN',
      sensor_action: r.version > 0 ? 'DENY' : 'ALLOW',
      workflow: { status: 'OPEN', changed_by_type: 'SYSTEM' },
      device_id: 6360983 + (r.i % 50),
      device_name: `QA\\HOST-${r.i % 50}`,
      device_policy: 'default',
      device_username: `user${r.i % 13}@example.com`,
      device_external_ip: '65.38.174.94',
      device_internal_ip: '10.128.65.193',
      attack_tactic: 'TA0002',
      attack_technique: 'T1059',
      process_pid: 2856 + r.i,
      process_name: 'c:\\program files\\app\\run.js',
      process_sha256: 'cb67bdbbbd4ae997204d76eae913dac7117fe3f0ef8a42a3255f64266496898b',
      process_effective_reputation: 'LOCAL_WHITE',
      parent_name: 'c:\\windows\\system32\\services.exe',
      parent_sha256: 'be3daaaa1597094a597e71ff95382afbb502dfe0c25bc1d7eb488b8ca658c69e',
    };
  }

  private sort(): void {
    if (this.sorted) return;
    this.recs.sort((a, b) => a.updated - b.updated || a.i - b.i);
    this.sorted = true;
  }

  search(body: Json): EmuResponse {
    const page = paging(body, 1);
    if (page.error) return page.error;
    const criteria = (body.criteria ?? {}) as Json;
    const sort = (body.sort as Array<{ field: string; order?: string }> | undefined)?.[0];
    if (sort && (sort.field !== 'backend_update_timestamp' || String(sort.order).toUpperCase() !== 'ASC')) return { status: 400, body: { message: 'emulator: only sort backend_update_timestamp ASC' } };
    const tr = range(body.time_range) ?? { start: this.now() - 14 * 86_400_000, end: this.now() };
    const upd = range(criteria.backend_update_timestamp) ?? { start: -Infinity, end: Infinity };
    const types = Array.isArray(criteria.type) ? new Set(criteria.type as string[]) : undefined;
    const minSev = typeof criteria.minimum_severity === 'number' ? criteria.minimum_severity : undefined;
    this.sort();
    const first = Number.isFinite(upd.start) ? lowerBound(this.recs, upd.start, (r) => r.updated) : 0;
    const matches: AlertRec[] = [];
    let found = 0;
    for (let k = first; k < this.recs.length; k++) {
      const r = this.recs[k];
      if (r.updated > upd.end) break;
      if (r.created < tr.start || r.created > tr.end) continue;
      if (types && !types.has(r.type)) continue;
      if (minSev !== undefined && r.severity < minSev) continue;
      if (found >= page.start && matches.length < page.rows) matches.push(r);
      found++;
    }
    return { body: { results: matches.map((r) => this.alert(r)), num_found: found, num_available: Math.min(found, MAX_RESULTS) } };
  }
}

export class AuditStore {
  private recs: AuditRec[] = [];
  private sorted = true;
  private next = 0;

  constructor(private readonly orgKey: string) {}

  add(spec: { count: number; startMs: number; stepMs: number }): void {
    for (let k = 0; k < spec.count; k++) {
      const i = this.next++;
      this.recs.push({ i, time: spec.startMs + k * spec.stepMs, actor: `user${i % 7}@example.com`, description: i % 3 === 0 ? `Logged in successfully (${i})` : `Updated policy ${i % 11} (${i})` });
    }
    this.sorted = false;
  }

  all(): AuditRec[] {
    this.sort();
    return this.recs;
  }

  record(r: AuditRec): Json {
    return { actor_ip: `192.0.2.${r.i % 250}`, actor: r.actor, create_time: iso(r.time), description: r.description, flagged: r.i % 5 === 0, org_key: this.orgKey, request_url: r.i % 2 ? null : `https://defense.example/policy/${r.i}`, verbose: false };
  }

  private sort(): void {
    if (this.sorted) return;
    this.recs.sort((a, b) => a.time - b.time || a.i - b.i);
    this.sorted = true;
  }

  search(body: Json): EmuResponse {
    const page = paging(body, 0);
    if (page.error) return page.error;
    const criteria = (body.criteria ?? {}) as Json;
    const t = range(criteria.create_time) ?? { start: -Infinity, end: Infinity };
    this.sort();
    const first = Number.isFinite(t.start) ? lowerBound(this.recs, t.start, (r) => r.time) : 0;
    let last = first;
    while (last < this.recs.length && this.recs[last].time <= t.end) last++;
    const found = last - first;
    const results = this.recs.slice(first + page.start, Math.min(last, first + page.start + page.rows)).map((r) => this.record(r));
    return { body: { results, num_found: found, num_available: Math.min(found, MAX_RESULTS) } };
  }
}
