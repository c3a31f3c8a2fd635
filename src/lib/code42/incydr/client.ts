import { HttpError, type HttpClient } from '../../http';
import { apiHttpClient, cachedUntilFailure, expectObject, type ApiClientOptions } from '../api-http';
import type { AlertDetailsPage, AlertPage } from '../types';
import { IncydrAuth, type IncydrCredentials } from './auth';
import type { AuditLogPage, SessionPage, V2FileEventPage } from './types';

export interface IncydrClientOptions extends ApiClientOptions {
  /** API base URL, e.g. https://api.us.code42.com (see regions.ts). */
  url: string;
  credentials: IncydrCredentials;
}

/**
 * The Incydr API over the shared HttpClient (OAuth on /v1/oauth, S-c retries):
 * tenant lookup, v2 file-event search, alert query and details, sessions, audit log.
 * Knows endpoints and envelopes, not cursors.
 */
export class IncydrClient {
  readonly http: HttpClient;
  readonly auth: IncydrAuth;

  constructor(options: IncydrClientOptions) {
    this.auth = new IncydrAuth(options.credentials);
    this.http = apiHttpClient(options, this.auth);
  }

  /** The tenant id: `GET /v1/customer` → tenantId, fetched once per client. */
  tenantId(signal?: AbortSignal): Promise<string> {
    return this.tenant(signal);
  }

  private readonly tenant = cachedUntilFailure((signal) => this.http.request<unknown>({ method: 'GET', path: '/v1/customer', signal }).then((res) => {
    const id = (res.data as { tenantId?: unknown } | undefined)?.tenantId;
    if (typeof id === 'string' && id !== '') return id;
    const claim = this.auth.claims()?.tenantUid;
    if (typeof claim === 'string' && claim !== '') return claim;
    throw new Error('GET /v1/customer returned no tenantId');
  }));

  /**
   * `POST /v2/file-events`. A 400/500 whose body carries `problems` (the API uses the
   * search reply's shape for them) is returned as a reply, so the caller can tell
   * INVALID_PAGE_TOKEN from other problems; anything else is thrown.
   */
  async searchFileEvents(body: unknown, signal?: AbortSignal): Promise<V2FileEventPage & { status: number }> {
    try {
      const res = await this.http.request<unknown>({ method: 'POST', path: '/v2/file-events', body, signal });
      return { ...(expectObject(res.data, 'file-event search', 'Incydr') as unknown as V2FileEventPage), status: res.status };
    } catch (err) {
      if (err instanceof HttpError && (err.status === 400 || err.status === 500) && err.body) {
        const parsed = tryJson(err.body) as V2FileEventPage | undefined;
        if (parsed && Array.isArray(parsed.problems) && parsed.problems.length > 0) return { ...parsed, status: err.status };
        // py42 saw the bad-token error as text only: keep it recognisable as a problem.
        if (err.status === 400 && /INVALID_PAGE_TOKEN/.test(err.body)) return { fileEvents: null, problems: [{ type: 'INVALID_PAGE_TOKEN', description: 'invalid page token' }], status: 400 };
      }
      throw err;
    }
  }

  async queryAlerts(body: unknown, signal?: AbortSignal): Promise<AlertPage> {
    const res = await this.http.request<unknown>({ method: 'POST', path: '/v1/alerts/query-alerts', body, signal });
    return expectObject(res.data, 'alert query', 'Incydr') as unknown as AlertPage;
  }

  async alertDetails(tenantId: string, alertIds: string[], signal?: AbortSignal): Promise<AlertDetailsPage> {
    if (alertIds.length > 100) throw new Error(`alert details take at most 100 ids per request, got ${alertIds.length}`);
    const res = await this.http.request<unknown>({ method: 'POST', path: '/v1/alerts/query-details', body: { tenantId, alertIds }, signal });
    return expectObject(res.data, 'alert details', 'Incydr') as unknown as AlertDetailsPage;
  }

  /** `GET /v1/sessions` with the given parameters (repeated keys for lists). */
  async sessions(params: URLSearchParams, signal?: AbortSignal): Promise<SessionPage> {
    const res = await this.http.request<unknown>({ method: 'GET', path: `/v1/sessions?${params.toString()}`, signal });
    return expectObject(res.data, 'session query', 'Incydr') as unknown as SessionPage;
  }

  /** `POST /v1/audit/search-audit-log` (body as the SDK sends it). */
  async searchAuditLog(body: unknown, signal?: AbortSignal): Promise<AuditLogPage> {
    const res = await this.http.request<unknown>({ method: 'POST', path: '/v1/audit/search-audit-log', body, signal });
    return expectObject(res.data, 'audit-log search', 'Incydr') as AuditLogPage;
  }

  close(): void {
    this.http.close();
  }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
