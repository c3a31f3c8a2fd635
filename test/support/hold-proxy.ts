// A loopback TCP proxy in front of a real server that can hold back what the server
// sends (its acknowledgements) while passing on everything the client sends.
import net from 'node:net';

export class HoldProxy {
  port = 0;
  /** While true, server → client bytes wait. */
  holding = false;
  private server?: net.Server;
  private readonly held: Array<() => void> = [];
  private readonly sockets = new Set<net.Socket>();

  constructor(private readonly target: number) {}

  async listen(): Promise<number> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.on('data', (d: Buffer) => upstream.write(d));
      upstream.on('data', (d: Buffer) => {
        if (this.holding) this.held.push(() => client.write(d));
        else client.write(d);
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  /** Passes on what was held, in order, and stops holding. */
  release(): void {
    this.holding = false;
    for (const send of this.held.splice(0)) send();
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
