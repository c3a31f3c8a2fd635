// Loopback emulator of MozDef's `loginput` service, written from the wire contract
// (W1–W3 of the MozDef contract): routes, status codes, what gets published to the
// `eventtask` exchange (incl. the /_bulk quirks), plus the modes the sender's tests
// need: broker down, queue unbound, nginx's 4 MiB limit, HTTPS. It reads no data
// files; the conformance suite replays the recording of the real loginput against it.
import { Emulator, EmuRequest, EmuResponse } from './framework';

export interface PublishedMessage {
  /** The route that published it. */
  route: string;
  message: unknown;
}

export interface LoginputOptions {
  tls?: { key: string | Buffer; cert: string | Buffer };
  logBodies?: boolean;
  logLimit?: number;
}

/**
 * How loginput publishes (contract W3): exchange `eventtask` (direct, durable),
 * routing key `eventtask`, JSON in UTF-8, persistent (delivery mode 2).
 */
export const LOGINPUT_AMQP = {
  exchange: 'eventtask',
  exchangeType: 'direct',
  durable: true,
  routingKey: 'eventtask',
  contentType: 'application/json',
  contentEncoding: 'utf-8',
  deliveryMode: 2,
} as const;

/** MozDef's nginx front: client_max_body_size 4m. */
export const NGINX_LIMIT_BYTES = 4 * 1024 * 1024;

export class LoginputEmulator extends Emulator {
  readonly published: PublishedMessage[] = [];
  /** Modes (contract E1). */
  brokerDown = false;
  brokerDownDelayMs = 50;
  unbound = false;
  nginxLimit = false;

  constructor(options: LoginputOptions = {}) {
    super({ name: 'mozdef-loginput', tls: options.tls, logBodies: options.logBodies, logLimit: options.logLimit });
    for (const path of ['/events', '/events/', '/nxlog', '/nxlog/']) this.publishing(['POST', 'PUT'], path, 'events', () => 'events', false);
    for (const path of ['/cef', '/cef/']) this.publishing(['POST', 'PUT'], path, 'cef', () => 'cef', false);
    this.publishing(['POST'], '/custom/:app', 'custom', (req) => req.params.app, true);
    for (const path of ['/_bulk', '/_bulk/']) {
      this.route('POST', path, 'bulk', (req) => this.guard(req, () => this.bulk(req)));
      this.route('*', path, 'bulk:405', () => ({ status: 405 }));
    }
    for (const path of ['/status', '/status/']) {
      this.route('GET', path, 'status', () => ({ status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"status": "ok", "service": "loginput"}' }));
    }
    this.route('GET', '/test', 'test', () => ({ status: 200, body: '' }));
    // [quirk] /_status is routed to the events index, whose empty body fails to parse.
    this.route('GET', '/_status', '_status', () => ({ status: 500, body: '' }));
    this.route('GET', '/__emulator/published', 'control:published', () => ({ body: this.published }));
  }

  /** Published messages only (what a consumer of the queue would read). */
  messages(): unknown[] {
    return this.published.map((p) => p.message);
  }

  private publishing(methods: string[], path: string, name: string, endpoint: (req: EmuRequest) => string, custom: boolean): void {
    for (const method of methods) {
      this.route(method, path, name, (req) => this.guard(req, () => {
        const body = parseObject(req.body);
        if (!body) return { status: 500, body: '' };
        const message: Record<string, unknown> = { ...body, endpoint: endpoint(req) };
        if (custom) message.customendpoint = true;
        this.publish(name, message);
        return { status: 200, body: '' };
      }));
    }
    this.route('*', path, `${name}:405`, () => ({ status: 405 }));
  }

  /** The checks every publishing route shares: nginx limit, gzip, broker down. */
  private async guard(req: EmuRequest, handle: () => EmuResponse): Promise<EmuResponse> {
    if (this.nginxLimit && Buffer.byteLength(req.body) > NGINX_LIMIT_BYTES) return { status: 413, body: '<html>413 Request Entity Too Large</html>' };
    if (String(req.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') return { status: 500, body: '' };
    if (this.brokerDown) {
      await new Promise((r) => setTimeout(r, this.brokerDownDelayMs));
      return { status: 500, body: '' };
    }
    return handle();
  }

  private publish(route: string, message: unknown): void {
    if (this.unbound) return; // loginput answers 200, the exchange drops it
    this.published.push({ route, message });
  }

  /** W2: whole-body JSON (array, or the object-keys bug), else NDJSON over 10 bytes. */
  private bulk(req: EmuRequest): EmuResponse {
    let whole: unknown;
    let parsed: boolean;
    try {
      whole = JSON.parse(req.body);
      parsed = true;
    } catch {
      parsed = false;
    }
    if (parsed) {
      if (Array.isArray(whole)) {
        for (const item of whole) if (!hasIndex(item)) this.publish('bulk', item);
        return { status: 200, body: '' };
      }
      if (whole !== null && typeof whole === 'object') {
        for (const key of Object.keys(whole)) this.publish('bulk', key);
        return { status: 200, body: '' };
      }
      return { status: 500, body: '' };
    }
    if (Buffer.byteLength(req.body) <= 10) return { status: 200, body: '' };
    for (const line of req.body.split('\n')) {
      if (line.trim() === '') continue;
      let item: unknown;
      try {
        item = JSON.parse(line);
      } catch {
        return { status: 500, body: '' }; // earlier lines stay published
      }
      if (!hasIndex(item)) this.publish('bulk', item);
    }
    return { status: 200, body: '' };
  }
}

function parseObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function hasIndex(item: unknown): boolean {
  return item !== null && typeof item === 'object' && !Array.isArray(item) && Object.prototype.hasOwnProperty.call(item, 'index');
}

/**
 * What MozDef's esworker (mq/esworker_eventtask.py keyMapping) makes of a published
 * message, for the keys secflow sends: a new document with the mapped keys only
 * (`endpoint` and unknown keys dropped), `processid` as a string, and
 * `receivedtimestamp`, `mozdefhostname`, `type` and `utctimestamp` added. A
 * custom-endpoint message bypasses the mapping (it goes to plugins) and is returned as is.
 */
export function esworkerKeyMapping(message: Record<string, unknown>, opts: { mozdefhostname: string; now?: Date }): Record<string, unknown> {
  if (message.customendpoint === true) return message;
  const out: Record<string, unknown> = {
    receivedtimestamp: pythonIso(opts.now ?? new Date()),
    mozdefhostname: opts.mozdefhostname,
    details: {},
  };
  for (const [rawKey, value] of Object.entries(message)) {
    const key = rawKey.replace(/^@/, '').toLowerCase();
    if (key === 'sourceip') (out.details as Record<string, unknown>).sourceipaddress = value;
    else if (key === 'facility' || key === 'source') out.source = value;
    else if (key === 'message' || key === 'summary') out.summary = value;
    else if (['eventtime', 'timestamp', 'utctimestamp', 'date'].includes(key)) {
      out.utctimestamp = pythonIso(new Date(String(value)), String(value));
      out.timestamp = out.utctimestamp;
    } else if (['hostname', 'source_host', 'host'].includes(key)) out.hostname = value;
    else if (key === 'tags') out.tags = [...((out.tags as unknown[]) ?? []), ...(Array.isArray(value) ? value : value ? [value] : [])];
    else if (key === 'category') out.category = value;
    else if (key === 'processid' || key === 'pid') out.processid = String(value);
    else if (['processname', 'process', 'sourcename', 'program'].includes(key)) out.processname = value;
    else if (key === 'severity') out.severity = value;
    else if (key === 'fields' || key === 'details') {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) Object.assign(out.details as object, value);
      else (out.details as Record<string, unknown>).message = value;
    }
  }
  out.type ??= 'event';
  if (out.utctimestamp === undefined) out.utctimestamp = out.receivedtimestamp;
  return out;
}

/** Python's datetime.isoformat() in UTC: microseconds when non-zero, `+00:00`. */
function pythonIso(date: Date, original?: string): string {
  // Keep the six fractional digits of a MozDef timestamp (JS dates hold milliseconds only).
  const micro = original && /\.(\d{6})/.exec(original)?.[1];
  const base = date.toISOString().slice(0, 19);
  const fraction = micro ?? `${date.toISOString().slice(20, 23)}000`;
  return `${base}${/^0+$/.test(fraction) ? '' : `.${fraction}`}+00:00`;
}

/** The demo sandbox's MozDef: accepts everything; GET /__emulator/published lists it. */
export async function startDemo(port: number): Promise<{ url: string; close(): Promise<void> }> {
  const emulator = new LoginputEmulator();
  // Keep the demo's memory bounded however long it runs.
  const url = await emulator.listen(port);
  const trim = setInterval(() => {
    if (emulator.published.length > 10_000) emulator.published.splice(0, emulator.published.length - 10_000);
  }, 10_000);
  trim.unref();
  return { url, close: async () => { clearInterval(trim); await emulator.close(); } };
}
