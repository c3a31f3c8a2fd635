// Code42 extraction end to end: the lib extractor (HttpClient, v1 file-event
// flavour, cursor maths, a cursor store) reading from the Code42 emulator over
// loopback HTTP with pages of 10,000. The emulator runs in this process; each
// extraction runs in its own child process so that its peak RSS is its own.
// Targets: ≥ 100,000 events/s; peak RSS(1,000,000) ≤ 1.5 × peak RSS(100,000).
import { spawn } from 'node:child_process';
import { Code42Emulator } from '../test/emulators/code42';
import { Code42Client, V1FileEvents, runExtraction, reviveFileEventCursor, type FileEventCursor } from '../src/lib/code42';
import { CursorStore, type ContextLike } from '../src/lib/cursor';

const PAGE = 10_000;
// Node flags for the extraction child, e.g. SECFLOW_BENCH_NODE_FLAGS=--max-semi-space-size=64.
const CHILD_FLAGS = (process.env.SECFLOW_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);

interface ChildResult { events: number; ms: number; peakRssMb: number }

/** Runs in the child: extract everything, count events, report time and peak RSS. */
async function child(url: string): Promise<void> {
  const data = new Map<string, unknown>();
  const context: ContextLike = {
    get: (key, _s, cb) => setImmediate(() => cb(null, data.get(key))),
    set: (key, value, _s, cb) => setImmediate(() => { data.set(key, JSON.parse(JSON.stringify(value))); cb(); }),
  };
  const client = new Code42Client({ url, credentials: { authType: 'apiClient', id: 'bench', secret: 'bench' } });
  const flavour = new V1FileEvents(client, { groups: [], groupClause: 'AND', orMode: false, pageSize: PAGE, overlapMs: 0 });
  const store = new CursorStore<FileEventCursor>(context, { scope: 'node', key: 'bench' }, reviveFileEventCursor);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  let events = 0;
  const started = process.hrtime.bigint();
  const summary = await runExtraction(flavour, store, {
    deliver: (page) => {
      // A consumer that touches every event, as a formatter would.
      for (const e of page.items) if (e.eventId) events++;
    },
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
  client.close();
  if (summary.events !== events) throw new Error(`summary ${summary.events} ≠ delivered ${events}`);
  process.stdout.write(JSON.stringify({ events, ms, peakRssMb: peak / 1048576 } satisfies ChildResult));
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

async function extractFrom(count: number): Promise<ChildResult> {
  const emu = new Code42Emulator({ acceptAnyCredentials: true, logBodies: false });
  emu.addFileEvents({ count, startMs: Date.UTC(2026, 0, 1), stepMs: 1 });
  const url = await emu.listen();
  try {
    const result = await runChild(url);
    if (result.events !== count) throw new Error(`extracted ${result.events} of ${count}`);
    return result;
  } finally {
    await emu.close();
  }
}

export async function run(): Promise<Array<Record<string, string | number>>> {
  const small = await extractFrom(100_000);
  const large = await extractFrom(1_000_000);
  const row = (name: string, r: ChildResult) => ({
    case: `Code42 v1 file events, ${name}, pages of ${PAGE}`,
    events: r.events,
    seconds: Number((r.ms / 1000).toFixed(2)),
    'events/s': Math.round(r.events / (r.ms / 1000)),
    'peak RSS MB': Number(r.peakRssMb.toFixed(1)),
  });
  const ratio = large.peakRssMb / small.peakRssMb;
  return [
    row('100,000', small),
    { ...row('1,000,000', large), 'target events/s': '≥ 100000' },
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
