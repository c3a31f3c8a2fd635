// The cost of issue 18's pipeline counters, measured in one run in two real
// Node-RED processes (scripts/node-red-runner.ts): "on" runs this checkout as
// built; "off" runs a copy of the built package whose onInput does not count and
// which has no sidebar plugin (no node registers or counts anything then). In each, an
// HTTP request starts a round: a function node sends N Code42 file events (the
// project's v1 fixtures) to secflow-cef (CEF, spec escaping) → secflow-cef (JSON,
// re-reading the event kept in msg.event) → a function node that counts them and
// answers the request with the elapsed time once all N arrived. Rounds alternate
// on/off so that load on the shared machine hits both alike. Wall-clock rates
// swing by ±5% on a loaded 2-core machine, more than the counters cost, so each
// round also reads the Node-RED process' CPU time (/proc/<pid>/stat, utime+stime)
// and the verdict compares events per CPU-second (the rate with a core to itself):
// per pair of processes the ratio of the medians of its rounds, then the median over
// several pairs. The bar: counters cost at most 5% throughput
// (ratio on/off >= 0.95).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT, startNodeRed, type NodeRedInstance } from '../scripts/node-red-runner';
import { V1_CASES } from '../test/fixtures/code42/file-events-v1';
import { freePort } from '../test/support/free-port';
import { cpuSeconds, median, tickSeconds } from './_proc';

const EVENTS = 60_000;
/** Alternating rounds per mode in one pair of processes. */
const ROUNDS = 5;
/**
 * Fresh process pairs. Two processes running the same code differ by up to ±5 % per
 * CPU-second (an A/A run of this bench, both "off", printed 0.953), as much as the
 * budget: the verdict takes the median over pairs, so no one process decides it.
 */
const PAIRS = 3;

/**
 * dist/nodes/shared/input.js as built, with the counting taken out: the same lean
 * path (a synchronous handler completes inline, no promise per message), no
 * metricsFor, so no node registers, wraps send/error or counts anything. The "off" baseline.
 */
const PLAIN_INPUT_JS = `"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.onInput = onInput;
exports.onClose = onClose;
exports.asError = asError;
function onInput(node, handler) {
  node.on('input', (msg, send, done) => {
    let result;
    try { result = handler(msg, send); } catch (err) { done(asError(err)); return; }
    if (result === undefined) { done(); return; }
    result.then(() => done(), (err) => done(asError(err)));
  });
}
function onClose(node, handler) {
  node.on('close', (removed, done) => {
    Promise.resolve().then(() => handler(removed)).catch((err) => node.warn(\`close: \${asError(err).message}\`)).finally(() => { node.status({}); done(); });
  });
}
function asError(err) { return err instanceof Error ? err : new Error(String(err)); }
`;

/** A copy of the package (package.json, dist) without counters or plugin, installed into `userDir`. */
function installWithoutMetrics(userDir: string): void {
  const target = path.join(userDir, 'node_modules', 'node-red-contrib-secflow');
  fs.mkdirSync(target, { recursive: true });
  // Without the sidebar plugin either: nothing publishes or serves metrics.
  const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { 'node-red': { plugins?: unknown } };
  delete pkg['node-red'].plugins;
  fs.writeFileSync(path.join(target, 'package.json'), JSON.stringify(pkg));
  fs.cpSync(path.join(PROJECT_ROOT, 'dist'), path.join(target, 'dist'), { recursive: true });
  // Its dependencies resolve from this checkout's node_modules.
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(target, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(target, 'dist', 'nodes', 'shared', 'input.js'), PLAIN_INPUT_JS);
  fs.writeFileSync(path.join(userDir, 'package.json'), JSON.stringify({ name: 'secflow-bench-userdir', private: true, dependencies: { 'node-red-contrib-secflow': '*' } }));
}

function flow(): Array<Record<string, unknown>> {
  const shapes = JSON.stringify(V1_CASES.map((c) => c.event));
  const generate = `const shapes = ${shapes};
const n = Number(msg.req.query.n);
flow.set('bench', { n, seen: 0, started: Date.now(), res: msg.res });
for (let i = 0; i < n; i++) node.send({ payload: shapes[i % shapes.length], event: shapes[i % shapes.length] }, false);
return null;`;
  const count = `const b = flow.get('bench');
if (++b.seen < b.n) return null;
return { res: b.res, payload: { ms: Date.now() - b.started, seen: b.seen } };`;
  return [
    { id: 'mb-tab', type: 'tab', label: 'metrics bench' },
    { id: 'mb-http', type: 'http in', z: 'mb-tab', name: '', url: '/bench', method: 'get', upload: false, swaggerDoc: '', wires: [['mb-gen']] },
    { id: 'mb-gen', type: 'function', z: 'mb-tab', name: 'generate', func: generate, outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], wires: [['mb-cef']] },
    { id: 'mb-cef', type: 'secflow-cef', z: 'mb-tab', name: 'cef', format: 'cef', escaping: 'spec', mapping: 'file-event', customMapping: '', vendor: 'Code42', productName: '', severity: '', wires: [['mb-move']] },
    // The second formatter reads the event again (msg.event), as a fan-out to a JSON sink would.
    { id: 'mb-move', type: 'change', z: 'mb-tab', name: '', rules: [{ t: 'move', p: 'event', pt: 'msg', to: 'payload', tot: 'msg' }], wires: [['mb-json']] },
    { id: 'mb-json', type: 'secflow-cef', z: 'mb-tab', name: 'json', format: 'json', escaping: 'spec', mapping: 'file-event', customMapping: '', vendor: 'Code42', productName: '', severity: '', wires: [['mb-count']] },
    { id: 'mb-count', type: 'function', z: 'mb-tab', name: 'count', func: count, outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], wires: [['mb-res']] },
    { id: 'mb-res', type: 'http response', z: 'mb-tab', name: '', statusCode: '', headers: {}, wires: [] },
  ];
}

async function deploy(nr: NodeRedInstance): Promise<void> {
  const res = await fetch(`${nr.url}/flows`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full' }, body: JSON.stringify(flow()) });
  if (res.status !== 204) throw new Error(`deploy: ${res.status} ${await res.text()}`);
}

async function round(nr: NodeRedInstance, n = EVENTS): Promise<{ wall: number; cpu: number }> {
  const cpuBefore = cpuSeconds(nr.child.pid!);
  const res = await fetch(`${nr.url}/bench?n=${n}`);
  const body = (await res.json()) as { ms: number; seen: number };
  const cpu = cpuSeconds(nr.child.pid!) - cpuBefore;
  if (body.seen !== n) throw new Error(`round: ${JSON.stringify(body)}`);
  return { wall: n / (Math.max(body.ms, 1) / 1000), cpu: n / Math.max(cpu, tickSeconds()) };
}

type Mode = 'on' | 'off';
interface PairResult { wall: Record<Mode, number>; cpu: Record<Mode, number>; counted: string }

/** One pair of fresh Node-RED processes, on and off, measured in alternating rounds. */
async function measurePair(dirs: Record<Mode, string>): Promise<PairResult> {
  const nodeRed: Partial<Record<Mode, NodeRedInstance>> = {};
  try {
    nodeRed.on = await startNodeRed({ userDir: dirs.on, port: await freePort(), logLevel: 'warn' });
    nodeRed.off = await startNodeRed({ userDir: dirs.off, port: await freePort(), logLevel: 'warn', secflow: 'installed' });
    for (const nr of [nodeRed.on, nodeRed.off]) await deploy(nr);
    // Check the two really differ: only "on" reports the cef nodes' counts.
    const exposed = async (nr: NodeRedInstance) => (await (await fetch(`${nr.url}/secflow/metrics`)).text()).includes('node="mb-cef"');
    // Untimed warm-up (JIT) of both.
    for (const nr of [nodeRed.on, nodeRed.off, nodeRed.on, nodeRed.off]) await round(nr, 20_000);
    if (!(await exposed(nodeRed.on)) || (await exposed(nodeRed.off))) throw new Error('"on" must expose mb-cef and "off" must not');
    const rates: Record<Mode, Array<{ wall: number; cpu: number }>> = { on: [], off: [] };
    for (let i = 0; i < ROUNDS; i++) {
      for (const mode of (i % 2 ? ['off', 'on'] : ['on', 'off']) as Mode[]) rates[mode].push(await round(nodeRed[mode]!));
    }
    const metricsText = await (await fetch(`${nodeRed.on.url}/secflow/metrics`)).text();
    const counted = /secflow_events_total\{node="mb-json",name="json",type="secflow-cef",kind="in"\} (\d+)/.exec(metricsText)?.[1] ?? 'missing';
    const of = (key: 'wall' | 'cpu') => ({ on: median(rates.on.map((r) => r[key])), off: median(rates.off.map((r) => r[key])) });
    return { wall: of('wall'), cpu: of('cpu'), counted };
  } finally {
    await Promise.all([nodeRed.on?.stop(), nodeRed.off?.stop()]);
  }
}

export async function run(): Promise<Array<Record<string, string | number>>> {
  if (!fs.existsSync(path.join(PROJECT_ROOT, 'dist', 'plugins', 'secflow-metrics.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const dirs = { on: fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-bench-on-')), off: fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-bench-off-')) };
  installWithoutMetrics(dirs.off);
  try {
    const rows: Array<Record<string, string | number>> = [];
    const cpuRatios: number[] = [];
    const wallRatios: number[] = [];
    for (let pair = 1; pair <= PAIRS; pair++) {
      const r = await measurePair(dirs);
      cpuRatios.push(r.cpu.on / r.cpu.off);
      wallRatios.push(r.wall.on / r.wall.off);
      rows.push({
        case: `pair ${pair}: 2 x secflow-cef, ${EVENTS} events/round, ${ROUNDS} rounds each`,
        'off events per CPU-s': Math.round(r.cpu.off),
        'on events per CPU-s': Math.round(r.cpu.on),
        'on/off per CPU-s': Number((r.cpu.on / r.cpu.off).toFixed(3)),
        'off events/s wall': Math.round(r.wall.off),
        'on events/s wall': Math.round(r.wall.on),
        'on/off wall': Number((r.wall.on / r.wall.off).toFixed(3)),
        'counted by json node (on)': r.counted,
        load: os.loadavg()[0].toFixed(2),
      });
    }
    const cpuRatio = median(cpuRatios);
    const wallRatio = median(wallRatios);
    const verdict = cpuRatio >= 0.95 ? '>= 0.95 ok' : '< 0.95 MISSED';
    console.log(`metrics on/off throughput ratio: ${cpuRatio.toFixed(3)} per CPU-s (${verdict}), ${wallRatio.toFixed(3)} wall clock (medians of ${PAIRS} process pairs)`);
    rows.push({ case: `metrics on ÷ off, median of the ${PAIRS} pairs`, 'on/off per CPU-s': `${cpuRatio.toFixed(3)} ${verdict}`, 'on/off wall': Number(wallRatio.toFixed(3)) });
    return rows;
  } finally {
    for (const d of Object.values(dirs)) fs.rmSync(d, { recursive: true, force: true });
  }
}
