// Process-tree and auditd benchmarks (issue 5):
//  - tree building for 10k, 100k and 1M synthetic Linux exec events, each in its
//    own child process so that its peak RSS is its own (target: 1M < 5 s, < 1.5 GB);
//  - auditd parsing throughput on ~50 MB of generated raw log (target ≥ 50 MB/s),
//    each mode in its own child process too (not the bench runner's heap).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildProcessTree } from '../src/lib/proctree/build';
import { LX_SCHEMA } from '../src/lib/proctree/schema';
import { parseAuditd } from '../src/lib/auditd/parse';
import { generatedAuditdLog } from './_auditd-log';
import { ownPeakRssBytes } from './_proc';

const SIZES = [10_000, 100_000, 1_000_000];

/**
 * A seeded forest like a busy host's: each process forks from a recent one (or
 * a long-lived one, or an unknown parent), trees at most 12 deep as real ones
 * are; pids wrap at 4M so some are reused. Rows are shuffled.
 */
export function syntheticExecs(n: number, seed = 1): Array<Record<string, unknown>> {
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const base = Date.UTC(2024, 0, 1);
  const rows: Array<Record<string, unknown>> = new Array(n);
  const pids = new Int32Array(n);
  const depth = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const pid = 1000 + (i % 4_000_000);
    pids[i] = pid;
    // Mostly recent parents, sometimes a long-lived one, sometimes unknown.
    const r = rand();
    let parent = i === 0 || r < 0.02 ? -1 : r < 0.2 ? Math.floor(rand() * i) : Math.max(0, i - 1 - Math.floor(rand() * 50));
    if (parent >= 0 && depth[parent] >= 11) parent = -1;
    depth[i] = parent < 0 ? 0 : depth[parent] + 1;
    const us = (base + i * 3) * 1000 + Math.floor(rand() * 1000);
    rows[i] = {
      EventType: 'SYSCALL_EXECVE',
      Computer: 'bench-host',
      TimeGenerated: new Date(Math.floor(us / 1000)).toISOString(),
      pid,
      ppid: parent < 0 ? 1 : pids[parent],
      exe: `/usr/bin/tool${i % 97}`,
      cmdline: `tool${i % 97} --n ${i}`,
      uid: 0,
      ses: 1,
    };
  }
  // Shuffle so that the builder really sorts.
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = rows[i];
    rows[i] = rows[j];
    rows[j] = t;
  }
  return rows;
}

function childMeasure(n: number): { n: number; ms: number; cpuMs: number; rssMb: number; processes: number; depth: number } {
  const rows = syntheticExecs(n);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const tree = buildProcessTree(rows, { schema: LX_SCHEMA });
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  return { n, ms, cpuMs: (cpu.user + cpu.system) / 1000, rssMb: ownPeakRssBytes() / 1048576, processes: tree.summary.Processes, depth: tree.summary.LargestTreeDepth };
}

/**
 * In a child process of its own (a fresh heap, its own peak RSS, as the tree builds):
 * three timed passes of parseAuditd over ~50 MB of generated log, after a warm-up.
 */
function auditdMeasure(mode: 'default' | 'compat'): { bytes: number; events: number; rates: number[]; rssMb: number } {
  const text = generatedAuditdLog(50);
  const bytes = Buffer.byteLength(text);
  parseAuditd(text.slice(0, 1_000_000), { mode }); // warm-up
  // Three timed passes over the 50 MB; the row shows their median and range (the
  // shared machine is noisy, and the first pass still tiers up the parser).
  const rates: number[] = [];
  let events = 0;
  for (let pass = 0; pass < 3; pass++) {
    const t0 = performance.now();
    events = parseAuditd(text, { mode }).length;
    rates.push(bytes / 1024 / 1024 / ((performance.now() - t0) / 1000));
  }
  return { bytes, events, rates, rssMb: ownPeakRssBytes() / 1048576 };
}

/** Runs this file in a child process (`nodeFlags`, then `args`) and returns the JSON of the last line it printed. */
function inChild<T>(nodeFlags: string[], args: string[]): T {
  const out = execFileSync(process.execPath, ['--import', 'tsx', ...nodeFlags, path.resolve(__dirname, 'proctree.ts'), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop() as string) as T;
}

export async function run(): Promise<Array<Record<string, string | number>>> {
  const rows: Array<Record<string, string | number>> = [];
  for (const n of SIZES) {
    const m = inChild<ReturnType<typeof childMeasure>>(['--max-old-space-size=4096'], ['--child', String(n)]);
    rows.push({
      bench: 'process tree build',
      input: `${n.toLocaleString('en-US')} execs`,
      'time (ms)': Math.round(m.ms),
      // CPU time shows the cost when the machine is shared (wall time then includes waiting).
      'cpu (ms)': Math.round(m.cpuMs),
      'processes/s': Math.round(m.n / (m.ms / 1000)),
      'peak RSS (MB)': Math.round(m.rssMb),
      target: n === 1_000_000 ? `< 5000 ms, < 1536 MB: ${m.ms < 5000 && m.rssMb < 1536 ? 'met' : 'MISSED'}` : '',
    });
  }
  for (const mode of ['default', 'compat'] as const) {
    const m = inChild<ReturnType<typeof auditdMeasure>>([], ['--child-auditd', mode]);
    const rates = [...m.rates].sort((x, y) => x - y);
    const mbs = rates[1];
    rows.push({
      bench: `auditd parse (${mode})`,
      input: `${(m.bytes / 1024 / 1024).toFixed(1)} MB, ${m.events.toLocaleString('en-US')} events`,
      'time (ms)': Math.round((m.bytes / 1024 / 1024 / mbs) * 1000),
      'cpu (ms)': '',
      'processes/s': '',
      'peak RSS (MB)': Math.round(m.rssMb),
      target: `≥ 50 MB/s: median ${mbs.toFixed(1)} MB/s (${rates[0].toFixed(1)}–${rates[2].toFixed(1)}) ${mbs >= 50 ? 'met' : 'MISSED'}`,
    });
  }
  return rows;
}

if (process.argv[2] === '--child') {
  console.log(JSON.stringify(childMeasure(Number(process.argv[3]))));
} else if (process.argv[2] === '--child-auditd') {
  console.log(JSON.stringify(auditdMeasure(process.argv[3] === 'compat' ? 'compat' : 'default')));
} else if (require.main === module) {
  run().then((rows) => console.table(rows), (err) => {
    console.error(err);
    process.exit(1);
  });
}
