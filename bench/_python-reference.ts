// Issue 19: extraction in a real Node-RED against the Python reference (c42eventextractor
// on py42 1.19), on the same emulator data with pages of 10,000. bench/pipeline.ts
// calls compareWithReference with its running Node-RED.
//
// - The reference: bench/python-reference/extract_file_events.py, c42eventextractor's
//   FileEventExtractor loop written out on py42 (c42eventextractor itself is not
//   installable here), run with python3 and PYTHONPATH=$SECFLOW_PY42_SRC (a py42
//   source tree's `src`; nothing of py42 is in this repository). Its time runs from
//   the SDK's creation (login, current user, service discovery) to the last page
//   handled; Python's start and py42's import are outside it.
// - secflow: a flow deployed to the real Node-RED (a child process): inject (once) →
//   secflow-code42-file-events (v1, local account, page output, pages of 10,000, the
//   cursor in the write-through `file` store) → a function node that touches each
//   event's eventId and counts → when all are counted, an http request node tells
//   this process. Its time runs from the deploy (POST /flows) until that request.
//
// Both read the same emulator (this process, as bench/code42.ts builds it: generated
// events, prefetch on) over loopback HTTP; the runs alternate, reference first, after
// one untimed warm-up run of each; the rows give medians and every run.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { NodeRedInstance } from '../scripts/node-red-runner';
import { Code42Emulator } from '../test/emulators/code42';
import { deployFlow, type FlowNode } from '../test/support/delivery-pipeline';
import { cpuSeconds, median, rssMb, runPythonDriver } from './_proc';

type Row = Record<string, string | number>;

export const REFERENCE_PAGE = 10_000;
const START_MS = Date.UTC(2026, 0, 1);
const DRIVER = path.join(__dirname, 'python-reference', 'extract_file_events.py');
const ENABLE = 'SECFLOW_PY42_SRC=/path/to/py42/src npm run bench pipeline';
const TARGET = 1.2;

export interface ExtractionRun {
  events: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  rate: number;
}

/** The emulator of bench/code42.ts: `count` generated file events, 1 ms apart, prefetch on. */
export function referenceEmulator(count: number): Code42Emulator {
  const emu = new Code42Emulator({ acceptAnyCredentials: true, logBodies: false, prefetch: true });
  emu.addGeneratedFileEvents({ count, startMs: START_MS, stepMs: 1 });
  return emu;
}

/** The py42 source directory (SECFLOW_PY42_SRC), or why the reference cannot run. */
export function py42Source(): { src: string } | { reason: string } {
  const src = process.env.SECFLOW_PY42_SRC;
  if (!src) return { reason: `SECFLOW_PY42_SRC is not set (a py42 1.19 source tree's src directory); to measure it: ${ENABLE}` };
  if (!fs.existsSync(path.join(src, 'py42', 'sdk', '__init__.py'))) return { reason: `SECFLOW_PY42_SRC=${src} holds no py42 package (py42/sdk/__init__.py); to measure it: ${ENABLE}` };
  return { src };
}

/** One run of the Python driver against `url`; it must hand `expected` events to its handler. */
export async function runPythonReference(url: string, expected: number, src: string): Promise<ExtractionRun & { py42: string; python: string }> {
  const env = { ...process.env, PYTHONPATH: [src, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter) };
  const r = await runPythonDriver(DRIVER, ['--url', url, '--since', String(START_MS / 1000)], env) as { events: number; seconds: number; cpuSeconds: number; peakRssMb: number; py42: string; python: string };
  if (r.events !== expected) throw new Error(`the Python reference handled ${r.events} events, not ${expected}`);
  return { events: r.events, seconds: r.seconds, cpuSeconds: r.cpuSeconds, peakRssMb: r.peakRssMb, rate: r.events / r.seconds, py42: r.py42, python: r.python };
}

/** The flow of one secflow run: what a user would wire to read file events and count them. */
export function countingFlow(o: { emulatorUrl: string; doneUrl: string; expected: number; cursorKey: string }): FlowNode[] {
  const z = 'r-tab';
  const count = `let n = context.get('events') || 0;
let last;
for (const event of msg.payload) { last = event.eventId; n++; }
context.set('events', n);
if (n < ${o.expected}) return null;
context.set('events', 0);
return { payload: { events: n, last } };`;
  return [
    { id: z, type: 'tab', label: 'extraction vs the Python reference' },
    { id: 'r-c42', type: 'secflow-code42', name: 'emulated tenant', url: o.emulatorUrl, authType: 'localAccount', apiVersion: 'v1', verifyTls: true, timeout: 60, retryScale: 0.01, credentials: { id: 'bench@example.com', secret: 'bench' } },
    // onceDelay: the inject's own default is 0.1 s, a delay of the trigger, not of extraction.
    { id: 'r-go', type: 'inject', z, name: 'go', props: [{ p: 'payload' }], repeat: '', crontab: '', once: true, onceDelay: 0.001, topic: '', payload: '', payloadType: 'date', x: 120, y: 60, wires: [['r-fe']] },
    {
      id: 'r-fe', type: 'secflow-code42-file-events', z, name: 'file events', tenant: 'r-c42', filters: '', orMode: false, since: '', pageSize: REFERENCE_PAGE,
      interval: 0, output: 'page', cursorStore: 'file', cursorScope: 'node', cursorKey: o.cursorKey, lookback: 0, confirm: [], confirmTimeout: 300, onFailure: 'stop',
      x: 300, y: 60, wires: [['r-count'], []],
    },
    { id: 'r-count', type: 'function', z, name: 'count', func: count, outputs: 1, timeout: 0, noerr: 0, initialize: "context.set('events', 0);", finalize: '', libs: [], x: 480, y: 60, wires: [['r-done']] },
    { id: 'r-done', type: 'http request', z, name: 'done', method: 'POST', ret: 'txt', paytoqs: 'ignore', url: o.doneUrl, tls: '', persist: false, proxy: '', insecureHTTPParser: false, authType: '', senderr: false, headers: [], x: 640, y: 60, wires: [[]] },
  ];
}

/** A loopback server that the flow's http request node calls when every event is counted. */
async function doneServer(): Promise<{ url: string; next(timeoutMs: number): Promise<{ events: number }>; close(): Promise<void> }> {
  let waiter: ((body: { events: number }) => void) | undefined;
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => { body += c; }).on('end', () => {
      res.writeHead(204).end();
      waiter?.(JSON.parse(body) as { events: number });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/done`,
    next: (timeoutMs) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the flow counted no ${timeoutMs / 1000} s after the deploy`)), timeoutMs);
      waiter = (body) => { clearTimeout(timer); waiter = undefined; resolve(body); };
    }),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

let runNumber = 0;
/** One secflow run in the Node-RED `nodeRed`: deploy the counting flow, wait for the count. */
export async function runSecflowInNodeRed(nodeRed: NodeRedInstance, emulatorUrl: string, expected: number, done: Awaited<ReturnType<typeof doneServer>>): Promise<ExtractionRun> {
  const pid = nodeRed.child.pid;
  let peak = rssMb(pid);
  const sampler = setInterval(() => { peak = Math.max(peak, rssMb(pid)); }, 25);
  const cpuBefore = cpuSeconds(pid);
  const counted = done.next(600_000);
  const started = process.hrtime.bigint();
  try {
    await deployFlow(nodeRed.url, countingFlow({ emulatorUrl, doneUrl: done.url, expected, cursorKey: `reference-${process.pid}-${++runNumber}` }));
    const { events } = await counted;
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (events !== expected) throw new Error(`the flow counted ${events} events, not ${expected}`);
    return { events, seconds, cpuSeconds: cpuSeconds(pid) - cpuBefore, peakRssMb: peak, rate: events / seconds };
  } finally {
    clearInterval(sampler);
    counted.catch(() => undefined);
  }
}

const CASE = 'extraction in a real Node-RED ÷ the Python reference (c42eventextractor loop on py42), pages of 10,000';

/**
 * The issue-19 row: `rounds` alternating runs of the reference and of secflow in
 * `nodeRed` (after one untimed warm-up of each), `events` events each.
 */
export async function compareWithReference(nodeRed: NodeRedInstance, events: number, rounds = 3): Promise<Row[]> {
  const source = py42Source();
  if (!('src' in source)) return [{ case: CASE, target: `≥ ${TARGET}`, result: `not measured: ${source.reason}` }];
  const emu = referenceEmulator(events);
  const url = await emu.listen();
  const done = await doneServer();
  try {
    const ref: Array<ExtractionRun & { py42: string; python: string }> = [];
    const sec: ExtractionRun[] = [];
    try {
      await runPythonReference(url, events, source.src); // warm-up: the emulator's JIT, the page cache
    } catch (err) {
      return [{ case: CASE, target: `≥ ${TARGET}`, result: `not measured: ${(err as Error).message}` }];
    }
    await runSecflowInNodeRed(nodeRed, url, events, done); // warm-up: Node-RED's JIT
    for (let i = 0; i < rounds; i++) {
      ref.push(await runPythonReference(url, events, source.src));
      sec.push(await runSecflowInNodeRed(nodeRed, url, events, done));
    }
    const refRate = median(ref.map((r) => r.rate));
    const secRate = median(sec.map((r) => r.rate));
    const ratio = secRate / refRate;
    const list = (runs: ExtractionRun[]) => runs.map((r) => Math.round(r.rate).toLocaleString('en-US')).join(' / ');
    return [
      {
        case: CASE,
        events,
        'reference events/s': Math.round(refRate),
        'secflow events/s': Math.round(secRate),
        ratio: Number(ratio.toFixed(2)),
        target: `≥ ${TARGET}`,
        result: ratio >= TARGET ? 'ok' : 'MISSED',
      },
      {
        case: `  each run, in order (median of ${rounds}; py42 ${ref[0].py42}, Python ${ref[0].python})`,
        'reference events/s': list(ref),
        'secflow events/s': list(sec),
        'reference CPU s': Number(median(ref.map((r) => r.cpuSeconds)).toFixed(2)),
        'secflow CPU s (Node-RED)': Number(median(sec.map((r) => r.cpuSeconds)).toFixed(2)),
        'reference peak RSS MB': Number(median(ref.map((r) => r.peakRssMb)).toFixed(1)),
        'secflow peak RSS MB (Node-RED)': Number(median(sec.map((r) => r.peakRssMb)).toFixed(1)),
      },
    ];
  } finally {
    await done.close();
    await emu.close();
  }
}
