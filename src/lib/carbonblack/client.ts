// Carbon Black Cloud event search (contract §2): POST
// /api/investigate/v2/orgs/{org}/events/{guid}/_search, re-posted until the
// backend's own completion signal (processed_segments == total_segments; with a
// stall cap and a time limit), then paged with start/rows up to num_available.
// Replies of a running search carry only what its finished segments found, counts
// included: they are never taken as the answer. All HTTP goes through HttpClient (retries,
// 429 + Retry-After); a shared RequestGate spaces requests and pauses all
// workers while the API throttles us.
import { HttpClient, HttpError } from '../http';
import { sleep } from '../util/sleep';
import { cbcAuth } from './auth';
import { RequestGate } from './gate';
import type { CbEvent, EventSearchResponse, TimeRange } from './types';

export interface CbcClientOptions {
  url: string;
  orgKey: string;
  apiId: string;
  apiSecret: string;
  verifyTls?: boolean;
  timeoutMs?: number;
  /** Requests per second across all workers; 0 = unlimited. */
  rateLimit?: number;
  /** A gate shared with other clients of the same tenant (then rateLimit is ignored). */
  gate?: RequestGate;
  /** Base wait between segment polls (the SDK waits 1 s + stalls/10 s). */
  pollMs?: number;
  /** Consecutive polls without progress before giving up (SDK: 10). */
  maxStalls?: number;
  /** Time limit of one search's segment polling (default 300 s, the SDK's default timeout). */
  searchTimeoutMs?: number;
  /** HttpClient retry policy overrides (tests shorten the waits). */
  retry?: ConstructorParameters<typeof HttpClient>[0]['retry'];
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

export interface EventQuery {
  timeRange?: TimeRange;
  criteria?: Record<string, string[]>;
  fields?: string[];
  /** Rows per call, at most 10,000. */
  rows?: number;
  sort?: Array<{ field: string; order: 'ASC' | 'DESC' }>;
  /** Stop after this many events (SDK-style limit). */
  maxEvents?: number;
  signal?: AbortSignal;
}

export interface EventSearchResult {
  events: CbEvent[];
  numFound: number;
  numAvailable: number;
  /** CB found more events than it makes available: narrow the time window. */
  truncated: boolean;
  requests: number;
}

export const MAX_ROWS = 10_000;

/** The SDK escapes each `-` of a GUID in Lucene queries. */
export function escapeGuid(guid: string): string {
  return guid.replace(/-/g, '\\-');
}

export class CbcClient {
  readonly http: HttpClient;
  readonly gate: RequestGate;
  private readonly orgKey: string;
  private readonly emptyKeys: boolean;
  private readonly pollMs: number;
  private readonly maxStalls: number;
  private readonly searchTimeoutMs: number;

  constructor(options: CbcClientOptions) {
    if (!options.url) throw new Error('url is required');
    if (!/^https?:\/\//i.test(options.url)) throw new Error(`url must start with http:// or https://, got ${JSON.stringify(options.url)}`);
    if (!options.orgKey) throw new Error('orgKey is required');
    if (!/^[A-Za-z0-9]+$/.test(options.orgKey)) throw new Error('orgKey must be letters and digits');
    this.orgKey = options.orgKey;
    this.emptyKeys = !options.apiId || !options.apiSecret;
    this.pollMs = options.pollMs ?? 1000;
    this.maxStalls = options.maxStalls ?? 10;
    this.searchTimeoutMs = options.searchTimeoutMs ?? 300_000;
    this.gate = options.gate ?? new RequestGate(options.rateLimit ?? 0);
    this.http = new HttpClient({
      baseUrl: options.url,
      timeoutMs: options.timeoutMs,
      verifyTls: options.verifyTls,
      auth: cbcAuth(options.apiId, options.apiSecret),
      retry: options.retry,
      onRetry: (info) => {
        if (/HTTP 429/.test(info.reason)) this.gate.pause(info.delayMs);
        options.onRetry?.(info);
      },
      userAgent: 'node-red-contrib-secflow',
    });
  }

  close(): void {
    this.http.close();
  }

  private searchPath(guid: string): string {
    return `/api/investigate/v2/orgs/${encodeURIComponent(this.orgKey)}/events/${encodeURIComponent(guid)}/_search`;
  }

  /** An org-scoped API path: `{org}` in `template` becomes the org key. */
  orgPath(template: string): string {
    return template.replace('{org}', encodeURIComponent(this.orgKey));
  }

  /** One `_search` request of a paged API (alerts v7, audit logs): the reply must carry a results array. */
  async search<R>(path: string, body: unknown, signal?: AbortSignal): Promise<{ results: R[]; num_found?: number; num_available?: number }> {
    return (await this.post(path, body, signal)) as unknown as { results: R[]; num_found?: number; num_available?: number };
  }

  private async post(path: string, body: unknown, signal?: AbortSignal): Promise<EventSearchResponse> {
    await this.gate.acquire(signal);
    let res: Awaited<ReturnType<HttpClient['request']>>;
    try {
      res = await this.http.request<EventSearchResponse>({ method: 'POST', path, body, signal });
    } catch (err) {
      // Empty keys are sent as they are (the demo sandbox accepts any); say so when rejected.
      if (err instanceof HttpError && (err.status === 401 || err.status === 403) && this.emptyKeys) {
        throw new HttpError(`${err.message} (the secflow-cbc config node has no API ID or secret key: credentials apiId and apiSecret)`, { kind: 'auth', status: err.status });
      }
      throw err;
    }
    const data = res.data as EventSearchResponse;
    if (!data || typeof data !== 'object' || !Array.isArray(data.results)) throw new Error(`POST ${path} returned no results array`);
    return data;
  }

  /** Every event of one process, newest first by default, through segments and pages. */
  async searchEvents(guid: string, query: EventQuery = {}): Promise<EventSearchResult> {
    const rows = Math.min(query.rows ?? MAX_ROWS, MAX_ROWS);
    const path = this.searchPath(guid);
    const base: Record<string, unknown> = { query: `process_guid:${escapeGuid(guid)}` };
    if (query.criteria) base.criteria = query.criteria;
    if (query.fields) base.fields = query.fields;
    if (query.sort) base.sort = query.sort;
    if (query.timeRange) base.time_range = query.timeRange;
    const events: CbEvent[] = [];
    let start = 0;
    let numFound: number;
    let numAvailable: number;
    let requests = 0;
    for (;;) {
      const wanted = query.maxEvents !== undefined ? Math.min(rows, query.maxEvents - events.length) : rows;
      const body = { ...base, rows: wanted, start };
      let stalls = 0;
      let lastProcessed = -1;
      let page: EventSearchResponse;
      const deadline = Date.now() + this.searchTimeoutMs;
      // Segments: re-post the same body until the search has looked everywhere.
      for (;;) {
        page = await this.post(path, body, query.signal);
        requests++;
        const processed = page.processed_segments ?? 0;
        const total = page.total_segments ?? 0;
        if (processed >= total) break;
        if (Date.now() >= deadline) {
          throw new Error(`event search for process ${guid} did not complete within ${this.searchTimeoutMs / 1000} s: segments ${processed}/${total}; its partial result is not used`);
        }
        if (processed > lastProcessed) {
          lastProcessed = processed;
          stalls = 0;
        } else {
          stalls++;
          if (stalls >= this.maxStalls) {
            throw new Error(`event search for process ${guid} did not complete: segments stuck at ${processed}/${total} after ${stalls} polls without progress`);
          }
        }
        await sleep(this.pollMs * (1 + stalls / 10), query.signal);
        if (query.signal?.aborted) throw new Error('event search aborted');
      }
      numFound = page.num_found ?? 0;
      numAvailable = page.num_available ?? 0;
      for (const e of page.results) events.push(e);
      start += page.results.length;
      if (page.results.length === 0 || start >= numAvailable) break;
      if (query.maxEvents !== undefined && events.length >= query.maxEvents) break;
    }
    return { events, numFound, numAvailable, truncated: numFound > numAvailable, requests };
  }
}
