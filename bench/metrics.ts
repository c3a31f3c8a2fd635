// The cost of issue 18's pipeline counters, measured in one run: a real Node-RED
// runtime (node-red-node-test-helper) carries N Code42 file events through
// secflow-cef (CEF, spec escaping) into a counting sink (the cheapest secflow hop,
// so the one where counting weighs most), with metrics on (the built nodes as shipped: onInput counts
// in/completed, node.send and node.error are counted) and off (the same built nodes
// with onInput swapped for the pre-metrics one below, so no node registers or
// counts anything). Rounds alternate on/off so that load on the shared machine hits
// both alike; the best round of each is compared. The bar: metrics cost at
// most 5% throughput (ratio on/off >= 0.95).
import path from 'node:path';
import { V1_CASES } from '../test/fixtures/code42/file-events-v1';
import { helper, loadFlow, unloadFlow, type NodeModule } from '../test/support/node-harness';

const EVENTS = 40_000;
const ROUNDS = 6;
const DIST = path.join(__dirname, '..', 'dist', 'nodes');

type Handler = (msg: Record<string, unknown>, send: (m: unknown) => void) => Promise<void> | void;
interface InputModule {
  onInput(node: unknown, handler: Handler): void;
  asError(err: unknown): Error;
}
interface Metrics {
  allMetrics(): Array<{ id: string; received: number; sent: number }>;
}

/** onInput as it was before issue 18 (src/nodes/shared/input.ts at d07cbb7): the "off" baseline. */
function plainOnInput(asError: (err: unknown) => Error) {
  return (node: { on(e: 'input', h: (msg: Record<string, unknown>, send: (m: unknown) => void, done: (err?: Error) => void) => void): void }, handler: Handler): void => {
    node.on('input', (msg, send, done) => {
      let result: Promise<void> | void;
      try {
        result = handler(msg, send);
      } catch (err) {
        done(asError(err));
        return;
      }
      Promise.resolve(result).then(() => done(), (err: unknown) => done(asError(err)));
    });
  };
}

const flow = [
  { id: 'b-tab', type: 'tab', label: 'metrics bench' },
  { id: 'b-cef', type: 'secflow-cef', z: 'b-tab', name: 'cef', format: 'cef', escaping: 'spec', mapping: 'file-event', customMapping: '', vendor: 'Code42', productName: '', severity: '', wires: [['b-sink']] },
  { id: 'b-sink', type: 'helper', z: 'b-tab' },
];

async function round(cefNode: NodeModule): Promise<number> {
  await loadFlow([cefNode], flow);
  const shapes = V1_CASES.map((c) => c.event);
  const messages = Array.from({ length: EVENTS }, (_, i) => ({ payload: structuredClone(shapes[i % shapes.length]) }));
  const cef = helper.getNode('b-cef');
  const sink = helper.getNode('b-sink');
  let seen = 0;
  const all = new Promise<void>((resolve) => sink.on('input', () => {
    if (++seen === EVENTS) resolve();
  }));
  const started = process.hrtime.bigint();
  for (const m of messages) cef.receive(m);
  await all;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await unloadFlow();
  return EVENTS / seconds;
}

export async function run(): Promise<Array<Record<string, string | number>>> {
  const input = require(path.join(DIST, 'shared', 'input.js')) as InputModule;
  const metrics = require(path.join(__dirname, '..', 'dist', 'lib', 'metrics')) as Metrics;
  const shipped = input.onInput;
  const plain = plainOnInput(input.asError) as InputModule['onInput'];
  const cefNode = require(path.join(DIST, 'secflow-cef.js')).default as NodeModule;
  const rates: Record<'on' | 'off', number[]> = { on: [], off: [] };
  // Untimed warm-up of both paths (JIT).
  for (const mode of ['on', 'off', 'on', 'off'] as const) {
    input.onInput = mode === 'on' ? shipped : plain;
    await round(cefNode);
  }
  let counted = 0;
  for (let i = 0; i < ROUNDS; i++) {
    for (const mode of (i % 2 ? ['off', 'on'] : ['on', 'off']) as Array<'on' | 'off'>) {
      input.onInput = mode === 'on' ? shipped : plain;
      rates[mode].push(await round(cefNode));
      if (mode === 'on') counted++;
    }
  }
  input.onInput = shipped;
  if (counted === 0 || metrics.allMetrics().length !== 0) throw new Error('the registry should be empty after the flows stopped');
  const best = (xs: number[]) => Math.max(...xs);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ratio = best(rates.on) / best(rates.off);
  const medianRatio = median(rates.on) / median(rates.off);
  return [
    { case: `cef → sink, ${EVENTS} events, metrics off (pre-metrics onInput)`, rounds: ROUNDS, 'events/s (best)': Math.round(best(rates.off)), 'events/s (median)': Math.round(median(rates.off)), ratio: '-' },
    { case: `cef → sink, ${EVENTS} events, metrics on`, rounds: ROUNDS, 'events/s (best)': Math.round(best(rates.on)), 'events/s (median)': Math.round(median(rates.on)), ratio: `${ratio.toFixed(3)} best, ${medianRatio.toFixed(3)} median: ${ratio >= 0.95 ? '>= 0.95 ok' : '< 0.95 MISSED'}` },
  ];
}
