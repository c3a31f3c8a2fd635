import type { HttpClient } from '../http';
import { apiHttpClient, cachedUntilFailure, expectObject, type ApiClientOptions } from './api-http';
import { Code42V1Auth, unwrap, type Code42Credentials } from './auth';
import type { AlertDetailsPage, AlertPage, FileEventPage } from './types';

export { retryPolicy } from './api-http';

export interface Code42ClientOptions extends ApiClientOptions {
  credentials: Code42Credentials;
}

/**
 * The Code42 v1 API over the shared HttpClient: auth, tenant lookup, file-event
 * search, alert query and details. Knows endpoints and envelopes, not cursors.
 */
export class Code42Client {
  readonly http: HttpClient;

  constructor(options: Code42ClientOptions) {
    this.http = apiHttpClient(options, new Code42V1Auth(options.credentials));
  }

  /** The tenant id (`GET /api/v3/customer/my` → tenantUid), fetched once. */
  tenantId(signal?: AbortSignal): Promise<string> {
    return this.tenant(signal);
  }

  private readonly tenant = cachedUntilFailure((signal) => this.http.request<unknown>({ method: 'GET', path: '/api/v3/customer/my', signal }).then((res) => {
    const uid = unwrap(res.data).tenantUid;
    if (typeof uid !== 'string' || uid === '') throw new Error('GET /api/v3/customer/my returned no tenantUid');
    return uid;
  }));

  async searchFileEvents(body: unknown, signal?: AbortSignal): Promise<FileEventPage> {
    const res = await this.http.request<FileEventPage>({ method: 'POST', path: '/forensic-search/queryservice/api/v1/fileevent', body, signal });
    return expectObject(res.data, 'file-event search', 'Code42') as unknown as FileEventPage;
  }

  async queryAlerts(body: unknown, signal?: AbortSignal): Promise<AlertPage> {
    const res = await this.http.request<unknown>({ method: 'POST', path: '/svc/api/v1/query-alerts', body, signal });
    return unwrap(expectObject(res.data, 'alert query', 'Code42')) as unknown as AlertPage;
  }

  async alertDetails(tenantId: string, alertIds: string[], signal?: AbortSignal): Promise<AlertDetailsPage> {
    if (alertIds.length > 100) throw new Error(`alert details take at most 100 ids per request, got ${alertIds.length}`);
    const res = await this.http.request<unknown>({ method: 'POST', path: '/svc/api/v1/query-details', body: { tenantId, alertIds }, signal });
    return unwrap(expectObject(res.data, 'alert details', 'Code42')) as unknown as AlertDetailsPage;
  }

  close(): void {
    this.http.close();
  }
}
