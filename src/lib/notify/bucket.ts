// A token bucket per target (S10) in its strict form: `capacity` tokens, each
// spent token returns `perMs` later. So no window of `perMs` ever holds more than
// `capacity` sends, which matches Discord's "5 per 2 s per webhook" whichever way
// the server aligns its window. pause() holds the bucket after a 429.

export class TokenBucket {
  private readonly spent: number[] = [];
  private pausedUntil = 0;

  constructor(readonly capacity: number, readonly perMs: number, private readonly now: () => number = Date.now) {}

  /** Takes a token now and returns 0, or returns how many ms to wait before asking again. */
  tryTake(): number {
    const now = this.now();
    if (now < this.pausedUntil) return this.pausedUntil - now;
    while (this.spent.length && this.spent[0] <= now - this.perMs) this.spent.shift();
    if (this.spent.length < this.capacity) {
      this.spent.push(now);
      return 0;
    }
    return Math.max(1, this.spent[0] + this.perMs - now);
  }

  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }
}
