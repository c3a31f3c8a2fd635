import { HttpClient, HttpError } from '../http';
import { CachedTokenAuth, jwtClaims, type IssuedToken } from './token-auth';

export type Code42AuthType = 'apiClient' | 'localAccount';

export interface Code42Credentials {
  authType: Code42AuthType;
  /** API client id, or the local account's username. */
  id: string;
  secret: string;
  /** One-time code for a local account with two-factor auth. */
  totp?: string;
}

export { RENEW_BEFORE_MS } from './token-auth';
/** Lifetime assumed when the server does not say (a local-account JWT without `exp`). */
const DEFAULT_TTL_MS = 10 * 60_000;

/**
 * Code42 v1 auth (A1) as an HttpClient AuthProvider: OAuth client credentials
 * (`POST /api/v3/oauth/token`) or a local account (`GET /api/v3/auth/jwt`), both with
 * Basic auth. One token fetch at a time; renewed 60 s before expiry; HttpClient
 * calls `refresh` once on a 401. Error messages never contain the secret.
 */
export class Code42V1Auth extends CachedTokenAuth {
  constructor(private readonly credentials: Code42Credentials, now: () => number = Date.now) {
    super(now);
  }

  protected async fetchToken(client: HttpClient, signal?: AbortSignal): Promise<IssuedToken> {
    const basic = `Basic ${Buffer.from(`${this.credentials.id}:${this.credentials.secret}`, 'utf8').toString('base64')}`;
    const apiClient = this.credentials.authType === 'apiClient';
    let data: Record<string, unknown>;
    try {
      const res = apiClient
        ? await client.request<unknown>({ method: 'POST', path: '/api/v3/oauth/token', query: { grant_type: 'client_credentials' }, headers: { Authorization: basic }, noAuth: true, signal })
        : await client.request<unknown>({
          method: 'GET', path: '/api/v3/auth/jwt', query: { useBody: true }, noAuth: true, signal,
          headers: { Authorization: basic, ...(this.credentials.totp ? { 'totp-auth': this.credentials.totp } : {}) },
        });
      data = unwrap(res.data);
    } catch (err) {
      if (err instanceof HttpError && (err.status === 401 || err.status === 403)) {
        throw new HttpError(`Code42 authentication failed (HTTP ${err.status}): the ${apiClient ? 'API client id or secret' : 'username or password'} was rejected`, { kind: 'auth', status: err.status });
      }
      throw err;
    }
    const token = apiClient ? data.access_token : data.v3_user_token;
    if (typeof token !== 'string' || token === '') {
      throw new HttpError(`Code42 authentication returned no ${apiClient ? 'access_token' : 'v3_user_token'}`, { kind: 'auth' });
    }
    const expiresIn = Number(data.expires_in);
    const ttl = Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn * 1000 : jwtTtl(token) ?? DEFAULT_TTL_MS;
    return { token, ttlMs: ttl };
  }
}

/** A top-level `data` wrapper is unwrapped (A1). */
export function unwrap(body: unknown): Record<string, unknown> {
  if (body && typeof body === 'object' && 'data' in body && (body as { data: unknown }).data && typeof (body as { data: unknown }).data === 'object') {
    return (body as { data: Record<string, unknown> }).data;
  }
  return (body ?? {}) as Record<string, unknown>;
}

/** Time to live of a JWT from its `exp` claim, if readable. */
function jwtTtl(token: string): number | undefined {
  const exp = jwtClaims(token)?.exp;
  return typeof exp === 'number' ? exp * 1000 - Date.now() : undefined;
}
