import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import axios, { AxiosHeaders, AxiosResponse, Method } from 'axios';
import { readBodyText } from './body';
import { HttpError } from './errors';
import { RetryPolicy, DEFAULT_RETRY_POLICY, backoffDelay, parseRetryAfter } from './retry';
import { sleep } from '../util/sleep';
import { headerSecrets, scrub } from '../util/secrets';

/** What a caller says about one request. The body is sent as JSON unless it is a string. */
export interface HttpRequest {
  method: Method;
  /** Path relative to the client's base URL, or an absolute URL. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  /** Skip the auth hook for this request (e.g. the token request itself). */
  noAuth?: boolean;
  /** Return the body as text instead of parsed JSON. */
  raw?: boolean;
  signal?: AbortSignal;
}

export interface HttpResponse<T> {
  status: number;
  headers: Record<string, string>;
  data: T;
}

/**
 * Supplies credentials for requests. `headers()` is called before every attempt;
 * `refresh()` after a 401, once per request: a second 401 is an error.
 */
export interface AuthProvider {
  headers(client: HttpClient, signal?: AbortSignal): Promise<Record<string, string>>;
  refresh(client: HttpClient, signal?: AbortSignal): Promise<void>;
}

export interface HttpClientOptions {
  baseUrl: string;
  /** Timeout in ms (default 60 s) for the reply's head, then for each pause while its body arrives. */
  timeoutMs?: number;
  /** TCP connect timeout in ms (default 10 s). */
  connectTimeoutMs?: number;
  verifyTls?: boolean;
  /** PEM text of extra CAs to trust. */
  ca?: string | Buffer;
  retry?: Partial<RetryPolicy>;
  auth?: AuthProvider;
  /** Called before each retry wait; for status and logs. Never receives secrets. */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
  userAgent?: string;
  maxSockets?: number;
}

/**
 * The one HTTP client of secflow: axios with keep-alive, timeouts, retry with
 * exponential backoff and jitter (network errors, timeouts, 5xx, unparsable JSON,
 * 429 honouring Retry-After), and re-authentication once on 401.
 * Errors are HttpError values whose messages never contain credentials.
 */
export class HttpClient {
  readonly baseUrl: string;
  readonly policy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly options: HttpClientOptions;
  private readonly agents: { http: http.Agent; https: https.Agent };

  constructor(options: HttpClientOptions) {
    this.options = options;
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    // keepAliveMsecs as axios sets it on every request's socket: equal values spare two
    // socket system calls per request.
    const agentOptions = { keepAlive: true, keepAliveMsecs: 60_000, maxSockets: options.maxSockets ?? 16 };
    this.agents = {
      http: new http.Agent(agentOptions),
      https: new https.Agent({ ...agentOptions, rejectUnauthorized: options.verifyTls !== false, ca: options.ca }),
    };
    const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    for (const agent of [this.agents.http, this.agents.https]) watchConnects(agent, connectTimeoutMs);
    this.timeoutMs = options.timeoutMs ?? 60_000;
  }

  /** Sends a request with the retry policy; resolves with parsed JSON (or text if `raw`). */
  async request<T = unknown>(req: HttpRequest): Promise<HttpResponse<T>> {
    let attempt = 0;
    let throttled = 0;
    let failures = 0;
    let reauthenticated = false;
    for (;;) {
      attempt++;
      let outcome: Outcome<T>;
      try {
        outcome = await this.once<T>(req);
      } catch (err) {
        // Caller's abort: stop at once, no retry.
        if (req.signal?.aborted) throw new HttpError(`${req.method} ${describePath(req.path)} aborted`, { kind: 'aborted' });
        throw err;
      }
      if (outcome.ok) return outcome.response;
      const error = outcome.error;
      if (error.status === 401 && this.options.auth && !req.noAuth && !reauthenticated) {
        reauthenticated = true;
        await this.options.auth.refresh(this, req.signal);
        continue;
      }
      let delayMs: number;
      if (error.status === 429) {
        throttled++;
        if (throttled >= this.policy.throttleAttempts) throw error;
        const retryAfter = parseRetryAfter(error.retryAfter);
        delayMs = retryAfter !== undefined
          ? Math.min(retryAfter, this.policy.maxRetryAfterMs)
          : backoffDelay(this.policy.throttleBaseMs, throttled - 1, this.policy.maxDelayMs);
      } else if (error.retryable) {
        failures++;
        if (failures > this.policy.retries) throw error;
        delayMs = backoffDelay(this.policy.baseDelayMs, failures - 1, this.policy.maxDelayMs);
      } else {
        throw error;
      }
      this.options.onRetry?.({ attempt, delayMs, reason: error.message });
      await sleep(delayMs, req.signal);
      if (req.signal?.aborted) throw new HttpError(`${req.method} ${describePath(req.path)} aborted`, { kind: 'aborted' });
    }
  }

  /** Frees sockets. The client must not be used afterwards. */
  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private async once<T>(req: HttpRequest): Promise<Outcome<T>> {
    const headers: Record<string, string> = { Accept: 'application/json', ...req.headers };
    if (this.options.userAgent) headers['User-Agent'] = this.options.userAgent;
    if (this.options.auth && !req.noAuth) Object.assign(headers, await this.options.auth.headers(this, req.signal));
    let data: string | Buffer | undefined;
    if (req.body !== undefined) {
      if (typeof req.body === 'string' || Buffer.isBuffer(req.body)) {
        data = req.body;
      } else {
        data = JSON.stringify(req.body);
        headers['Content-Type'] ??= 'application/json';
      }
    }
    let res: AxiosResponse<Readable>;
    let text: string;
    try {
      // The config is complete here: the adapter reads nothing from axios' defaults.
      res = await sendWithAxios({
        method: req.method.toLowerCase(),
        url: /^https?:\/\//.test(req.path) ? req.path : this.baseUrl + (req.path.startsWith('/') ? '' : '/') + req.path,
        params: req.query,
        data,
        headers: new AxiosHeaders(headers),
        signal: req.signal,
        timeout: this.timeoutMs,
        httpAgent: this.agents.http,
        httpsAgent: this.agents.https,
        // The body as a stream, decoded as it arrives (body.ts says why).
        responseType: 'stream',
        // Redirects and proxies are not followed: node's own http.request, no follow-redirects.
        maxRedirects: 0,
        proxy: false,
      }) as AxiosResponse<Readable>;
      text = await readBodyText(res.data, this.timeoutMs);
    } catch (err) {
      if (req.signal?.aborted) throw err;
      const e = err as { code?: string; message?: string };
      return { ok: false, error: HttpError.fromNetwork(describe(req), { code: e.code, message: e.message && scrub(e.message, headerSecrets(headers)) }) };
    }
    const responseHeaders = flattenHeaders(res.headers);
    if (res.status < 200 || res.status >= 300) {
      // A server may echo the request headers: the error (message, excerpt and body) never carries their credentials.
      return { ok: false, error: HttpError.fromStatus(describe(req), res.status, scrub(text, headerSecrets(headers)), responseHeaders['retry-after']) };
    }
    if (req.raw) return { ok: true, response: { status: res.status, headers: responseHeaders, data: text as T } };
    if (text === '') {
      return { ok: true, response: { status: res.status, headers: responseHeaders, data: undefined as T } };
    }
    try {
      return { ok: true, response: { status: res.status, headers: responseHeaders, data: JSON.parse(text) as T } };
    } catch {
      return { ok: false, error: new HttpError(`${describe(req)} returned a body that is not valid JSON`, { kind: 'bad-json', status: res.status, retryable: true }) };
    }
  }
}

/**
 * axios' Node http adapter, called directly. axios.request() would first merge the
 * config with the defaults, run the interceptor chain, the request and response
 * transforms and header normalisation: about a third of the CPU axios spends on a
 * small POST on the 2-core CI machine (≈235 → ≈155 µs; bench/mozdef.ts sends one
 * per event), for nothing HttpClient uses. It has no
 * interceptors, sends bodies it serialised itself (strings as they are: axios would
 * re-encode a string that is not JSON when the Content-Type says JSON), and handles
 * every status and body itself (without validateStatus, the adapter never rejects on
 * status). getAdapter is how axios' custom adapters reach it.
 */
const sendWithAxios = axios.getAdapter('http');

type Outcome<T> = { ok: true; response: HttpResponse<T> } | { ok: false; error: HttpError };

/** "METHOD /path" for messages; built only when something failed. */
function describe(req: HttpRequest): string {
  return `${req.method} ${describePath(req.path)}`;
}

/** The path without its query string: query parameters may carry tokens. */
function describePath(path: string): string {
  try {
    return /^https?:\/\//.test(path) ? new URL(path).pathname : path.split('?')[0];
  } catch {
    return '(invalid URL)';
  }
}

function flattenHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((headers ?? {}) as Record<string, unknown>)) {
    if (v !== undefined && v !== null) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}

/** Fails a socket that has not connected within `ms`, so a black-holed host fails fast. */
function watchConnects(agent: http.Agent, ms: number): void {
  const create = (agent as unknown as { createConnection: (...args: unknown[]) => import('node:net').Socket }).createConnection;
  (agent as unknown as { createConnection: (...args: unknown[]) => import('node:net').Socket }).createConnection = function (...args: unknown[]) {
    const socket = create.apply(this, args);
    const timer = setTimeout(() => socket.destroy(Object.assign(new Error(`connect timed out after ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
    timer.unref();
    socket.once('connect', () => clearTimeout(timer));
    socket.once('secureConnect', () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
    return socket;
  };
}
