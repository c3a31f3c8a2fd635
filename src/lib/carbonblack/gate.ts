// One gate per tenant shared by every concurrent request: spaces requests to
// a configured rate, and pauses everyone while the API asks us to back off (429).
import { sleep } from '../util/sleep';

export class RequestGate {
  private next = 0;
  private pausedUntil = 0;
  private readonly intervalMs: number;

  /** @param ratePerSecond requests per second; 0 = no limit. */
  constructor(ratePerSecond = 0) {
    this.intervalMs = ratePerSecond > 0 ? 1000 / ratePerSecond : 0;
  }

  /** Waits for a slot. Slots are handed out in call order. */
  async acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = Date.now();
      const at = Math.max(now, this.next, this.pausedUntil);
      if (at <= now) {
        this.next = now + this.intervalMs;
        return;
      }
      if (this.intervalMs > 0 && at === this.next) {
        // Reserve this slot before sleeping so that concurrent callers queue behind it.
        this.next = at + this.intervalMs;
        await sleep(at - now, signal);
        if (Date.now() >= this.pausedUntil || signal?.aborted) return;
        continue;
      }
      await sleep(at - now, signal);
      if (signal?.aborted) return;
    }
  }

  /** Holds every caller back for `ms` (a 429's Retry-After). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }
}
