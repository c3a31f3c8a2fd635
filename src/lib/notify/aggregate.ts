// Aggregation (S9), the sudo / syslog-ng alerting pattern: lines are buffered by
// key and sent as one digest when a closing line arrives, the timeout (from the
// first line) passes, the line limit is reached, msg.flush asks, or on shutdown.
// A close with nothing buffered sends nothing.
import { mostSevere } from './results';
import { linearRegex, type LinearRegex } from '../util/linear-regex';
import type { TagSelector } from './tags';
import type { NotifyFormat, NotifyType } from './types';

export type FlushReason = 'close' | 'timeout' | 'maxLines' | 'manual' | 'shutdown';

export interface AggregateLine {
  title: string;
  body: string;
  type: NotifyType;
  format: NotifyFormat;
  tags: TagSelector;
}

export interface Digest {
  key: string;
  title: string;
  body: string;
  type: NotifyType;
  format: NotifyFormat;
  tags: TagSelector;
  lines: number;
  reason: FlushReason;
}

export interface AggregatorOptions {
  timeoutMs: number;
  maxLines: number;
  /** Text contained in the body, or a pattern tested on it (compile user text with parseCloseWhen: linear time). */
  closeWhen?: string | Pick<LinearRegex, 'test'>;
  /** Digests flushed by the timer. */
  onTimeout: (digest: Digest) => void;
}

interface Buffer {
  lines: string[];
  first: AggregateLine;
  type: NotifyType;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * `/regex/flags` → a pattern on the linear-time engine (RE2 syntax, flags i, m, s:
 * it runs on event text); other text is matched as a substring. Throws on a bad regex.
 */
export function parseCloseWhen(text: string): string | LinearRegex | undefined {
  const t = text.trim();
  if (!t) return undefined;
  const m = /^\/(.+)\/([a-z]*)$/s.exec(t);
  if (!m) return t;
  try {
    return linearRegex(m[1], m[2]);
  } catch (err) {
    throw new Error(`closeWhen is not a valid regular expression: ${(err as Error).message}`, { cause: err });
  }
}

export class Aggregator {
  private readonly buffers = new Map<string, Buffer>();

  constructor(private readonly options: AggregatorOptions) {}

  isClose(body: string): boolean {
    const c = this.options.closeWhen;
    if (c === undefined) return false;
    if (typeof c === 'string') return body.includes(c);
    return c.test(body);
  }

  /** Adds a line; returns the digest when this line completes one. */
  add(key: string, line: AggregateLine, flush = false): Digest | undefined {
    const closing = this.isClose(line.body);
    let buffer = this.buffers.get(key);
    if (!buffer && (closing || (flush && !line.body))) return undefined;
    if (!buffer) {
      buffer = { lines: [], first: line, type: line.type, timer: setTimeout(() => this.expire(key), this.options.timeoutMs) };
      this.buffers.set(key, buffer);
    }
    if (line.body) buffer.lines.push(line.body);
    buffer.type = mostSevere(buffer.type, line.type);
    if (closing) return this.flush(key, 'close');
    if (flush) return this.flush(key, 'manual');
    if (buffer.lines.length >= this.options.maxLines) return this.flush(key, 'maxLines');
    return undefined;
  }

  has(key: string): boolean {
    return this.buffers.has(key);
  }

  get size(): number {
    return this.buffers.size;
  }

  flush(key: string, reason: FlushReason): Digest | undefined {
    const buffer = this.buffers.get(key);
    if (!buffer) return undefined;
    clearTimeout(buffer.timer);
    this.buffers.delete(key);
    const n = buffer.lines.length;
    return {
      key, reason, lines: n,
      title: `${buffer.first.title || key} (${n} line${n === 1 ? '' : 's'})`,
      body: buffer.lines.join('\n'),
      type: buffer.type, format: buffer.first.format, tags: buffer.first.tags,
    };
  }

  private expire(key: string): void {
    const digest = this.flush(key, 'timeout');
    if (digest) this.options.onTimeout(digest);
  }

  /** Flushes every buffer (node close); the caller sends the digests. */
  flushAll(reason: FlushReason = 'shutdown'): Digest[] {
    return [...this.buffers.keys()].map((k) => this.flush(k, reason)!).filter(Boolean);
  }
}
