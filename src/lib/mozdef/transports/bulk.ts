// Bulk transport: NDJSON batches to {base}/_bulk (loginput publishes each line).
import type { HttpClient } from '../../http';
import { postError } from './http';
import type { QueueItem } from '../queue';
import type { Delivery } from './types';

/** Largest batch body (contract S4). */
export const MAX_BATCH_BYTES = 1024 * 1024;

/**
 * The NDJSON body from compact JSON lines. A one-event batch starts with an
 * `{"index":{}}` action line: a body that is a single JSON object would make
 * loginput publish its keys (W2 quirk).
 */
export function bulkBody(lines: string[]): string {
  return `${lines.length === 1 ? '{"index":{}}\n' : ''}${lines.join('\n')}\n`;
}

/** Events that must not go in a batch: vulnerabilities and documents with an `index` key (loginput skips them). */
export function needsHttp(item: QueueItem): boolean {
  return item.kind === 'vulnerability' || Object.prototype.hasOwnProperty.call(item.doc, 'index');
}

export class BulkTransport {
  readonly name = 'bulk';
  constructor(private readonly client: HttpClient) {}

  /** Posts one batch, given as the compact JSON line of each event. */
  async sendBatch(lines: string[], signal: AbortSignal): Promise<Delivery> {
    try {
      const res = await this.client.request({
        method: 'POST', path: '/_bulk', body: bulkBody(lines), raw: true, signal,
        // As the contract says for every request; HttpClient sends string bodies verbatim.
        headers: { 'Content-Type': 'application/json' },
      });
      return { transport: 'bulk', endpoint: '/_bulk', status: res.status };
    } catch (err) {
      throw postError(err);
    }
  }
}
