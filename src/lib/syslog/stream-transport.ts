// TCP and TLS: one long-lived connection with a connect timeout, reconnection
// with exponential backoff and jitter, and a bounded queue while disconnected.
//
// Every message ends in exactly one of: resolved (handed to the socket),
// rejected (queue overflow, TLS refused, connection broken while it was being
// written, sender closed). Nothing is dropped without its promise saying so.
import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import type { ResolvedOptions } from './options';
import { describe, endpoint, type Transport } from './transport';

interface Pending {
  frame: Buffer;
  resolve(): void;
  reject(err: Error): void;
}

/** OpenSSL verification and Node TLS identity errors: the peer's certificate was not accepted. */
function isCertificateError(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return /^(ERR_TLS_|ERR_SSL_|UNABLE_TO_|CERT_|SELF_SIGNED|DEPTH_ZERO|HOSTNAME_MISMATCH)/.test(code);
}

export class StreamTransport extends EventEmitter implements Transport {
  private socket?: net.Socket;
  private isConnected = false;
  private closed = false;
  private readonly queue: Pending[] = [];
  /** Written to the socket, write callback not yet called. */
  private readonly inFlight = new Set<Pending>();
  private attempt = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private connectTimer?: NodeJS.Timeout;
  private lastProblem?: string;
  private readonly where: string;

  constructor(private readonly options: ResolvedOptions) {
    super();
    this.where = endpoint(options.host, options.port);
    // Connect at once, so that an unreachable peer is reported before the first message.
    this.connect();
  }

  get connected(): boolean {
    return this.isConnected;
  }

  get queued(): number {
    return this.queue.length;
  }

  write(frame: Buffer): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.closed) return reject(new Error(`syslog sender to ${this.where} is closed`));
      const pending: Pending = { frame, resolve, reject };
      if (this.isConnected && this.queue.length === 0 && this.socket && !this.socket.writableNeedDrain) {
        this.writeNow(this.socket, pending);
        return;
      }
      if (this.queue.length >= this.options.queueSize) {
        return reject(new Error(`syslog queue full: ${this.options.queueSize} messages already wait for ${this.where} (${this.isConnected ? 'slow peer' : 'not connected'}); message rejected`));
      }
      this.queue.push(pending);
      this.emit('change');
      if (!this.socket && !this.reconnectTimer) this.connect();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    clearTimeout(this.connectTimer);
    this.rejectQueued(new Error(`syslog sender to ${this.where} closed before the message was sent`));
    const socket = this.socket;
    this.socket = undefined; // its events are no longer a broken connection
    if (socket) {
      // Let what is already written flush, but never wait long.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          socket.destroy();
          resolve();
        }, 1000);
        socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        if (this.isConnected) socket.end();
        else socket.destroy();
      });
    }
    this.rejectInFlight(new Error(`syslog sender to ${this.where} closed while the message was being written; it may not have been delivered`));
    this.setConnected(false);
  }

  private connect(): void {
    if (this.closed) return;
    const { host, port, protocol } = this.options;
    const socket =
      protocol === 'tls'
        ? tls.connect({
            host,
            port,
            servername: net.isIP(host) ? undefined : host,
            rejectUnauthorized: this.options.verifyTls,
            ca: this.options.ca,
            cert: this.options.cert,
            key: this.options.key,
          })
        : net.connect({ host, port });
    this.socket = socket;
    let tcpConnected = false;
    let ready = false;
    const timer = setTimeout(() => fail(Object.assign(new Error(`connect timed out after ${this.options.connectTimeoutMs} ms`), { code: 'ETIMEDOUT' })), this.options.connectTimeoutMs);
    this.connectTimer = timer;

    const fail = (err: Error) => {
      if (this.socket !== socket) return; // already handled
      clearTimeout(timer);
      this.socket = undefined;
      socket.destroy();
      // Refused by TLS: the handshake failed (not merely slow) once TCP was up, or a certificate check failed.
      const timedOut = (err as NodeJS.ErrnoException).code === 'ETIMEDOUT';
      // With TLS 1.3 a server that rejects our client certificate says so only after the handshake.
      this.onBroken(err, ready, protocol === 'tls' && ((!ready && tcpConnected && !timedOut) || isCertificateError(err)));
    };

    socket.once('connect', () => {
      tcpConnected = true;
      socket.setKeepAlive(true, 30_000);
    });
    socket.once(protocol === 'tls' ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer);
      ready = true;
      this.attempt = 0;
      this.lastProblem = undefined;
      this.setConnected(true);
      this.pump();
    });
    socket.on('drain', () => this.pump());
    // A syslog receiver never sends; reading keeps the stream flowing so 'end' is seen.
    socket.on('data', () => undefined);
    socket.on('end', () => fail(new Error('connection closed by the peer')));
    socket.on('error', (err) => fail(err));
    socket.on('close', () => fail(new Error('connection closed')));
  }

  private onBroken(cause: Error, wasReady: boolean, tlsRefused: boolean): void {
    this.setConnected(false);
    let error: Error;
    if (tlsRefused) {
      error = new Error(`TLS connection to syslog ${this.where} refused: ${describe(cause)}`);
    } else if (wasReady) {
      error = new Error(`syslog connection to ${this.where} broken: ${describe(cause)}`);
    } else {
      error = new Error(`cannot connect to syslog ${this.where}: ${describe(cause)}`);
    }
    this.rejectInFlight(new Error(`${error.message}; the message was being written and may not have been delivered`));
    // A certificate problem does not heal by waiting: fail what waits instead of holding it.
    if (tlsRefused) this.rejectQueued(error);
    if (this.closed) return;
    if (error.message !== this.lastProblem) {
      this.lastProblem = error.message;
      this.emit('connectionError', error);
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const { reconnectMinMs: min, reconnectMaxMs: max } = this.options;
    const ceiling = Math.min(max, min * 2 ** Math.min(this.attempt, 30));
    // Jitter in [ceiling/2, ceiling] so that many senders do not reconnect in step.
    const delay = Math.max(min, Math.round(ceiling / 2 + (Math.random() * ceiling) / 2));
    this.attempt++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect();
    }, delay);
    this.emit('change');
  }

  /** Writes queued messages in order while the socket accepts them without buffering. */
  private pump(): void {
    const socket = this.socket;
    if (!socket || !this.isConnected) return;
    let wrote = false;
    while (this.queue.length > 0 && !socket.writableNeedDrain) {
      this.writeNow(socket, this.queue.shift() as Pending);
      wrote = true;
    }
    if (wrote) this.emit('change');
  }

  private writeNow(socket: net.Socket, pending: Pending): void {
    this.inFlight.add(pending);

    socket.write(pending.frame, (err) => {
      if (!this.inFlight.delete(pending)) return; // already rejected by onBroken/close
      if (err) pending.reject(new Error(`syslog write to ${this.where} failed: ${describe(err)}`));
      else pending.resolve();
    });
  }

  private rejectQueued(err: Error): void {
    if (this.queue.length === 0) return;
    for (const pending of this.queue.splice(0)) pending.reject(err);
    this.emit('change');
  }

  private rejectInFlight(err: Error): void {
    for (const pending of this.inFlight) pending.reject(err);
    this.inFlight.clear();
  }

  private setConnected(value: boolean): void {
    if (this.isConnected === value) return;
    this.isConnected = value;
    this.emit('change');
  }
}
