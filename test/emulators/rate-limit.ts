// The sliding-minute request limit of the Code42 emulators (v1 and Incydr): at most
// `limit` requests in any 60 s of the emulator clock, then 429 with Retry-After.
import type { EmuClock, EmuResponse } from './framework';

export class MinuteRateLimit {
  /** Clock times of the requests let through within the last minute, oldest first. */
  private readonly window: number[] = [];

  constructor(private readonly clock: EmuClock) {}

  /** Counts a request: undefined if it may pass (or there is no limit), else the 429 reply. */
  check(limit: number | undefined): EmuResponse | undefined {
    if (!limit) return undefined;
    const now = this.clock.now();
    while (this.window.length && this.window[0] <= now - 60_000) this.window.shift();
    if (this.window.length >= limit) {
      const wait = Math.max(1, Math.ceil((this.window[0] + 60_000 - now) / 1000));
      return { status: 429, headers: { 'Retry-After': String(wait) }, body: { error: 'rate limit exceeded' } };
    }
    this.window.push(now);
    return undefined;
  }
}
