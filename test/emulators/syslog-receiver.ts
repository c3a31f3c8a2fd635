// A syslog receiver standing in for a SIEM: TCP (RFC 6587 octet counting or LF
// framing, told apart per message) and UDP (one message per datagram) on one
// loopback port. What it received is on its HTTP side:
//   GET    /__emulator/syslog  → {received: {tcp, udp, total}, lines: [{at, transport, line}]}
//   DELETE /__emulator/syslog  → forgets everything
// The demo sandbox runs one on 127.0.0.1:15514 for the example flows.
import dgram from 'node:dgram';
import net from 'node:net';
import { Emulator } from './framework';

export interface ReceivedLine {
  at: string;
  transport: 'tcp' | 'udp';
  line: string;
}

const OCTET_PREFIX = /^([1-9]\d{0,8}) /;

/** Splits a TCP stream into syslog messages: `LEN SP MSG` or `MSG LF`, whichever each message starts with. */
export class SyslogFramer {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): string[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: string[] = [];
    for (;;) {
      // The length prefix is ASCII: look at its bytes only.
      const octet = OCTET_PREFIX.exec(this.pending.subarray(0, 11).toString('latin1'));
      if (octet) {
        const start = octet[0].length;
        const end = start + Number(octet[1]);
        if (this.pending.length < end) break;
        out.push(this.pending.subarray(start, end).toString('utf8').replace(/\n$/, ''));
        this.pending = this.pending.subarray(end);
        continue;
      }
      const lf = this.pending.indexOf(0x0a);
      if (lf < 0) break;
      out.push(this.pending.subarray(0, lf).toString('utf8'));
      this.pending = this.pending.subarray(lf + 1);
    }
    return out;
  }
}

export class SyslogReceiver {
  readonly received = { tcp: 0, udp: 0 };
  /** The latest lines, at most `keep`. */
  readonly lines: ReceivedLine[] = [];
  readonly http = new Emulator({ name: 'syslog receiver' });
  private tcp?: net.Server;
  private udp?: dgram.Socket;
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly options: { keep?: number; onLine?: (line: ReceivedLine) => void } = {}) {
    this.http.route('GET', '/__emulator/syslog', 'control:syslog', () => ({
      body: { received: { ...this.received, total: this.received.tcp + this.received.udp }, lines: this.lines },
    }));
    this.http.route('DELETE', '/__emulator/syslog', 'control:syslog-reset', () => {
      this.received.tcp = 0;
      this.received.udp = 0;
      this.lines.length = 0;
      return { status: 204 };
    });
  }

  private add(transport: 'tcp' | 'udp', line: string): void {
    this.received[transport]++;
    const entry = { at: new Date().toISOString(), transport, line };
    this.lines.push(entry);
    const keep = this.options.keep ?? 1000;
    if (this.lines.length > keep) this.lines.splice(0, this.lines.length - keep);
    this.options.onLine?.(entry);
  }

  /** Listens for syslog on `port` (TCP and UDP, 127.0.0.1) and serves what arrived on `httpPort`. */
  async listen(port = 0, httpPort = 0): Promise<{ port: number; url: string }> {
    this.tcp = net.createServer((socket) => {
      this.sockets.add(socket);
      const framer = new SyslogFramer();
      socket.on('data', (chunk: Buffer) => {
        for (const line of framer.push(chunk)) this.add('tcp', line);
      });
      socket.on('error', () => socket.destroy());
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      this.tcp!.once('error', reject);
      this.tcp!.listen(port, '127.0.0.1', () => resolve());
    });
    const bound = (this.tcp.address() as net.AddressInfo).port;
    this.udp = dgram.createSocket({ type: 'udp4' });
    this.udp.on('message', (datagram) => this.add('udp', datagram.toString('utf8').replace(/\n$/, '')));
    await new Promise<void>((resolve, reject) => {
      this.udp!.once('error', reject);
      this.udp!.bind(bound, '127.0.0.1', () => resolve());
    });
    const url = await this.http.listen(httpPort);
    return { port: bound, url: `${url}/__emulator/syslog` };
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([
      new Promise<void>((resolve) => (this.tcp ? this.tcp.close(() => resolve()) : resolve())),
      new Promise<void>((resolve) => (this.udp ? this.udp.close(() => resolve()) : resolve())),
      this.http.close(),
    ]);
  }
}

/**
 * The demo sandbox's receiver: syslog on `port`, what arrived on `httpPort`, and a
 * line on the console at most every 5 s while messages arrive (count and the latest).
 */
export async function startDemo(port: number, httpPort: number, log: (line: string) => void = console.log): Promise<{ url: string; close(): Promise<void> }> {
  let reported = 0;
  let latest = '';
  const receiver = new SyslogReceiver({ onLine: (entry) => { latest = entry.line; } });
  const bound = await receiver.listen(port, httpPort);
  const timer = setInterval(() => {
    const total = receiver.received.tcp + receiver.received.udp;
    if (total === reported) return;
    log(`  sandbox syslog :${bound.port}: ${total - reported} new (total ${total}; TCP ${receiver.received.tcp}, UDP ${receiver.received.udp}), latest: ${JSON.stringify(latest.slice(0, 160))}`);
    reported = total;
  }, 5000);
  timer.unref();
  return {
    url: `tcp+udp://127.0.0.1:${bound.port} (received: ${bound.url})`,
    async close() {
      clearInterval(timer);
      await receiver.close();
    },
  };
}
