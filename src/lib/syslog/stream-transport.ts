// TCP and TLS (and, through RelpTransport, RELP): one long-lived connection with a
// connect timeout, reconnection with exponential backoff and jitter, and a queue
// bounded in messages and in bytes while disconnected or while the peer is slow.
//
// Every message ends in exactly one of: resolved (TCP/TLS: written to the socket;
// RELP: acknowledged), rejected (queue overflow, TLS refused), or handed back by
// close() for the caller to spill or fail. Nothing is dropped without a word.
//
// A write callback only says that the kernel took the bytes: when a connection ends
// other than by our close(), what it carried in its last `replayBytes` may never have
// reached the peer, so those messages are sent again first on the next connection
// (at least once: the peer may see duplicates, never gaps within that window).
import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import type { ResolvedOptions } from './options';
import { describe, endpoint, type Transport, type Unsent, type WriteOptions } from './transport';

export interface Pending {
  frame: Buffer;
  tag?: unknown;
  resolve(): void;
  reject(err: Error): void;
  /** resolve or reject was called. */
  settled: boolean;
  /** A copy sent again after a broken connection (its original already resolved). */
  replay?: boolean;
  /** The connection it was last written to (a late callback from an older one is ignored). */
  socket?: net.Socket;
}

/** OpenSSL verification and Node TLS identity errors: the peer's certificate was not accepted. */
function isCertificateError(err: Error): boolean {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return /^(ERR_TLS_|ERR_SSL_|UNABLE_TO_|CERT_|SELF_SIGNED|DEPTH_ZERO|HOSTNAME_MISMATCH)/.test(code);
}

const noop = () => undefined;

export class StreamTransport extends EventEmitter implements Transport {
  protected socket?: net.Socket;
  private isConnected = false;
  protected closed = false;
  private queue: Pending[] = [];
  /** The queue's messages and bytes, replay copies left out. */
  private queuedCount = 0;
  private queuedBytes = 0;
  /** Written on the current connection, oldest first, from `sentHead`: unsettled ones and the replay window. */
  private sent: Pending[] = [];
  private sentHead = 0;
  private sentBytes = 0;
  private unsettledInSent = 0;
  private attempt = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private connectTimer?: NodeJS.Timeout;
  private lastProblem?: string;
  protected readonly where: string;

  constructor(protected readonly options: ResolvedOptions) {
    super();
    this.where = endpoint(options.host, options.port);
    // Connect at once, so that an unreachable peer is reported before the first message.
    // (Deferred a turn so that a subclass's fields are initialised first.)
    queueMicrotask(() => this.connect());
  }

  get connected(): boolean {
    return this.isConnected;
  }

  /** Messages waiting (copies sent again after a broken connection are not counted: they are bounded by replayBytes). */
  get queued(): number {
    return this.queuedCount;
  }

  write(frame: Buffer, options: WriteOptions = {}): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.closed) return reject(new Error(`syslog sender to ${this.where} is closed`));
      const pending: Pending = { frame, tag: options.tag, resolve, reject, settled: false };
      if (this.isConnected && this.queue.length === 0 && this.socket && !this.socket.writableNeedDrain && this.canWrite()) {
        this.writeNow(this.socket, pending);
        return;
      }
      if (!options.force) {
        const { queueSize, queueBytes } = this.options;
        const why = this.isConnected ? 'slow peer' : 'not connected';
        if (this.queuedCount >= queueSize) {
          return reject(new Error(`syslog queue full: ${queueSize} messages already wait for ${this.where} (${why}); message rejected`));
        }
        if (this.queuedBytes + frame.length > queueBytes) {
          return reject(new Error(`syslog queue full: ${this.queuedBytes} bytes already wait for ${this.where} (${why}), queueBytes is ${queueBytes}; message of ${frame.length} bytes rejected`));
        }
      }
      this.queue.push(pending);
      this.count(pending, 1);
      this.emit('change');
      if (!this.socket && !this.reconnectTimer) this.connect();
    });
  }

  together<T>(writes: () => T): T {
    const socket = this.isConnected ? this.socket : undefined;
    socket?.cork();
    try {
      return writes();
    } finally {
      socket?.uncork();
    }
  }

  async close(): Promise<Unsent[]> {
    if (this.closed) return [];
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    clearTimeout(this.connectTimer);
    const socket = this.socket;
    this.socket = undefined; // its events are no longer a broken connection
    if (socket) {
      if (this.isConnected) await this.shutdown(socket);
      socket.destroy();
    }
    // What was written but never confirmed comes first, then the queue: the original order.
    const unsent: Pending[] = this.sent.slice(this.sentHead).filter((p) => !p.settled);
    unsent.push(...this.queue);
    this.sent = [];
    this.sentHead = 0;
    this.sentBytes = 0;
    this.unsettledInSent = 0;
    this.queue = [];
    this.queuedCount = 0;
    this.queuedBytes = 0;
    this.setConnected(false);
    return unsent.map((p) => ({ frame: p.frame, tag: p.tag, completed: p.replay === true, resolve: p.resolve, reject: p.reject }));
  }

  /** Ends the connection on our side: lets what is written flush, but never waits long. */
  protected shutdown(socket: net.Socket): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.end();
    });
  }

  /** Sent before any message on a new connection; the connection is ready when it resolves. */
  protected handshake(_socket: net.Socket): Promise<void> {
    return Promise.resolve();
  }

  /** The bytes written for one message. */
  protected encode(pending: Pending): Buffer {
    return pending.frame;
  }

  /** The kernel took the message's bytes: for TCP/TLS, that is all we can know. */
  protected written(pending: Pending): void {
    this.complete(pending);
  }

  /** Bytes from the peer (a syslog receiver sends none). */
  protected received(_socket: net.Socket, _chunk: Buffer): void {}

  /** How many bytes of settled messages to send again after a broken connection. */
  protected get replayWindow(): number {
    return this.options.replayBytes;
  }

  /** Whether another message may be written now (besides the socket's own back-pressure). */
  protected canWrite(): boolean {
    return true;
  }

  /** Messages written on the current connection and not settled yet. */
  protected get unsettledCount(): number {
    return this.unsettledInSent;
  }

  /** The message reached the peer as far as this transport can tell. */
  protected complete(pending: Pending): void {
    if (pending.settled) return;
    pending.settled = true;
    this.unsettledInSent--;
    pending.resolve();
    this.trimSent();
  }

  /** The peer refused the message for good. */
  protected refuse(pending: Pending, err: Error): void {
    if (pending.settled) return;
    pending.settled = true;
    this.unsettledInSent--;
    pending.reject(err);
    this.trimSent();
  }

  /** Writes what waits, if it may (a subclass's window opened). */
  protected resume(): void {
    this.pump();
  }

  /** Ends a connection the protocol cannot go on with (a subclass's reason). */
  protected abandon(socket: net.Socket, err: Error): void {
    socket.destroy(err);
  }

  private connect(): void {
    if (this.closed || this.socket) return;
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
      if (this.socket !== socket) return; // already handled, or closed by us
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
      this.handshake(socket).then(
        () => {
          if (this.socket !== socket) return;
          clearTimeout(timer);
          ready = true;
          this.attempt = 0;
          this.lastProblem = undefined;
          this.setConnected(true);
          this.pump();
        },
        (err: Error) => fail(err),
      );
    });
    socket.on('drain', () => this.pump());
    // Reading also keeps the stream flowing so that 'end' is seen.
    socket.on('data', (chunk: Buffer) => this.received(socket, chunk));
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
    this.requeueSent();
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
    while (this.queue.length > 0 && !socket.writableNeedDrain && this.canWrite()) {
      const pending = this.queue.shift() as Pending;
      this.count(pending, -1);
      this.writeNow(socket, pending);
      wrote = true;
    }
    if (wrote) this.emit('change');
  }

  private writeNow(socket: net.Socket, pending: Pending): void {
    pending.socket = socket;
    if (!pending.settled) this.unsettledInSent++;
    this.sent.push(pending);
    this.sentBytes += pending.frame.length;
    socket.write(this.encode(pending), (err) => {
      // An error breaks the connection: onBroken sends the message again.
      if (err || pending.socket !== socket) return;
      this.written(pending);
    });
  }

  /** Forgets settled messages beyond the replay window. */
  private trimSent(): void {
    const window = this.replayWindow;
    while (this.sentHead < this.sent.length) {
      const oldest = this.sent[this.sentHead];
      if (!oldest.settled || this.sentBytes - oldest.frame.length < window) break;
      this.sentBytes -= oldest.frame.length;
      this.sent[this.sentHead++] = undefined as unknown as Pending;
    }
    if (this.sentHead > 1024 && this.sentHead * 2 > this.sent.length) {
      this.sent = this.sent.slice(this.sentHead);
      this.sentHead = 0;
    }
  }

  /** The connection broke: what it carried unconfirmed, and the replay window, go first on the next one. */
  private requeueSent(): void {
    const carried = this.sent.slice(this.sentHead);
    this.sent = [];
    this.sentHead = 0;
    this.sentBytes = 0;
    this.unsettledInSent = 0;
    if (carried.length === 0) return;
    const again = carried.map((p): Pending => {
      if (!p.settled) {
        p.socket = undefined;
        return p;
      }
      return { frame: p.frame, tag: p.tag, resolve: noop, reject: noop, settled: true, replay: true };
    });
    for (const p of again) this.count(p, 1);
    this.queue.unshift(...again);
    this.emit('change');
  }

  private rejectQueued(err: Error): void {
    if (this.queue.length === 0) return;
    for (const pending of this.queue.splice(0)) {
      pending.settled = true;
      pending.reject(err);
    }
    this.queuedCount = 0;
    this.queuedBytes = 0;
    this.emit('change');
  }

  private count(pending: Pending, sign: 1 | -1): void {
    if (pending.replay) return;
    this.queuedCount += sign;
    this.queuedBytes += sign * pending.frame.length;
  }

  private setConnected(value: boolean): void {
    if (this.isConnected === value) return;
    this.isConnected = value;
    this.emit('change');
  }
}
