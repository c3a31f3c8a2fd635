// The Incydr emulator (contract incydr-v2 5.2): today's Code42 API on loopback,
// built on the emulator framework (faults, request log, clock, /__emulator/*).
//
// ROUTES
//   POST /v1/oauth                  client credentials: Basic `id:secret` (preferred) or a form body
//                                   `client_id`/`client_secret`; `grant_type` optional (query or form) but,
//                                   if given, must be client_credentials (else 400 unsupported_grant_type).
//                                   → {access_token: <JWT>, token_type: "bearer", expires_in}. Bad client →
//                                   401 {"error":"invalid_client"}. The JWT's payload carries `tenantUid`,
//                                   `sub` (the client id), `iat`, `exp` (s); it expires on the emulator clock.
//   GET  /v1/customer               → {tenantId, name}
//   POST /v2/file-events            the v2 search (below)
//   POST /v1/alerts/query-alerts    {tenantId (required), groupClause, groups, pgNum (from 0), pgSize ≤500,
//                                   srtKey (PascalCase term, default CreatedAt), srtDirection ASC|DESC (default DESC)}
//                                   → {type$: "ALERT_QUERY_RESPONSE", alerts (no observations), totalCount, problems: []}
//   POST /v1/alerts/query-details   {alertIds: ≤100} → {type$: "ALERT_DETAILS_RESPONSE", alerts: [… observations[].data
//                                   a JSON *string*]}; unknown ids are left out.
//   GET  /v1/sessions               the 4.2 parameters (below) → {items, totalCount}; a bad parameter → 400 {msg}
//   GET  /v1/sessions/:id           → the session, or 404 {msg}
// Every data route needs `Authorization: Bearer <token>`: missing, unknown or expired → 401 {"error":"invalid_token"}.
//
// FILE-EVENT SEARCH (POST /v2/file-events)
//   Body {groupClause, groups, pgNum, pgSize, pgToken, srtDir, srtKey}.
//   - groups: [{filterClause, filters:[{term, operator, value}]}] or [{subgroupClause, subgroups:[…]}]; any
//     dotted term; operators IS (with `*`), IS_NOT, IS_ANY, IS_NONE (value a list), ON (a date), ON_OR_AFTER,
//     ON_OR_BEFORE (inclusive at the value's precision: …:04.465Z covers that whole ms), WITHIN_THE_LAST (ISO
//     duration on the emulator clock), GREATER_THAN, LESS_THAN (numbers, or ISO times), EXISTS,
//     DOES_NOT_EXIST (value null). A list anywhere on the path matches by any element. Times (@timestamp,
//     event.inserted, event.ingested and any ISO leaf) compare at full µs/ns precision.
//   - No groups (or []) → 400 MISSING_GROUPS (option requireGroups: false to allow). An unknown operator
//     (CONTAINS included) → 400 ILLEGAL_OPERATOR; a bad value → 400 ILLEGAL_VALUE (type names for these two
//     are the emulator's own; the contract marks them unverified).
//   - srtKey: any term (default event.id, the SDK's); srtDir asc | desc, **default desc**; ties by event.id,
//     in the same direction.
//   - pgSize 1..10,000 (default 100), else 400 INVALID_PAGE_SIZE.
//   - pgToken "" starts token paging; each nextPgToken is the event.id of the page's last event; null after
//     the last page (option trailingEmptyPage: a token on the last page, then an empty page with null). A token
//     whose event is not in the current result set (query changed, not visible, retention) → 400
//     INVALID_PAGE_TOKEN. pgToken null or absent → numbered paging: pgNum 1-based, nextPgToken always null,
//     pgNum·pgSize > 10,000 → 400 INVALID_PAGE_NUMBER.
//   - Reply {fileEvents, nextPgToken, problems: null, totalCount} (the true total). Problems (400/500 or
//     injected) use the same shape: {fileEvents: null, nextPgToken: null, problems: [{badFilter, description,
//     type}], totalCount: null}.
//   - Late indexing: each event has a `visibleAt` (emulator-clock ms, ≥ its inserted ms); searches, tokens
//     and totalCount see only events with visibleAt ≤ now.
//
// SESSIONS (GET /v1/sessions)
//   on_or_after / before (epoch ms, on beginTime: ≥ / <), actor_id, type, has_alerts (default true: only
//   sessions with triggeredAlerts; false: all), risk_indicators / rule_id (repeated keys, any of), state and
//   severity (repeated; the latest states[].stateV2 / scores[].severity), watchlist_id (accepted, not applied),
//   order_by end_time (default) | score, sort_direction asc | desc (default desc), page_number from 0,
//   page_size 1..50 (default 50; more → 400). Ties by sessionId. A session is visible from its creation time
//   (`at`) on the clock; its updates (SessionChange) apply when the clock reaches their time and set
//   lastUpdated to that time.
//
// API FOR TESTS (times are emulator-clock epoch ms; the clock runs on with real time from wherever
// `emu.clock.set(ms)` / `emu.clock.advance(ms)` put it, so compare with the oracle clear of visibility edges)
//   new IncydrEmulator({clients: {'<id>': '<secret>'}, acceptAnyCredentials, tokenTtlSeconds (900), tenantId,
//     seed (42), trailingEmptyPage, rateLimitPerMin (a real sliding-minute limit on the data routes → 429 with
//     Retry-After), requireGroups (true), logBodies}); `await emu.listen()` → base URL; `await emu.close()`.
//   Data:
//     addFileEvents({count, insertedMs, stepMs (1; 0 = all on one ms), subMsNanos ('seeded' | a fixed ns below
//       the ms, e.g. 0 → `.mmm000Z`), visibleAfterMs (late indexing) | visibleAt, returnIds (true)}) → event.ids.
//       Seeded: same seed, same events. A million load in well under a second (set returnIds: false).
//     addCustomFileEvents(events, {visibleAt?}) — explicit objects (event.id, ISO event.inserted required), served
//       byte for byte as given, unknown fields included.
//     expireBefore(insertedMs) — retention: older events vanish from searches, tokens and the oracle.
//     addAlerts({count, createdMs, stepMs (1000), observationCount (1), unparsableEvery}) → alerts (createdAt 6 digits).
//     addSessions({count, beginMs, stepMs (60,000), at (now: when they appear), withAlerts (true), state ('OPEN'),
//       severity (2), score (6)}) → sessionIds; updateSession(id, {endTime, score, severity, state, addAlert,
//       fields}, at = now) — a future `at` schedules the change.
//   Oracle: visibleIds(nowMs = clock.now(), groups?, groupClause?) → the event.ids a search sees at nowMs (matching
//     `groups` if given), ascending by (event.inserted, event.id) — exactly what asc token paging returns;
//     eventById(id) → the event as served; fileEventCount; alertIds(); sessionView(id, nowMs?);
//     visibleSessions(nowMs?); searchLog (per search: pgToken in, pgNum, srtKey, srtDir, returned, nextPgToken,
//     totalCount); the framework's request log (`emu.requests('file-events')`).
//   Faults: the framework's (`emu.inject({route, fault: {type: 'status'|'throttle'|'latency'|'hang'|'reset'|
//     'malformed'|'respond'}, nth | times | probability | untilMs})`) plus injectThrottle(route, retryAfterSeconds,
//     when = {times: 1}), injectInvalidPageToken(when), injectProblems({status: 200|400|500, type
//     ('SEARCH_FAILED', 'QUERY_TIMEOUT', …), when}), expireTokens(), setTokenTtl(seconds).
//     Route names: oauth, customer, file-events, alerts, alert-details, sessions, session, audit-log, audit-count.
//   Audit log: `emu.audit` (incydr-audit.ts: POST /v1/audit/search-audit-log and /v1/audit/search-results-count,
//     late indexing, page limits); faults through the framework on routes audit-log / audit-count.
//   Cost: searches sorted by event.inserted (asc or desc) walk a sorted index from a binary-searched bound and
//     write pre-encoded JSON templates straight into the reply Buffer (~120,000 events/s for the handler,
//     measured on the busy shared 2-core machine); totalCount is O(1) when the query is only event.inserted
//     bounds and every event is visible, else one pass over the bounded range. Other sort keys (the default
//     event.id included) sort the whole matching set per request: fine up to ~100,000 events.
//   Demo (startDemo): any credentials, requireGroups off, 2,000 events over the last hour then 5 every 2 s (one
//     in ten 45 s late), 20 alerts, 12 sessions that get updated, 300 audit events over the last hour then one
//     every 10 s (one in four 2 min late), 24 h retention.
import { Emulator, WriteAhead, type PieceWriter, basicCredentials, type EmuRequest, type EmuResponse, type FaultRule } from './framework';
import { IncydrEventFactory, alertCreatedAt, generateAlert, generateSession, generatedEventId, seqOfGeneratedId, variantOf, type GeneratedTimes, type IncydrAlert, type IncydrSession } from './incydr-data';
import { cmpTime, compileGroups, insertedBounds, parseTime, QueryProblem, valuesAt, type Predicate, type Problem, type RecordView, type TimeValue, type V2Group } from './incydr-filters';
import { serveDemo } from './demo';
import { MinuteRateLimit } from './rate-limit';
import { AUDIT_COUNT_PATH, AUDIT_LOG_PATH, AuditLogStore } from './incydr-audit';

export interface IncydrEmulatorOptions {
  seed?: number;
  /** Accepted API clients: client id → secret. */
  clients?: Record<string, string>;
  /** Accept any client credentials (demo mode). */
  acceptAnyCredentials?: boolean;
  /** Access-token lifetime in seconds (default 900, the API's 15 min). */
  tokenTtlSeconds?: number;
  tenantId?: string;
  /** Answer the last page with a token, then an empty page (the SDK pages until an empty page). */
  trailingEmptyPage?: boolean;
  /** A real rate limit on the data routes: requests per sliding minute, then 429 with Retry-After. */
  rateLimitPerMin?: number;
  /** Reject a search without groups (400 MISSING_GROUPS); default true. */
  requireGroups?: boolean;
  logBodies?: boolean;
  /** Audit-log searches: page·pageSize + pageSize ≤ this (default 10,000; the emulator's own limit). */
  auditMaxResultWindow?: number;
  /**
   * Benches: after a token page, write the reply to the same search's next page ahead, a
   * slice per event-loop turn, while the client parses this one, so that a bench measures
   * the extractor rather than this. Used only while the events don't change and none is
   * still to become visible; relative time filters are evaluated when it is written.
   */
  prefetch?: boolean;
}

/** Events the prefetch writes per event-loop turn (option `prefetch`). */
const PREFETCH_SLICE = 500;

type SearchLogEntry = IncydrEmulator['searchLog'][number];

/** A page a search found, not yet written as a reply. */
interface FoundPage {
  found: true;
  page: number[];
  totalCount: number;
  nextPgToken: string | null;
  log: Omit<SearchLogEntry, 'returned' | 'nextPgToken'>;
}

/** A reply being written event by event into one Buffer (see replyWriter). */
interface ReplyWriter extends PieceWriter {
  readonly found: FoundPage;
  finish(): EmuResponse;
}

export interface AddFileEventsOptions {
  count: number;
  /** event.inserted (ms) of the first event. */
  insertedMs: number;
  /** ms between consecutive events (default 1; 0 = all share one ms). */
  stepMs?: number;
  /** Nanoseconds below the ms: 'seeded' (default: µs text, every 10th event ns text) or a fixed value (0 = `.mmm000Z`). */
  subMsNanos?: 'seeded' | number;
  /** Visible this long after their inserted ms (late indexing; default 0). */
  visibleAfterMs?: number;
  /** Visible from this clock time (overrides visibleAfterMs). */
  visibleAt?: number;
  /** Return the new ids (default true); false for bulk loads (a million ids cost ~100 MB). */
  returnIds?: boolean;
}

export interface AddAlertsOptions {
  count: number;
  createdMs: number;
  stepMs?: number;
  observationCount?: number;
  /** Every n-th alert gets an observation whose data is not JSON. */
  unparsableEvery?: number;
}

export interface AddSessionsOptions {
  count: number;
  /** beginTime of the first session. */
  beginMs: number;
  /** Between consecutive beginTimes (default 60,000). */
  stepMs?: number;
  /** When they appear (clock ms; default now). */
  at?: number;
  /** Default true (has_alerts=true sessions). */
  withAlerts?: boolean;
  state?: string;
  /** 0–4. */
  severity?: number;
  score?: number;
}

/** A change to a session; each applies at its time and sets lastUpdated to that time. */
export interface SessionChange {
  endTime?: number;
  /** Appends to scores[]. */
  score?: number;
  severity?: number;
  /** Appends to states[] (stateV2). */
  state?: string;
  /** Appends a triggered alert. */
  addAlert?: boolean;
  /** Any other top-level fields, set as given. */
  fields?: Record<string, unknown>;
}

export const FILE_EVENTS_PATH = '/v2/file-events';
export const MAX_PAGE_SIZE = 10_000;
export const MAX_NUMBERED_RESULTS = 10_000;
export const MAX_SESSION_PAGE_SIZE = 50;

export class IncydrEmulator extends Emulator {
  readonly config: IncydrEmulatorOptions;
  readonly tenantId: string;
  /** Per file-event search: the token sent, the events returned, the token given back. */
  readonly searchLog: Array<{ pgToken: string | null | undefined; pgNum?: number; srtKey: string; srtDir: 'asc' | 'desc'; returned: number; nextPgToken: string | null; totalCount: number }> = [];
  private ttlSeconds: number;
  private readonly seed: number;
  private readonly factory: IncydrEventFactory;
  // Per event record r (dense, = seq for generated events): full-precision times and visibility.
  private readonly insMs: number[] = [];
  private readonly insNs: number[] = [];
  private readonly tsMs: number[] = [];
  private readonly visAt: number[] = [];
  private readonly digits: Array<6 | 9> = [];
  private readonly custom = new Map<number, { id: string; json: string; object: Record<string, unknown>; ingested: TimeValue }>();
  private readonly customIds = new Map<string, number>();
  /** Record numbers in (inserted, event.id) order. */
  private byInserted: number[] = [];
  private maxVisibleAt = -Infinity;
  /** The next page's reply being written ahead (option `prefetch`), keyed by its request body. */
  private readonly ahead = new WriteAhead<string, ReplyWriter>(PREFETCH_SLICE);
  private retentionFloor: TimeValue | undefined;
  private alerts: IncydrAlert[] = [];
  private alertSeq = 0;
  private readonly sessions = new Map<string, { base: IncydrSession; at: number; changes: Array<{ at: number; change: SessionChange }> }>();
  private sessionSeq = 0;
  private readonly rateLimit = new MinuteRateLimit(this.clock);
  private readonly view: RecordView;
  /** The audit log (incydr-audit.ts): `emu.audit.add({count, startMs, stepMs, visibleAfterMs})`, `emu.audit.visible()`. */
  readonly audit: AuditLogStore;

  constructor(options: IncydrEmulatorOptions = {}) {
    super({ name: 'incydr', seed: options.seed ?? 42, logBodies: options.logBodies });
    this.config = options;
    this.seed = options.seed ?? 42;
    this.ttlSeconds = options.tokenTtlSeconds ?? 900;
    this.tenantId = options.tenantId ?? 'c4e43418-07d9-4a9f-a138-29f39a124d33';
    this.factory = new IncydrEventFactory(this.seed);
    this.audit = new AuditLogStore(() => this.clock.now(), { maxResultWindow: options.auditMaxResultWindow });
    this.view = {
      time: (r, term) => this.timeOf(r, term),
      id: (r) => this.idOf(r),
      object: (r) => this.custom.get(r)?.object ?? (this.factory.variants[variantOf(r)] as Record<string, unknown>),
    };
    this.installRoutes();
  }

  // ---- data ---------------------------------------------------------------

  /** Adds generated events; returns their event.ids in insertion order. */
  addFileEvents(opts: AddFileEventsOptions): string[] {
    const step = opts.stepMs ?? 1;
    const added: number[] = [];
    for (let i = 0; i < opts.count; i++) {
      const r = this.insMs.length;
      const ms = opts.insertedMs + i * step;
      const sub = opts.subMsNanos === undefined || opts.subMsNanos === 'seeded' ? IncydrEventFactory.seededSubMs(r) : { nanos: opts.subMsNanos, digits: (opts.subMsNanos % 1000 === 0 ? 6 : 9) as 6 | 9 };
      this.pushRecord(ms, sub.nanos, ms - IncydrEventFactory.timestampLagMs(r), opts.visibleAt ?? ms + (opts.visibleAfterMs ?? 0), sub.digits);
      added.push(r);
    }
    this.index(added);
    this.changed();
    return opts.returnIds === false ? [] : added.map((r) => this.idOf(r));
  }

  /**
   * Adds explicit v2 events (event.id and event.inserted required; @timestamp optional). They are
   * served exactly as given (unknown fields included).
   */
  addCustomFileEvents(events: Array<Record<string, unknown>>, opts: { visibleAt?: number } = {}): void {
    const added: number[] = [];
    for (const e of events) {
      const ev = (e.event ?? {}) as Record<string, unknown>;
      const id = ev.id;
      const inserted = parseTime(ev.inserted);
      if (typeof id !== 'string' || !inserted) throw new Error('a custom event needs event.id and an ISO event.inserted');
      if (this.customIds.has(id)) throw new Error(`duplicate event.id ${id}`);
      const r = this.insMs.length;
      const ts = parseTime(e['@timestamp']);
      const ingested = parseTime(ev.ingested) ?? inserted;
      this.pushRecord(inserted.ms, inserted.ns, ts ? ts.ms : inserted.ms, opts.visibleAt ?? inserted.ms, 9);
      this.custom.set(r, { id, json: JSON.stringify(e), object: e, ingested: { ms: ingested.ms, ns: ingested.ns } });
      this.customIds.set(id, r);
      added.push(r);
    }
    this.index(added);
    this.changed();
  }

  /** Retention: events inserted before this time are gone (searches, tokens, the oracle). */
  expireBefore(insertedMs: number): void {
    this.retentionFloor = { ms: insertedMs, ns: 0 };
    this.changed();
  }

  get fileEventCount(): number {
    return this.insMs.length;
  }

  /** The oracle: event.ids a search can see at `nowMs` (optionally matching `groups`), ascending by (event.inserted, event.id). */
  visibleIds(nowMs: number = this.clock.now(), groups?: V2Group[], groupClause: 'AND' | 'OR' = 'AND'): string[] {
    const pred = groups && groups.length ? compileGroups(groups, groupClause, this.view, nowMs) : undefined;
    const out: string[] = [];
    for (let i = this.lowerIndex(this.retentionFloor); i < this.byInserted.length; i++) {
      const r = this.byInserted[i];
      if (this.visAt[r] <= nowMs && (!pred || pred(r))) out.push(this.idOf(r));
    }
    return out;
  }

  /** The event as the API sends it, or undefined. */
  eventById(id: string): Record<string, unknown> | undefined {
    const r = this.recordOfId(id);
    return r === undefined ? undefined : (JSON.parse(this.jsonOf(r)) as Record<string, unknown>);
  }

  addAlerts(opts: AddAlertsOptions): IncydrAlert[] {
    const step = opts.stepMs ?? 1000;
    const added: IncydrAlert[] = [];
    for (let i = 0; i < opts.count; i++) {
      const seq = this.alertSeq++;
      const createdAt = alertCreatedAt(opts.createdMs + i * step, seq * 7919);
      added.push(generateAlert(seq, createdAt, this.tenantId, this.seed, opts.observationCount ?? 1, opts.unparsableEvery ? seq % opts.unparsableEvery === 0 : false));
    }
    this.alerts.push(...added);
    this.alerts.sort((a, b) => cmpTime(parseTime(a.createdAt)!, parseTime(b.createdAt)!) || cmpStr(a.id, b.id));
    return added;
  }

  alertIds(): string[] {
    return this.alerts.map((a) => a.id);
  }

  addSessions(opts: AddSessionsOptions): string[] {
    const at = opts.at ?? this.clock.now();
    const ids: string[] = [];
    for (let i = 0; i < opts.count; i++) {
      const seq = this.sessionSeq++;
      const base = generateSession(seq, opts.beginMs + i * (opts.stepMs ?? 60_000), this.tenantId, {
        withAlert: opts.withAlerts ?? true, state: opts.state ?? 'OPEN', severity: opts.severity ?? 2, score: opts.score ?? 6, at,
      });
      if (this.sessions.has(base.sessionId)) base.sessionId = `${base.sessionId}_${seq}`;
      this.sessions.set(base.sessionId, { base, at, changes: [] });
      ids.push(base.sessionId);
    }
    return ids;
  }

  /** Records a change to a session at `at` (default now; a future time schedules it). */
  updateSession(sessionId: string, change: SessionChange, at: number = this.clock.now()): void {
    const s = this.sessions.get(sessionId);
    if (!s) throw new Error(`no session ${sessionId}`);
    s.changes.push({ at, change });
    s.changes.sort((a, b) => a.at - b.at);
  }

  /** A session as GET /v1/sessions shows it at `nowMs`, or undefined before it exists. */
  sessionView(sessionId: string, nowMs: number = this.clock.now()): IncydrSession | undefined {
    const s = this.sessions.get(sessionId);
    if (!s || s.at > nowMs) return undefined;
    const v: IncydrSession = structuredClone(s.base);
    for (const { at, change } of s.changes) {
      if (at > nowMs) break;
      if (change.endTime !== undefined) v.endTime = change.endTime;
      if (change.score !== undefined || change.severity !== undefined) {
        const last = (v.scores as Array<{ score: number; severity: number }>).at(-1)!;
        (v.scores as unknown[]).push({ score: change.score ?? last.score, severity: change.severity ?? last.severity, sourceTimestamp: at });
      }
      if (change.state !== undefined) (v.states as unknown[]).push({ stateV2: change.state, sourceTimestamp: at, userId: 'analyst-1' });
      if (change.addAlert) (v.triggeredAlerts as unknown[]).push({ alertId: `alert-${v.sessionId}-${at}`, ruleId: 'rule-9', ruleName: 'Rule 9', lessonId: null });
      if (change.fields) Object.assign(v, structuredClone(change.fields));
      v.lastUpdated = at;
    }
    return v;
  }

  /** Every session visible at `nowMs`. */
  visibleSessions(nowMs: number = this.clock.now()): IncydrSession[] {
    const out: IncydrSession[] = [];
    for (const id of this.sessions.keys()) {
      const v = this.sessionView(id, nowMs);
      if (v) out.push(v);
    }
    return out;
  }

  // ---- API-specific faults ------------------------------------------------

  /** 429 with Retry-After on a route (e.g. 'file-events'), for the next `times` requests by default once. */
  injectThrottle(route: string, retryAfterSeconds: number | undefined, when: Pick<FaultRule, 'nth' | 'times' | 'probability' | 'untilMs'> = { times: 1 }): number {
    return this.inject({ route, ...when, fault: { type: 'throttle', retryAfterSeconds } });
  }

  /** The next file-event searches fail with 400 INVALID_PAGE_TOKEN (whatever token they carry). */
  injectInvalidPageToken(when: Pick<FaultRule, 'nth' | 'times' | 'probability'> = { times: 1 }): number {
    return this.inject({ route: 'file-events', ...when, fault: { type: 'respond', respond: () => problemReply(400, { badFilter: null, description: 'Invalid page token', type: 'INVALID_PAGE_TOKEN' }) } });
  }

  /** File-event searches answer with a problem: on a 200 (fileEvents []), a 400 or a 500 (QUERY_TIMEOUT, SEARCH_FAILED…). */
  injectProblems(opts: { status?: 200 | 400 | 500; type?: string; when?: Pick<FaultRule, 'nth' | 'times' | 'probability'> } = {}): number {
    const status = opts.status ?? 200;
    const p: Problem = { badFilter: null, description: 'injected search problem', type: opts.type ?? 'SEARCH_FAILED' };
    const respond = (): EmuResponse => (status === 200 ? { body: { fileEvents: [], nextPgToken: null, problems: [p], totalCount: 0 } } : problemReply(status, p));
    return this.inject({ route: 'file-events', ...(opts.when ?? { times: 1 }), fault: { type: 'respond', respond } });
  }

  expireTokens(): void {
    this.tokens.expireAll();
  }

  /** Lifetime of tokens issued from now on. */
  setTokenTtl(seconds: number): void {
    this.ttlSeconds = seconds;
  }

  // ---- records --------------------------------------------------------------

  private pushRecord(ms: number, ns: number, tsMs: number, visibleAt: number, digits: 6 | 9): void {
    this.insMs.push(ms);
    this.insNs.push(ns);
    this.tsMs.push(tsMs);
    const vis = Math.max(visibleAt, ms);
    this.visAt.push(vis);
    this.digits.push(digits);
    if (vis > this.maxVisibleAt) this.maxVisibleAt = vis;
  }

  private idOf(r: number): string {
    return (this.custom.size > 0 && this.custom.get(r)?.id) || generatedEventId(r, this.seed);
  }

  private recordOfId(id: string): number | undefined {
    const c = this.customIds.get(id);
    if (c !== undefined) return c;
    const r = seqOfGeneratedId(id);
    return r !== undefined && r < this.insMs.length && !this.custom.has(r) && this.idOf(r) === id ? r : undefined;
  }

  private timeOf(r: number, term: string): TimeValue {
    if (term === 'event.inserted') return { ms: this.insMs[r], ns: this.insNs[r] };
    if (term === '@timestamp') return { ms: this.tsMs[r], ns: 0 };
    const c = this.custom.get(r);
    return c ? c.ingested : { ms: IncydrEventFactory.ingestedMs(r, this.insMs[r]), ns: 0 };
  }

  private jsonOf(r: number): string {
    const c = this.custom.size > 0 ? this.custom.get(r) : undefined;
    return c ? c.json : this.factory.json(r, this.timesOf(r));
  }

  private timesOf(r: number): GeneratedTimes {
    return { timestampMs: this.tsMs[r], insertedMs: this.insMs[r], insertedSubMsNanos: this.insNs[r], insertedDigits: this.digits[r] };
  }

  /** (inserted, event.id) order of two records. */
  private cmpRecords(a: number, b: number): number {
    return this.insMs[a] - this.insMs[b] || this.insNs[a] - this.insNs[b] || cmpStr(this.idOf(a), this.idOf(b));
  }

  /** Adds records to the (inserted, id) index: appended when in order, merged otherwise. */
  private index(records: number[]): void {
    if (records.length === 0) return;
    let sorted = true;
    for (let k = 1; k < records.length && sorted; k++) sorted = this.cmpRecords(records[k - 1], records[k]) < 0;
    if (!sorted) {
      // Ids only for the records in a tie: most batches have none.
      const ids = new Map<number, string>();
      const id = (r: number): string => {
        let v = ids.get(r);
        if (v === undefined) ids.set(r, (v = this.idOf(r)));
        return v;
      };
      records.sort((a, b) => this.insMs[a] - this.insMs[b] || this.insNs[a] - this.insNs[b] || cmpStr(id(a), id(b)));
    }
    const old = this.byInserted;
    if (old.length === 0 || this.cmpRecords(old[old.length - 1], records[0]) < 0) {
      for (const r of records) old.push(r);
      return;
    }
    const merged: number[] = new Array(old.length + records.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < old.length && j < records.length) merged[k++] = this.cmpRecords(old[i], records[j]) <= 0 ? old[i++] : records[j++];
    while (i < old.length) merged[k++] = old[i++];
    while (j < records.length) merged[k++] = records[j++];
    this.byInserted = merged;
  }

  /** First index whose inserted time is ≥ t (0 for undefined). */
  private lowerIndex(t: TimeValue | undefined): number {
    if (!t) return 0;
    let lo = 0;
    let hi = this.byInserted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const r = this.byInserted[mid];
      if (this.insMs[r] < t.ms || (this.insMs[r] === t.ms && this.insNs[r] < t.ns)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First index whose inserted time is > t (length for undefined). */
  private upperIndex(t: TimeValue | undefined): number {
    if (!t) return this.byInserted.length;
    let lo = 0;
    let hi = this.byInserted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const r = this.byInserted[mid];
      if (this.insMs[r] < t.ms || (this.insMs[r] === t.ms && this.insNs[r] <= t.ns)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The index position of a record (exact, by its (inserted, id) key). */
  private positionOf(r: number): number {
    let lo = 0;
    let hi = this.byInserted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cmpRecords(this.byInserted[mid], r) < 0) lo = mid + 1;
      else hi = mid;
    }
    return this.byInserted[lo] === r ? lo : -1;
  }

  // ---- routes -------------------------------------------------------------

  private installRoutes(): void {
    this.route('POST', '/v1/oauth', 'oauth', (req) => this.oauth(req));
    this.route('GET', '/v1/customer', 'customer', (req) => this.guard(req) ?? { body: { tenantId: this.tenantId, name: 'Emulated Incydr tenant' } });
    this.route('POST', FILE_EVENTS_PATH, 'file-events', (req) => this.guard(req) ?? this.searchFileEvents(req));
    this.route('POST', '/v1/alerts/query-alerts', 'alerts', (req) => this.guard(req) ?? this.queryAlerts(req));
    this.route('POST', '/v1/alerts/query-details', 'alert-details', (req) => this.guard(req) ?? this.alertDetails(req));
    this.route('POST', AUDIT_LOG_PATH, 'audit-log', (req) => this.guard(req) ?? this.audit.search(req));
    this.route('POST', AUDIT_COUNT_PATH, 'audit-count', (req) => this.guard(req) ?? this.audit.countResults(req));
    this.route('GET', '/v1/sessions', 'sessions', (req) => this.guard(req) ?? this.listSessions(req));
    this.route('GET', '/v1/sessions/:id', 'session', (req) => {
      const denied = this.guard(req);
      if (denied) return denied;
      const v = this.sessionView(req.params.id);
      return v ? { body: v } : { status: 404, body: { msg: `session ${req.params.id} not found` } };
    });
  }

  private oauth(req: EmuRequest): EmuResponse {
    const form = new URLSearchParams(req.json === undefined ? req.body : '');
    const grant = req.query.get('grant_type') ?? form.get('grant_type');
    if (grant !== null && grant !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type' } };
    const basic = basicCredentials(req.headers.authorization as string | undefined);
    const id = basic?.user ?? form.get('client_id');
    const secret = basic?.password ?? form.get('client_secret');
    const clients = this.config.clients ?? {};
    // acceptAnyCredentials (the demo sandbox) takes empty ones too: example flows carry none.
    const ok = id !== null && secret !== null && (this.config.acceptAnyCredentials || (id !== '' && Object.prototype.hasOwnProperty.call(clients, id) && clients[id] === secret));
    if (!ok) return { status: 401, body: { error: 'invalid_client' } };
    const { token, expiresIn } = this.tokens.issue(this.ttlSeconds);
    const now = Math.floor(this.clock.now() / 1000);
    const jwt = [b64({ alg: 'RS256', typ: 'JWT' }), b64({ sub: id, tenantUid: this.tenantId, iat: now, exp: now + expiresIn }), token].join('.');
    return { body: { access_token: jwt, token_type: 'bearer', expires_in: expiresIn } };
  }

  private guard(req: EmuRequest): EmuResponse | undefined {
    // The JWT's third part is the framework token: expiry on the emulator clock, expireAll included.
    const m = /^Bearer\s+[^.\s]+\.[^.\s]+\.(\S+)$/i.exec((req.headers.authorization as string | undefined) ?? '');
    if (!m || !this.tokens.check(`Bearer ${m[1]}`)) return { status: 401, body: { error: 'invalid_token', error_description: 'missing, unknown or expired access token' } };
    return this.rateLimited();
  }

  private rateLimited(): EmuResponse | undefined {
    return this.rateLimit.check(this.config.rateLimitPerMin);
  }

  private searchFileEvents(req: EmuRequest): EmuResponse {
    const key = this.config.prefetch ? JSON.stringify(req.json) : '';
    const writer = this.ahead.take((k) => k === key && this.maxVisibleAt <= this.clock.now()) ?? this.startReply(req.json);
    if (!('found' in writer)) return writer;
    if (this.config.prefetch && writer.found.nextPgToken !== null) this.prefetchAfter(req.json as Record<string, unknown>, writer.found.nextPgToken);
    const reply = writer.finish();
    this.searchLog.push({ ...writer.found.log, returned: writer.found.page.length, nextPgToken: writer.found.nextPgToken });
    if (this.searchLog.length > 10_000) this.searchLog.splice(0, this.searchLog.length - 10_000);
    return reply;
  }

  /** A search's reply: a problem, or a writer of the page it found. */
  private startReply(json: unknown): EmuResponse | ReplyWriter {
    const found = this.findFileEvents(json);
    return found.found === true ? this.replyWriter(found) : found;
  }

  /** The page a search finds, or its problem reply. */
  private findFileEvents(json: unknown): FoundPage | (EmuResponse & { found?: undefined }) {
    const body = json as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body)) return problemReply(400, { badFilter: null, description: 'request body must be a JSON object', type: 'ILLEGAL_VALUE' });
    const size = body.pgSize ?? 100;
    if (!Number.isInteger(size) || (size as number) < 1 || (size as number) > MAX_PAGE_SIZE) {
      return problemReply(400, { badFilter: null, description: `pgSize must be 1..${MAX_PAGE_SIZE}, got ${JSON.stringify(body.pgSize)}`, type: 'INVALID_PAGE_SIZE' });
    }
    const pgSize = size as number;
    const groups = body.groups ?? [];
    if (this.config.requireGroups !== false && Array.isArray(groups) && groups.length === 0) {
      return problemReply(400, { badFilter: null, description: 'at least one filter group is required', type: 'MISSING_GROUPS' });
    }
    const srtDirRaw = body.srtDir ?? 'desc';
    const srtDir = typeof srtDirRaw === 'string' ? srtDirRaw.toLowerCase() : '';
    if (srtDir !== 'asc' && srtDir !== 'desc') return problemReply(400, { badFilter: null, description: `srtDir must be asc or desc, got ${JSON.stringify(srtDirRaw)}`, type: 'ILLEGAL_VALUE' });
    const srtKey = typeof body.srtKey === 'string' && body.srtKey !== '' ? body.srtKey : 'event.id';
    const now = this.clock.now();
    let pred: Predicate;
    let bounds: ReturnType<typeof insertedBounds>;
    try {
      pred = compileGroups(groups, body.groupClause, this.view, now);
      bounds = insertedBounds(groups as V2Group[], body.groupClause, now);
    } catch (err) {
      if (err instanceof QueryProblem) return problemReply(400, err.problem);
      throw err;
    }
    // Candidate range of the (inserted, id) index, narrowed by inserted bounds and retention.
    const floor = this.retentionFloor && (!bounds.lo || cmpTime(this.retentionFloor, bounds.lo) > 0) ? this.retentionFloor : bounds.lo;
    const lo = this.lowerIndex(floor);
    const hi = Math.max(lo, this.upperIndex(bounds.hi));
    const allVisible = this.maxVisibleAt <= now;
    const cheap = bounds.complete && allVisible; // every record in [lo, hi) matches
    const matches = (i: number): boolean => {
      const r = this.byInserted[i];
      return cheap || (this.visAt[r] <= now && pred(r));
    };

    // Positions (into byInserted) in result order: walked lazily for the inserted sort, materialised otherwise.
    let order: number[] | undefined;
    const desc = srtDir === 'desc';
    if (srtKey !== 'event.inserted') {
      order = [];
      for (let i = lo; i < hi; i++) if (matches(i)) order.push(i);
      const key = this.sortKeyOf(srtKey);
      order.sort((a, b) => key.cmp(this.byInserted[a], this.byInserted[b]) || cmpStr(this.idOf(this.byInserted[a]), this.idOf(this.byInserted[b])));
      if (desc) order.reverse();
    }
    let totalCount: number;
    if (order) totalCount = order.length;
    else if (cheap) totalCount = hi - lo;
    else {
      totalCount = 0;
      for (let i = lo; i < hi; i++) if (matches(i)) totalCount++;
    }

    const pgToken = body.pgToken as string | null | undefined;
    const page: number[] = [];
    // A walker over result positions: next match at or after result index `from`.
    const walk = (fromPos: number, count: number, skip: number): { more: boolean } => {
      if (order) {
        const start = fromPos + skip;
        for (let k = start; k < order.length && page.length < count; k++) page.push(order[k]);
        return { more: start + page.length < order.length };
      }
      let i = fromPos;
      let skipped = 0;
      const step = desc ? -1 : 1;
      const inRange = (x: number) => (desc ? x >= lo : x < hi);
      for (; inRange(i) && (page.length < count || skipped < skip); i += step) {
        if (!matches(i)) continue;
        if (skipped < skip) skipped++;
        else page.push(i);
      }
      for (; inRange(i); i += step) if (matches(i)) return { more: true };
      return { more: false };
    };
    const first = order ? 0 : desc ? hi - 1 : lo;
    if (pgToken === null || pgToken === undefined) {
      const pgNum = body.pgNum ?? 1;
      if (!Number.isInteger(pgNum) || (pgNum as number) < 1) return problemReply(400, { badFilter: null, description: `pgNum is 1-based, got ${JSON.stringify(body.pgNum)}`, type: 'INVALID_PAGE_NUMBER' });
      if ((pgNum as number) * pgSize > MAX_NUMBERED_RESULTS) {
        return problemReply(400, { badFilter: null, description: `only the first ${MAX_NUMBERED_RESULTS} results are reachable by page number; use pgToken`, type: 'INVALID_PAGE_NUMBER' });
      }
      walk(first, pgSize, ((pgNum as number) - 1) * pgSize);
      return { found: true, page, totalCount, nextPgToken: null, log: { pgToken, pgNum: pgNum as number, srtKey, srtDir, totalCount } };
    }
    if (typeof pgToken !== 'string') return problemReply(400, { badFilter: null, description: 'pgToken must be a string or null', type: 'INVALID_PAGE_TOKEN' });
    let start = first;
    if (pgToken !== '') {
      const r = this.recordOfId(pgToken);
      const pos = r === undefined ? -1 : this.positionOf(r);
      const inSet = pos >= lo && pos < hi && matches(pos);
      if (!inSet) return problemReply(400, { badFilter: null, description: 'Invalid page token', type: 'INVALID_PAGE_TOKEN' });
      if (order) start = order.indexOf(pos) + 1;
      else start = desc ? pos - 1 : pos + 1;
    }
    const { more } = walk(start, pgSize, 0);
    const next = page.length > 0 && (more || this.config.trailingEmptyPage) ? this.idOf(this.byInserted[page[page.length - 1]]) : null;
    return { found: true, page, totalCount, nextPgToken: next, log: { pgToken, srtKey, srtDir, totalCount } };
  }

  /** Comparator of two records by a sort term (times at full precision, numbers numerically, else text). */
  private sortKeyOf(term: string): { cmp: (a: number, b: number) => number } {
    if (term === 'event.inserted' || term === '@timestamp' || term === 'event.ingested') return { cmp: (a, b) => cmpTime(this.timeOf(a, term), this.timeOf(b, term)) };
    if (term === 'event.id') return { cmp: () => 0 }; // the tie-break is event.id
    const first = (r: number): unknown => valuesAt(this.view.object(r), term)[0];
    return {
      cmp: (a, b) => {
        const x = first(a);
        const y = first(b);
        if (x === undefined || y === undefined) return x === y ? 0 : x === undefined ? -1 : 1;
        if (typeof x === 'number' && typeof y === 'number') return x - y;
        return cmpStr(String(x), String(y));
      },
    };
  }

  /**
   * The search reply, written straight into one Buffer (event JSON from pre-encoded
   * templates): no per-page JS string of tens of MB to build, flatten and re-encode.
   * Written in steps when prefetched, at once otherwise.
   */
  private replyWriter(found: FoundPage): ReplyWriter {
    const { page, totalCount, nextPgToken } = found;
    const head = '{"fileEvents":[';
    const tail = `],"nextPgToken":${JSON.stringify(nextPgToken)},"problems":null,"totalCount":${totalCount}}`;
    let size = head.length + Buffer.byteLength(tail) + page.length;
    for (const i of page) {
      const r = this.byInserted[i];
      const c = this.custom.size > 0 ? this.custom.get(r) : undefined;
      size += c ? Buffer.byteLength(c.json) : this.factory.maxBytes(r);
    }
    const buf = Buffer.allocUnsafe(size);
    let at = buf.write(head, 0, 'latin1');
    let k = 0;
    const writeTo = (end: number) => {
      for (; k < end; k++) {
        if (k > 0) buf[at++] = 0x2c; // ,
        const r = this.byInserted[page[k]];
        const c = this.custom.size > 0 ? this.custom.get(r) : undefined;
        at = c ? at + buf.write(c.json, at, 'utf8') : this.factory.write(buf, at, r, this.timesOf(r));
      }
    };
    return {
      found,
      total: page.length,
      writeTo,
      written: () => k,
      finish: () => {
        writeTo(page.length);
        at += buf.write(tail, at, 'utf8');
        return { headers: { 'Content-Type': 'application/json' }, body: buf.subarray(0, at) };
      },
    };
  }

  // ---- prefetch (option `prefetch`) -------------------------------------------

  /** Replies served from a prefetched page. */
  get prefetchHits(): number {
    return this.ahead.hits;
  }

  private changed(): void {
    this.ahead.changed();
  }

  /** Starts writing the reply to `body` with page token `token` ahead. */
  private prefetchAfter(body: Record<string, unknown>, token: string): void {
    this.ahead.drop();
    if (this.maxVisibleAt > this.clock.now()) return; // late events would change the page
    const next = { ...body, pgToken: token };
    const writer = this.startReply(next);
    if ('found' in writer) this.ahead.start(JSON.stringify(next), writer);
  }

  override async close(): Promise<void> {
    this.ahead.drop();
    await super.close();
  }

  // ---- alerts -------------------------------------------------------------

  private queryAlerts(req: EmuRequest): EmuResponse {
    const body = req.json as Record<string, unknown> | undefined;
    const fail = (type: string, description: string): EmuResponse => ({ status: 400, body: { type$: 'ALERT_QUERY_RESPONSE', alerts: null, totalCount: null, problems: [{ type$: 'ALERT_QUERY_PROBLEM', badFilter: null, description, type }] } });
    if (!body || typeof body !== 'object') return fail('InvalidQuery', 'request body must be a JSON object');
    if (typeof body.tenantId !== 'string' || body.tenantId === '') return fail('MissingTenantId', 'tenantId is required');
    if (body.tenantId !== this.tenantId) return fail('InvalidTenantId', `unknown tenantId ${JSON.stringify(body.tenantId)}`);
    const pgSize = body.pgSize ?? 100;
    const pgNum = body.pgNum ?? 0;
    if (!Number.isInteger(pgSize) || (pgSize as number) < 1 || (pgSize as number) > 500) return fail('InvalidPageSize', 'pgSize must be 1..500');
    if (!Number.isInteger(pgNum) || (pgNum as number) < 0) return fail('InvalidPageNumber', 'pgNum is 0-based');
    let pred: (a: IncydrAlert) => boolean;
    try {
      pred = compileAlertGroups(body.groups ?? [], body.groupClause);
    } catch (err) {
      if (err instanceof QueryProblem) return fail(err.problem.type, err.problem.description);
      throw err;
    }
    const found = this.alerts.filter(pred);
    const srtKey = typeof body.srtKey === 'string' ? alertField(body.srtKey) : 'createdAt';
    if (srtKey !== 'createdAt') found.sort((a, b) => cmpStr(String(a[srtKey] ?? ''), String(b[srtKey] ?? '')) || cmpStr(a.id, b.id));
    const dir = String(body.srtDirection ?? 'DESC').toUpperCase();
    if (dir === 'DESC') found.reverse();
    const from = (pgNum as number) * (pgSize as number);
    const alerts = found.slice(from, from + (pgSize as number)).map(({ observations: _o, ...summary }) => ({ ...summary, type$: 'ALERT_SUMMARY' }));
    return { body: { type$: 'ALERT_QUERY_RESPONSE', alerts, totalCount: found.length, problems: [] } };
  }

  private alertDetails(req: EmuRequest): EmuResponse {
    const body = req.json as { tenantId?: unknown; alertIds?: unknown } | undefined;
    if (!body || !Array.isArray(body.alertIds) || body.alertIds.length === 0) return { status: 400, body: { error: 'alertIds must be a non-empty list' } };
    if (body.alertIds.length > 100) return { status: 400, body: { error: 'at most 100 alertIds' } };
    if (body.tenantId !== undefined && body.tenantId !== this.tenantId) return { status: 400, body: { error: 'unknown tenantId' } };
    const wanted = new Set(body.alertIds.map(String));
    return { body: { type$: 'ALERT_DETAILS_RESPONSE', alerts: this.alerts.filter((a) => wanted.has(a.id)) } };
  }

  // ---- sessions -----------------------------------------------------------

  private listSessions(req: EmuRequest): EmuResponse {
    const q = req.query;
    const bad = (msg: string): EmuResponse => ({ status: 400, body: { msg } });
    const int = (name: string, fallback: number): number | undefined => {
      const v = q.get(name);
      if (v === null || v === '') return fallback;
      return /^-?\d+$/.test(v) ? Number(v) : undefined;
    };
    const pageSize = int('page_size', MAX_SESSION_PAGE_SIZE);
    const pageNumber = int('page_number', 0);
    if (pageSize === undefined || pageSize < 1 || pageSize > MAX_SESSION_PAGE_SIZE) return bad(`page_size must be 1..${MAX_SESSION_PAGE_SIZE}`);
    if (pageNumber === undefined || pageNumber < 0) return bad('page_number is 0-based');
    const onOrAfter = int('on_or_after', -Infinity);
    const before = int('before', Infinity);
    if (onOrAfter === undefined || before === undefined) return bad('on_or_after and before are epoch milliseconds');
    const orderBy = q.get('order_by') ?? 'end_time';
    if (orderBy !== 'end_time' && orderBy !== 'score') return bad('order_by must be end_time or score');
    const dir = (q.get('sort_direction') ?? 'desc').toLowerCase();
    if (dir !== 'asc' && dir !== 'desc') return bad('sort_direction must be asc or desc');
    const severities = q.getAll('severity');
    if (severities.some((s) => !/^[0-4]$/.test(s))) return bad('severity must be 0..4');
    const states = q.getAll('state');
    const hasAlerts = (q.get('has_alerts') ?? 'true') !== 'false';
    const actor = q.get('actor_id');
    const type = q.get('type');
    const indicators = q.getAll('risk_indicators');
    const rules = q.getAll('rule_id');
    const latest = <T>(list: unknown): T | undefined => (Array.isArray(list) ? (list.at(-1) as T) : undefined);
    const items = this.visibleSessions().filter((s) => {
      if (s.beginTime < onOrAfter || s.beginTime >= before) return false;
      if (hasAlerts && !(Array.isArray(s.triggeredAlerts) && s.triggeredAlerts.length > 0)) return false;
      if (actor !== null && s.actorId !== actor) return false;
      if (type !== null && s.type !== type) return false;
      if (states.length && !states.includes(String(latest<{ stateV2: string }>(s.states)?.stateV2))) return false;
      if (severities.length && !severities.includes(String(latest<{ severity: number }>(s.scores)?.severity))) return false;
      if (indicators.length && !(s.riskIndicators as Array<{ id: string; name: string }>).some((i) => indicators.includes(i.id) || indicators.includes(i.name))) return false;
      if (rules.length && !(s.triggeredAlerts as Array<{ ruleId: string }>).some((a) => rules.includes(a.ruleId))) return false;
      return true;
    });
    const key = (s: IncydrSession) => (orderBy === 'score' ? latest<{ score: number }>(s.scores)?.score ?? 0 : s.endTime);
    items.sort((a, b) => key(a) - key(b) || cmpStr(a.sessionId, b.sessionId));
    if (dir === 'desc') items.reverse();
    const from = pageNumber * pageSize;
    return { body: { items: items.slice(from, from + pageSize), totalCount: items.length } };
  }
}

function problemReply(status: number, p: Problem): EmuResponse {
  return { status, body: { fileEvents: null, nextPgToken: null, problems: [p], totalCount: null } };
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

// ---- alert filters (PascalCase terms, contract 4.1) ---------------------------

const ALERT_OPERATORS = new Set(['IS', 'IS_NOT', 'ON', 'ON_OR_AFTER', 'ON_OR_BEFORE', 'LESS_THAN', 'GREATER_THAN', 'CONTAINS', 'DOES_NOT_CONTAIN']);

/** A PascalCase term (CreatedAt, RiskSeverity, AlertId) as the alert's field name. */
function alertField(term: string): string {
  if (term === 'AlertId') return 'id';
  return term.charAt(0).toLowerCase() + term.slice(1);
}

function compileAlertGroups(groups: unknown, groupClause: unknown): (a: IncydrAlert) => boolean {
  if (!Array.isArray(groups)) throw new QueryProblem({ badFilter: null, description: 'groups must be a list', type: 'InvalidQuery' });
  const tests = groups.map((g) => {
    const filters = (g as { filters?: unknown }).filters;
    if (!Array.isArray(filters)) throw new QueryProblem({ badFilter: null, description: 'each group needs filters', type: 'InvalidQuery' });
    const fs = filters.map((f: { term?: unknown; operator?: unknown; value?: unknown }) => {
      if (typeof f.term !== 'string' || typeof f.operator !== 'string' || !ALERT_OPERATORS.has(f.operator)) {
        throw new QueryProblem({ badFilter: f as never, description: `bad alert filter ${JSON.stringify(f)}`, type: 'InvalidFilter' });
      }
      const field = alertField(f.term);
      const op = f.operator;
      const value = f.value === null || f.value === undefined ? '' : String(f.value);
      const bound = parseTime(value);
      return (a: IncydrAlert): boolean => {
        const v = a[field];
        if (op === 'ON_OR_AFTER' || op === 'ON_OR_BEFORE' || op === 'ON' || ((op === 'LESS_THAN' || op === 'GREATER_THAN') && bound)) {
          const t = parseTime(v);
          if (!t || !bound) return false;
          const c = cmpTime(t, bound);
          if (op === 'ON') return v !== undefined && String(v).slice(0, 10) === value.slice(0, 10);
          return op === 'ON_OR_AFTER' ? c >= 0 : op === 'ON_OR_BEFORE' ? c <= 0 : op === 'LESS_THAN' ? c < 0 : c > 0;
        }
        const text = v === null || v === undefined ? '' : String(v);
        switch (op) {
          case 'IS': return text === value;
          case 'IS_NOT': return text !== value;
          case 'CONTAINS': return text.includes(value);
          case 'DOES_NOT_CONTAIN': return !text.includes(value);
          case 'LESS_THAN': return Number(v) < Number(value);
          default: return Number(v) > Number(value);
        }
      };
    });
    const or = (g as { filterClause?: unknown }).filterClause === 'OR';
    return (a: IncydrAlert) => (or ? fs.some((t) => t(a)) : fs.every((t) => t(a)));
  });
  const or = groupClause === 'OR';
  return (a) => tests.length === 0 || (or ? tests.some((t) => t(a)) : tests.every((t) => t(a)));
}

/** The demo tenant for the sandbox: any credentials, a steady stream of events (some indexed late), alerts and mutating sessions. */
export async function startDemo(port: number): Promise<{ url: string; close(): Promise<void> }> {
  const emu = new IncydrEmulator({ acceptAnyCredentials: true, seed: 2025, logBodies: false, requireGroups: false });
  const start = Date.now();
  emu.addFileEvents({ count: 2000, insertedMs: start - 3_600_000, stepMs: 1_800 });
  emu.addAlerts({ count: 20, createdMs: start - 3_600_000, stepMs: 180_000, observationCount: 2 });
  const sessions = emu.addSessions({ count: 12, beginMs: start - 6 * 3_600_000, stepMs: 1_800_000, at: start - 5 * 3_600_000 });
  emu.audit.add({ count: 300, startMs: start - 3_600_000, stepMs: 12_000 });
  return serveDemo(emu, port, (tick) => {
    const now = Date.now();
    emu.addFileEvents({ count: 5, insertedMs: now - 5 });
    // One event in ten arrives 45 s late: a cursor without look-back would miss it.
    if (tick % 2 === 0) emu.addFileEvents({ count: 1, insertedMs: now - 1, visibleAfterMs: 45_000 });
    if (tick % 15 === 0) emu.addAlerts({ count: 1, createdMs: now, observationCount: 2 });
    if (tick % 30 === 0) emu.addSessions({ count: 1, beginMs: now - 600_000 });
    // An audit event every 10 s; one in four shows up 2 minutes late (inside the 5 min look-back).
    if (tick % 5 === 0) emu.audit.add({ count: 1, startMs: now - 1, visibleAfterMs: tick % 20 === 0 ? 120_000 : 0 });
    if (tick % 10 === 0) emu.updateSession(sessions[tick % sessions.length], { score: 10 + (tick % 7), severity: 3, endTime: now });
    emu.expireBefore(now - 24 * 3_600_000);
    emu.audit.expireBefore(now - 24 * 3_600_000);
  });
}
