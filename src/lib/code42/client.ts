import { HttpClient, type HttpClientOptions, type RetryPolicy, DEFAULT_RETRY_POLICY } from '../http';
import { Code42V1Auth, unwrap, type Code42Credentials } from './auth';
import type { AlertDetailsPage, AlertPage, FileEventPage } from './types';

export interface Code42ClientOptions {
  url: string;
  credentials: Code42Credentials;
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

/**
 * The Code42 v1 API over the shared HttpClient: auth, tenant lookup, file-event
 * search, alert query and details. Knows endpoints and envelopes, not cursors.
 */
export class Code42Client {
  readonly http: HttpClient;
  private tenant?: Promise<string>;

  constructor(options: Code42ClientOptions) {
    if (!/^https?:\/\/[^/]/i.test(options.url)) throw new Error(`url must be an http(s) URL, got ${JSON.stringify(options.url)}`);
    this.http = new HttpClient({
      baseUrl: options.url,
      timeoutMs: options.timeoutMs,
      connectTimeoutMs: options.connectTimeoutMs,
      verifyTls: options.verifyTls,
      ca: options.ca,
      retry: retryPolicy(options.retryScale ?? 1),
      auth: new Code42V1Auth(options.credentials),
      onRetry: options.onRetry,
      userAgent: 'node-red-contrib-secflow',
    });
  }

  /** The tenant id (`GET /api/v3/customer/my` → tenantUid), fetched once. */
  tenantId(signal?: AbortSignal): Promise<string> {
    this.tenant ??= this.http.request<unknown>({ method: 'GET', path: '/api/v3/customer/my', signal }).then((res) => {
      const uid = unwrap(res.data).tenantUid;
      if (typeof uid !== 'string' || uid === '') throw new Error('GET /api/v3/customer/my returned no tenantUid');
      return uid;
    });
    this.tenant.catch(() => {
      this.tenant = undefined;
    });
    return this.tenant;
  }

  async searchFileEvents(body: unknown, signal?: AbortSignal): Promise<FileEventPage> {
    const res = await this.http.request<FileEventPage>({ method: 'POST', path: '/forensic-search/queryservice/api/v1/fileevent', body, signal });
    return expectObject(res.data, 'file-event search') as unknown as FileEventPage;
  }

  async queryAlerts(body: unknown, signal?: AbortSignal): Promise<AlertPage> {
    const res = await this.http.request<unknown>({ method: 'POST', path: '/svc/api/v1/query-alerts', body, signal });
    return unwrap(expectObject(res.data, 'alert query')) as unknown as AlertPage;
  }

  async alertDetails(tenantId: string, alertIds: string[], signal?: AbortSignal): Promise<AlertDetailsPage> {
    if (alertIds.length > 100) throw new Error(`alert details take at most 100 ids per request, got ${alertIds.length}`);
    const res = await this.http.request<unknown>({ method: 'POST', path: '/svc/api/v1/query-details', body: { tenantId, alertIds }, signal });
    return unwrap(expectObject(res.data, 'alert details')) as unknown as AlertDetailsPage;
  }

  close(): void {
    this.http.close();
  }
}

function expectObject(data: unknown, what: string): Record<string, unknown> {
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error(`Code42 ${what} returned ${data === undefined ? 'an empty body' : 'a body that is not a JSON object'}`);
  return data as Record<string, unknown>;
}
