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
  /**
   * Resolves once the message is delivered as far as the transport can tell (TCP/TLS:
   * written to the socket; RELP: acknowledged by the peer; UDP: sent); rejects with a
   * clear Error otherwise.
   */
  write(frame: Buffer, options?: WriteOptions): Promise<void>;
  /** Runs `writes` (calls to write()) with the socket corked, so that they go out together. */
  together?<T>(writes: () => T): T;
  /**
   * Stops the transport. What it could not deliver comes back unsettled, in order, for
   * the caller to spill or fail; nothing else is left pending.
   */
  close(): Promise<Unsent[]>;
}

export interface WriteOptions {
  /** Returned with the message when close() hands it back. */
  tag?: unknown;
  /** Queue it even beyond the bounds (a spill being resumed: it was accepted before). */
  force?: boolean;
}

/** A message close() hands back. */
export interface Unsent {
  frame: Buffer;
  tag?: unknown;
  /** A copy being sent again after a broken connection: its write() already resolved. */
  completed: boolean;
  resolve(): void;
  reject(err: Error): void;
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
