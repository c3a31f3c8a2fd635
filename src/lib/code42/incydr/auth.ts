import { HttpClient, HttpError } from '../../http';
import { CachedTokenAuth, jwtClaims, type IssuedToken } from '../token-auth';

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
export class IncydrAuth extends CachedTokenAuth {
  /** Token requests made (for status and tests). */
  fetches = 0;

  constructor(private readonly credentials: IncydrCredentials, now: () => number = Date.now) {
    super(now);
  }

  /** The token's claims (tenantUid among them), if it is a readable JWT. */
  claims(): Record<string, unknown> | undefined {
    return this.token ? jwtClaims(this.token) : undefined;
  }

  protected async fetchToken(client: HttpClient, signal?: AbortSignal): Promise<IssuedToken> {
    const { clientId, secret } = this.credentials;
    // Empty credentials are sent as they are, as with v1: the server decides (the demo
    // sandbox accepts any), and a rejection says that they were empty.
    const basic = `Basic ${Buffer.from(`${clientId}:${secret}`, 'utf8').toString('base64')}`;
    this.fetches++;
    let data: Record<string, unknown>;
    try {
      const res = await client.request<unknown>({ method: 'POST', path: '/v1/oauth', query: { grant_type: 'client_credentials' }, headers: { Authorization: basic }, noAuth: true, signal });
      data = (res.data && typeof res.data === 'object' ? res.data : {}) as Record<string, unknown>;
    } catch (err) {
      if (err instanceof HttpError && (err.status === 400 || err.status === 401 || err.status === 403)) {
        const why = !clientId || !secret ? 'the config node has no client id or secret' : 'expired or wrong secret?';
        throw new HttpError(`Incydr authentication failed (HTTP ${err.status}): the API client id or secret was rejected (${why})`, { kind: 'auth', status: err.status });
      }
      throw err;
    }
    const token = data.access_token;
    if (typeof token !== 'string' || token === '') throw new HttpError('Incydr authentication returned no access_token', { kind: 'auth' });
    const expiresIn = Number(data.expires_in);
    return { token, ttlMs: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : DEFAULT_TTL_MS };
  }
}
