// HTTP services go through the shared HttpClient: it retries network errors and
// 5xx with backoff (retry=N, wait=s) and reports other 4xx at once. A 429 comes
// back here at once (throttleAttempts 1) so the delivery layer can honour a JSON
// `retry_after` / `parameters.retry_after` as well as the Retry-After header.
import { HttpClient, HttpError, parseRetryAfter } from '../../http';
import type { CommonOptions, HttpSpec } from '../types';
import { DeliveryError, type Transport } from './types';

/** Retry-After header, else a JSON retry_after (Slack/Discord) or parameters.retry_after (Telegram), in ms. */
export function retryAfterOf(header: string | undefined, body: string | undefined): number | undefined {
  const fromHeader = parseRetryAfter(header);
  if (fromHeader !== undefined) return fromHeader;
  try {
    const json = JSON.parse(body ?? '') as { retry_after?: unknown; parameters?: { retry_after?: unknown } };
    const value = Number(json.retry_after ?? json.parameters?.retry_after);
    return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  } catch {
    return undefined;
  }
}

export class HttpTransport implements Transport<HttpSpec> {
  private readonly client: HttpClient;
  private attempts = 0;

  constructor(common: CommonOptions) {
    this.client = new HttpClient({
      baseUrl: 'http://127.0.0.1',
      timeoutMs: common.readTimeoutMs + common.connectTimeoutMs,
      connectTimeoutMs: common.connectTimeoutMs,
      verifyTls: common.verify,
      retry: { retries: common.retry, baseDelayMs: Math.max(common.waitMs, 1), maxDelayMs: 30_000, throttleAttempts: 1 },
      onRetry: () => { this.attempts++; },
      userAgent: 'secflow-notify',
      maxSockets: 4,
    });
  }

  async send(spec: HttpSpec): Promise<{ status: number }> {
    this.attempts++;
    try {
      const res = await this.client.request<string>({ method: spec.method as 'POST', path: spec.url, headers: spec.headers, body: spec.body, raw: true });
      const problem = spec.check?.(res.data ?? '');
      if (problem) throw new DeliveryError(problem, 'fatal', res.status);
      const next = spec.then?.(res.data ?? '');
      return next ? await this.send(next) : { status: res.status };
    } catch (err) {
      spec.onFailure?.((err as { status?: number }).status);
      if (err instanceof DeliveryError) throw err;
      if (err instanceof HttpError && err.status === 429) {
        throw new DeliveryError(err.message, 'throttle', 429, retryAfterOf(err.retryAfter, err.body));
      }
      const e = err as { message?: string; status?: number };
      // HttpClient has already retried what may be retried.
      throw new DeliveryError(e.message ?? String(err), 'fatal', e.status);
    }
  }

  takeAttempts(): number {
    const n = this.attempts;
    this.attempts = 0;
    return n;
  }

  close(): void {
    this.client.close();
  }
}
