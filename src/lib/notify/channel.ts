// One target's delivery lane (S10): a token bucket, a bounded queue of pending
// notifications sent in order, and suppression. When the queue is full, further
// notifications are counted (not queued); once the queue drains one
// "N more suppressed" notification follows with the most severe suppressed type,
// the first/last time and up to 5 titles. Queues are never unbounded.
import { sleep } from '../util/sleep';
import { TokenBucket } from './bucket';
import { deliver } from './deliver';
import { prepareParts } from './prepare';
import { mostSevere, type TargetResult } from './results';
import type { Target } from './target';
import type { Transport } from './transports/types';
import type { BuildContext, Notification, RateSettings } from './types';

interface Pending {
  n: Notification;
  resolve: (r: TargetResult) => void;
}

interface Suppressed {
  count: number;
  type: Notification['type'];
  first: number;
  last: number;
  titles: string[];
}

export interface ChannelOptions {
  queueMax: number;
  rate: RateSettings | null;
  ctx: BuildContext;
  transport: () => Transport<unknown>;
  /** Result of a "N more suppressed" notification (it belongs to no input message). */
  onSummary?: (result: TargetResult, summary: Notification) => void;
  now?: () => number;
}

export function suppressionSummary(s: Suppressed): Notification {
  const iso = (ms: number) => new Date(ms).toISOString();
  const lines = [`${s.count} more notification${s.count === 1 ? ' was' : 's were'} suppressed by throttling between ${iso(s.first)} and ${iso(s.last)}.`];
  const titles = s.titles.filter(Boolean);
  if (titles.length) lines.push('', 'Titles:', ...titles.map((t) => `- ${t}`));
  if (s.count > titles.length && titles.length) lines.push(`- … and ${s.count - titles.length} more`);
  return { title: `${s.count} more suppressed`, body: lines.join('\n'), type: s.type, format: 'text' };
}

/** Why this target cannot take the notification's files, if it cannot. */
export function attachmentProblem(target: Target, n: Notification): string | undefined {
  const files = n.attachments ?? [];
  if (!files.length) return undefined;
  const support = target.def.attachments?.(target.config) ?? { refused: `${target.service} does not take attachments` };
  if ('refused' in support) return `attachments refused: ${support.refused}`;
  if (files.length > support.maxCount) return `attachments refused: ${target.service} takes at most ${support.maxCount} file${support.maxCount === 1 ? '' : 's'} per message (got ${files.length})`;
  const total = files.reduce((sum, f) => sum + f.data.length, 0);
  const big = files.find((f) => f.data.length > support.maxBytes);
  if (big) return `attachments refused: ${big.name} is ${big.data.length} bytes, over ${target.service}'s limit of ${support.maxBytes} bytes`;
  if (total > support.maxBytes) return `attachments refused: ${total} bytes in all, over ${target.service}'s limit of ${support.maxBytes} bytes`;
  return undefined;
}

export class TargetChannel {
  private readonly queue: Pending[] = [];
  private readonly bucket?: TokenBucket;
  private transport?: Transport<unknown>;
  private running = false;
  private suppressed?: Suppressed;
  private readonly abort = new AbortController();
  private readonly now: () => number;

  constructor(readonly target: Target, private readonly options: ChannelOptions) {
    this.now = options.now ?? Date.now;
    if (options.rate) this.bucket = new TokenBucket(options.rate.capacity, options.rate.perMs, this.now);
  }

  private result(partial: Partial<TargetResult>): TargetResult {
    return { target: this.target.masked, service: this.target.service, tags: this.target.tags, ok: false, attempts: 0, parts: 0, ...partial };
  }

  submit(n: Notification): Promise<TargetResult> {
    if (this.abort.signal.aborted) return Promise.resolve(this.result({ error: 'notifier closed' }));
    if (this.queue.length >= this.options.queueMax) {
      const now = this.now();
      const s = this.suppressed ??= { count: 0, type: n.type, first: now, last: now, titles: [] };
      s.count++;
      s.type = mostSevere(s.type, n.type);
      s.last = now;
      if (s.titles.length < 5) s.titles.push(n.title);
      return Promise.resolve(this.result({ ok: true, suppressed: true }));
    }
    return new Promise((resolve) => {
      this.queue.push({ n, resolve });
      void this.pump();
    });
  }

  /** True while a notification is being sent or waits. */
  get busy(): boolean {
    return this.running || this.queue.length > 0;
  }

  /** Notifications waiting (not counting the one being sent). */
  get pending(): number {
    return this.queue.length;
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length && !this.abort.signal.aborted) {
        await this.takeToken();
        // close() may have emptied the queue (and failed its items) while we waited.
        const item = this.queue.shift();
        if (!item) break;
        item.resolve(await this.send(item.n));
        if (!this.queue.length && this.suppressed) {
          const summary = suppressionSummary(this.suppressed);
          this.suppressed = undefined;
          this.queue.push({ n: summary, resolve: (r) => this.options.onSummary?.(r, summary) });
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async takeToken(): Promise<void> {
    if (!this.bucket) return;
    for (;;) {
      const wait = this.bucket.tryTake();
      if (wait === 0 || this.abort.signal.aborted) return;
      await sleep(wait, this.abort.signal);
    }
  }

  private async send(n: Notification): Promise<TargetResult> {
    let requests: unknown[];
    let parts: number;
    const refused = attachmentProblem(this.target, n);
    if (refused) return this.result({ error: refused });
    try {
      const pieces = prepareParts(this.target, n);
      parts = pieces.length;
      requests = pieces.flatMap((p) => this.target.def.build(this.target.config, p, this.options.ctx));
    } catch (err) {
      return this.result({ error: `could not build the request: ${(err as Error).message}` });
    }
    this.transport ??= this.options.transport();
    const d = await deliver(this.transport, requests, {
      common: this.target.common,
      secrets: this.target.secrets,
      signal: this.abort.signal,
      onThrottle: (ms) => this.bucket?.pause(ms),
    });
    return this.result({ ok: d.ok, status: d.status, attempts: d.attempts, parts, ...(d.error ? { error: d.error } : {}) });
  }

  /** Fails what is queued, stops waits and frees the transport; in-flight sends end as "notifier closed". */
  close(): void {
    this.abort.abort();
    for (const item of this.queue.splice(0)) item.resolve(this.result({ error: 'notifier closed' }));
    this.suppressed = undefined;
    this.transport?.close();
    this.transport = undefined;
  }
}
