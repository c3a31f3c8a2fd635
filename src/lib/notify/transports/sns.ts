// AWS SNS through @aws-sdk/client-sns (beside the SQS client MozDef uses). The SDK
// signs requests (SigV4) and speaks the Query protocol; `endpoints.sns` replaces the
// regional endpoint (a VPC endpoint, a proxy, the emulator). SDK retries are off:
// the delivery layer retries 5xx/network errors and waits on throttling.
import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { CommonOptions } from '../types';
import type { SnsConfig, SnsMessage } from '../services/sns';
import { DeliveryError, type Transport } from './types';

export class SnsTransport implements Transport<SnsMessage> {
  private readonly client: SNSClient;
  /** Topic name → ARN from CreateTopic (idempotent, so asked once per topic). */
  private readonly arns = new Map<string, Promise<string>>();

  constructor(config: SnsConfig, common: CommonOptions, endpoint?: string) {
    this.client = new SNSClient({
      region: config.region,
      endpoint: endpoint || undefined,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey, sessionToken: config.sessionToken },
      maxAttempts: 1,
      requestHandler: { requestTimeout: common.readTimeoutMs, connectionTimeout: common.connectTimeoutMs },
    });
  }

  private arn(topic: string): Promise<string> {
    let arn = this.arns.get(topic);
    if (!arn) {
      arn = this.client.send(new CreateTopicCommand({ Name: topic })).then((out) => {
        if (!out.TopicArn) throw new Error(`no TopicArn for topic ${topic}`);
        return out.TopicArn;
      });
      arn.catch(() => this.arns.delete(topic));
      this.arns.set(topic, arn);
    }
    return arn;
  }

  async send(message: SnsMessage): Promise<{ status: number }> {
    try {
      const out = message.kind === 'sms'
        ? await this.client.send(new PublishCommand({ PhoneNumber: message.phone, Message: message.message }))
        : await this.client.send(new PublishCommand({ TopicArn: await this.arn(message.topic), Message: message.message, Subject: message.subject }));
      return { status: out.$metadata.httpStatusCode ?? 200 };
    } catch (err) {
      throw classify(err);
    }
  }

  close(): void {
    this.client.destroy();
  }
}

function classify(err: unknown): DeliveryError {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; $fault?: string };
  const status = e.$metadata?.httpStatusCode;
  const text = `${e.name ?? 'Error'}: ${e.message ?? String(err)}`;
  if (e.name === 'Throttled' || e.name === 'ThrottlingException' || status === 429) return new DeliveryError(text, 'throttle', status ?? 429);
  if (e.$fault === 'server' || status === undefined || status >= 500) return new DeliveryError(text, 'retry', status);
  return new DeliveryError(text, 'fatal', status);
}
