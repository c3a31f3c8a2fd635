// AMQP transport (amqplib, as gozdef does): persistent JSON on a confirm channel to
// the exchange MozDef's esworker consumes, body = what loginput would publish.
import amqp from 'amqplib';
import { MozDefError } from '../errors';
import type { QueueItem } from '../queue';
import type { Delivery, ItemTransport } from './types';

export interface AmqpTransportOptions {
  url: string;
  exchange: string;
  routingKey: string;
  /** Shown in the broker's connection list (default `secflow-mozdef`). */
  connectionName?: string;
}

/** The message loginput would publish for this item (contract W1/S4). */
export function amqpBody(item: QueueItem): Record<string, unknown> {
  return item.kind === 'vulnerability'
    ? { ...item.doc, endpoint: 'vulnerability', customendpoint: true }
    : { ...item.doc, endpoint: 'events' };
}

/** A URL without its credentials, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(invalid AMQP URL)';
  }
}

export class AmqpTransport implements ItemTransport {
  readonly name = 'amqp';
  private connecting?: Promise<amqp.ConfirmChannel>;
  private connection?: amqp.ChannelModel;
  private readonly returned = new Set<string>();
  private closed = false;

  constructor(private readonly options: AmqpTransportOptions) {}

  private channel(): Promise<amqp.ConfirmChannel> {
    this.connecting ??= this.connect().catch((err: unknown) => {
      this.connecting = undefined;
      throw new MozDefError(`AMQP connection to ${redactUrl(this.options.url)} failed: ${(err as Error).message.replace(this.options.url, redactUrl(this.options.url))}`, 'ETRANSPORT', { retryable: true });
    });
    return this.connecting;
  }

  private async connect(): Promise<amqp.ConfirmChannel> {
    const connection = await amqp.connect(this.options.url, { clientProperties: { connection_name: this.options.connectionName ?? 'secflow-mozdef' } });
    const reset = () => {
      if (this.connection === connection) {
        this.connection = undefined;
        this.connecting = undefined;
      }
    };
    connection.on('error', reset);
    connection.on('close', reset);
    this.connection = connection;
    const channel = await connection.createConfirmChannel();
    channel.on('error', reset);
    channel.on('close', reset);
    // basic.return arrives before the ack of a mandatory message no queue took.
    channel.on('return', (msg: amqp.ConsumeMessage) => {
      const id = msg.properties.messageId as string | undefined;
      if (id) this.returned.add(id);
    });
    await channel.assertExchange(this.options.exchange, 'direct', { durable: true });
    if (this.closed) {
      await connection.close().catch(() => undefined);
      throw new Error('transport closed');
    }
    return channel;
  }

  async send(item: QueueItem, signal: AbortSignal): Promise<Delivery> {
    if (signal.aborted) throw new MozDefError('aborted', 'ETRANSPORT', { retryable: true });
    const channel = await this.channel();
    const { exchange, routingKey } = this.options;
    const body = Buffer.from(JSON.stringify(amqpBody(item)));
    await new Promise<void>((resolve, reject) => {
      try {
        channel.publish(exchange, routingKey, body, {
          persistent: true, contentType: 'application/json', contentEncoding: 'utf-8', mandatory: true, messageId: item.id,
        }, (err) => {
          if (err) reject(new MozDefError(`AMQP broker refused the message: ${String(err)}`, 'ETRANSPORT', { retryable: true }));
          else if (this.returned.delete(item.id)) {
            reject(new MozDefError(`unroutable: no queue bound to ${exchange}/${routingKey}`, 'ETRANSPORT', { retryable: true }));
          } else resolve();
        });
      } catch (err) {
        reject(new MozDefError(`AMQP publish failed: ${(err as Error).message}`, 'ETRANSPORT', { retryable: true }));
      }
    });
    return { transport: 'amqp', endpoint: `${exchange}/${routingKey}`, status: 'ack' };
  }

  async close(): Promise<void> {
    this.closed = true;
    const connection = this.connection;
    this.connection = undefined;
    this.connecting = undefined;
    if (connection) await connection.close().catch(() => undefined);
  }
}
