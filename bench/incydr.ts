// Incydr v2 file-event extraction end to end: the lib extractor as the file-event
// node drives it in incydr mode (HttpClient with OAuth, the Incydr flavour, cursor
// maths, a cursor store saved after each page, one message object per event)
// reading `POST /v2/file-events` from the Incydr emulator over loopback with pages
// of 10,000. The emulator runs in this process; each extraction runs in its own
// child process so that its peak RSS is its own.
// Targets (issue 7): ≥ 100,000 events/s; peak RSS(1,000,000) ≤ 1.5 × peak RSS(100,000).
import { spawn } from 'node:child_process';
import os from 'node:os';
import { IncydrEmulator } from '../test/emulators/incydr';
import { IncydrClient, IncydrFileEvents, reviveIncydrFileEventCursor, runExtraction, type IncydrFileEventCursor } from '../src/lib/code42';
import { CursorStore, type ContextLike } from '../src/lib/cursor';

const PAGE = Number(process.env.SECFLOW_INCYDR_BENCH_PAGE ?? 10_000);
const START_MS = Date.UTC(2026, 0, 1);
const CHILD_FLAGS = (process.env.SECFLOW_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);

interface ChildResult { events: number; pages: number; ms: number; cpuMs: number; peakRssMb: number }

/** Runs in the child: extract everything, build each event's message, report time, CPU and peak RSS. */
async function child(url: string): Promise<void> {
  const data = new Map<string, unknown>();
  // A context store that copies on write and answers asynchronously, as Node-RED's do.
  const context: ContextLike = {
    get: (key, _s, cb) => setImmediate(() => cb(null, data.get(key))),
    set: (key, value, _s, cb) => setImmediate(() => { data.set(key, JSON.parse(JSON.stringify(value))); cb(); }),
  };
  const client = new IncydrClient({ url, credentials: { clientId: 'bench', secret: 'bench' } });
  const flavour = new IncydrFileEvents(client, { groups: [], groupClause: 'AND', orMode: false, pageSize: PAGE, overlapMs: 60_000, sinceMs: START_MS });
  const store = new CursorStore<IncydrFileEventCursor>(context, { scope: 'node', key: 'bench' }, reviveIncydrFileEventCursor);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  let events = 0;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const summary = await runExtraction(flavour, store, {
    deliver: (page) => {
      // What the node does per event (output "event"), minus Node-RED's own send.
      const info = { kind: 'file-event', page: page.info.page, received: page.info.received, skipped: page.info.skipped, totalCount: page.info.totalCount, cursor: flavour.cursorTime(page.cursor) };
      for (let i = 0; i < page.items.length; i++) {
        const item = page.items[i];
        const msg = { payload: item, topic: flavour.itemType(item) ?? 'file-event', code42: { ...info, index: i } };
        if (msg.payload.event.id) events++;
      }
    },
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
  client.close();
  if (summary.events !== events) throw new Error(`summary ${summary.events} ≠ delivered ${events}`);
  process.stdout.write(JSON.stringify({ events, pages: summary.pages, ms, cpuMs: (used.user + used.system) / 1000, peakRssMb: peak / 1048576 } satisfies ChildResult));
}

function runChild(url: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...CHILD_FLAGS, '--import', 'tsx', __filename, '--child', url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    proc.on('error', reject);
    proc.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as ChildResult) : reject(new Error(`bench child exited with ${code}`))));
  });
}

interface Measured extends ChildResult { emulatorCpuMs: number; load: string }

async function extractFrom(count: number): Promise<Measured> {
  const emu = new IncydrEmulator({ acceptAnyCredentials: true, logBodies: false });
  emu.addFileEvents({ count, insertedMs: START_MS, stepMs: 1, returnIds: false });
  const url = await emu.listen();
  try {
    const load = os.loadavg()[0];
    const cpu = process.cpuUsage();
    const result = await runChild(url);
    const used = process.cpuUsage(cpu);
    if (result.events !== count) throw new Error(`extracted ${result.events} of ${count}`);
    return { ...result, emulatorCpuMs: (used.user + used.system) / 1000, load: `${load.toFixed(1)} → ${os.loadavg()[0].toFixed(1)} (${os.cpus().length} CPUs)` };
  } finally {
    await emu.close();
  }
}

export async function run(): Promise<Array<Record<string, string | number>>> {
  const small = await extractFrom(100_000);
  const large = await extractFrom(1_000_000);
  const row = (name: string, r: Measured) => ({
    case: `Incydr v2 file events, ${name}, pages of ${PAGE}`,
    events: r.events,
    pages: r.pages,
    seconds: Number((r.ms / 1000).toFixed(2)),
    'events/s': Math.round(r.events / (r.ms / 1000)),
    target: '≥ 100000',
    'extractor CPU µs/event': Number(((r.cpuMs * 1000) / r.events).toFixed(2)),
    'events per extractor CPU-s': Math.round(r.events / (r.cpuMs / 1000)),
    'emulator CPU µs/event': Number(((r.emulatorCpuMs * 1000) / r.events).toFixed(2)),
    'peak RSS MB': Number(r.peakRssMb.toFixed(1)),
    'load avg 1 min': r.load,
  });
  const ratio = large.peakRssMb / small.peakRssMb;
  return [
    row('100,000', small),
    row('1,000,000', large),
    { case: 'peak RSS ratio 1,000,000 / 100,000', ratio: Number(ratio.toFixed(2)), target: '≤ 1.5', result: ratio <= 1.5 ? 'ok' : 'over' },
  ];
}

if (process.argv[2] === '--child') {
  child(process.argv[3]).catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
} else if (require.main === module) {
  run().then((rows) => console.table(rows), (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
