// The one emulator framework: loopback HTTP(S) servers that stand in for cloud
// APIs in tests, benches and the demo sandbox. Routes are plain handlers; faults
// (status codes, 429 with Retry-After, latency, hangs, resets, malformed JSON, bodies
// cut off half-way) are
// injected per route by request number, count, time window or probability; every
// request is logged; tokens expire on a clock that tests can drive.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface EmuRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body as received (binary uploads, multipart). */
  raw: Buffer;
  /** The body parsed as JSON; undefined when empty or not JSON. */
  json: unknown;
  /** 1-based count of requests to this route, faults included. */
  n: number;
}

export interface EmuResponse {
  status?: number;
  headers?: Record<string, string>;
  /** An object is sent as JSON, a string or Buffer as is. */
  body?: unknown;
}

export type Handler = (req: EmuRequest) => EmuResponse | Promise<EmuResponse>;

export type Fault =
  | { type: 'status'; status: number; body?: unknown }
  | { type: 'throttle'; retryAfterSeconds?: number }
  | { type: 'latency'; ms: number }
  | { type: 'hang' }
  | { type: 'reset' }
  | { type: 'malformed' }
  /** The route's real reply cut off half-way through its body (Content-Length says all of it); then the connection hangs or resets. */
  | { type: 'cut'; then: 'hang' | 'reset' }
  | { type: 'respond'; respond: Handler }
  /** A misbehaving server that echoes the request headers (credentials included) in its body. */
  | { type: 'echo-headers'; status: number; as?: 'json' | 'text' };

export interface FaultRule {
  /** Route name, or '*' for every route. */
  route: string;
  fault: Fault;
  /** Apply on these request numbers of the route (1-based). */
  nth?: number[];
  /** Apply to the next `times` matching requests, then retire. */
  times?: number;
  /** Apply with this probability (0..1), drawn from the emulator's seeded generator. */
  probability?: number;
  /** Apply while the emulator clock is before this time (ms). */
  untilMs?: number;
}

export interface LogEntry {
  at: number;
  route: string;
  method: string;
  path: string;
  query: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  status: number;
  fault?: Fault['type'];
}

interface Route {
  name: string;
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

export interface EmulatorOptions {
  name: string;
  /** PEM key and certificate: serve HTTPS instead of HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  seed?: number;
  /** Keep request bodies in the log (default true; benches turn it off). */
  logBodies?: boolean;
  /** Keep at most this many log entries (default 100,000). */
  logLimit?: number;
}

/** A clock that runs with real time, plus an offset that tests can move forward. */
export class EmuClock {
  private offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  advance(ms: number): void {
    this.offset += ms;
  }
  set(ms: number): void {
    this.offset = ms - Date.now();
  }
}

/** Bearer tokens with a time to live on the emulator clock. */
export class TokenRegistry {
  private readonly tokens = new Map<string, number>();
  constructor(private readonly clock: EmuClock) {}

  issue(ttlSeconds: number): { token: string; expiresIn: number } {
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, this.clock.now() + ttlSeconds * 1000);
    return { token, expiresIn: ttlSeconds };
  }

  /** The token of an `Authorization: Bearer …` header, if it is known and unexpired. */
  check(authorization: string | undefined): boolean {
    const m = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
    if (!m) return false;
    const expires = this.tokens.get(m[1]);
    return expires !== undefined && expires > this.clock.now();
  }

  expireAll(): void {
    for (const token of this.tokens.keys()) this.tokens.set(token, 0);
  }
}

/** Basic credentials of a request, or undefined. */
export function basicCredentials(authorization: string | undefined): { user: string; password: string } | undefined {
  const m = /^Basic\s+(.+)$/i.exec(authorization ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  return i < 0 ? { user: decoded, password: '' } : { user: decoded.slice(0, i), password: decoded.slice(i + 1) };
}

/** mulberry32: a small seeded generator so that emulated data and faults repeat. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A reply written piece by piece: `written` of `total` items so far. */
export interface PieceWriter {
  readonly total: number;
  written(): number;
  /** Writes on up to item `end`. */
  writeTo(end: number): void;
}

/**
 * Option `prefetch` of the emulators (benches): the reply to the request an emulator
 * expects next, written ahead while the client parses the last one, a slice per
 * event-loop turn so that the socket writes of the reply just sent go on. Any change
 * to the emulator's data (`changed()`) drops it; `take` hands it over only for the
 * same request and data version, the rest still to be written by the caller.
 */
export class WriteAhead<K, W extends PieceWriter> {
  /** Replies served from work written ahead. */
  hits = 0;
  private version = 0;
  private job: { key: K; version: number; work: W; timer?: NodeJS.Immediate } | undefined;

  constructor(private readonly slice: number) {}

  changed(): void {
    this.version++;
    this.drop();
  }

  drop(): void {
    if (this.job?.timer) clearImmediate(this.job.timer);
    this.job = undefined;
  }

  /** Starts writing `work` ahead for the request `key` stands for. */
  start(key: K, work: W): void {
    this.drop();
    const job: NonNullable<WriteAhead<K, W>['job']> = { key, version: this.version, work };
    const step = () => {
      job.timer = undefined;
      if (this.job !== job) return;
      work.writeTo(Math.min(work.written() + this.slice, work.total));
      if (work.written() < work.total) job.timer = setImmediate(step);
    };
    this.job = job;
    job.timer = setImmediate(step);
  }

  /** The work written ahead if `same(its key)` and the data did not change since; it is handed over once. */
  take(same: (key: K) => boolean): W | undefined {
    const job = this.job;
    this.drop();
    if (!job || job.version !== this.version || !same(job.key)) return undefined;
    this.hits++;
    return job.work;
  }
}

export class Emulator {
  readonly name: string;
  readonly clock = new EmuClock();
  readonly tokens = new TokenRegistry(this.clock);
  readonly log: LogEntry[] = [];
  random: () => number;
  private readonly routes: Route[] = [];
  private readonly counts = new Map<string, number>();
  private faults: Array<FaultRule & { id: number }> = [];
  private nextFaultId = 1;
  private recorded: { route: string; replies: Map<string, EmuResponse> } | undefined;
  private server?: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly options: EmulatorOptions;
  baseUrl = '';

  constructor(options: EmulatorOptions) {
    this.options = options;
    this.name = options.name;
    this.random = seededRandom(options.seed ?? 42);
    this.installControlRoutes();
  }

  /** Adds a route; `path` may hold `:name` segments, available as req.params. */
  route(method: string, path: string, name: string, handler: Handler): this {
    const keys: string[] = [];
    const pattern = new RegExp(`^${path.replace(/[.+*?^$()[\]{}|\\]/g, '\\$&').replace(/:([A-Za-z_]+)/g, (_m, key: string) => {
      keys.push(key);
      return '([^/]+)';
    })}$`);
    this.routes.push({ name, method: method.toUpperCase(), pattern, keys, handler });
    return this;
  }

  inject(rule: FaultRule): number {
    const id = this.nextFaultId++;
    this.faults.push({ ...rule, id });
    return id;
  }

  clearFaults(id?: number): void {
    this.faults = id === undefined ? [] : this.faults.filter((f) => f.id !== id);
  }

  /** Forgets faults, the request log and the per-route request counts. */
  reset(): void {
    this.faults = [];
    this.log.length = 0;
    this.counts.clear();
  }

  requests(route?: string): LogEntry[] {
    return route ? this.log.filter((e) => e.route === route) : this.log;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
      this.dispatch(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          res.writeHead(500, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ error: `emulator ${this.name}: ${(err as Error).message}` }));
        } else {
          res.destroy();
        }
      });
    };
    this.server = this.options.tls ? https.createServer(this.options.tls, handler) : http.createServer(handler);
    this.server.keepAliveTimeout = 30_000;
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    this.baseUrl = `${this.options.tls ? 'https' : 'http'}://${host}:${address.port}`;
    return this.baseUrl;
  }

  get port(): number {
    return (this.server?.address() as AddressInfo | null)?.port ?? 0;
  }

  async close(): Promise<void> {
    this.recorded = undefined; // the recorded pages (gigabytes in a bench) go with the emulator
    if (!this.server) return;
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const body = raw.toString('utf8');
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = (req.method ?? 'GET').toUpperCase();
    let route: Route | undefined;
    let params: Record<string, string> = {};
    for (const r of this.routes) {
      if (r.method !== method && r.method !== '*') continue;
      const m = r.pattern.exec(url.pathname);
      if (!m) continue;
      route = r;
      params = Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(m[i + 1])]));
      break;
    }
    const routeName = route?.name ?? '(none)';
    const n = (this.counts.get(routeName) ?? 0) + 1;
    this.counts.set(routeName, n);
    const entry: LogEntry = {
      at: this.clock.now(), route: routeName, method, path: url.pathname, query: url.search,
      headers: req.headers, body: this.options.logBodies === false ? '' : body, status: 0,
    };
    if (!routeName.startsWith('control:')) {
      this.log.push(entry);
      if (this.log.length > (this.options.logLimit ?? 100_000)) this.log.shift();
    }
    if (!route) return this.reply(res, entry, { status: 404, body: { error: `no route for ${method} ${url.pathname}` } });

    let json: unknown;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    const request: EmuRequest = { method, path: url.pathname, params, query: url.searchParams, headers: req.headers, body, raw, json, n };
    const fault = this.pickFault(routeName, n);
    if (fault) {
      entry.fault = fault.type;
      switch (fault.type) {
        case 'status':
          return this.reply(res, entry, { status: fault.status, body: fault.body ?? { error: `injected ${fault.status}` } });
        case 'throttle':
          return this.reply(res, entry, {
            status: 429,
            headers: fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {},
            body: { error: 'too many requests' },
          });
        case 'latency':
          await new Promise((r) => setTimeout(r, fault.ms));
          break;
        case 'hang':
          entry.status = -1;
          return; // never answers; the client's timeout must fire
        case 'reset':
          entry.status = -1;
          req.socket.destroy();
          return;
        case 'malformed':
          res.writeHead(200, { 'Content-Type': 'application/json' });
          entry.status = 200;
          res.end('{"truncated": [1, 2');
          return;
        case 'cut': {
          const { status, headers, payload } = this.encode(await route.handler(request));
          entry.status = -1;
          res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(payload)) });
          const bytes = Buffer.from(payload);
          res.write(bytes.subarray(0, bytes.length >> 1));
          if (fault.then === 'reset') setTimeout(() => req.socket.destroy(), 50);
          return;
        }
        case 'respond':
          return this.reply(res, entry, await fault.respond(request));
        case 'echo-headers':
          return this.reply(res, entry, {
            status: fault.status,
            body: fault.as === 'text'
              ? Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`).join('\n')
              : { error: 'bad request', requestHeaders: req.headers },
          });
      }
    }
    const key = this.recorded?.route === routeName ? `${method} ${url.pathname}${url.search}\n${body}` : undefined;
    const recorded = key === undefined ? undefined : this.recorded?.replies.get(key);
    if (recorded) return this.reply(res, entry, recorded);
    const response = await route.handler(request);
    if (key !== undefined && (response.status ?? 200) < 300) this.recorded?.replies.set(key, response);
    return this.reply(res, entry, response);
  }

  /**
   * Benches: from now on, the 2xx replies of `route` are kept by request (method, path,
   * query and body) and the same request is answered from memory, its handler not
   * called (so it checks no token, logs no search, changes no counter). For data that
   * no longer changes, and not for tests:
   * the extraction benches record a run's replies before the timed one, so that the
   * emulator costs no CPU while the extractor runs (bench/_extraction-harness.ts).
   */
  recordReplies(route: string): void {
    this.recorded = { route, replies: new Map() };
  }

  /** How many distinct replies `recordReplies` holds. */
  get recordedReplies(): number {
    return this.recorded?.replies.size ?? 0;
  }

  private pickFault(route: string, n: number): Fault | undefined {
    for (const rule of this.faults) {
      if (rule.route !== '*' && rule.route !== route) continue;
      if (rule.route === '*' && route.startsWith('control:')) continue;
      if (rule.nth && !rule.nth.includes(n)) continue;
      if (rule.untilMs !== undefined && this.clock.now() >= rule.untilMs) continue;
      if (rule.probability !== undefined && this.random() >= rule.probability) continue;
      if (rule.times !== undefined) {
        if (rule.times <= 0) continue;
        rule.times--;
      }
      return rule.fault;
    }
    return undefined;
  }

  private reply(res: http.ServerResponse, entry: LogEntry, response: EmuResponse): void {
    const { status, headers, payload } = this.encode(response);
    entry.status = status;
    res.writeHead(status, headers);
    res.end(payload);
  }

  /** A response as status, headers and the bytes or text to send. */
  private encode(response: EmuResponse): { status: number; headers: Record<string, string>; payload: string | Buffer } {
    const headers: Record<string, string> = { ...response.headers };
    let payload: string | Buffer;
    if (response.body === undefined) payload = '';
    else if (typeof response.body === 'string' || Buffer.isBuffer(response.body)) payload = response.body;
    else {
      payload = JSON.stringify(response.body);
      headers['Content-Type'] ??= 'application/json';
    }
    return { status: response.status ?? 200, headers, payload };
  }

  /** Control routes, so that a flow or a browser test can drive an emulator over HTTP. */
  private installControlRoutes(): void {
    this.route('POST', '/__emulator/faults', 'control:faults', (req) => {
      const rule = req.json as FaultRule;
      if (!rule || typeof rule !== 'object' || !rule.fault) return { status: 400, body: { error: 'body must be a fault rule' } };
      return { body: { id: this.inject(rule) } };
    });
    this.route('DELETE', '/__emulator/faults', 'control:clear', () => {
      this.clearFaults();
      return { status: 204 };
    });
    this.route('GET', '/__emulator/log', 'control:log', () => ({ body: this.log.map(({ headers: _h, ...rest }) => rest) }));
    this.route('POST', '/__emulator/expire-tokens', 'control:expire', () => {
      this.tokens.expireAll();
      return { status: 204 };
    });
    this.route('POST', '/__emulator/clock', 'control:clock', (req) => {
      const { advanceMs } = (req.json ?? {}) as { advanceMs?: number };
      if (typeof advanceMs === 'number') this.clock.advance(advanceMs);
      return { body: { now: this.clock.now() } };
    });
  }
}

/**
 * The request body as text, from stream events: cheaper than `for await` over the
 * request, which showed per request when bench/mozdef.ts sends tens of thousands.
 */
function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
