// UDP: one datagram per message. A connected socket lets the kernel report an
// ICMP "port unreachable" (ECONNREFUSED) instead of dropping it unseen; UDP
// cannot say which datagram was lost, so that is reported as a connection error.
import dgram from 'node:dgram';
import dns from 'node:dns';
import { EventEmitter } from 'node:events';
import { MAX_UDP_PAYLOAD } from './format';
import type { ResolvedOptions } from './options';
import { describe, endpoint, type Transport, type Unsent } from './transport';

const REPEAT_MS = 30_000;

export class DatagramTransport extends EventEmitter implements Transport {
  private socket?: Promise<dgram.Socket>;
  private isConnected = false;
  private closed = false;
  private lastProblem?: string;
  private lastProblemAt = 0;
  private readonly where: string;

  constructor(private readonly options: ResolvedOptions) {
    super();
    this.where = endpoint(options.host, options.port);
  }

  get connected(): boolean {
    return this.isConnected;
  }

  get queued(): number {
    return 0;
  }

  async write(frame: Buffer): Promise<void> {
    if (this.closed) throw new Error(`syslog sender to ${this.where} is closed`);
    if (frame.length > MAX_UDP_PAYLOAD) {
      throw new Error(`syslog message is ${frame.length} bytes, over the UDP limit of ${MAX_UDP_PAYLOAD.toLocaleString('en-US')} bytes; use TCP or TLS for larger messages`);
    }
    const socket = await this.open();
    await new Promise<void>((resolve, reject) => {
      socket.send(frame, (err) => {
        if (!err) return resolve();
        // A pending ICMP error surfaces here, and the kernel did not send this datagram.
        this.setConnected(false);
        reject(new Error(`syslog UDP send to ${this.where} failed: ${describe(err)}`));
        this.problem(new Error(`syslog UDP peer ${this.where} is not receiving: ${describe(err)}`));
      });
    });
    this.setConnected(true);
  }

  /** UDP queues nothing: there is never anything to hand back. */
  async close(): Promise<Unsent[]> {
    this.closed = true;
    const pending = this.socket;
    this.socket = undefined;
    if (!pending) return [];
    const socket = await pending.catch(() => undefined);
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
    this.setConnected(false);
    return [];
  }

  private open(): Promise<dgram.Socket> {
    if (!this.socket) {
      this.socket = this.createSocket();
      // A failed lookup or connect is retried on the next message.
      this.socket.catch(() => (this.socket = undefined));
    }
    return this.socket;
  }

  private async createSocket(): Promise<dgram.Socket> {
    let address: dns.LookupAddress;
    try {
      address = await dns.promises.lookup(this.options.host);
    } catch (err) {
      throw this.problem(new Error(`cannot resolve syslog host ${this.options.host}: ${describe(err)}`));
    }
    const socket = dgram.createSocket(address.family === 6 ? 'udp6' : 'udp4');
    socket.on('error', (err) => {
      this.setConnected(false);
      this.problem(new Error(`syslog UDP peer ${this.where} is not receiving: ${describe(err)}`));
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(this.options.port, address.address, () => {
        socket.off('error', reject);
        resolve();
      });
    }).catch((err: unknown) => {
      socket.close();
      throw this.problem(new Error(`cannot open UDP socket to ${this.where}: ${describe(err)}`));
    });
    if (this.closed) {
      socket.close();
      throw new Error(`syslog sender to ${this.where} is closed`);
    }
    return socket;
  }

  /** Emits a connection error; the same one again only after REPEAT_MS, as ICMP errors come once per datagram. */
  private problem(err: Error): Error {
    const now = Date.now();
    if (err.message !== this.lastProblem || now - this.lastProblemAt >= REPEAT_MS) {
      this.lastProblem = err.message;
      this.lastProblemAt = now;
      this.emit('connectionError', err);
    }
    return err;
  }

  private setConnected(value: boolean): void {
    if (this.isConnected === value) return;
    this.isConnected = value;
    this.emit('change');
  }
}
