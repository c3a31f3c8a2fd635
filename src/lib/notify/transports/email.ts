// E-mail through a nodemailer pool per target (S8): one connection, at most one
// message per second (the SMTP throttle), 10/10/30 s timeouts.
import nodemailer, { type Transporter } from 'nodemailer';
import type { CommonOptions } from '../types';
import type { EmailConfig, EmailMessage } from '../services/email';
import { DeliveryError, type Transport } from './types';

export class EmailTransport implements Transport<EmailMessage> {
  private transporter?: Transporter;

  constructor(private readonly config: EmailConfig, private readonly common: CommonOptions) {}

  async send(message: EmailMessage): Promise<{ status: number }> {
    this.transporter ??= nodemailer.createTransport({
      pool: true, maxConnections: 1, rateLimit: 1, rateDelta: 1000,
      host: this.config.host, port: this.config.port, secure: this.config.secure,
      requireTLS: this.config.requireTLS, ignoreTLS: this.config.ignoreTLS,
      auth: this.config.auth,
      tls: { rejectUnauthorized: this.config.rejectUnauthorized && this.common.verify },
      connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000,
    });
    try {
      const info = await this.transporter.sendMail(message) as { response?: string };
      const code = Number(/^(\d{3})/.exec(info.response ?? '')?.[1] ?? 250);
      return { status: code };
    } catch (err) {
      throw classify(err);
    }
  }

  close(): void {
    this.transporter?.close();
    this.transporter = undefined;
  }
}

function classify(err: unknown): DeliveryError {
  const e = err as { code?: string; responseCode?: number; message?: string };
  const status = e.responseCode;
  const message = `${e.code ? `${e.code} ` : ''}${e.message ?? String(err)}`.replace(/\s+/g, ' ').trim();
  if (/certificate|self.signed|unable to verify/i.test(e.message ?? '')) return new DeliveryError(`TLS verification failed: ${message}`, 'fatal', status);
  if (e.code === 'EAUTH' || e.code === 'ETLS' || e.code === 'EENVELOPE' || e.code === 'EMESSAGE') return new DeliveryError(message, 'fatal', status);
  if (status !== undefined) return new DeliveryError(message, status >= 400 && status < 500 ? 'retry' : 'fatal', status);
  return new DeliveryError(message, 'retry', status);
}
