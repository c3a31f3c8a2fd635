// Records every outgoing HTTP request of this process (node:http/https through
// diagnostics_channel, undici through its own channel) with its destination,
// headers and body, and stops any request not addressed to an allowed port on
// loopback before it connects: a test can then see where a URL form would
// have sent its credentials without anything leaving the machine.
import diagnostics from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';

export interface Outbound {
  via: 'http' | 'undici';
  host: string;
  port: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  blocked: boolean;
}

export class OutboundRecorder {
  readonly requests: Outbound[] = [];
  private readonly onHttp = (message: unknown) => this.http((message as { request: ClientRequest }).request);
  private readonly onUndici = (message: unknown) => this.undici((message as { request: { origin: string | URL; method: string; path: string; headers: unknown; body?: unknown } }).request);

  /** `allowedPorts`: the emulators' ports on 127.0.0.1; everything else is stopped. */
  constructor(private readonly allowedPorts: () => number[]) {
    diagnostics.subscribe('http.client.request.start', this.onHttp);
    diagnostics.subscribe('undici:request:create', this.onUndici);
  }

  close(): void {
    diagnostics.unsubscribe('http.client.request.start', this.onHttp);
    diagnostics.unsubscribe('undici:request:create', this.onUndici);
  }

  take(): Outbound[] {
    return this.requests.splice(0);
  }

  private allowed(host: string, port: number): boolean {
    return host === '127.0.0.1' && this.allowedPorts().includes(port);
  }

  private http(req: ClientRequest): void {
    const r = req as ClientRequest & { host: string; protocol: string; agent?: { defaultPort?: number } };
    const hostHeader = String(req.getHeader('host') ?? r.host);
    const portText = /:(\d+)$/.exec(hostHeader)?.[1];
    const port = portText ? Number(portText) : r.protocol === 'https:' ? 443 : 80;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.getHeaders())) headers[k.toLowerCase()] = String(v);
    const entry: Outbound = { via: 'http', host: r.host, port, method: req.method, path: req.path, headers, body: '', blocked: false };
    this.requests.push(entry);
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown) => {
      if (chunk && typeof chunk !== 'function') chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      entry.body = Buffer.concat(chunks).toString('utf8');
    };
    const write = req.write.bind(req);
    const end = req.end.bind(req);
    req.write = ((chunk: unknown, ...rest: unknown[]) => { keep(chunk); return (write as (...a: unknown[]) => boolean)(chunk, ...rest); }) as typeof req.write;
    req.end = ((chunk?: unknown, ...rest: unknown[]) => { keep(chunk); return (end as (...a: unknown[]) => ClientRequest)(chunk, ...rest); }) as typeof req.end;
    if (!this.allowed(r.host, port)) {
      entry.blocked = true;
      req.destroy(new Error(`test: request to ${r.host}:${port} stopped (not an emulator)`));
    }
  }

  private undici(request: { origin: string | URL; method: string; path: string; headers: unknown; body?: unknown }): void {
    const origin = new URL(String(request.origin));
    const port = origin.port ? Number(origin.port) : origin.protocol === 'https:' ? 443 : 80;
    const headers: Record<string, string> = {};
    const h = request.headers;
    if (Array.isArray(h)) for (let i = 0; i + 1 < h.length; i += 2) headers[String(h[i]).toLowerCase()] = String(h[i + 1]);
    else if (typeof h === 'string') for (const line of h.split('\r\n')) { const at = line.indexOf(':'); if (at > 0) headers[line.slice(0, at).toLowerCase()] = line.slice(at + 1).trim(); }
    const body = typeof request.body === 'string' ? request.body : Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
    // undici requests cannot be stopped from here: tests route them (discord) to an emulator.
    this.requests.push({ via: 'undici', host: origin.hostname, port, method: request.method, path: request.path, headers, body, blocked: !this.allowed(origin.hostname, port) });
  }
}
