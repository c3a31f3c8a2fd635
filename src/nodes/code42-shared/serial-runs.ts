/**
 * One run at a time; triggers during a run merge into one follow-up run (S-a Runs).
 * Exclusive tasks (a cursor reset) queue behind whatever is running.
 */
export class SerialRuns<S> {
  private tail: Promise<unknown> = Promise.resolve();
  private queued?: Promise<S>;
  active = false;

  constructor(private readonly task: () => Promise<S>) {}

  trigger(): Promise<S> {
    if (this.queued) return this.queued;
    const p: Promise<S> = this.tail.catch(() => undefined).then(() => {
      if (this.queued === p) this.queued = undefined;
      return this.running(this.task);
    });
    this.queued = p;
    this.tail = p;
    return p;
  }

  exclusive<R>(fn: () => Promise<R>): Promise<R> {
    const p = this.tail.catch(() => undefined).then(() => this.running(fn));
    this.queued = undefined;
    this.tail = p;
    return p;
  }

  /** Resolves when everything queued so far has finished. */
  idle(): Promise<void> {
    return this.tail.then(() => undefined, () => undefined);
  }

  private async running<R>(fn: () => Promise<R>): Promise<R> {
    this.active = true;
    try {
      return await fn();
    } finally {
      this.active = false;
    }
  }
}
