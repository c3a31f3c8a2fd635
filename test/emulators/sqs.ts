// Loopback emulator of Amazon SQS for GetQueueUrl and SendMessage, in the protocol
// the pinned @aws-sdk/client-sqs speaks: AWS JSON 1.0 (`X-Amz-Target: AmazonSQS.*`,
// `application/x-amz-json-1.0`), with a correct MD5OfMessageBody (the SDK checks it).
import { createHash, randomUUID } from 'node:crypto';
import { Emulator, EmuRequest, EmuResponse } from './framework';

export interface SqsMessage {
  queueUrl: string;
  body: string;
  messageId: string;
}

const JSON_TYPE = { 'Content-Type': 'application/x-amz-json-1.0' };
export const SQS_LIMIT_BYTES = 262_144;

export class SqsEmulator extends Emulator {
  readonly messages: SqsMessage[] = [];
  /** queue name → owner account. */
  readonly queues = new Map<string, string>();

  constructor() {
    super({ name: 'sqs' });
    // The SDK posts to the endpoint, or (for queue operations) to the queue URL.
    this.route('POST', '/', 'sqs', (req) => this.dispatchTarget(req));
    this.route('POST', '/:account/:queue', 'sqs', (req) => this.dispatchTarget(req));
  }

  createQueue(name: string, account = '000000000000'): void {
    this.queues.set(name, account);
  }

  private dispatchTarget(req: EmuRequest): EmuResponse {
    const target = String(req.headers['x-amz-target'] ?? '');
    const input = (req.json ?? {}) as Record<string, unknown>;
    if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256')) return error(403, 'MissingAuthenticationToken', 'Missing Authentication Token');
    if (target === 'AmazonSQS.GetQueueUrl') {
      const name = String(input.QueueName ?? '');
      const account = this.queues.get(name);
      if (account === undefined || (input.QueueOwnerAWSAccountId !== undefined && input.QueueOwnerAWSAccountId !== account)) {
        return error(400, 'QueueDoesNotExist', 'The specified queue does not exist.', 'AWS.SimpleQueueService.NonExistentQueue;Sender');
      }
      return { headers: JSON_TYPE, body: { QueueUrl: `${this.baseUrl}/${account}/${name}` } };
    }
    if (target === 'AmazonSQS.SendMessage') {
      const queueUrl = String(input.QueueUrl ?? '');
      const name = queueUrl.split('/').pop() ?? '';
      if (!this.queues.has(name)) return error(400, 'QueueDoesNotExist', 'The specified queue does not exist.', 'AWS.SimpleQueueService.NonExistentQueue;Sender');
      const body = String(input.MessageBody ?? '');
      if (Buffer.byteLength(body) > SQS_LIMIT_BYTES) return error(400, 'InvalidParameterValue', `One or more parameters are invalid. Reason: Message must be shorter than ${SQS_LIMIT_BYTES} bytes.`);
      const messageId = randomUUID();
      this.messages.push({ queueUrl, body, messageId });
      return { headers: JSON_TYPE, body: { MessageId: messageId, MD5OfMessageBody: createHash('md5').update(body, 'utf8').digest('hex') } };
    }
    return error(400, 'UnsupportedOperation', `operation ${target || '(none)'} is not emulated`);
  }
}

function error(status: number, type: string, message: string, queryError?: string): EmuResponse {
  const headers: Record<string, string> = { ...JSON_TYPE };
  if (queryError) headers['x-amzn-query-error'] = queryError;
  return { status, headers, body: { __type: `com.amazonaws.sqs#${type}`, message } };
}

/** Demo SQS with a queue `mozdef-events` (any credentials). */
export async function startDemo(port: number): Promise<{ url: string; close(): Promise<void> }> {
  const emulator = new SqsEmulator();
  emulator.createQueue('mozdef-events');
  const url = await emulator.listen(port);
  return { url, close: () => emulator.close() };
}
