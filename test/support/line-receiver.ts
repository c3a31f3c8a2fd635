// A loopback TCP receiver that collects newline-delimited lines (a stand-in SIEM
// for syslog over TCP without octet counting). It can go away (closing its
// sockets, unread data included) and come back on the same port.
import net from 'node:net';

export class LineReceiver {
  readonly lines: string[] = [];
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private waiters: Array<{ count: number; resolve: () => void }> = [];
  port = 0;
  private paused = false;

  async listen(port = 0): Promise<number> {
    this.paused = false;
    const server = net.createServer((socket) => {
      this.sockets.add(socket);
      if (this.paused) socket.pause();
      let pending = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        pending += chunk;
        const parts = pending.split('\n');
        pending = parts.pop() ?? '';
        for (const line of parts) if (line) this.lines.push(line);
        this.wake();
      });
      socket.on('error', () => undefined);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Stops reading (the kernel's buffers fill, then the sender's writes back up). */
  pause(): void {
    this.paused = true;
    for (const socket of this.sockets) socket.pause();
  }

  /** Reads again. */
  resume(): void {
    this.paused = false;
    for (const socket of this.sockets) socket.resume();
  }

  /** Goes away: stops listening and resets every connection, whatever it had not read yet. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  waitFor(count: number, timeoutMs = 30_000): Promise<string[]> {
    if (this.lines.length >= count) return Promise.resolve(this.lines);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`receiver: expected ${count} lines, got ${this.lines.length} within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({ count, resolve: () => { clearTimeout(timer); resolve(this.lines); } });
    });
  }

  private wake(): void {
    const ready = this.waiters.filter((w) => this.lines.length >= w.count);
    this.waiters = this.waiters.filter((w) => this.lines.length < w.count);
    for (const w of ready) w.resolve();
  }
}
