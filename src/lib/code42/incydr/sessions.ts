import type { Page, PagesOptions, SearchFlavour } from '../flavour';
import { parseFilterText } from '../filters';
import type { IncydrClient } from './client';
import type { IncydrSession } from './types';

export const MAX_SESSION_PAGE = 50;
/** Default look-back on begin time (contract incydr-v2 §4.2). */
export const DEFAULT_SESSION_LOOKBACK_MS = 24 * 3_600_000;
/** Session versions remembered at most; more evicts the oldest begin times (can only cause repeats). */
export const SESSION_SEEN_CAP = 100_000;

/**
 * The sessions cursor (secflow's own, contract §4.2): the begin time the window is
 * anchored on, and the last version sent per session in the window
 * (`[sessionId, lastUpdated, beginTime]`).
 */
export interface SessionCursor {
  v: 1;
  api: 'incydr-sessions';
  beginMs: number;
  seen: Array<[string, number, number]>;
}

/** A session as delivered: `new` the first time, `updated` when its lastUpdated changed. */
export interface SessionItem {
  session: IncydrSession;
  change: 'new' | 'updated';
}

export function reviveSessionCursor(raw: unknown): SessionCursor | undefined {
  if (typeof raw === 'string' && /^\s*\{/.test(raw)) raw = JSON.parse(raw);
  if (raw === undefined || raw === null) return undefined;
  const c = raw as Partial<SessionCursor>;
  if (typeof c !== 'object' || c.v !== 1 || c.api !== 'incydr-sessions' || typeof c.beginMs !== 'number' || !Array.isArray(c.seen)) {
    throw new Error('not an Incydr sessions cursor {v:1, api:"incydr-sessions", beginMs, seen}');
  }
  return { v: 1, api: 'incydr-sessions', beginMs: c.beginMs, seen: c.seen.filter((s) => Array.isArray(s) && typeof s[0] === 'string' && typeof s[1] === 'number' && typeof s[2] === 'number') };
}

/** Query parameters the cursor owns: a user filter may not set them. */
const CURSOR_PARAMS = ['on_or_after', 'before', 'page_number', 'page_size', 'order_by', 'sort_direction'];
/** Friendly names the filters JSON may use → the API's parameter names. */
const ALIASES: Record<string, string> = { states: 'state', severities: 'severity', actor: 'actor_id', actorId: 'actor_id', actor_ids: 'actor_id', hasAlerts: 'has_alerts', riskIndicators: 'risk_indicators', ruleId: 'rule_id', rule_ids: 'rule_id', ruleIds: 'rule_id', watchlistId: 'watchlist_id', watchlistIds: 'watchlist_id' };
const PARAMS = ['state', 'severity', 'actor_id', 'type', 'has_alerts', 'risk_indicators', 'rule_id', 'watchlist_id'];
const STATES = ['OPEN', 'IN_PROGRESS', 'CLOSED', 'CLOSED_TP', 'CLOSED_TP_BENIGN', 'CLOSED_FP', 'OPEN_NEW_DATA'];

/**
 * The sessions filter JSON: an object of `GET /v1/sessions` parameters (API names or
 * the friendly ones: states, severities, actor…), each a value or a list (repeated
 * keys). Errors name the field and the key.
 */
export function parseSessionFilters(text: string, field = 'filters'): Array<[string, string]> {
  const raw = parseFilterText(text, field);
  if (raw === undefined) return [];
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${field} must be a JSON object of session query parameters, e.g. {"states":["OPEN"],"severities":[3,4]}`);
  const out: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const name = ALIASES[key] ?? key;
    if (CURSOR_PARAMS.includes(name)) throw new Error(`${field}.${key}: set by the node's cursor (look-back on begin time, paging, ascending end_time order); remove it`);
    if (!PARAMS.includes(name)) throw new Error(`${field}.${key} is not a session query parameter; use ${PARAMS.join(', ')}`);
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new Error(`${field}.${key} must be a string, number or boolean (or a list of them)`);
      const s = String(v);
      if (name === 'severity' && !/^[0-4]$/.test(s)) throw new Error(`${field}.${key}: severity is 0–4, got ${JSON.stringify(v)}`);
      if (name === 'state' && !STATES.includes(s)) throw new Error(`${field}.${key}: state must be one of ${STATES.join(', ')}, got ${JSON.stringify(v)}`);
      if (name === 'has_alerts' && s !== 'true' && s !== 'false') throw new Error(`${field}.${key} must be true or false`);
      out.push([name, s]);
    }
  }
  return out;
}

export interface SessionQueryOptions {
  params: Array<[string, string]>;
  /** Look-back on begin time in ms. */
  lookbackMs: number;
  /** `every` (default): a changed session is sent again as `updated`; `first`: only its first version is sent. */
  updates?: 'every' | 'first';
}

function isClosed(s: IncydrSession): boolean {
  const states = Array.isArray(s.states) ? s.states : [];
  const latest = states.length ? states[states.length - 1]?.stateV2 : undefined;
  return typeof latest === 'string' && latest.startsWith('CLOSED');
}

/**
 * Sessions over `GET /v1/sessions` (contract §4.2): `has_alerts=true` (unless the
 * filters say otherwise), `on_or_after = beginMs − look-back`, ascending end_time,
 * 50 a page until a short page. Each new `(sessionId, lastUpdated)` is sent once: a
 * session seen before with another lastUpdated goes out as `updated`, an unchanged
 * one not at all. At the end of a run beginMs moves to the oldest begin time of the
 * sessions not yet closed (else the newest begin time seen), never backwards.
 */
export class IncydrSessions implements SearchFlavour<SessionItem, SessionCursor> {
  readonly label = 'Incydr sessions';

  constructor(private readonly client: IncydrClient, private readonly query: SessionQueryOptions, private readonly now: () => number = Date.now) {}

  reviveCursor(raw: unknown): SessionCursor | undefined {
    return reviveSessionCursor(raw);
  }

  checkFilters(): void {
    // The cursor's parameters are refused when the filters are parsed.
  }

  cursorTime(cursor: SessionCursor | undefined): string | undefined {
    return cursor ? new Date(cursor.beginMs).toISOString() : undefined;
  }

  itemType(item: SessionItem): string | undefined {
    return `session-${item.change}`;
  }

  params(cursor: SessionCursor | undefined, pageNumber: number): URLSearchParams {
    const anchor = cursor ? cursor.beginMs : this.now();
    const p = new URLSearchParams();
    if (!this.query.params.some(([k]) => k === 'has_alerts')) p.append('has_alerts', 'true');
    for (const [k, v] of this.query.params) p.append(k, v);
    p.append('on_or_after', String(Math.floor(anchor - this.query.lookbackMs)));
    p.append('order_by', 'end_time');
    p.append('sort_direction', 'asc');
    p.append('page_size', String(MAX_SESSION_PAGE));
    p.append('page_number', String(pageNumber));
    return p;
  }

  async *pages(options: PagesOptions<SessionCursor>): AsyncGenerator<Page<SessionItem, SessionCursor>> {
    const start = options.cursor;
    const seen = new Map<string, [number, number]>();
    for (const [id, updated, begin] of start?.seen ?? []) seen.set(id, [updated, begin]);
    let oldestOpen = Infinity;
    let newest = -Infinity;
    let cursor = start;
    for (let page = 0; ; page++) {
      // The page is never a local of this generator: its locals live across awaits, and
      // nothing of this page may stay referenced while the next one is fetched and parsed.
      let result: Page<SessionItem, SessionCursor> | undefined;
      let last: boolean;
      ({ page: result, oldestOpen, newest, cursor, last } = this.digest(await this.client.sessions(this.params(start, page), options.signal), page, { start, cursor, seen, oldestOpen, newest }));
      yield result;
      // eslint-disable-next-line no-useless-assignment -- releases the page for GC
      result = undefined;
      if (last) return;
    }
  }

  /** One page of sessions: the new and updated ones, and the cursor after it. */
  private digest(reply: { items?: IncydrSession[] | null; totalCount?: number | null }, page: number, run: { start: SessionCursor | undefined; cursor: SessionCursor | undefined; seen: Map<string, [number, number]>; oldestOpen: number; newest: number }): { page: Page<SessionItem, SessionCursor>; cursor: SessionCursor; oldestOpen: number; newest: number; last: boolean } {
    const { start, seen } = run;
    let { oldestOpen, newest } = run;
    if (reply.items !== null && reply.items !== undefined && !Array.isArray(reply.items)) throw new Error(`${this.label}: items is not an array`);
    const sessions = reply.items ?? [];
    const items: SessionItem[] = [];
    let touched = false;
    for (let i = 0; i < sessions.length; i++) {
      const s = sessions[i];
      if (!s || typeof s.sessionId !== 'string' || typeof s.lastUpdated !== 'number' || typeof s.beginTime !== 'number') {
        throw new Error(`${this.label}: session ${i} of page ${page + 1} has no sessionId, beginTime or lastUpdated`);
      }
      if (!isClosed(s)) oldestOpen = Math.min(oldestOpen, s.beginTime);
      newest = Math.max(newest, s.beginTime);
      const before = seen.get(s.sessionId);
      if (before && before[0] === s.lastUpdated) continue;
      seen.set(s.sessionId, [s.lastUpdated, s.beginTime]);
      touched = true;
      if (before && this.query.updates === 'first') continue;
      items.push({ session: s, change: before ? 'updated' : 'new' });
    }
    const last = sessions.length < MAX_SESSION_PAGE;
    // beginMs moves only once the whole window was read; each page saves what was sent.
    const fallback = start?.beginMs ?? this.now();
    const beginMs = last ? Math.max(start?.beginMs ?? -Infinity, Number.isFinite(oldestOpen) ? oldestOpen : Number.isFinite(newest) ? newest : fallback) : fallback;
    const next = snapshot(seen, beginMs, this.query.lookbackMs);
    const cursor = run.cursor;
    const changed = touched || !cursor || next.beginMs !== cursor.beginMs || next.seen.length !== cursor.seen.length;
    const after = changed ? next : cursor!;
    return { page: { items, cursor: after, cursorChanged: changed, info: { page: page + 1, received: sessions.length, skipped: sessions.length - items.length, totalCount: reply.totalCount ?? undefined } }, cursor: after, oldestOpen, newest, last };
  }
}

/** The cursor to store: versions of the sessions still inside the window (begin ≥ beginMs − look-back), capped. */
function snapshot(seen: Map<string, [number, number]>, beginMs: number, lookbackMs: number): SessionCursor {
  const floor = beginMs - lookbackMs;
  let list: Array<[string, number, number]> = [];
  for (const [id, [updated, begin]] of seen) if (begin >= floor) list.push([id, updated, begin]);
  if (list.length > SESSION_SEEN_CAP) {
    list.sort((a, b) => a[2] - b[2]);
    list = list.slice(list.length - SESSION_SEEN_CAP);
  }
  return { v: 1, api: 'incydr-sessions', beginMs, seen: list };
}
