// SyslogOptions: the public shape, its defaults, and validation that names the field.
import os from 'node:os';
import type { SyslogFormat, SyslogFraming } from './format';
import { facilityCode, severityCode } from './codes';

export type SyslogProtocol = 'udp' | 'tcp' | 'tls' | 'relp';
export type SyslogNewlines = 'escape' | 'keep';

export interface SyslogOptions {
  host: string;
  /** Default 514. */
  port?: number;
  /** Default 'udp'. */
  protocol?: SyslogProtocol;
  /** Default 'none' (text + LF, no PRI or header: the reference). */
  format?: SyslogFormat;
  /** TCP/TLS only: RFC 6587 octet counting instead of LF; default true for rfc5424, false otherwise. */
  octetCounting?: boolean;
  /**
   * CR/LF in a message without octet counting: 'escape' (default) sends them
   * as #015/#012, 'keep' sends them as they are (for receivers known to cope).
   */
  newlines?: SyslogNewlines;
  /** Default 1 (user). */
  facility?: number;
  /** Default 6 (info). */
  severity?: number;
  /** Default os.hostname(). */
  hostname?: string;
  /** Default 'secflow'. */
  appName?: string;
  /** TLS: verify the server certificate (default true). */
  verifyTls?: boolean;
  /** TLS: CA certificate(s), PEM; replaces the system CAs when given. */
  ca?: string | Buffer;
  /** TLS: client certificate and key, PEM. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Default 10,000. */
  connectTimeoutMs?: number;
  /** Messages held while disconnected or while the peer is slow; default 10,000. */
  queueSize?: number;
  /** The same queue bounded in bytes (the frames' sizes); default 64 MiB. */
  queueBytes?: number;
  /**
   * TCP/TLS: when a connection ends other than by close(), the messages written in its
   * last `replayBytes` are sent again first on the next one (at least once); default 1 MiB.
   */
  replayBytes?: number;
  /** TCP/TLS/RELP: a directory where close() spills what is still queued, and a new sender resumes it. */
  spillDir?: string;
  /** Bound of the spill; default 100 MiB. */
  maxSpillBytes?: number;
  /** Reconnect backoff bounds; defaults 1,000 and 30,000. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

export interface ResolvedOptions {
  host: string;
  port: number;
  protocol: SyslogProtocol;
  format: SyslogFormat;
  framing: SyslogFraming;
  newlines: SyslogNewlines;
  facility: number;
  severity: number;
  hostname: string;
  appName: string;
  verifyTls: boolean;
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  connectTimeoutMs: number;
  queueSize: number;
  queueBytes: number;
  replayBytes: number;
  spillDir?: string;
  maxSpillBytes: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
}

const MiB = 1024 * 1024;

function integer(field: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`syslog ${field} must be an integer from ${min} to ${max}; got ${JSON.stringify(value)}`);
  }
  return value;
}

function choice<T extends string>(field: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`syslog ${field} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
}

/** Applies defaults and checks every option; throws an Error naming the first bad one. */
export function resolveOptions(options: SyslogOptions): ResolvedOptions {
  if (!options || typeof options !== 'object') throw new Error('syslog options must be an object');
  if (typeof options.host !== 'string' || options.host.trim() === '') throw new Error(`syslog host is required; got ${JSON.stringify(options.host)}`);
  const protocol = choice('protocol', options.protocol, ['udp', 'tcp', 'tls', 'relp'] as const, 'udp');
  const format = choice('format', options.format, ['none', 'rfc3164', 'rfc5424'] as const, 'none');
  if (options.octetCounting !== undefined && typeof options.octetCounting !== 'boolean') throw new Error(`syslog octetCounting must be true or false; got ${JSON.stringify(options.octetCounting)}`);
  const octet = options.octetCounting ?? format === 'rfc5424';
  const reconnectMinMs = integer('reconnectMinMs', options.reconnectMinMs, 1000, 1, 3_600_000);
  const reconnectMaxMs = integer('reconnectMaxMs', options.reconnectMaxMs, Math.max(30_000, reconnectMinMs), reconnectMinMs, 3_600_000);
  return {
    host: options.host.trim(),
    port: integer('port', options.port, 514, 1, 65535),
    protocol,
    format,
    // RELP frames each message itself (its DATALEN).
    framing: protocol === 'udp' ? 'datagram' : protocol === 'relp' ? 'bare' : octet ? 'octet' : 'lf',
    newlines: choice('newlines', options.newlines, ['escape', 'keep'] as const, 'escape'),
    facility: facilityCode(options.facility ?? 1),
    severity: severityCode(options.severity ?? 6),
    hostname: options.hostname ?? os.hostname(),
    appName: options.appName ?? 'secflow',
    verifyTls: options.verifyTls ?? true,
    ca: options.ca,
    cert: options.cert,
    key: options.key,
    connectTimeoutMs: integer('connectTimeoutMs', options.connectTimeoutMs, 10_000, 1, 600_000),
    queueSize: integer('queueSize', options.queueSize, 10_000, 1, 10_000_000),
    queueBytes: integer('queueBytes', options.queueBytes, 64 * MiB, 1024, 64 * 1024 * MiB),
    replayBytes: integer('replayBytes', options.replayBytes, MiB, 0, 1024 * MiB),
    spillDir: options.spillDir || undefined,
    maxSpillBytes: integer('maxSpillBytes', options.maxSpillBytes, 100 * MiB, 1024, 1024 * 1024 * MiB),
    reconnectMinMs,
    reconnectMaxMs,
  };
}
