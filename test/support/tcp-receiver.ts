// A loopback TCP syslog receiver the test controls: it can stop reading (so the
// sender's kernel buffers fill), go away closing its sockets with unread data still
// in them (what a crashed or restarted SIEM collector does), and come back on the
// same port. It splits what it read into LF-terminated lines.
import net from 'node:net';

export class TcpReceiver {
  port = 0;
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  /** What each connection delivered, in connection order. */
  private connections: Buffer[][] = [];
  private paused = false;
  /** Bytes read so far. */
  bytesRead = 0;

  async listen(port = 0): Promise<number> {
    const server = net.createServer((socket) => {
      this.sockets.add(socket);
      const chunks: Buffer[] = [];
      this.connections.push(chunks);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
      socket.on('data', (d: Buffer) => {
        chunks.push(d);
        this.bytesRead += d.length;
      });
      if (this.paused) socket.pause();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Stops reading: the peer's writes pile up in the kernel buffers. */
  pause(): void {
    this.paused = true;
    for (const s of this.sockets) s.pause();
  }

  resume(): void {
    this.paused = false;
    for (const s of this.sockets) s.resume();
  }

  /** Closes every connection at once, unread data included (a reset), and stops listening. */
  async goAway(): Promise<void> {
    for (const s of this.sockets) s.resetAndDestroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same port. */
  async comeBack(): Promise<void> {
    this.paused = false;
    await this.listen(this.port);
  }

  /** Complete lines received so far (a connection's cut-off last line is left out). */
  lines(): string[] {
    const out: string[] = [];
    for (const chunks of this.connections) {
      const parts = Buffer.concat(chunks).toString('utf8').split('\n');
      parts.pop();
      out.push(...parts);
    }
    return out;
  }

  async close(): Promise<void> {
    await this.goAway();
  }
}
