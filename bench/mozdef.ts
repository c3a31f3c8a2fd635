// MozDef sender throughput (issue 3, "Speed"): events built and validated, queued on a
// target and delivered to the loopback loginput emulator. HTTP (keep-alive, bounded
// concurrency; target ≥ 5,000 events/s) and bulk NDJSON (target ≥ 50,000 events/s).
// Each case runs in a child process so that its peak RSS is its own; the emulator
// runs in this process.
import { execFile } from 'node:child_process';
import os from 'node:os';
import { LoginputEmulator } from '../test/emulators/mozdef-loginput';
import { buildEvent, MozDefTarget, TargetOptions } from '../src/lib/mozdef';

interface Case {
  label: string;
  transport: 'http' | 'bulk';
  events: number;
  target: number;
  options: Partial<TargetOptions>;
}

const CASES: Case[] = [
  { label: 'http, keep-alive, 16 in flight', transport: 'http', events: 20_000, target: 5_000, options: { concurrency: 16 } },
  { label: 'bulk, batches of 1000, 4 in flight', transport: 'bulk', events: 200_000, target: 50_000, options: { batchSize: 1000, flushIntervalMs: 50, concurrency: 4 } },
];

/** Child side: build, queue and deliver `events` events; prints one JSON line. */
async function child(url: string, c: Case): Promise<void> {
  const host = { hostname: os.hostname(), processname: '/usr/bin/node-red', processid: process.pid };
  const target = new MozDefTarget({ url, transport: c.transport, maxQueue: c.events, ...c.options });
  target.start();
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (let n = 0; n < c.events; n++) {
    const { doc } = buildEvent({
      type: 'event', host,
      config: { summary: 'bench event', category: 'authentication', tags: 'bench, secflow', severity: 'WARNING' },
      msg: { details: { n, sourceipaddress: '10.0.0.1', username: `user${n % 100}` } },
    });
    target.enqueue({ kind: 'event', doc });
    // Yield now and then so delivery overlaps with building, as in a live flow.
    if (n % 2000 === 1999) await new Promise((r) => setImmediate(r));
  }
  if (!(await target.drained(120_000))) throw new Error('the queue did not drain within 120 s');
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const stats = target.stats();
  await target.close();
  process.stdout.write(`${JSON.stringify({ seconds, cpuSeconds, sent: stats.sent, failed: stats.failed, maxRssKb: process.resourceUsage().maxRSS })}\n`);
}

export async function run(): Promise<Array<Record<string, string | number>>> {
  const rows: Array<Record<string, string | number>> = [];
  for (const c of CASES) {
    const emu = new LoginputEmulator({ logBodies: false, logLimit: 1000 });
    const url = await emu.listen(0);
    // The emulator keeps what it publishes; the bench only needs the count.
    let published = 0;
    const drain = setInterval(() => { published += emu.published.length; emu.published.length = 0; }, 200);
    try {
      const out = await new Promise<string>((resolve, reject) => {
        execFile(process.execPath, ['--import', 'tsx', __filename, '--child', url, JSON.stringify(c)], { maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
          if (err) reject(new Error(`${c.label}: ${stderr || err.message}`));
          else resolve(stdout);
        });
      });
      clearInterval(drain);
      published += emu.published.length;
      const result = JSON.parse(out.trim().split('\n').pop()!) as { seconds: number; cpuSeconds: number; sent: number; failed: number; maxRssKb: number };
      if (published < c.events) throw new Error(`${c.label}: the emulator published ${published} of ${c.events} events`);
      const rate = c.events / result.seconds;
      rows.push({
        case: `mozdef ${c.label}`,
        events: c.events,
        'events/s': Math.round(rate),
        // Per CPU-second of the sender process: what the sender sustains on a core of its own.
        'events/CPU-s': Math.round(c.events / result.cpuSeconds),
        'peak RSS MB': Math.round(result.maxRssKb / 1024),
        target: rate >= c.target ? `>= ${c.target} ok` : `< ${c.target} MISSED`,
      });
    } finally {
      clearInterval(drain);
      await emu.close();
    }
  }
  return rows;
}

if (require.main === module) {
  const i = process.argv.indexOf('--child');
  if (i >= 0) {
    child(process.argv[i + 1], JSON.parse(process.argv[i + 2]) as Case).catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
  } else {
    run().then((rows) => console.table(rows), (err) => {
      console.error(err);
      process.exitCode = 1;
    });
  }
}

