// SQS transport (AWS SDK v3): GetQueueUrl once, then SendMessage with the
// reference's one-line JSON body; no HTTP.
import { SQSClient, GetQueueUrlCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { MozDefError, TEXT } from '../errors';
import { lineBody } from '../format';
import type { QueueItem } from '../queue';
import type { Delivery, ItemTransport } from './types';

export const SQS_MAX_BYTES = 262_144;

export interface SqsTransportOptions {
  region: string;
  queue: string;
  account?: string;
  /** Endpoint override (tests, VPC endpoints, LocalStack). */
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  timeoutMs?: number;
}

const THROTTLING = new Set(['ThrottlingException', 'RequestThrottled', 'RequestThrottledException', 'TooManyRequestsException', 'SlowDown', 'KmsThrottled']);

/** An SDK error as a MozDefError: throttling, 5xx and network errors are retryable. */
function sqsError(what: string, err: unknown): MozDefError {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  const status = e.$metadata?.httpStatusCode;
  const retryable = THROTTLING.has(e.name ?? '') || e.$retryable !== undefined || status === undefined || status >= 500 || status === 429;
  return new MozDefError(`SQS ${what} failed: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`, 'ETRANSPORT', { retryable, status });
}

export class SqsTransport implements ItemTransport {
  readonly name = 'sqs';
  private readonly client: SQSClient;
  private queueUrl?: Promise<string>;

  constructor(private readonly options: SqsTransportOptions) {
    this.client = new SQSClient({
      region: options.region,
      endpoint: options.endpoint || undefined,
      credentials: options.credentials,
      maxAttempts: 2,
      requestHandler: { requestTimeout: options.timeoutMs ?? 10_000, connectionTimeout: 10_000 },
    });
  }

  /** Vulnerabilities are refused, and so is a body over the SQS limit (reference text). */
  static check(item: QueueItem): string {
    if (item.kind === 'vulnerability') throw new MozDefError(TEXT.noSqs, 'EUNSUPPORTED');
    const body = lineBody(item.doc);
    const size = Buffer.byteLength(body);
    if (size > SQS_MAX_BYTES) throw new MozDefError(TEXT.sqsSize(size), 'ESIZE');
    return body;
  }

  private url(): Promise<string> {
    this.queueUrl ??= this.client.send(new GetQueueUrlCommand({ QueueName: this.options.queue, QueueOwnerAWSAccountId: this.options.account || undefined }))
      .then((out) => {
        if (!out.QueueUrl) throw new Error('no QueueUrl in the response');
        return out.QueueUrl;
      })
      .catch((err: unknown) => {
        this.queueUrl = undefined;
        throw sqsError(`GetQueueUrl for ${this.options.queue}`, err);
      });
    return this.queueUrl;
  }

  async send(item: QueueItem, signal: AbortSignal): Promise<Delivery> {
    const body = SqsTransport.check(item);
    const queueUrl = await this.url();
    try {
      const out = await this.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }), { abortSignal: signal });
      return { transport: 'sqs', endpoint: queueUrl, status: out.MessageId ?? 'sent' };
    } catch (err) {
      throw sqsError('SendMessage', err);
    }
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
