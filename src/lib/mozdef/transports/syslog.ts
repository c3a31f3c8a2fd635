// Syslog transport: the reference's one-line JSON, with the priority taken from the
// event's severity (mozdef_client always sent LOG_INFO).
import path from 'node:path';
import { SyslogSender, facilityCode } from '../../syslog';
import { MozDefError, TEXT } from '../errors';
import { lineBody } from '../format';
import { parseSeverity, SYSLOG_LEVEL } from '../severity';
import type { QueueItem } from '../queue';
import type { Delivery, ItemTransport } from './types';

export interface SyslogTransportOptions {
  host: string;
  port: number;
  protocol: 'udp' | 'tcp';
  format: 'rfc5424' | 'rfc3164';
  /** Facility name (kern … local7, syslog, authpriv). */
  facility: string;
}

/** Facility code 0..23 from a name; unknown → user, with `valid` false for a warning. */
export function syslogFacility(name: string): { code: number; valid: boolean } {
  try {
    return { code: facilityCode(name || 'user'), valid: true };
  } catch {
    return { code: 1, valid: false };
  }
}

export class SyslogTransport implements ItemTransport {
  readonly name = 'syslog';
  private readonly sender: SyslogSender;

  constructor(options: SyslogTransportOptions) {
    this.sender = new SyslogSender({
      host: options.host, port: options.port, protocol: options.protocol, format: options.format,
      facility: syslogFacility(options.facility).code,
    });
    // Connection problems surface through send(); the emitter must not throw unhandled.
    this.sender.on('error', () => undefined);
  }

  /** Vulnerabilities have no syslog form (reference text). */
  static check(item: QueueItem): void {
    if (item.kind === 'vulnerability') throw new MozDefError(TEXT.noSyslog, 'EUNSUPPORTED');
  }

  async send(item: QueueItem): Promise<Delivery> {
    SyslogTransport.check(item);
    const doc = item.doc;
    const severity = SYSLOG_LEVEL[parseSeverity(doc.severity).severity];
    const appName = path.basename(String(doc.processname ?? 'secflow')) || 'secflow';
    try {
      await this.sender.send(lineBody(doc), { severity, appName, hostname: typeof doc.hostname === 'string' ? doc.hostname : undefined });
    } catch (err) {
      throw new MozDefError(`syslog send failed: ${(err as Error).message}`, 'ETRANSPORT', { retryable: true });
    }
    return { transport: 'syslog', endpoint: `${this.sender.options.host}:${this.sender.options.port}`, status: 'sent' };
  }

  async close(): Promise<void> {
    await this.sender.close();
  }
}
