// The Code42 v1 emulator (contract "Emulator requirements" 1–9): OAuth and local
// account auth, what py42 asks at start-up (current user, service discovery through
// ServerEnv and the key-value store), file-event search v1 with filters applied,
// sorting with an eventId tie-break, page-number paging capped at 10,000 and pgToken
// paging (eventId or opaque tokens), alerts query and details, late indexing, a
// seeded generator, API-specific faults (INVALID_PAGE_TOKEN, problems, a trailing
// empty page) on top of the framework's, and a demo mode for the sandbox.
//
// File events are stored as sort keys only (insertion ms + a sequence number, kept
// in (ms, eventId) order) and made on demand, so that a million of them are cheap;
// a query's cursor bound is found by binary search. Replies are written as bytes
// from per-variant templates; with `prefetch` the next token page is written ahead
// while the client parses, so that the bench measures the extractor, not this.
import { randomBytes } from 'node:crypto';
import { Emulator, WriteAhead, basicCredentials, type PieceWriter, type EmuRequest, type EmuResponse, type FaultRule } from './framework';
import { ByteSink, FileEventJson, generateAlert, generatedEventId, seqOfGeneratedId, type GeneratedAlert } from './code42-data';
import { checkGroups, matchGroups, timeKey, type EmuGroup } from './code42-filters';
import { serveDemo } from './demo';
import { MinuteRateLimit } from './rate-limit';

export interface Code42EmulatorOptions {
  seed?: number;
  /** Accepted API clients (id → secret) and local users (username → password). */
  clients?: Record<string, string>;
  users?: Record<string, string>;
  /** Accept any credentials (demo mode). */
  acceptAnyCredentials?: boolean;
  /** Token lifetime in seconds (default 900). */
  tokenTtlSeconds?: number;
  tenantUid?: string;
  /** How nextPgToken looks: the page's last eventId (default) or an opaque string. */
  tokenStyle?: 'eventId' | 'opaque';
  /** Answer the last page with a token, then an empty page (the SDK's behaviour). */
  trailingEmptyPage?: boolean;
  /** A real rate limit on the data routes: requests per minute, then 429 with Retry-After. */
  rateLimitPerMin?: number;
  logBodies?: boolean;
  /**
   * After a token page of a plain cursor query, write the next page's bytes ahead, in
   * slices between socket writes, while the client parses (the bench: so that the
   * emulator's serialisation is off the critical path). Replies are byte-identical.
   */
  prefetch?: boolean;
}

export interface AddFileEventsOptions {
  count: number;
  /** Insertion time of the first event (ms). */
  startMs: number;
  /** Gap between consecutive events (ms, default 1; 0 = all share startMs). */
  stepMs?: number;
  /** Invisible to searches until this emulator-clock time (late indexing). */
  visibleAt?: number;
}

export interface AddAlertsOptions {
  count: number;
  startMs: number;
  stepMs?: number;
  observationCount?: number;
  /** Every n-th alert gets an observation whose data is not JSON. */
  unparsableEvery?: number;
  /** Give all alerts exactly this createdAt (7 digits) – a tie. */
  createdAt?: string;
}

export const FILE_EVENT_PATH = '/forensic-search/queryservice/api/v1/fileevent';
export const MAX_UNTOKENED_RESULTS = 10_000;
/** Key-value store keys (py42's service discovery) of the services emulated here: forensic search, alerts. */
const SERVICE_KEYS = new Set(['FORENSIC_SEARCH-API_URL', 'AlertService-API_URL']);

interface SortKey { ms: number; id: string }

/** A page being written ahead: store indexes [from, to). */
interface PageAhead extends PieceWriter { from: number; to: number; sink: ByteSink }

/** Events written ahead per event-loop turn, so that socket writes of the current reply go on. */
const PREFETCH_SLICE = 500;

export class Code42Emulator extends Emulator {
  readonly config: Code42EmulatorOptions;
  readonly tenantUid: string;
  /** Per file-event search: the token sent and the token returned, for paging assertions. */
  readonly searchLog: Array<{ pgToken: string | null | undefined; pgNum?: number; returned: number; nextPgToken: string | null }> = [];
  private readonly seed: number;
  // File events, sorted by (ms, eventId): parallel arrays of insertion ms and seq.
  private ms: number[] = [];
  private seq: number[] = [];
  /** Insertion ms by seq (seqs are dense), to resolve eventId page tokens. */
  private readonly msBySeq: number[] = [];
  private readonly json: FileEventJson;
  private nextSeq = 0;
  private readonly custom = new Map<number, Record<string, unknown>>();
  private readonly customIds = new Map<string, number>();
  private readonly visibleAt = new Map<number, number>();
  private readonly opaqueTokens = new Map<string, SortKey>();
  private alerts: GeneratedAlert[] = [];
  private alertSeq = 0;
  private readonly rateLimit = new MinuteRateLimit(this.clock);
  /** The next token page written ahead (option `prefetch`). */
  private readonly ahead = new WriteAhead<{ from: number; to: number }, PageAhead>(PREFETCH_SLICE);
  private servedEnd = 0;

  constructor(options: Code42EmulatorOptions = {}) {
    super({ name: 'code42', seed: options.seed ?? 42, logBodies: options.logBodies });
    this.config = options;
    this.seed = options.seed ?? 42;
    this.json = new FileEventJson(this.seed);
    this.tenantUid = options.tenantUid ?? 'tenant-7b1e0c2d';
    this.installRoutes();
  }

  // ---- data ---------------------------------------------------------------

  /** Adds generated file events; returns their eventIds. */
  addFileEvents(opts: AddFileEventsOptions): string[] {
    const first = this.nextSeq;
    this.addGeneratedFileEvents(opts);
    return Array.from({ length: this.nextSeq - first }, (_, k) => this.idOf(first + k));
  }

  /** Adds generated file events without listing their ids: a bench's million are cheap. */
  addGeneratedFileEvents(opts: AddFileEventsOptions): void {
    this.changed();
    const step = opts.stepMs ?? 1;
    const n = this.ms.length;
    const firstSeq = this.nextSeq;
    // Appending in order (the common case): straight into the sorted columns.
    if (step >= 0 && opts.count > 0 && firstSeq + opts.count <= 0xffffffff
      && (n === 0 || this.ms[n - 1] < opts.startMs || (this.ms[n - 1] === opts.startMs && this.idOf(this.seq[n - 1]) < this.idOf(firstSeq)))) {
      for (let i = 0; i < opts.count; i++) {
        const seq = this.nextSeq++;
        const ms = opts.startMs + i * step;
        this.ms.push(ms);
        this.seq.push(seq);
        this.msBySeq[seq] = ms;
        if (opts.visibleAt !== undefined) this.visibleAt.set(seq, opts.visibleAt);
      }
      return;
    }
    const recs: Array<{ ms: number; seq: number }> = [];
    for (let i = 0; i < opts.count; i++) {
      const seq = this.nextSeq++;
      recs.push({ ms: opts.startMs + i * step, seq });
      this.msBySeq[seq] = opts.startMs + i * step;
      if (opts.visibleAt !== undefined) this.visibleAt.set(seq, opts.visibleAt);
    }
    this.insert(recs);
  }

  /** Adds explicit events (A2 shape; eventId and insertionTimestamp required). */
  addCustomFileEvents(events: Array<Record<string, unknown>>, visibleAt?: number): void {
    this.changed();
    const recs = events.map((e) => {
      const seq = this.nextSeq++;
      this.custom.set(seq, e);
      this.customIds.set(String(e.eventId), seq);
      if (visibleAt !== undefined) this.visibleAt.set(seq, visibleAt);
      const ms = Date.parse(String(e.insertionTimestamp));
      this.msBySeq[seq] = ms;
      return { ms, seq };
    });
    this.insert(recs);
  }

  /** Ids of the events a search can see now, in search order. */
  visibleFileEventIds(): string[] {
    const now = this.clock.now();
    const out: string[] = [];
    for (let i = 0; i < this.seq.length; i++) if (this.isVisible(this.seq[i], now)) out.push(this.idOf(this.seq[i]));
    return out;
  }

  get fileEventCount(): number {
    return this.seq.length;
  }

  addAlerts(opts: AddAlertsOptions): GeneratedAlert[] {
    const step = opts.stepMs ?? 1;
    const added: GeneratedAlert[] = [];
    for (let i = 0; i < opts.count; i++) {
      const seq = this.alertSeq++;
      const createdAt = opts.createdAt ?? `${new Date(opts.startMs + i * step).toISOString().slice(0, 23)}${String(seq % 10000).padStart(4, '0')}Z`;
      added.push(generateAlert(seq, createdAt, this.tenantUid, this.seed, {
        observationCount: opts.observationCount ?? 1,
        unparsable: opts.unparsableEvery ? seq % opts.unparsableEvery === 0 : false,
      }));
    }
    this.alerts.push(...added);
    this.alerts.sort((a, b) => cmp(timeKey(a.createdAt)!, timeKey(b.createdAt)!) || cmp(a.id, b.id));
    return added;
  }

  alertIds(): string[] {
    return this.alerts.map((a) => a.id);
  }

  override async close(): Promise<void> {
    this.ahead.drop();
    await super.close();
  }

  // ---- API-specific faults ------------------------------------------------

  /** The next `times` file-event searches (or the nth ones) fail with 400 INVALID_PAGE_TOKEN. */
  injectInvalidPageToken(when: Pick<FaultRule, 'nth' | 'times' | 'probability'> = { times: 1 }): number {
    return this.inject({ route: 'fileevents', ...when, fault: { type: 'respond', respond: () => invalidPageToken() } });
  }

  /** The next searches answer 200 with `problems` (or `problems: null` and real data). */
  injectProblems(route: 'fileevents' | 'alerts', when: Pick<FaultRule, 'nth' | 'times'> = { times: 1 }): number {
    const empty = route === 'fileevents' ? { fileEvents: [], totalCount: 0, nextPgToken: null } : { alerts: [], totalCount: 0 };
    return this.inject({ route, ...when, fault: { type: 'respond', respond: () => ({ body: { ...empty, problems: [{ badFilter: null, description: 'injected search failure', type: 'SEARCH_FAILED' }] } }) } });
  }

  expireTokens(): void {
    this.tokens.expireAll();
  }

  // ---- internals ----------------------------------------------------------

  private idOf(seq: number): string {
    const c = this.custom.get(seq);
    return c ? String(c.eventId) : generatedEventId(seq, this.seed);
  }

  /** The event at a store index as JSON text (what the API sends). */
  private jsonOf(index: number): string {
    const seq = this.seq[index];
    const c = this.custom.get(seq);
    return c ? JSON.stringify(c) : this.json.json(seq, this.ms[index]);
  }

  /** The event at a store index as an object (for filters). */
  private eventOf(index: number): Record<string, unknown> {
    return this.custom.get(this.seq[index]) ?? (JSON.parse(this.jsonOf(index)) as Record<string, unknown>);
  }

  /**
   * A search reply, written as bytes straight into one buffer: events are neither
   * parsed nor re-serialised, and no 13 MB string is built by concatenation (which
   * made the emulator, not the extractor, the bench's bottleneck: GC and flattening).
   */
  private searchReply(page: number[], totalCount: number, nextPgToken: string | null): EmuResponse {
    for (const index of page) if (index >= this.servedEnd) this.servedEnd = index + 1;
    let sink = this.takePrefetched(page);
    if (!sink) {
      sink = this.startPage(page.length);
      this.writeEvents(sink, page);
    }
    sink.text(`],"totalCount":${totalCount},"nextPgToken":${JSON.stringify(nextPgToken)},"problems":null}`);
    const body = sink.result();
    // A known length instead of chunked encoding, as a real API server would send.
    return { headers: { 'Content-Type': 'application/json', 'Content-Length': String(body.length) }, body };
  }

  private startPage(events: number): ByteSink {
    const sink = new ByteSink(events * 1400 + 256);
    sink.ascii('{"fileEvents":[');
    return sink;
  }

  /** Appends the page's events to a reply head. */
  private writeEvents(sink: ByteSink, page: number[]): void {
    for (let k = 0; k < page.length; k++) {
      if (k) sink.ascii(',');
      const index = page[k];
      const seq = this.seq[index];
      const c = this.custom.get(seq);
      if (c) sink.text(JSON.stringify(c));
      else this.json.write(sink, seq, this.ms[index]);
    }
  }

  // ---- prefetch (option `prefetch`) -------------------------------------------

  /**
   * Every file event a search reply carried lies in the store's first `fileEventsServed`
   * positions (oldest first): a test's ids from addFileEvents, in order, up to that count.
   */
  get fileEventsServed(): number {
    return this.servedEnd;
  }

  /** Replies served from a prefetched page. */
  get prefetchHits(): number {
    return this.ahead.hits;
  }

  private changed(): void {
    this.ahead.changed();
  }

  /** Starts writing store indexes [from, to) ahead. */
  private schedulePrefetch(from: number, to: number): void {
    this.ahead.drop();
    if (!this.config.prefetch || to <= from || this.custom.size > 0) return;
    const sink = this.startPage(to - from);
    let written = 0;
    const page: PageAhead = {
      from, to, sink, total: to - from,
      written: () => written,
      writeTo: (end) => {
        for (let k = written; k < end; k++) {
          if (k) sink.ascii(',');
          this.json.write(sink, this.seq[from + k], this.ms[from + k]);
        }
        written = end;
      },
    };
    this.ahead.start({ from, to }, page);
  }

  /** The prefetched reply head if it is exactly this page of the current store, finished now. */
  private takePrefetched(page: number[]): ByteSink | undefined {
    const last = page.length - 1;
    const ahead = this.ahead.take((k) => page.length > 0 && page[0] === k.from && page[last] === k.to - 1 && page.length === k.to - k.from);
    if (!ahead) return undefined;
    ahead.writeTo(ahead.total);
    return ahead.sink;
  }

  private isVisible(seq: number, now: number): boolean {
    const at = this.visibleAt.get(seq);
    return at === undefined || at <= now;
  }

  private keyAt(i: number): SortKey {
    return { ms: this.ms[i], id: this.idOf(this.seq[i]) };
  }

  /** First index whose key is > key (after = true) or >= key. */
  private bound(key: SortKey, after: boolean): number {
    let lo = 0;
    let hi = this.ms.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = this.ms[mid] - key.ms || cmp(this.idOf(this.seq[mid]), key.id);
      if (c < 0 || (after && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private insert(recs: Array<{ ms: number; seq: number }>): void {
    // Generated events in (ms, seq) order are already in (ms, eventId) order (their ids
    // sort by seq): no ids to make and nothing to sort, so that a million are cheap.
    let keyed: Array<{ ms: number; seq: number; id?: string }>;
    if (this.inGeneratedOrder(recs)) keyed = recs;
    else keyed = recs.map((r) => ({ ...r, id: this.idOf(r.seq) })).sort((a, b) => a.ms - b.ms || cmp(a.id, b.id));
    const idOfNew = (r: { seq: number; id?: string }) => r.id ?? this.idOf(r.seq);
    const n = this.ms.length;
    if (n === 0 || keyed.length === 0 || this.ms[n - 1] < keyed[0].ms || (this.ms[n - 1] === keyed[0].ms && this.idOf(this.seq[n - 1]) < idOfNew(keyed[0]))) {
      for (const r of keyed) { this.ms.push(r.ms); this.seq.push(r.seq); }
      return;
    }
    // Merge: late or tied insertions land in the middle.
    const ms: number[] = [];
    const seq: number[] = [];
    let i = 0;
    let j = 0;
    while (i < n || j < keyed.length) {
      const takeOld = j >= keyed.length || (i < n && (this.ms[i] - keyed[j].ms || cmp(this.idOf(this.seq[i]), idOfNew(keyed[j]))) < 0);
      if (takeOld) { ms.push(this.ms[i]); seq.push(this.seq[i]); i++; } else { ms.push(keyed[j].ms); seq.push(keyed[j].seq); j++; }
    }
    this.ms = ms;
    this.seq = seq;
  }

  /** True if `recs` are generated events (seq < 2^32) in (ms, seq) order, hence in (ms, eventId) order. */
  private inGeneratedOrder(recs: Array<{ ms: number; seq: number }>): boolean {
    for (let k = 0; k < recs.length; k++) {
      const r = recs[k];
      if (this.custom.has(r.seq) || r.seq > 0xffffffff) return false;
      if (k > 0 && (r.ms < recs[k - 1].ms || (r.ms === recs[k - 1].ms && r.seq <= recs[k - 1].seq))) return false;
    }
    return true;
  }

  private authorized(req: EmuRequest): boolean {
    return this.tokens.check(req.headers.authorization as string | undefined);
  }

  private rateLimited(): EmuResponse | undefined {
    return this.rateLimit.check(this.config.rateLimitPerMin);
  }

  private guard(req: EmuRequest): EmuResponse | undefined {
    if (!this.authorized(req)) return { status: 401, body: { error: 'invalid or expired token' } };
    return this.rateLimited();
  }

  private credentialsOk(kind: 'clients' | 'users', authorization: string | undefined): boolean {
    const creds = basicCredentials(authorization);
    if (!creds) return false;
    if (this.config.acceptAnyCredentials) return true;
    const table = this.config[kind] ?? {};
    return Object.prototype.hasOwnProperty.call(table, creds.user) && table[creds.user] === creds.password;
  }

  private installRoutes(): void {
    const ttl = () => this.config.tokenTtlSeconds ?? 900;
    this.route('POST', '/api/v3/oauth/token', 'oauth', (req) => {
      if (req.query.get('grant_type') !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type' } };
      if (!this.credentialsOk('clients', req.headers.authorization as string | undefined)) return { status: 401, body: { error: 'invalid_client' } };
      const { token, expiresIn } = this.tokens.issue(ttl());
      return { body: { access_token: token, token_type: 'bearer', expires_in: expiresIn } };
    });
    this.route('GET', '/api/v3/auth/jwt', 'jwt', (req) => {
      if (!this.credentialsOk('users', req.headers.authorization as string | undefined)) return { status: 401, body: { error: [{ primaryErrorKey: 'INVALID_CREDENTIALS' }] } };
      const { token } = this.tokens.issue(ttl());
      return { body: { data: { v3_user_token: token } } };
    });
    this.route('GET', '/api/v3/customer/my', 'customer', (req) => this.guard(req) ?? { body: { data: { tenantUid: this.tenantUid, name: 'Emulated tenant' } } });
    // What py42 (the SDK of the Python reference, bench/_python-reference.ts) asks at start-up:
    // the signed-in user (from_local_account tests its credentials with it), then, on a
    // service's first request, service discovery: ServerEnv's stsBaseUrl names the key-value
    // store ("sts" → "simple-key-value-store"; unauthenticated, GET /v1/<key>), whose answer,
    // as plain text, is the base URL of that service. Both services it emulates live here.
    this.route('GET', '/api/v1/User/my', 'user', (req) => (this.authorized(req)
      ? { body: { data: { userId: 1, userUid: 'user-0001', username: 'bench@example.com', tenantId: this.tenantUid, active: true } } }
      : { status: 401, body: [{ name: 'SYSTEM', description: 'Invalid or expired token' }] }));
    this.route('GET', '/api/v1/ServerEnv', 'serverenv', (req) => (this.authorized(req)
      ? { body: { data: { stsBaseUrl: `${this.baseUrl}/sts` } } }
      : { status: 401, body: [{ name: 'SYSTEM', description: 'Invalid or expired token' }] }));
    this.route('GET', '/v1/:key', 'kv', (req) => (SERVICE_KEYS.has(req.params.key)
      ? { headers: { 'Content-Type': 'text/plain' }, body: this.baseUrl }
      : { status: 404, body: { error: `no value stored for ${req.params.key}` } }));
    this.route('POST', FILE_EVENT_PATH, 'fileevents', (req) => this.guard(req) ?? this.searchFileEvents(req));
    this.route('POST', '/svc/api/v1/query-alerts', 'alerts', (req) => this.guard(req) ?? this.queryAlerts(req));
    this.route('POST', '/svc/api/v1/query-details', 'details', (req) => this.guard(req) ?? this.alertDetails(req));
  }

  private searchFileEvents(req: EmuRequest): EmuResponse {
    const body = req.json as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') return { status: 400, body: { error: 'request body must be a JSON object' } };
    const pgSize = body.pgSize ?? 100;
    if (!Number.isInteger(pgSize) || (pgSize as number) < 1 || (pgSize as number) > 10_000) {
      return { status: 400, body: { problems: [{ type: 'INVALID_PAGE_SIZE', description: `pgSize must be 1..10000, got ${JSON.stringify(body.pgSize)}` }] } };
    }
    const size = pgSize as number;
    const checked = checkGroups(body.groups ?? []);
    if (checked.malformed) return { status: 400, body: { error: checked.malformed } };
    if (checked.problem) return { body: { fileEvents: null, totalCount: null, nextPgToken: null, problems: [checked.problem] } };
    const groupClause = body.groupClause === 'OR' ? 'OR' : 'AND';
    const srtKey = typeof body.srtKey === 'string' ? body.srtKey : 'insertionTimestamp';
    const desc = body.srtDir === 'desc';
    const pgToken = body.pgToken as string | null | undefined;
    const now = this.clock.now();

    // Cursor bounds on insertionTimestamp (AND-ed single-term groups) become a binary search.
    let lo = 0;
    let hi = this.ms.length;
    let rest = (body.groups ?? []) as EmuGroup[];
    if (groupClause === 'AND') {
      rest = [];
      for (const g of body.groups as EmuGroup[]) {
        const f = g.filters.length === 1 ? g.filters[0] : undefined;
        const ms = f && f.term === 'insertionTimestamp' && typeof f.value === 'string' ? parseMs(f.value) : undefined;
        if (f && ms !== undefined && f.operator === 'ON_OR_AFTER') lo = Math.max(lo, this.bound({ ms, id: '' }, false));
        else if (f && ms !== undefined && f.operator === 'ON_OR_BEFORE') hi = Math.min(hi, this.bound({ ms: ms + 1, id: '' }, false));
        else rest.push(g);
      }
    }
    const matches = (i: number) => this.isVisible(this.seq[i], now) && (rest.length === 0 || matchGroups(this.eventOf(i), rest, groupClause, now));

    // Positions (indexes into the sorted store) in the requested order.
    let order: number[] | undefined;
    if (srtKey !== 'insertionTimestamp' || desc) {
      order = [];
      for (let i = lo; i < hi; i++) if (matches(i)) order.push(i);
      if (srtKey !== 'insertionTimestamp') {
        const keyOf = (i: number) => String(this.eventOf(i)[srtKey] ?? '');
        order.sort((a, b) => cmp(keyOf(a), keyOf(b)) || cmp(this.idOf(this.seq[a]), this.idOf(this.seq[b])));
      }
      if (desc) order.reverse();
    }
    const fast = !order && rest.length === 0 && this.visibleAt.size === 0;
    const totalCount = order ? order.length : fast ? Math.max(0, hi - lo) : countIn(lo, hi, matches);

    const page: number[] = [];
    if (pgToken === null || pgToken === undefined) {
      const pgNum = Number(body.pgNum ?? 1);
      if (!Number.isInteger(pgNum) || pgNum < 1) return { status: 400, body: { problems: [{ type: 'INVALID_PAGE_NUMBER', description: 'pgNum is 1-based' }] } };
      const from = (pgNum - 1) * size;
      const to = Math.min(from + size, MAX_UNTOKENED_RESULTS);
      if (from < MAX_UNTOKENED_RESULTS) this.collect(order, lo, hi, matches, fast, from, to - from, page);
      this.searchLog.push({ pgToken, pgNum, returned: page.length, nextPgToken: null });
      return this.searchReply(page, totalCount, null);
    }
    // Token paging: "" starts; otherwise continue after the token's event.
    let start: number;
    if (pgToken === '') start = 0;
    else {
      const key = this.tokenKey(pgToken);
      if (!key) return invalidPageToken();
      if (order) {
        const pos = order.findIndex((i) => this.ms[i] === key.ms && this.idOf(this.seq[i]) === key.id);
        if (pos < 0) return invalidPageToken();
        start = pos + 1;
      } else start = -1 - this.bound(key, true); // negative: an absolute store index
    }
    const more = this.collect(order, lo, hi, matches, fast, start, size, page);
    let nextPgToken: string | null = null;
    if (page.length > 0 && (more || this.config.trailingEmptyPage)) nextPgToken = this.makeToken(this.keyAt(page[page.length - 1]));
    this.searchLog.push({ pgToken, returned: page.length, nextPgToken });
    const reply = this.searchReply(page, totalCount, nextPgToken);
    // The next token page of this query starts right after this one (fast path: contiguous).
    if (fast && more && page.length > 0) {
      const next = page[page.length - 1] + 1;
      this.schedulePrefetch(next, Math.min(hi, next + size));
    }
    return reply;
  }

  /**
   * Fills `out` with up to `count` positions starting at match number `from` (or, if
   * `from` is negative, at store index −1−from); returns whether more matches follow.
   */
  private collect(order: number[] | undefined, lo: number, hi: number, matches: (i: number) => boolean, fast: boolean, from: number, count: number, out: number[]): boolean {
    if (order) {
      const begin = Math.max(0, from);
      for (let k = begin; k < order.length && out.length < count; k++) out.push(order[k]);
      return begin + out.length < order.length;
    }
    let i: number;
    if (from < 0) i = Math.max(lo, -1 - from);
    else if (fast) i = lo + from;
    else {
      i = lo;
      for (let skipped = 0; i < hi && skipped < from; i++) if (matches(i)) skipped++;
    }
    for (; i < hi && out.length < count; i++) if (fast || matches(i)) out.push(i);
    if (fast) return i < hi;
    for (; i < hi; i++) if (matches(i)) return true;
    return false;
  }

  private makeToken(key: SortKey): string {
    if (this.config.tokenStyle !== 'opaque') return key.id;
    const token = randomBytes(12).toString('base64url');
    this.opaqueTokens.set(token, key);
    return token;
  }

  private tokenKey(token: string): SortKey | undefined {
    if (this.config.tokenStyle === 'opaque') return this.opaqueTokens.get(token);
    const seq = this.customIds.get(token) ?? seqOfGeneratedId(token);
    if (seq === undefined || seq >= this.nextSeq || this.idOf(seq) !== token) return undefined;
    return { ms: this.msBySeq[seq], id: token };
  }

  private queryAlerts(req: EmuRequest): EmuResponse {
    const body = req.json as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') return { status: 400, body: { error: 'request body must be a JSON object' } };
    if (body.tenantId !== this.tenantUid) return { status: 400, body: { error: `unknown tenantId ${JSON.stringify(body.tenantId)}` } };
    const pgSize = body.pgSize;
    const pgNum = body.pgNum ?? 0;
    if (!Number.isInteger(pgSize) || (pgSize as number) < 1 || (pgSize as number) > 500) return { status: 400, body: { error: 'pgSize must be 1..500' } };
    if (!Number.isInteger(pgNum) || (pgNum as number) < 0) return { status: 400, body: { error: 'pgNum is 0-based' } };
    const checked = checkGroups(body.groups ?? []);
    if (checked.malformed) return { status: 400, body: { error: checked.malformed } };
    if (checked.problem) return { body: { alerts: null, totalCount: null, problems: [checked.problem] } };
    const now = this.clock.now();
    const found = this.alerts.filter((a) => matchGroups(a, (body.groups ?? []) as EmuGroup[], body.groupClause === 'OR' ? 'OR' : 'AND', now));
    if (body.srtDirection === 'desc') found.reverse();
    const from = (pgNum as number) * (pgSize as number);
    const alerts = found.slice(from, from + (pgSize as number)).map(({ observations: _o, ...summary }) => ({ ...summary, observations: null }));
    return { body: { type$: 'ALERT_QUERY_RESPONSE', alerts, totalCount: found.length, problems: [] } };
  }

  private alertDetails(req: EmuRequest): EmuResponse {
    const body = req.json as { tenantId?: unknown; alertIds?: unknown } | undefined;
    if (!body || !Array.isArray(body.alertIds)) return { status: 400, body: { error: 'alertIds must be an array' } };
    if (body.alertIds.length > 100) return { status: 400, body: { error: 'at most 100 alertIds' } };
    if (body.tenantId !== this.tenantUid) return { status: 400, body: { error: 'unknown tenantId' } };
    const wanted = new Set(body.alertIds.map(String));
    const alerts = this.alerts.filter((a) => wanted.has(a.id)).map((a) => ({ type$: 'ALERT_DETAILS', ...a }));
    return { body: { type$: 'ALERT_DETAILS_RESPONSE', alerts } };
  }
}

function invalidPageToken(): EmuResponse {
  return { status: 400, body: { fileEvents: null, totalCount: null, nextPgToken: null, problems: [{ badFilter: null, description: 'Invalid page token', type: 'INVALID_PAGE_TOKEN' }] } };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function parseMs(value: string): number | undefined {
  const key = timeKey(value);
  return key ? Date.parse(`${key.slice(0, 23)}Z`) : undefined;
}

function countIn(lo: number, hi: number, matches: (i: number) => boolean): number {
  let n = 0;
  for (let i = lo; i < hi; i++) if (matches(i)) n++;
  return n;
}

/** The demo tenant for the sandbox: any credentials, a steady stream of file events and alerts. */
export async function startDemo(port: number): Promise<{ url: string; close(): Promise<void> }> {
  const emu = new Code42Emulator({ acceptAnyCredentials: true, seed: 2024, logBodies: false });
  emu.log.length = 0;
  const now = Date.now();
  emu.addFileEvents({ count: 500, startMs: now - 3_600_000, stepMs: 7_000 });
  emu.addAlerts({ count: 20, startMs: now - 3_600_000, stepMs: 180_000, observationCount: 2 });
  return serveDemo(emu, port, (tick) => {
    emu.addFileEvents({ count: 5, startMs: Date.now() - 5, stepMs: 1 });
    if (tick % 15 === 0) emu.addAlerts({ count: 1, startMs: Date.now(), observationCount: 2 });
    if (emu.searchLog.length > 1000) emu.searchLog.splice(0, emu.searchLog.length - 1000);
  });
}
