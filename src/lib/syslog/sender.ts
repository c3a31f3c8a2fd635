// SyslogSender: formats, frames and sends messages over UDP, TCP or TLS, and
// keeps counters a node can show as its status.
import { EventEmitter } from 'node:events';
import { facilityCode, severityCode } from './codes';
import { DatagramTransport } from './datagram-transport';
import { escapeNewlines, formatSyslogMessage, frameSyslogMessage } from './format';
import { resolveOptions, type ResolvedOptions, type SyslogOptions } from './options';
import { StreamTransport } from './stream-transport';
import type { Transport } from './transport';

export interface SyslogState {
  connected: boolean;
  /** Messages waiting for a connection (TCP/TLS). */
  queued: number;
  sent: number;
  failed: number;
  lastError?: string;
}

export interface SendOverrides {
  facility?: number | string;
  severity?: number | string;
  timestamp?: Date;
  hostname?: string;
  appName?: string;
}

/**
 * Events:
 * - 'state' (SyslogState) on every change;
 * - 'connectionError' (Error) when the peer cannot be reached or the connection
 *   breaks (once per outage, not once per reconnect attempt).
 */
export class SyslogSender extends EventEmitter {
  readonly options: ResolvedOptions;
  private readonly transport: Transport;
  private sent = 0;
  private failed = 0;
  private lastError?: string;

  /** Throws an Error naming the bad option. TCP/TLS start connecting at once. */
  constructor(options: SyslogOptions) {
    super();
    this.options = resolveOptions(options);
    this.transport = this.options.protocol === 'udp' ? new DatagramTransport(this.options) : new StreamTransport(this.options);
    this.transport.on('change', () => this.emitState());
    this.transport.on('connectionError', (err: Error) => {
      this.lastError = err.message;
      this.emit('connectionError', err);
      this.emitState();
    });
  }

  /** Resolves once the message is written to the socket; rejects with a clear Error otherwise. */
  async send(message: string, overrides: SendOverrides = {}): Promise<void> {
    try {
      if (typeof message !== 'string') throw new Error(`syslog message must be a string; got ${message === null ? 'null' : typeof message}`);
      const o = this.options;
      // Octet counting delimits a message by its length: a line break in it forges nothing.
      const body = o.framing !== 'octet' && o.newlines === 'escape' ? escapeNewlines(message) : message;
      const text = formatSyslogMessage(body, {
        format: o.format,
        facility: overrides.facility === undefined ? o.facility : facilityCode(overrides.facility),
        severity: overrides.severity === undefined ? o.severity : severityCode(overrides.severity),
        timestamp: overrides.timestamp ?? new Date(),
        hostname: overrides.hostname ?? o.hostname,
        appName: overrides.appName ?? o.appName,
      });
      await this.transport.write(frameSyslogMessage(text, o.framing, o.format));
    } catch (err) {
      this.failed++;
      this.lastError = err instanceof Error ? err.message : String(err);
      this.emitState();
      throw err;
    }
    this.sent++;
    this.emitState();
  }

  /** Stops reconnecting, ends the socket (flushing briefly) and rejects queued sends. */
  close(): Promise<void> {
    return this.transport.close();
  }

  state(): SyslogState {
    const state: SyslogState = { connected: this.transport.connected, queued: this.transport.queued, sent: this.sent, failed: this.failed };
    if (this.lastError !== undefined) state.lastError = this.lastError;
    return state;
  }

  private emitState(): void {
    this.emit('state', this.state());
  }
}
