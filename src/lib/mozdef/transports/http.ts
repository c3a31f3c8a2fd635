// HTTP transport: POST each event, as mozdef_client does, to {base}/events (or
// {base}/custom/vulnerability), with the byte-identical reference body.
import { HttpClient, HttpError, RetryPolicy } from '../../http';
import { MozDefError, TEXT } from '../errors';
import { httpBody } from '../format';
import type { QueueItem } from '../queue';
import type { Delivery, ItemTransport } from './types';

/** Largest event body: nginx's 4 MiB limit minus headroom (contract S4). */
export const MAX_EVENT_BYTES = 4 * 1024 * 1024 - 64 * 1024;

export interface HttpTransportOptions {
  url: string;
  verifyTls: boolean;
  ca?: string;
  timeoutMs: number;
  retry?: Partial<RetryPolicy>;
  maxSockets?: number;
  onRetry?: (reason: string) => void;
}

/** The loginput base URL: a URL ending in /events[/] is accepted and trimmed. */
export function baseUrlOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new MozDefError(`url must be an http(s) URL, got ${JSON.stringify(url)}`, 'EINPUT', { fields: ['url'] });
  }
  if (!/^https?:$/.test(parsed.protocol)) throw new MozDefError(`url must be an http(s) URL, got ${JSON.stringify(url)}`, 'EINPUT', { fields: ['url'] });
  return url.replace(/\/+$/, '').replace(/\/events$/, '');
}

export function endpointOf(item: QueueItem): string {
  return item.kind === 'vulnerability' ? '/custom/vulnerability' : '/events';
}

/** An HttpError as the reference's text, keeping whether it may be retried. */
export function postError(err: unknown): MozDefError {
  if (err instanceof HttpError) {
    if (err.kind === 'status' && err.status !== undefined) {
      return new MozDefError(TEXT.post(err.status, err.body ?? ''), 'EHTTP', { retryable: err.retryable, status: err.status });
    }
    return new MozDefError(err.message, 'EHTTP', { retryable: err.retryable || err.kind === 'timeout' });
  }
  return new MozDefError(err instanceof Error ? err.message : String(err), 'EHTTP', { retryable: true });
}

export class HttpTransport implements ItemTransport {
  readonly name = 'http';
  readonly client: HttpClient;

  constructor(options: HttpTransportOptions) {
    this.client = new HttpClient({
      baseUrl: baseUrlOf(options.url),
      timeoutMs: options.timeoutMs,
      verifyTls: options.verifyTls,
      ca: options.ca,
      retry: options.retry,
      maxSockets: options.maxSockets,
      userAgent: 'secflow-mozdef',
      onRetry: (info) => options.onRetry?.(info.reason),
    });
  }

  /** Throws ESIZE for a body nginx would refuse anyway; checked before queueing. */
  static checkSize(item: QueueItem): void {
    // The indented, ASCII-escaped body is at most a few times the compact JSON; only
    // build it (the costly part) when the compact form is not far below the limit.
    if (JSON.stringify(item.doc).length * 16 < MAX_EVENT_BYTES) return;
    const size = Buffer.byteLength(httpBody(item.doc));
    if (size > MAX_EVENT_BYTES) throw new MozDefError(`event body of ${size} bytes is over the maximum of ${MAX_EVENT_BYTES}`, 'ESIZE');
  }

  async send(item: QueueItem, signal: AbortSignal): Promise<Delivery> {
    const endpoint = endpointOf(item);
    try {
      const res = await this.client.request({
        method: 'POST', path: endpoint, body: httpBody(item.doc), raw: true, signal,
        headers: { 'Content-Type': 'application/json' },
      });
      return { transport: 'http', endpoint, status: res.status };
    } catch (err) {
      throw postError(err);
    }
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
