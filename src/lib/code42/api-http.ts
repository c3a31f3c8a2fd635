// What both Code42 API clients (v1 and Incydr) build the same way: the shared
// HttpClient with S-c retries, the tenant lookup cached until it fails, and the
// check that a reply is a JSON object.
import { HttpClient, type AuthProvider, type HttpClientOptions, type RetryPolicy, DEFAULT_RETRY_POLICY } from '../http';

export interface ApiClientOptions {
  url: string;
  verifyTls?: boolean;
  ca?: string | Buffer;
  /** Whole-request timeout in ms (default 60 s). */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  /** Multiplies every retry delay (tests use e.g. 0.001); default 1. */
  retryScale?: number;
  onRetry?: HttpClientOptions['onRetry'];
}

/** S-c's retry numbers, every delay multiplied by `scale`. */
export function retryPolicy(scale = 1): RetryPolicy {
  const p = DEFAULT_RETRY_POLICY;
  return { ...p, baseDelayMs: p.baseDelayMs * scale, maxDelayMs: p.maxDelayMs * scale, throttleBaseMs: p.throttleBaseMs * scale, maxRetryAfterMs: p.maxRetryAfterMs * scale };
}

/** The HttpClient of a Code42 API client; throws if `url` is not an http(s) URL. */
export function apiHttpClient(options: ApiClientOptions, auth: AuthProvider): HttpClient {
  if (!/^https?:\/\/[^/]/i.test(options.url)) throw new Error(`url must be an http(s) URL, got ${JSON.stringify(options.url)}`);
  return new HttpClient({
    baseUrl: options.url,
    timeoutMs: options.timeoutMs,
    connectTimeoutMs: options.connectTimeoutMs,
    verifyTls: options.verifyTls,
    ca: options.ca,
    retry: retryPolicy(options.retryScale ?? 1),
    auth,
    onRetry: options.onRetry,
    userAgent: 'node-red-contrib-secflow',
  });
}

/**
 * `lookup` made once and its answer kept; a failed lookup is forgotten, so that the
 * next call asks again. (The first caller's signal is the one the lookup uses.)
 */
export function cachedUntilFailure<T>(lookup: (signal?: AbortSignal) => Promise<T>): (signal?: AbortSignal) => Promise<T> {
  let cached: Promise<T> | undefined;
  return (signal) => {
    cached ??= lookup(signal);
    cached.catch(() => {
      cached = undefined;
    });
    return cached;
  };
}

/** The reply body as an object; throws `<api> <what> returned …` otherwise. */
export function expectObject(data: unknown, what: string, api: 'Code42' | 'Incydr'): Record<string, unknown> {
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error(`${api} ${what} returned ${data === undefined ? 'an empty body' : 'a body that is not a JSON object'}`);
  return data as Record<string, unknown>;
}
