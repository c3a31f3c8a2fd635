// Carbon Black Cloud emulator (contract carbonblack-process-tree §4): the
// `X-Auth-Token: secret/id` check, the org key in the path, event search with
// segments (progressing, or stalled), start/rows paging capped at 10,000,
// num_available below num_found, criteria/query filtering, field projection,
// DESC sort, search validation, replay of recorded responses, and synthetic
// process trees with real-format GUIDs and childproc events.
import { Emulator, EmuRequest, EmuResponse, seededRandom } from './framework';
import { AlertStore, AuditStore } from './carbonblack-records';

export type Ev = Record<string, unknown>;

export interface CbcEmulatorOptions {
  orgKey?: string;
  apiId?: string;
  apiSecret?: string;
  /** Accept any X-Auth-Token, empty keys included (demo sandbox: example flows carry none). */
  demo?: boolean;
  seed?: number;
  /** Keep request bodies in the log (default true; benches turn it off). */
  logBodies?: boolean;
}

export interface SegmentConfig {
  total: number;
  /** Polls of one search until its segments are complete (1 = at once). */
  pollsToComplete: number;
  /** Never progress past the first poll's count. */
  stall?: boolean;
}

export interface TreeSpec {
  fanOut: number;
  depth: number;
  eventsPerProcess?: number;
  deviceId?: number;
  /** Epoch ms of the root's start. */
  startMs?: number;
  /** Each child is announced twice by its parent. */
  duplicateChildprocs?: boolean;
  /** netconn_remote_ipv4 forms to cycle through. */
  ipForms?: Array<'negative' | 'positive' | 'unsigned' | 'dotted'>;
  nonAscii?: boolean;
  awkwardText?: boolean;
  missingDescription?: boolean;
}

export interface SynthProcess {
  guid: string;
  pid: number;
  name: string;
  parentGuid: string | null;
  depth: number;
  children: string[];
}

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

export class CbcEmulator extends Emulator {
  readonly orgKey: string;
  private readonly apiId: string;
  private readonly apiSecret: string;
  private readonly demo: boolean;
  readonly processes = new Map<string, Ev[]>();
  segments: SegmentConfig = { total: 1, pollsToComplete: 1 };
  /** num_available cap (the backend's result-set limit); num_found stays the true count. */
  maxAvailable = Number.POSITIVE_INFINITY;
  /** Rate-limit block (CB's sliding window): until this emulator time every request gets 429. */
  private blockedUntil = 0;
  /** When set, a block starts after `max` requests within `windowMs`; requests during a block extend it. */
  rateWindow: { max: number; windowMs: number; blockSeconds: number } | undefined;
  private recent: number[] = [];
  /** Async process searches (search_jobs): job id → query, polls so far. */
  private readonly jobs = new Map<string, { body: Ev; polls: number }>();
  /** Polls of a search job before every searcher has answered (`contacted == completed`). */
  jobPollsToComplete = 2;
  private readonly polls = new Map<string, number>();
  private readonly replays = new Map<string, unknown[]>();
  private rand: () => number;
  /** Alerts v7 (`alerts:search`) and audit logs (`audit:search`). */
  readonly alerts: AlertStore;
  readonly audit: AuditStore;

  constructor(options: CbcEmulatorOptions = {}) {
    super({ name: 'carbonblack', seed: options.seed, logBodies: options.logBodies });
    this.orgKey = options.orgKey ?? 'ORGKEY01';
    this.apiId = options.apiId ?? 'APIID01';
    this.apiSecret = options.apiSecret ?? 'apisecret';
    this.demo = options.demo ?? false;
    this.rand = seededRandom(options.seed ?? 7);
    this.alerts = new AlertStore(this.orgKey);
    this.audit = new AuditStore(this.orgKey);
    this.route('POST', '/api/alerts/v7/orgs/:org/alerts/_search', 'alerts:search', (req) => this.guard(req, () => this.alerts.search((req.json ?? {}) as Ev)));
    this.route('POST', '/audit_log/v1/orgs/:org/logs/_search', 'audit:search', (req) => this.guard(req, () => this.audit.search((req.json ?? {}) as Ev)));
    this.route('POST', '/api/investigate/v2/orgs/:org/events/:guid/_search', 'events:search', (req) => this.guard(req, () => this.search(req)));
    this.route('POST', '/api/investigate/v2/orgs/:org/processes/search_jobs', 'processes:job', (req) => this.guard(req, () => this.startJob(req)));
    this.route('GET', '/api/investigate/v2/orgs/:org/processes/search_jobs/:job/results', 'processes:results', (req) => this.guard(req, () => this.jobResults(req)));
    this.route('GET', '/api/investigate/v1/orgs/:org/events/search_validation', 'events:validate', (req) => this.guard(req, () => this.validate(req.query.get('q') ?? req.query.get('query') ?? '')));
    this.route('POST', '/api/investigate/v1/orgs/:org/events/search_validation', 'events:validate-post', (req) => this.guard(req, () => this.validate(String((req.json as Ev | undefined)?.query ?? ''))));
  }

  /** The token a client must send. */
  get token(): string {
    return `${this.apiSecret}/${this.apiId}`;
  }

  private guard(req: EmuRequest, next: () => EmuResponse): EmuResponse {
    const throttled = this.throttle();
    if (throttled) return throttled;
    const token = req.headers['x-auth-token'];
    const ok = this.demo ? typeof token === 'string' : token === this.token;
    if (!ok) return { status: 401, body: { success: false, message: 'Authentication failed' } };
    if (req.params.org !== this.orgKey) return { status: 404, body: { error_code: 'NOT_FOUND', message: `org ${req.params.org} not found` } };
    return next();
  }

  /** Starts a rate-limit block now, for `seconds`. */
  block(seconds: number): void {
    this.blockedUntil = this.clock.now() + seconds * 1000;
  }

  private throttle(): EmuResponse | undefined {
    const now = this.clock.now();
    if (now < this.blockedUntil) {
      // CB: requests during a block extend it.
      this.blockedUntil = Math.max(this.blockedUntil, now + (this.rateWindow?.blockSeconds ?? 1) * 1000);
      return { status: 429, headers: { 'Retry-After': String(Math.ceil((this.blockedUntil - now) / 1000)) }, body: { error_code: 'TOO_MANY_REQUESTS', message: 'rate limit exceeded' } };
    }
    if (!this.rateWindow) return undefined;
    this.recent = this.recent.filter((t) => t > now - this.rateWindow!.windowMs);
    this.recent.push(now);
    if (this.recent.length > this.rateWindow.max) {
      this.recent = [];
      this.block(this.rateWindow.blockSeconds);
      return { status: 429, headers: { 'Retry-After': String(this.rateWindow.blockSeconds) }, body: { error_code: 'TOO_MANY_REQUESTS', message: 'rate limit exceeded' } };
    }
    return undefined;
  }

  /** Process search (v2 async): every stored process whose events match the query's fields. */
  private startJob(req: EmuRequest): EmuResponse {
    const id = `job-${this.jobs.size + 1}`;
    this.jobs.set(id, { body: (req.json ?? {}) as Ev, polls: 0 });
    return { body: { job_id: id } };
  }

  private jobResults(req: EmuRequest): EmuResponse {
    const job = this.jobs.get(req.params.job);
    if (!job) return { status: 404, body: { error_code: 'NOT_FOUND', message: `job ${req.params.job} not found` } };
    job.polls++;
    const q = String(job.body.query ?? '');
    const nameFilter = /process_name:(\S+)/.exec(q)?.[1];
    const processes: Ev[] = [];
    for (const [guid, events] of this.processes) {
      const first = events[events.length - 1] ?? {};
      const parent = [...this.processes.entries()].find(([, evs]) => evs.some((e) => e.childproc_process_guid === guid));
      const childproc = parent?.[1].find((e) => e.childproc_process_guid === guid);
      const name = String(childproc?.childproc_name ?? '/usr/bin/bash');
      if (nameFilter && !name.includes(nameFilter)) continue;
      processes.push({
        process_guid: guid, parent_guid: parent?.[0], parent_pid: parent ? Number.parseInt(parent[0].split('-')[2], 16) : undefined,
        process_name: name, device_name: 'demo-host', device_timestamp: first.event_timestamp, backend_timestamp: first.backend_timestamp,
        process_pid: [Number.parseInt(guid.split('-')[2], 16)], process_cmdline: [String(childproc?.childproc_cmdline ?? name)], process_username: ['root'],
      });
    }
    const complete = job.polls >= this.jobPollsToComplete;
    const start = Number(req.query.get('start') ?? 0);
    const rows = Number(req.query.get('rows') ?? 10);
    return {
      body: {
        contacted: 10,
        completed: complete ? 10 : 5,
        num_found: processes.length,
        num_available: processes.length,
        results: complete ? processes.slice(start, start + rows) : [],
      },
    };
  }

  private validate(q: string): EmuResponse {
    const valid = q.trim() !== '' && !/[()]\s*$/.test(q.replace(/\)\s*$/, '')) && (q.match(/\(/g)?.length ?? 0) === (q.match(/\)/g)?.length ?? 0);
    return { body: valid ? { valid: true, value_search_query: false } : { valid: false, value_search_query: false, invalid_message: 'unbalanced or empty query' } };
  }

  /** Serve these response bodies, in order, to searches of `guid` (the last one repeats). */
  replay(guid: string, responses: unknown[]): void {
    this.replays.set(guid, [...responses]);
  }

  addProcess(guid: string, events: Ev[]): void {
    this.processes.set(guid, events);
  }

  guidFor(deviceId: number, pid: number, startMs: number): string {
    // CB's start-time part: Windows FILETIME (100 ns since 1601) in hex.
    const filetime = BigInt(startMs + 11_644_473_600_000) * 10_000n;
    return `${this.orgKey}-${hex(deviceId, 8)}-${hex(pid, 8)}-00000000-${filetime.toString(16)}`;
  }

  /** Adds a synthetic tree; returns its processes in breadth-first order (root first). */
  addTree(spec: TreeSpec): SynthProcess[] {
    const device = spec.deviceId ?? 0x7ac4ca;
    const start = spec.startMs ?? Date.UTC(2024, 4, 1, 12, 0, 0);
    let nextPid = 2100 + Math.floor(this.rand() * 100);
    const all: SynthProcess[] = [];
    const rootPid = nextPid++;
    const root: SynthProcess = { guid: this.guidFor(device, rootPid, start), pid: rootPid, name: '/usr/bin/bash', parentGuid: null, depth: 0, children: [] };
    all.push(root);
    for (let i = 0; i < all.length; i++) {
      const p = all[i];
      if (p.depth >= spec.depth) continue;
      for (let c = 0; c < spec.fanOut; c++) {
        const pid = nextPid++;
        const child: SynthProcess = { guid: this.guidFor(device, pid, start + all.length * 1000), pid, name: `/usr/bin/tool-${p.depth + 1}-${c}`, parentGuid: p.guid, depth: p.depth + 1, children: [] };
        p.children.push(child.guid);
        all.push(child);
      }
    }
    const byGuid = new Map(all.map((p) => [p.guid, p]));
    all.forEach((p, index) => this.processes.set(p.guid, this.eventsFor(p, index, byGuid, spec, start)));
    return all;
  }

  private eventsFor(p: SynthProcess, index: number, byGuid: Map<string, SynthProcess>, spec: TreeSpec, start: number): Ev[] {
    const events: Ev[] = [];
    const base = start + index * 1000;
    let t = 0;
    const common = (type: string): Ev => ({
      backend_timestamp: new Date(base + 60_000).toISOString(),
      created_timestamp: new Date(base + 120_000).toISOString(),
      event_guid: `ev-${index}-${events.length}`,
      event_hash: `h${index}x${events.length}`,
      event_timestamp: new Date(base + 10 * ++t).toISOString(),
      event_type: type,
      legacy: false,
      process_guid: p.guid,
      process_pid: p.pid,
    });
    for (const childGuid of p.children) {
      const c = byGuid.get(childGuid) as SynthProcess;
      const times = spec.duplicateChildprocs ? 2 : 1;
      for (let k = 0; k < times; k++) {
        events.push({
          ...common('childproc'),
          childproc_cmdline: spec.awkwardText ? `${c.name} --msg "a, b"\nnext` : `${c.name} --run`,
          childproc_name: c.name,
          childproc_pid: c.pid,
          childproc_process_guid: c.guid,
          childproc_username: spec.nonAscii ? 'DOMAIN\\Jürgen 😀' : 'root',
          ...(spec.missingDescription ? {} : { event_description: `The application "<share><link>${p.name}</link></share>" invoked <accent>${c.name}</accent>.` }),
        });
      }
    }
    const forms = spec.ipForms ?? ['negative'];
    const others = Math.max(0, (spec.eventsPerProcess ?? 6) - events.length);
    for (let k = 0; k < others; k++) {
      const kind = k % 4;
      if (kind === 0) {
        const form = forms[Math.floor(k / 4) % forms.length];
        const ip = form === 'negative' ? -1062731519 : form === 'positive' ? 167772161 : form === 'unsigned' ? 3232235777 : '192.168.1.1';
        events.push({ ...common('netconn'), netconn_inbound: false, netconn_protocol: 'PROTO_UDP', netconn_remote_ipv4: ip, netconn_remote_port: 389, ...(spec.missingDescription ? {} : { event_description: 'The application established a <accent>UDP/389</accent> connection.' }) });
      } else if (kind === 1) {
        events.push({ ...common('modload'), modload_action: 'ACTION_LOADED_MODULE_DISCOVERED', modload_name: '/usr/lib/x86_64-linux-gnu/libc.so.6', modload_publisher_state: ['FILE_SIGNATURE_STATE_NOT_SIGNED'] });
      } else if (kind === 2) {
        events.push({ ...common('crossproc'), crossproc_action: ['ACTION_OPEN_PROCESS_HANDLE'], crossproc_name: spec.awkwardText ? 'c:\\path "quoted", here\\x.exe' : 'c:\\windows\\system32\\lsass.exe' });
      } else {
        events.push({ ...common('filemod'), filemod_action: ['ACTION_FILE_CREATE'], filemod_hash: ['d41d8cd98f00b204e9800998ecf8427e'], filemod_name: spec.nonAscii ? '/tmp/Ünïcödé.txt' : '/tmp/x.txt' });
      }
    }
    return events;
  }

  /** Adds `count` modload events to `guid` (for paging tests). */
  addManyEvents(guid: string, count: number, startMs = Date.UTC(2024, 4, 1)): void {
    const events: Ev[] = [];
    for (let i = 0; i < count; i++) {
      events.push({ event_guid: `bulk-${i}`, event_timestamp: new Date(startMs + i).toISOString(), event_type: 'modload', modload_name: `lib${i}.so`, modload_action: 'ACTION_LOADED_MODULE_DISCOVERED', process_guid: guid, process_pid: 1 });
    }
    this.processes.set(guid, events);
  }

  /** The `_search` handler (public so a test can wrap it, e.g. to count requests in flight). */
  search(req: EmuRequest): EmuResponse {
    const guid = req.params.guid.replace(/\\-/g, '-');
    const body = (req.json ?? {}) as Ev;
    const replay = this.replays.get(guid);
    if (replay) return { body: replay.length > 1 ? replay.shift() : replay[0] };
    const rows = body.rows === undefined ? 10 : Number(body.rows);
    const start = body.start === undefined ? 0 : Number(body.start);
    if (!Number.isInteger(rows) || rows < 0 || rows > 10_000) return { status: 400, body: { error_code: 'INVALID_ARGUMENT', message: 'rows must be between 0 and 10000' } };
    if (!Number.isInteger(start) || start < 0) return { status: 400, body: { error_code: 'INVALID_ARGUMENT', message: 'start must be a non-negative integer' } };
    let events = [...(this.processes.get(guid) ?? [])];
    const criteria = body.criteria as Record<string, unknown[]> | undefined;
    const wantedTypes = new Set<unknown>(criteria?.event_type ?? []);
    const q = String(body.query ?? '');
    const qType = /event_type:(\w+)/.exec(q);
    if (qType) wantedTypes.add(qType[1]);
    if (wantedTypes.size) events = events.filter((e) => wantedTypes.has(e.event_type));
    const range = body.time_range as { start?: string; end?: string } | undefined;
    if (range?.start && range.end) {
      const a = Date.parse(range.start);
      const b = Date.parse(range.end);
      events = events.filter((e) => {
        const t = Date.parse(String(e.event_timestamp));
        return t >= a && t <= b;
      });
    }
    const sort = (body.sort as Array<{ field: string; order?: string }> | undefined)?.[0];
    if (sort) {
      const dir = String(sort.order ?? 'ASC').toUpperCase() === 'DESC' ? -1 : 1;
      events.sort((x, y) => (String(x[sort.field]) < String(y[sort.field]) ? -dir : String(x[sort.field]) > String(y[sort.field]) ? dir : 0));
    }
    const fields = body.fields as string[] | undefined;
    if (fields && !fields.includes('*')) events = events.map((e) => Object.fromEntries(fields.filter((f) => f in e).map((f) => [f, e[f]])));
    // Segments: each identical request body is one search; count its polls.
    const key = `${guid}|${req.body}`;
    const poll = (this.polls.get(key) ?? 0) + 1;
    this.polls.set(key, poll);
    const { total, pollsToComplete, stall } = this.segments;
    const done = !stall && poll >= pollsToComplete;
    const processed = Math.min(total, done ? total : stall ? Math.max(1, Math.floor(total / 2)) : Math.max(1, Math.floor((total * poll) / pollsToComplete)));
    // While segments are still being searched, CB answers with what it found so far:
    // counts and results of the finished segments only (none at all after the first).
    const numFound = done ? events.length : Math.floor((events.length * (processed - 1)) / total);
    const numAvailable = Math.min(numFound, this.maxAvailable);
    return {
      body: {
        results: events.slice(start, Math.min(start + rows, numAvailable)),
        num_found: numFound,
        num_available: numAvailable,
        total_segments: total,
        processed_segments: processed,
      },
    };
  }
}

export async function startCbcEmulator(options: CbcEmulatorOptions = {}): Promise<CbcEmulator> {
  const emu = new CbcEmulator(options);
  await emu.listen(0);
  return emu;
}

/** The demo sandbox's CB Cloud: any credentials, org DEMOORG, a small seeded tree. */
export async function startDemo(port: number): Promise<{ url: string; close(): Promise<void>; rootGuid: string }> {
  const emu = new CbcEmulator({ demo: true, orgKey: 'DEMOORG', seed: 11 });
  const tree = emu.addTree({ fanOut: 2, depth: 2, eventsPerProcess: 6, startMs: Date.UTC(2024, 4, 1, 12, 0, 0) });
  // Alerts and audit logs of the last hour, so that a first run (since 1 day) finds them.
  const now = Date.now();
  emu.alerts.add({ count: 40, startMs: now - 3_600_000, stepMs: 60_000 });
  emu.audit.add({ count: 30, startMs: now - 3_600_000, stepMs: 90_000 });
  const url = await emu.listen(port);
  return { url, rootGuid: tree[0].guid, close: () => emu.close() };
}
