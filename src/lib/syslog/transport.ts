import { EventEmitter } from 'node:events';

/**
 * What the sender needs from a UDP or TCP/TLS transport. Events:
 * - 'change': `connected` or `queued` changed;
 * - 'connectionError' (Error): the peer could not be reached or the connection broke.
 *   Repeats of the same failure while reconnecting are not re-emitted.
 */
export interface Transport extends EventEmitter {
  readonly connected: boolean;
  readonly queued: number;
  /** Resolves once the bytes are handed to the socket; rejects with a clear Error otherwise. */
  write(frame: Buffer): Promise<void>;
  close(): Promise<void>;
}

/** `host:port`, with brackets for an IPv6 address, for error messages. */
export function endpoint(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as NodeJS.ErrnoException).code;
  // OpenSSL messages end with a line break.
  const message = err.message.trim();
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
