// SyslogSender: formats, frames and sends messages over UDP, TCP, TLS or RELP, and
// keeps counters a node can show as its status. With a spill directory, close()
// writes what is still queued to disk (fsync'd) and the next sender on the same
// directory sends it first; without one, close() fails each queued message.
import { EventEmitter } from 'node:events';
import { SpillStore } from '../spill';
import { facilityCode, severityCode } from './codes';
import { DatagramTransport } from './datagram-transport';
import { escapeNewlines, formatSyslogMessage, frameSyslogMessage } from './format';
import { resolveOptions, type ResolvedOptions, type SyslogOptions } from './options';
import { RelpTransport } from './relp-transport';
import { StreamTransport } from './stream-transport';
import type { Transport } from './transport';

/** One spilled message: the formatted text, framed again by whichever sender resumes it. */
interface Spilled {
  text: string;
}

/** What the transport carries with each message, to spill it at close. */
interface Tag {
  text: string;
  /** Read back from the spill: it is still on disk until acknowledged. */
  fromSpill?: boolean;
}

/** Spilled messages handed to the transport at a time while resuming. */
const RESUME_CHUNK = 500;

export interface CloseResult {
  /** Queued messages written to the spill (their send() resolved). */
  spilled: number;
  /** Queued messages failed (their send() rejected). */
  failed: number;
  /** Messages already reported sent whose resend after a broken connection was cut short (no spill). */
  unconfirmed: number;
}

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
  private readonly spill?: SpillStore<Spilled>;
  private closing = false;
  /** Messages a previous sender spilled, found at start. */
  readonly resumed: number = 0;

  /**
   * Throws an Error naming the bad option. TCP/TLS/RELP start connecting at once and
   * start sending what a previous sender spilled in `spillDir`.
   */
  constructor(options: SyslogOptions) {
    super();
    this.options = resolveOptions(options);
    const o = this.options;
    this.transport = o.protocol === 'udp' ? new DatagramTransport(o) : o.protocol === 'relp' ? new RelpTransport(o) : new StreamTransport(o);
    if (o.spillDir && o.protocol !== 'udp') {
      this.spill = new SpillStore<Spilled>(o.spillDir, o.maxSpillBytes);
      this.resumed = this.spill.open();
      this.resumeSpill();
    }
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
      const tag: Tag = { text };
      await this.transport.write(frameSyslogMessage(text, o.framing, o.format), { tag });
    } catch (err) {
      this.failed++;
      this.lastError = err instanceof Error ? err.message : String(err);
      this.emitState();
      throw err;
    }
    this.sent++;
    this.emitState();
  }

  /**
   * Sends `messages` in order, written together (one socket write for as many as the
   * socket takes at once); each one counts against queueSize and queueBytes as if
   * sent alone. Resolves once every message is settled, with the ones that failed.
   */
  async sendAll(messages: readonly string[], overrides: SendOverrides = {}): Promise<Array<{ index: number; error: Error }>> {
    const write = () => messages.map((message) => this.send(message, overrides));
    const results = await Promise.allSettled(this.transport.together ? this.transport.together(write) : write());
    const failed: Array<{ index: number; error: Error }> = [];
    results.forEach((r, index) => {
      if (r.status === 'rejected') failed.push({ index, error: r.reason instanceof Error ? r.reason : new Error(String(r.reason)) });
    });
    return failed;
  }

  /**
   * Stops reconnecting and ends the connection (flushing briefly). What is still queued
   * is spilled (its send() resolves once it is on disk) or, without a spill, rejected.
   */
  async close(): Promise<CloseResult> {
    this.closing = true;
    const unsent = await this.transport.close();
    const result: CloseResult = { spilled: 0, failed: 0, unconfirmed: 0 };
    // Messages read back from the spill are still on disk, unacknowledged.
    const fresh = unsent.filter((u) => !(u.tag as Tag | undefined)?.fromSpill);
    const leftover = unsent.filter((u) => (u.tag as Tag | undefined)?.fromSpill);
    for (const u of leftover) u.reject(new Error('closed; the message stays in the spill'));
    if (this.spill) {
      try {
        // After what is still on disk from earlier runs: those messages are older.
        if (fresh.length > 0 && !this.spill.append(fresh.map((u) => ({ text: (u.tag as Tag).text })))) {
          throw new Error(`the spill is full (maxSpillBytes ${this.options.maxSpillBytes})`);
        }
        this.spill.sync();
        this.spill.close();
        for (const u of fresh) u.resolve();
        result.spilled = fresh.filter((u) => !u.completed).length;
        this.sent += result.spilled;
        this.emitState();
        return result;
      } catch (err) {
        // The disk failed us: the messages fail visibly instead.
        try {
          this.spill.close();
        } catch {
          // already failing: the messages below say so
        }
        return this.failAll(fresh, new Error(`syslog sender to ${this.where()} closed and could not spill the queued message: ${(err as Error).message}`));
      }
    }
    return this.failAll(fresh, new Error(`syslog sender to ${this.where()} closed before the message was sent`));
  }

  private failAll(unsent: Array<{ completed: boolean; reject(err: Error): void }>, err: Error): CloseResult {
    const result: CloseResult = { spilled: 0, failed: 0, unconfirmed: 0 };
    for (const u of unsent) {
      if (u.completed) {
        result.unconfirmed++;
        continue;
      }
      result.failed++;
      u.reject(err);
    }
    this.failed += result.failed;
    if (result.failed) this.lastError = err.message;
    this.emitState();
    return result;
  }

  private where(): string {
    const { host, port } = this.options;
    return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  }

  /** Hands spilled messages to the transport a chunk at a time; each leaves the spill once sent. */
  private resumeSpill(): void {
    const spill = this.spill;
    if (!spill || this.closing) return;
    const entries = spill.load(RESUME_CHUNK);
    if (entries.length === 0) return;
    let left = entries.length;
    const o = this.options;
    for (const entry of entries) {
      const text = entry.item.text;
      const tag: Tag = { text, fromSpill: true };
      this.transport
        .write(frameSyslogMessage(text, o.framing, o.format), { tag, force: true })
        .then(
          () => {
            if (entry.ref) spill.ack(entry.ref);
            this.sent++;
            this.emitState();
          },
          // Not sent: it stays in the spill for the next sender.
          () => undefined,
        )
        .finally(() => {
          if (--left === 0) this.resumeSpill();
        });
    }
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
