import { HttpClient, HttpError, type AuthProvider } from '../../http';
import { RENEW_BEFORE_MS } from '../auth';

/** The API's token lifetime when the reply does not say (15 min). */
const DEFAULT_TTL_MS = 15 * 60_000;

export interface IncydrCredentials {
  clientId: string;
  secret: string;
}

/**
 * Incydr OAuth client credentials (contract incydr-v2 §1) as an HttpClient
 * AuthProvider: `POST /v1/oauth?grant_type=client_credentials` with Basic
 * `clientId:secret` and an empty body → a bearer JWT that lasts 15 minutes.
 * Renewed 60 s before it runs out (S-c), and once more when a request gets a 401
 * (HttpClient calls `refresh`). One token request at a time. Error messages never
 * contain the secret.
 */
export class IncydrAuth implements AuthProvider {
  private token?: string;
  private expiresAt = 0;
  private inflight?: Promise<void>;
  /** Token requests made (for status and tests). */
  fetches = 0;

  constructor(private readonly credentials: IncydrCredentials, private readonly now: () => number = Date.now) {}

  async headers(client: HttpClient, signal?: AbortSignal): Promise<Record<string, string>> {
    if (!this.token || this.now() >= this.expiresAt - RENEW_BEFORE_MS) await this.fetchOnce(client, signal);
    return { Authorization: `Bearer ${this.token}` };
  }

  async refresh(client: HttpClient, signal?: AbortSignal): Promise<void> {
    this.token = undefined;
    await this.fetchOnce(client, signal);
  }

  /** The token's claims (tenantUid among them), if it is a readable JWT. */
  claims(): Record<string, unknown> | undefined {
    if (!this.token) return undefined;
    try {
      return JSON.parse(Buffer.from(this.token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }

  private fetchOnce(client: HttpClient, signal?: AbortSignal): Promise<void> {
    this.inflight ??= this.fetch(client, signal).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetch(client: HttpClient, signal?: AbortSignal): Promise<void> {
    const { clientId, secret } = this.credentials;
    if (!clientId || !secret) throw new HttpError('Incydr authentication: the config node has no client id or secret (credentials)', { kind: 'auth' });
    const basic = `Basic ${Buffer.from(`${clientId}:${secret}`, 'utf8').toString('base64')}`;
    this.fetches++;
    let data: Record<string, unknown>;
    try {
      const res = await client.request<unknown>({ method: 'POST', path: '/v1/oauth', query: { grant_type: 'client_credentials' }, headers: { Authorization: basic }, noAuth: true, signal });
      data = (res.data && typeof res.data === 'object' ? res.data : {}) as Record<string, unknown>;
    } catch (err) {
      if (err instanceof HttpError && (err.status === 400 || err.status === 401 || err.status === 403)) {
        throw new HttpError(`Incydr authentication failed (HTTP ${err.status}): the API client id or secret was rejected (expired or wrong secret?)`, { kind: 'auth', status: err.status });
      }
      throw err;
    }
    const token = data.access_token;
    if (typeof token !== 'string' || token === '') throw new HttpError('Incydr authentication returned no access_token', { kind: 'auth' });
    const expiresIn = Number(data.expires_in);
    this.token = token;
    this.expiresAt = this.now() + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : DEFAULT_TTL_MS);
  }
}
