import type { QueueItem } from '../queue';

/** What a transport reports for a delivered item (for the node's second output). */
export interface Delivery {
  transport: string;
  endpoint: string;
  status: number | string;
}

/** One item at a time (http, amqp, syslog, sqs). Throws MozDefError (retryable or not). */
export interface ItemTransport {
  readonly name: string;
  send(item: QueueItem, signal: AbortSignal): Promise<Delivery>;
  close(): Promise<void>;
}
