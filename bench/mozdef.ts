// MozDef sender throughput (issue 3, "Speed"): events built and validated, queued on a
// target and delivered to the loopback loginput emulator. HTTP (keep-alive, bounded
// concurrency; target ≥ 5,000 events/s) and bulk NDJSON (target ≥ 50,000 events/s).
// Each case runs in a child process so that its peak RSS is its own; the emulator
// runs in this process. The child warms up first (a node that has been running), then
// sends ROUNDS measured runs; a row shows their median rate, and their range.
import { execFile } from 'node:child_process';
import os from 'node:os';
import { LoginputEmulator } from '../test/emulators/mozdef-loginput';
import { buildEvent, MozDefTarget, TargetOptions } from '../src/lib/mozdef';
import { median, ownPeakRssBytes } from './_proc';

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

/** Events sent untimed first: JIT warm-up and sockets, as in a node that has been running. */
const WARM_UP_EVENTS = 3_000;

/** Builds, queues and delivers `count` events; resolves when the target has drained. */
async function sendEvents(target: MozDefTarget, count: number): Promise<void> {
  const host = { hostname: os.hostname(), processname: '/usr/bin/node-red', processid: process.pid };
  for (let n = 0; n < count; n++) {
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
}

/** Measured rounds after the warm-up; a row shows their median (and range): the shared 2-core machine is noisy. */
const ROUNDS = 3;

interface Round { seconds: number; cpuSeconds: number }
interface ChildResult { rounds: Round[]; coldSeconds: number; sent: number; failed: number; maxRssKb: number }

/**
 * Child side: a warm-up of WARM_UP_EVENTS (timed apart, as the cold rate), then
 * ROUNDS measured runs of `c.events` each; prints one JSON line (ChildResult).
 */
async function child(url: string, c: Case): Promise<void> {
  const target = new MozDefTarget({ url, transport: c.transport, maxQueue: Math.max(c.events, WARM_UP_EVENTS), ...c.options });
  target.start();
  const coldStart = process.hrtime.bigint();
  await sendEvents(target, WARM_UP_EVENTS);
  const coldSeconds = Number(process.hrtime.bigint() - coldStart) / 1e9;
  const rounds: Round[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    await sendEvents(target, c.events);
    const cpu = process.cpuUsage(cpuStart);
    rounds.push({ seconds: Number(process.hrtime.bigint() - start) / 1e9, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  }
  const stats = target.stats();
  await target.close();
  const result: ChildResult = { rounds, coldSeconds, sent: stats.sent - WARM_UP_EVENTS, failed: stats.failed, maxRssKb: ownPeakRssBytes() / 1024 };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

export async function run(): Promise<Array<Record<string, string | number>>> {
  const rows: Array<Record<string, string | number>> = [];
  for (const c of CASES) {
    const emu = new LoginputEmulator({ logBodies: false, logLimit: 1000 });
    const url = await emu.listen(0);
    const load = os.loadavg()[0];
    const emulatorCpu = process.cpuUsage();
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
      const emulatorUsed = process.cpuUsage(emulatorCpu);
      published += emu.published.length;
      const result = JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
      const total = c.events * ROUNDS;
      if (result.sent !== total || result.failed > 0) throw new Error(`${c.label}: sent ${result.sent} of ${total}, ${result.failed} failed`);
      if (published < total + WARM_UP_EVENTS) throw new Error(`${c.label}: the emulator published ${published} of ${total + WARM_UP_EVENTS} events`);
      const rates = result.rounds.map((r) => c.events / r.seconds);
      const rate = median(rates);
      rows.push({
        case: `mozdef ${c.label}`,
        events: `${ROUNDS} × ${c.events}`,
        'events/s': Math.round(rate),
        'events/s range': `${Math.round(Math.min(...rates))}–${Math.round(Math.max(...rates))}`,
        // Per CPU-second of the sender process: what the sender sustains on a core of its own.
        'events/CPU-s': Math.round(median(result.rounds.map((r) => c.events / r.cpuSeconds))),
        // The emulator's side (this process), over the warm-up and the measured events.
        'emulator CPU µs/event': Math.round((emulatorUsed.user + emulatorUsed.system) / (total + WARM_UP_EVENTS)),
        'peak RSS MB': Math.round(result.maxRssKb / 1024),
        // The untimed warm-up: a cold process's first events, sockets opened.
        'cold warm-up events/s': Math.round(WARM_UP_EVENTS / result.coldSeconds),
        'load avg 1 min': `${load.toFixed(1)} → ${os.loadavg()[0].toFixed(1)} (${os.cpus().length} CPUs)`,
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

