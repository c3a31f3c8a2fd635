// Loopback emulator of Amazon SNS for CreateTopic and Publish, in the protocol the
// pinned @aws-sdk/client-sns speaks: AWS Query (form-encoded Action=…&Version=2010-03-31,
// SigV4 Authorization), answering XML as SNS does. Records every publish.
import { randomUUID } from 'node:crypto';
import { Emulator, type EmuRequest, type EmuResponse } from './framework';

export interface SnsPublished {
  topicArn?: string;
  phoneNumber?: string;
  subject?: string;
  message: string;
  accessKeyId: string;
  sessionToken?: string;
}

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';
const XML = { 'Content-Type': 'text/xml' };

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export class SnsEmulator extends Emulator {
  readonly published: SnsPublished[] = [];
  readonly topics = new Map<string, string>();

  constructor(private readonly region = 'us-east-1', private readonly account = '000000000000') {
    super({ name: 'sns' });
    this.route('POST', '/', 'sns', (req) => this.action(req));
  }

  private action(req: EmuRequest): EmuResponse {
    const auth = String(req.headers.authorization ?? '');
    const credential = /Credential=([^/]+)\//.exec(auth)?.[1];
    if (!auth.startsWith('AWS4-HMAC-SHA256') || !credential) return error(403, 'MissingAuthenticationToken', 'Missing Authentication Token');
    const form = new URLSearchParams(req.body);
    const requestId = randomUUID();
    switch (form.get('Action')) {
      case 'CreateTopic': {
        const name = form.get('Name') ?? '';
        if (!/^[A-Za-z0-9_-]{1,256}$/.test(name)) return error(400, 'InvalidParameter', 'Invalid parameter: Topic Name');
        const arn = `arn:aws:sns:${this.region}:${this.account}:${name}`;
        this.topics.set(arn, name);
        return { headers: XML, body: `<CreateTopicResponse xmlns="${XMLNS}"><CreateTopicResult><TopicArn>${escape(arn)}</TopicArn></CreateTopicResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></CreateTopicResponse>` };
      }
      case 'Publish': {
        const topicArn = form.get('TopicArn') ?? undefined;
        const phoneNumber = form.get('PhoneNumber') ?? undefined;
        const message = form.get('Message') ?? '';
        const subject = form.get('Subject') ?? undefined;
        if (!message) return error(400, 'InvalidParameter', 'Invalid parameter: Empty message');
        if (topicArn && !this.topics.has(topicArn)) return error(404, 'NotFound', 'Topic does not exist');
        if (!topicArn && !/^\+\d{10,15}$/.test(phoneNumber ?? '')) return error(400, 'InvalidParameter', 'Invalid parameter: PhoneNumber Reason: not E.164');
        if (subject !== undefined && subject.length > 100) return error(400, 'InvalidParameter', 'Invalid parameter: Subject');
        this.published.push({ topicArn, phoneNumber, subject, message, accessKeyId: credential, sessionToken: req.headers['x-amz-security-token'] as string | undefined });
        return { headers: XML, body: `<PublishResponse xmlns="${XMLNS}"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>` };
      }
      default:
        return error(400, 'InvalidAction', `The action ${form.get('Action') ?? '(none)'} is not valid for this endpoint.`);
    }
  }
}

function error(status: number, code: string, message: string): EmuResponse {
  return { status, headers: XML, body: `<ErrorResponse xmlns="${XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escape(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>` };
}
