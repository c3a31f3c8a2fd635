// The bearer-token upkeep both Code42 flavours share (v1 auth A1, Incydr OAuth):
// only how a token is fetched differs between them.
import type { AuthProvider, HttpClient } from '../http';

/** Tokens are renewed this long before they expire. */
export const RENEW_BEFORE_MS = 60_000;

/** A token as a subclass fetched it, with how long it lasts from now. */
export interface IssuedToken {
  token: string;
  ttlMs: number;
}

/**
 * An HttpClient AuthProvider that caches one bearer token: renewed RENEW_BEFORE_MS
 * before it runs out, dropped and fetched again when HttpClient calls `refresh` on a
 * 401, and fetched by one request at a time however many requests wait for it.
 */
export abstract class CachedTokenAuth implements AuthProvider {
  protected token?: string;
  private expiresAt = 0;
  private inflight?: Promise<void>;

  constructor(protected readonly now: () => number = Date.now) {}

  async headers(client: HttpClient, signal?: AbortSignal): Promise<Record<string, string>> {
    if (!this.token || this.now() >= this.expiresAt - RENEW_BEFORE_MS) await this.fetchOnce(client, signal);
    return { Authorization: `Bearer ${this.token}` };
  }

  async refresh(client: HttpClient, signal?: AbortSignal): Promise<void> {
    this.token = undefined;
    await this.fetchOnce(client, signal);
  }

  /** Asks the server for a token; errors must not contain the secret. */
  protected abstract fetchToken(client: HttpClient, signal?: AbortSignal): Promise<IssuedToken>;

  private fetchOnce(client: HttpClient, signal?: AbortSignal): Promise<void> {
    this.inflight ??= this.renew(client, signal).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async renew(client: HttpClient, signal?: AbortSignal): Promise<void> {
    const { token, ttlMs } = await this.fetchToken(client, signal);
    this.token = token;
    this.expiresAt = this.now() + ttlMs;
  }
}

/** The payload (claims) of a JWT, or undefined if it does not decode as JSON. */
export function jwtClaims(token: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
