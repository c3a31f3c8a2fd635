// Sends the requests of one notification to one target, in order (S6): a 429
// waits Retry-After / retry_after and resends without spending a retry (after 3
// waits, or a wait over 60 s, it fails "rate limited"); network errors and 5xx
// are retried `retry=N` times with exponential backoff and jitter from `wait=`;
// any other failure is reported at once. Error texts are scrubbed of secrets.
import { backoffDelay } from '../http';
import { sleep } from '../util/sleep';
import { scrub } from './mask';
import { DeliveryError, type Transport } from './transports/types';
import type { CommonOptions } from './types';

export const MAX_THROTTLE_WAITS = 3;
export const MAX_THROTTLE_WAIT_MS = 60_000;
/** Floor for a 429 that names no wait (discord.js reports 0 + its offset). */
const MIN_THROTTLE_WAIT_MS = 250;

export interface Delivery {
  ok: boolean;
  status?: number;
  attempts: number;
  error?: string;
}

export interface DeliverOptions {
  common: CommonOptions;
  secrets: readonly string[];
  signal: AbortSignal;
  /** Called on a 429 so the target's bucket pauses too. */
  onThrottle?: (ms: number) => void;
}

export async function deliver<R>(transport: Transport<R>, requests: readonly R[], opts: DeliverOptions): Promise<Delivery> {
  let attempts = 0;
  let status: number | undefined;
  for (const request of requests) {
    let throttles = 0;
    let failures = 0;
    for (;;) {
      if (opts.signal.aborted) return { ok: false, status, attempts, error: 'notifier closed' };
      try {
        const res = await transport.send(request);
        attempts += transport.takeAttempts?.() ?? 1;
        status = res.status;
        break;
      } catch (err) {
        attempts += transport.takeAttempts?.() ?? 1;
        const e = err instanceof DeliveryError ? err : new DeliveryError(String((err as Error)?.message ?? err), 'retry');
        status = e.status;
        if (e.kind === 'throttle') {
          throttles++;
          const wait = Math.max(e.retryAfterMs ?? 0, MIN_THROTTLE_WAIT_MS);
          if (throttles > MAX_THROTTLE_WAITS || wait > MAX_THROTTLE_WAIT_MS) {
            return { ok: false, status: 429, attempts, error: scrub(`rate limited${wait > MAX_THROTTLE_WAIT_MS ? ` (asked to wait ${Math.round(wait / 1000)} s)` : ''}`, opts.secrets) };
          }
          opts.onThrottle?.(wait);
          await sleep(wait, opts.signal);
          continue;
        }
        if (e.kind === 'retry' && failures < opts.common.retry) {
          failures++;
          await sleep(backoffDelay(Math.max(opts.common.waitMs, 1), failures - 1, 30_000), opts.signal);
          continue;
        }
        return { ok: false, status, attempts, error: scrub(e.message, opts.secrets) };
      }
    }
  }
  return { ok: true, status, attempts };
}
