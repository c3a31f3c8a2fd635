/** How HttpClient retries. Defaults follow the Code42 contract (S-c). */
export interface RetryPolicy {
  /** Retries after network errors, timeouts, 5xx and unparsable bodies. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Attempts in all when the server keeps answering 429. */
  throttleAttempts: number;
  /** Backoff base for a 429 without Retry-After. */
  throttleBaseMs: number;
  /** Longest Retry-After honoured. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 3,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  throttleAttempts: 5,
  throttleBaseMs: 5000,
  maxRetryAfterMs: 300_000,
};

/** base·2ⁿ with "equal jitter" (half fixed, half random), capped. */
export function backoffDelay(baseMs: number, n: number, capMs: number): number {
  const full = Math.min(capMs, baseMs * 2 ** n);
  return Math.round(full / 2 + Math.random() * (full / 2));
}

/** Retry-After as seconds or an HTTP date → ms; undefined if absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
