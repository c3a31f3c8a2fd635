// What one node costs per message in a real Node-RED (the pinned devDependency,
// embedded in a child process of the bench, secflow linked into its userDir as
// `npm install` would): messages go into the node under test with node.receive(),
// the node sends them on to a sink that calls done(), and the time runs until the
// sink has the last one. The sink alone (messages received into it directly) is the
// baseline: `node µs/msg` = (time with the node − time of the sink alone) / messages,
// i.e. the node's own handling plus one Node-RED hop (send → deliver → receive).
//
// Cases: a no-op core node (a change node without rules: Node-RED's floor per hop),
// secflow-cef one event per message, and secflow-cef with pages of events, once with
// ArcSight escaping (`spec`, the node's default) and once with `none`, whose lines are
// byte for byte those of the Python reference formatter it is compared with. Variants
// run interleaved, each the best of several passes (the least disturbed on a shared
// machine), CPU time of the whole process counted (GC included), with the young
// generation pinned at 16 MB (see measureNodeCost).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { prepareUserDir } from '../scripts/node-red-runner';
import { V1_CASES } from '../test/fixtures/code42/file-events-v1';
import { median } from './_proc';
import { measurePythonFormatter, type PythonFormatter } from './_python-formatter';

type Row = Record<string, string | number>;

const EVENTS = Number(process.env.BENCH_NODE_COST_EVENTS ?? 200_000);
/** Messages in flight at a time (the next batch goes once the sink has this one). */
const BATCH = 1000;
const PASSES = 5;
const PAGE = 1000;
/** Pages in flight at a time: an extractor sends the next page once one is delivered (or two, with confirm). */
const PAGES_IN_FLIGHT = 2;

export interface NodeCost {
  /** µs per message, CPU time (process), minus the sink alone. */
  noopUs: number;
  cefUs: number;
  /** Whole pages of PAGE events: µs per event, minus the sink alone per page. */
  cefPageUsPerEvent: number;
  /** Wall-clock events/s of the CEF node in page mode, sink included. */
  cefPageEventsPerSec: number;
  /** The same with escaping `none`: the reference formatter's bytes. */
  cefNonePageEventsPerSec: number;
  cefEventEventsPerSec: number;
  events: number;
  page: number;
}

// ---- child: an embedded Node-RED ------------------------------------------------

const SINK_JS = `module.exports = function (RED) {
  function BenchSink(config) {
    RED.nodes.createNode(this, config);
    this.on('input', (msg, send, done) => { done(); global.__benchSink(); });
  }
  RED.nodes.registerType('bench-sink', BenchSink);
};`;
const SINK_HTML = `<script type="text/javascript">RED.nodes.registerType('bench-sink', { category: 'common', defaults: {}, inputs: 1, outputs: 0, label: 'bench sink' });</script>`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Red = any;

async function child(): Promise<void> {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-bench-nodecost-'));
  prepareUserDir({ userDir, port: 0 });
  const nodesDir = path.join(userDir, 'bench-nodes');
  fs.mkdirSync(nodesDir);
  fs.writeFileSync(path.join(nodesDir, 'bench-sink.js'), SINK_JS);
  fs.writeFileSync(path.join(nodesDir, 'bench-sink.html'), SINK_HTML);
  const RED: Red = require('node-red');
  RED.init({
    userDir, nodesDir: [nodesDir], httpAdminRoot: false, httpNodeRoot: false, flowFile: 'flows.json', SKIP_BUILD_CHECK: true,
    credentialSecret: false, contextStorage: { default: { module: 'memory' } }, telemetry: { enabled: false }, diagnostics: { enabled: false },
    externalModules: { autoInstall: false }, logging: { console: { level: process.env.BENCH_LOG ?? 'warn', metrics: false, audit: false } },
  });
  await RED.start();

  const tab = { id: 'b-tab', type: 'tab', label: 'node cost' };
  const cef = { id: 'b-cef', type: 'secflow-cef', z: 'b-tab', name: '', format: 'cef', escaping: 'spec', mapping: 'file-event', customMapping: '', vendor: 'Code42', productName: '', severity: '', x: 100, y: 40, wires: [['b-sink']] };
  const cefNone = { ...cef, id: 'b-cef-none', escaping: 'none', y: 120 };
  const noop = { id: 'b-noop', type: 'change', z: 'b-tab', name: '', rules: [], x: 100, y: 80, wires: [['b-sink']] };
  const sink = { id: 'b-sink', type: 'bench-sink', z: 'b-tab', x: 300, y: 60, wires: [] };
  await RED.nodes.setFlows([tab, cef, cefNone, noop, sink], {}, 'full');
  // setFlows resolves once the flows are stored; they start just after.
  for (let wait = 0; ['b-cef', 'b-cef-none', 'b-noop', 'b-sink'].some((id) => !RED.nodes.getNode(id)); wait += 50) {
    if (wait > 10_000) throw new Error('the bench flow did not start (is dist/ built?)');
    await new Promise((r) => setTimeout(r, 50));
  }

  const shapes = V1_CASES.map((c) => c.event);
  let arrived = 0;
  let wake: (() => void) | undefined;
  let want = 0;
  (globalThis as Record<string, unknown>).__benchSink = () => {
    if (++arrived >= want && wake) {
      const w = wake;
      wake = undefined;
      w();
    }
  };

  /** Sends `count` messages built by `make` into node `id`, BATCH at a time; CPU µs and wall ms. */
  const pass = async (id: string, count: number, make: (i: number) => Record<string, unknown>, batch = BATCH) => {
    const node = RED.nodes.getNode(id);
    arrived = 0;
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    for (let sent = 0; sent < count;) {
      const n = Math.min(batch, count - sent);
      const msgs: Array<Record<string, unknown>> = new Array(n);
      for (let i = 0; i < n; i++) msgs[i] = make(sent + i);
      want = sent + n;
      const done = new Promise<void>((resolve) => (wake = resolve));
      for (let i = 0; i < n; i++) node.receive(msgs[i]);
      sent += n;
      if (arrived < want) await done;
      else wake = undefined;
    }
    const used = process.cpuUsage(cpu);
    return { cpuUs: used.user + used.system, wallMs: Number(process.hrtime.bigint() - started) / 1e6 };
  };

  const event = (i: number) => ({ _msgid: `m${i}`, payload: shapes[i % shapes.length] });
  const pages = EVENTS / PAGE;
  const pageMsg = (i: number) => ({ _msgid: `p${i}`, payload: Array.from({ length: PAGE }, (_, k) => shapes[(i * PAGE + k) % shapes.length]) });

  const best = { sink: Infinity, noop: Infinity, cef: Infinity, sinkPages: Infinity, cefPages: Infinity, cefWall: Infinity, cefPagesWall: Infinity, cefNonePagesWall: Infinity };
  for (let p = 0; p < PASSES + 1; p++) {
    const warm = p === 0; // the first pass compiles the hot paths
    const s = await pass('b-sink', EVENTS, event);
    const n = await pass('b-noop', EVENTS, event);
    const c = await pass('b-cef', EVENTS, event);
    const sp = await pass('b-sink', pages, pageMsg, PAGES_IN_FLIGHT);
    const cp = await pass('b-cef', pages, pageMsg, PAGES_IN_FLIGHT);
    const np = await pass('b-cef-none', pages, pageMsg, PAGES_IN_FLIGHT);
    if (warm) continue;
    best.sink = Math.min(best.sink, s.cpuUs);
    best.noop = Math.min(best.noop, n.cpuUs);
    best.cef = Math.min(best.cef, c.cpuUs);
    best.cefWall = Math.min(best.cefWall, c.wallMs);
    best.sinkPages = Math.min(best.sinkPages, sp.cpuUs);
    best.cefPages = Math.min(best.cefPages, cp.cpuUs);
    best.cefPagesWall = Math.min(best.cefPagesWall, cp.wallMs);
    best.cefNonePagesWall = Math.min(best.cefNonePagesWall, np.wallMs);
  }
  await RED.stop();
  const result: NodeCost = {
    noopUs: (best.noop - best.sink) / EVENTS,
    cefUs: (best.cef - best.sink) / EVENTS,
    cefPageUsPerEvent: (best.cefPages - best.sinkPages) / EVENTS,
    cefPageEventsPerSec: EVENTS / (best.cefPagesWall / 1000),
    cefNonePageEventsPerSec: EVENTS / (best.cefNonePagesWall / 1000),
    cefEventEventsPerSec: EVENTS / (best.cefWall / 1000),
    events: EVENTS,
    page: PAGE,
  };
  process.stdout.write(`\n@@RESULT ${JSON.stringify(result)}\n`);
  process.exit(0);
}

/** Runs the child (a fresh process: its own JIT, heap and Node-RED) and returns what it measured. */
export function measureNodeCost(): Promise<NodeCost> {
  return new Promise((resolve, reject) => {
    // A young generation of 16 MB from the start: V8 otherwise sometimes keeps it small in
    // this child (the 1,000 messages in flight then survive scavenges, get promoted, and
    // every figure doubles: measured 1.9 → 4.5 µs/event for secflow-cef, from one run to
    // the next, with --trace-gc showing 20 mark-compacts instead of 2). 16 MB is where a
    // default process's young generation ends up when it grows; high-rate flows can pin
    // it the same way (`node --min-semi-space-size=16 red.js`).
    const flags = ['--min-semi-space-size=16', ...(process.env.SECFLOW_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean)];
    const proc = spawn(process.execPath, [...flags, '--import', 'tsx', __filename, '--child'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    proc.on('error', reject);
    proc.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('@@RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice('@@RESULT '.length)) as NodeCost);
      else reject(new Error(`node-cost child exited with ${code}: ${out.slice(-500)}`));
    });
  });
}

/** Child processes per measurement: V8 sometimes settles a process in a state where
 * most of each scavenge survives (promoted: 10 MB of 16 instead of 0.2 MB, seen with
 * --trace-gc) and an allocating node's cost doubles (secflow-cef 2.6 → 6.2 µs/event;
 * the no-op node, which allocates nothing, stays put), with or without secflow's
 * counters. Which state a process gets varies between runs and checkouts, so the
 * verdict takes the median process, and the rows show every one. */
export const NODE_COST_PROCESSES = 3;

/** Runs NODE_COST_PROCESSES children one after another. */
export async function measureNodeCosts(): Promise<NodeCost[]> {
  const runs: NodeCost[] = [];
  for (let i = 0; i < NODE_COST_PROCESSES; i++) runs.push(await measureNodeCost());
  return runs;
}

/**
 * The page-mode target: 10 × the Python reference formatter measured in this run, else
 * the figure. Judged on escaping `none`, whose lines are the reference's bytes
 * (the same work); `spec` escapes as ArcSight specifies, which the reference never did.
 */
function pageTarget(rate: number, python: PythonFormatter, judged: boolean): Row {
  if ('reason' in python) {
    return { target: '≥ 500000 (10 × the Python formatter\'s 50–70k on the issue\'s machines; not measured here)', result: judged ? (rate >= 500_000 ? 'ok' : 'MISSED') : '-', note: python.reason };
  }
  const ratio = rate / python.rate;
  return {
    target: judged ? `≥ 10 × code42cli's CEF formatter (Python ${python.python}): ${Math.round(python.rate)} events/s here` : `shown: ÷ the same ${Math.round(python.rate)} events/s`,
    ratio: Number(ratio.toFixed(1)),
    result: judged ? (ratio >= 10 ? 'ok' : 'MISSED') : '-',
  };
}

export function nodeCostRows(runs: NodeCost[], python: PythonFormatter): Row[] {
  const ratioOf = (r: NodeCost) => r.cefUs / r.noopUs;
  const sorted = [...runs].sort((a, b) => ratioOf(a) - ratioOf(b));
  const r = sorted[Math.floor(sorted.length / 2)];
  const ratio = ratioOf(r);
  const each = (f: (x: NodeCost) => number, digits: number) => runs.map((x) => f(x).toFixed(digits)).join(' / ');
  // The page rates are each their own median: the process with the median per-event
  // ratio is not the median one for pages (a slow process has a middling ratio).
  const nonePages = median(runs.map((x) => x.cefNonePageEventsPerSec));
  const specPages = median(runs.map((x) => x.cefPageEventsPerSec));
  return [
    { case: `no-op core node (change, no rules): Node-RED per hop (embedded Node-RED, young generation 16 MB; the median of ${runs.length} processes by ratio)`, 'µs/event (CPU)': Number(r.noopUs.toFixed(2)), target: '-', result: '-' },
    { case: 'secflow-cef, one event per message', 'µs/event (CPU)': Number(r.cefUs.toFixed(2)), 'events/s': Math.round(r.cefEventEventsPerSec), target: '-', result: '-' },
    { case: 'secflow-cef ÷ no-op node, per event', ratio: Number(ratio.toFixed(2)), target: '≤ 3', result: ratio <= 3 ? 'ok' : 'MISSED' },
    { case: `secflow-cef, pages of ${r.page}, escaping none (the Python reference's bytes; the median of ${runs.length} processes)`, 'events/s': Math.round(nonePages), ...pageTarget(nonePages, python, true) },
    { case: `secflow-cef, pages of ${r.page}, escaping spec (ArcSight's escaping, which the reference lacks; the median of ${runs.length} processes)`, 'µs/event (CPU)': Number(median(runs.map((x) => x.cefPageUsPerEvent)).toFixed(2)), 'events/s': Math.round(specPages), ...pageTarget(specPages, python, false) },
    { case: `  each process, in order: no-op µs / secflow-cef µs / ratio / pages events/s (none, spec)`, result: runs.map((x) => `${x.noopUs.toFixed(2)} / ${x.cefUs.toFixed(2)} / ${ratioOf(x).toFixed(2)} / ${Math.round(x.cefNonePageEventsPerSec)}, ${Math.round(x.cefPageEventsPerSec)}`).join('; '), ratio: each(ratioOf, 2) },
  ];
}

if (process.argv[2] === '--child') {
  child().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
} else if (require.main === module) {
  (async () => nodeCostRows(await measureNodeCosts(), await measurePythonFormatter()))().then((rows) => console.table(rows), (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
