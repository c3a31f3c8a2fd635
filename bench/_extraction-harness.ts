// The harness the Code42 extraction benches (v1 and Incydr) share: the emulator
// runs in the bench process; each extraction runs in a child process of the bench
// file (`<file> --child <url>`) so that its peak RSS is its own, and reports its
// time, CPU and peak RSS as JSON on stdout. The child first reads a couple of pages
// untimed (JIT warm-up, token), then times a full run from an empty cursor.
//
// With `searchRoute`, an untimed run in the bench process first records the search's
// replies, and the child is answered from memory: the emulator then costs no CPU while
// the extractor runs, as a real API's servers cost the extractor's machine none.
// Generating each page as it was asked for (even written ahead) took 150–200 ms of CPU
// per 10,000 Incydr events on the other core of a 2-core machine, which the
// extractor's parallel GC needs: in four alternating pairs of 100,000-event Incydr
// runs, recorded replies took 14 % less time per page (535 → 458 ms on average; less
// in every pair).
// The bench process then holds every page (3 GB for 1,000,000 Incydr events).
//
// Wall-clock events/s depend on what else runs on the machine, so each row also
// shows the load average and the CPU time of both sides: `extractor CPU µs/event` is
// the extractor's own cost (JSON.parse and GC of the pages dominate it), and
// `events per extractor CPU-s` the rate it would reach with a core to itself.
// `JSON.parse alone events/s` is JSON.parse of one page's text, repeated, in the same
// process: no extractor that hands out parsed events can be faster than that.
// `HTTP + JSON.parse alone` adds the transport, and `+ cursor save alone` also the
// durable cursor's save after each page (see fetchAndParse): what the extractor does
// beyond these is de-duplication, the cursor's maths and the messages.
import { spawn } from 'node:child_process';
import os from 'node:os';
import { runExtraction, type Page, type SearchFlavour } from '../src/lib/code42';
import { CursorStore, type ContextLike } from '../src/lib/cursor';
import { ownPeakRssBytes } from './_proc';

// Node flags for the extraction child, e.g. SECFLOW_BENCH_NODE_FLAGS=--cpu-prof.
const CHILD_FLAGS = (process.env.SECFLOW_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);

type Row = Record<string, string | number>;
interface ChildResult {
  events: number;
  pages: number;
  ms: number;
  cpuMs: number;
  peakRssMb: number;
  /** The untimed warm-up: the first WARM_UP_PAGES pages of a cold process. */
  warmUp: { events: number; ms: number; cpuMs: number };
  /** JSON.parse alone of one page's text, repeated (see parseCeiling). */
  parse: { events: number; bytes: number; ms: number };
  /** Every page fetched and parsed, nothing else (see fetchAndParse), when the search pages by token. */
  bare?: { events: number; ms: number };
  /** The same, and after each page the run's last cursor saved through the run's store (see fetchAndParse). */
  bareSave?: { events: number; ms: number };
}
interface Measured extends ChildResult { emulatorCpuMs: number; load: string }

/** What the child extracts with: a flavour over a client, and whether an item is a real event. */
export interface ChildSetup<T, C> {
  flavour: SearchFlavour<T, C>;
  reviveCursor: (raw: unknown) => C | undefined;
  isEvent: (item: T) => boolean;
  /** The first page of the search as the API's text (the same request the run starts with). */
  firstPageText(): Promise<string>;
  /** For searches paged by `nextPgToken`: the page of this token as the API's text (the run's request for it). */
  pageText?(pgToken: string): Promise<string>;
  close(): void;
}

/** A loaded emulator of the bench's parent side. */
export interface BenchEmulator {
  listen(): Promise<string>;
  close(): Promise<void>;
  /** From now on answer the same request of this route from memory (test/emulators/framework.ts). */
  recordReplies?(route: string): void;
  readonly recordedReplies?: number;
}

export interface ExtractionBench<T, C> {
  /** The bench file (its `__filename`): the child runs it with `--child <url>`. */
  file: string;
  /** Its module, to run it alone (`node --import tsx bench/<area>.ts`). */
  module: NodeJS.Module;
  /** e.g. `Code42 v1 file events`, the start of each row's case. */
  title: string;
  pageSize: number;
  /** The events/s target shown in the rows (default `≥ 100000`, the v1 file-event extractor's). */
  target?: string;
  /**
   * The API's own ceiling in events/s (its rate limit × its largest page): when set, each
   * row also gives events/s ÷ the JSON.parse floor (target ≥ 0.7) and ÷ this (target ≥ 2).
   */
  apiCeiling?: { eventsPerSec: number; why: string };
  /**
   * The emulator's route of the search: an untimed first run records its replies, and
   * the child's runs are answered from memory. Only for searches whose requests do not
   * depend on the clock (else nothing would be found again).
   */
  searchRoute?: string;
  /** An emulator holding `count` generated file events. */
  emulator(count: number): BenchEmulator;
  /** The child's side, given the emulator's URL. */
  setup(url: string): ChildSetup<T, C>;
}

/** Pages the child reads once, untimed, before the measured run (see `child`). */
const WARM_UP_PAGES = 2;

class WarmUpDone extends Error {}

/**
 * Runs in the child: a short warm-up run, then the measured run that extracts
 * everything, building each event's message; reports time, CPU and peak RSS.
 *
 * The warm-up reads the first WARM_UP_PAGES pages through the same client, flavour and
 * message building, with a cursor of its own, and stops by failing its delivery (so no
 * request is left in flight). It compiles the hot paths and fetches the token, so that
 * the measured run shows the steady state a long-running node reaches; the measured run
 * still reads every event from the emulator over HTTP, from an empty cursor, and its
 * time runs from before its first request to after its last cursor save. The cold
 * run's figures (warm-up not counted in the measured one) are reported separately.
 */
async function child<T, C>(setup: ChildSetup<T, C>): Promise<void> {
  const { flavour } = setup;
  const data = new Map<string, unknown>();
  // A context store that copies on write and answers asynchronously, as Node-RED's do.
  const context: ContextLike = {
    get: (key, _s, cb) => setImmediate(() => cb(null, data.get(key))),
    set: (key, value, _s, cb) => setImmediate(() => { data.set(key, JSON.parse(JSON.stringify(value))); cb(); }),
  };
  const storeFor = (key: string) => new CursorStore<C>(context, { scope: 'node', key }, setup.reviveCursor);
  let events = 0;
  // What the node does per event (output "event"), minus Node-RED's own send:
  // the same message, with msg.code42 built as an explicit literal as the node does.
  const deliver = (page: Page<T, C>) => {
    const info = { kind: 'file-event', page: page.info.page, received: page.info.received, skipped: page.info.skipped, totalCount: page.info.totalCount, cursor: flavour.cursorTime(page.cursor) };
    for (let i = 0; i < page.items.length; i++) {
      const item = page.items[i];
      const code42 = { kind: info.kind, page: info.page, received: info.received, skipped: info.skipped, totalCount: info.totalCount, cursor: info.cursor, index: i };
      const msg = { payload: item, topic: flavour.itemType(item) ?? 'file-event', code42 };
      if (setup.isEvent(msg.payload)) events++;
    }
  };

  const coldCpu = process.cpuUsage();
  const coldStarted = process.hrtime.bigint();
  await runExtraction(flavour, storeFor('warm-up'), {
    deliver: (page) => {
      deliver(page);
      if (page.info.page >= WARM_UP_PAGES) throw new WarmUpDone();
    },
  }).catch((err: unknown) => {
    if (!(err instanceof WarmUpDone)) throw err;
  });
  const warmUp = { events, ms: Number(process.hrtime.bigint() - coldStarted) / 1e6, cpuMs: cpuMsSince(coldCpu) };
  events = 0;

  // memoryUsage.rss() alone: the full memoryUsage() also walks the heap spaces, which
  // showed in the child's profile as cost the node does not have.
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 20);
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const summary = await runExtraction(flavour, storeFor('bench'), { deliver });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const cpuMs = cpuMsSince(cpu);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss(), ownPeakRssBytes());
  const bare = setup.pageText ? await fetchAndParse(setup.pageText) : undefined;
  const last = summary.cursor;
  const saving = storeFor('bound');
  const bareSave = setup.pageText && last !== undefined ? await fetchAndParse(setup.pageText, () => saving.save(last)) : undefined;
  const parse = await parseCeiling(setup);
  setup.close();
  if (summary.events !== events) throw new Error(`summary ${summary.events} ≠ delivered ${events}`);
  for (const alone of [bare, bareSave]) if (alone && alone.events !== events) throw new Error(`fetch and parse alone saw ${alone.events} events, the run ${events}`);
  process.stdout.write(JSON.stringify({ events, pages: summary.pages, ms, cpuMs, peakRssMb: peak / 1048576, warmUp, parse, bare, bareSave } satisfies ChildResult));
}

/** How often parseCeiling parses the page (10 × 10,000 events). */
const PARSE_REPEATS = 10;

/**
 * The floor under any extractor that hands out parsed events: JSON.parse alone of
 * the first page's text (as the API sent it), repeated, in the same warmed-up
 * process, each result kept until the next parse as a delivered page is. No HTTP,
 * no cursor, no messages.
 */
async function parseCeiling<T, C>(setup: ChildSetup<T, C>): Promise<ChildResult['parse']> {
  const text = await setup.firstPageText();
  // The page held as the extractor holds one: dropped before the next parse.
  const held: { page?: unknown } = {};
  let events = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < PARSE_REPEATS; i++) {
    held.page = undefined;
    held.page = JSON.parse(text);
    events += eventsIn(held.page);
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { events, bytes: text.length * PARSE_REPEATS, ms };
}

/**
 * The transport's share: every page of the run requested through the same client and
 * JSON.parse'd, one page held at a time, nothing else (no de-duplication, cursor or
 * messages). The extractor cannot be faster than this; the gap between this and the
 * JSON.parse floor is HTTP's (request, body arrival and decoding).
 *
 * With `save`, also the durable cursor's share: after each page, the run's last
 * cursor (its look-back window full) is saved through the same store, and the next
 * request waits for it, as the contract has an extractor do (S-b). No extractor that
 * saves that cursor after each page, with this transport, can be faster than this.
 * A run's cursor fills over its first pages (Incydr's bench, one event per ms of
 * event.inserted: the 50,000-pair cap after 5 pages), and this pass saves it full
 * from the first page on: for a short run (100,000 events) this bound is lower than
 * the run's own; for 1,000,000 events the two differ in 5 pages of 100.
 */
async function fetchAndParse(pageText: (pgToken: string) => Promise<string>, save?: () => Promise<void>): Promise<NonNullable<ChildResult['bare']>> {
  let events = 0;
  let token = '';
  let page: { nextPgToken?: string | null } | undefined;
  const started = process.hrtime.bigint();
  for (;;) {
    // eslint-disable-next-line no-useless-assignment -- dropped before the next page arrives, as the extractor does
    page = undefined;
    page = JSON.parse(await pageText(token)) as { nextPgToken?: string | null };
    events += eventsIn(page);
    if (save) await save();
    if (!page.nextPgToken) break;
    token = page.nextPgToken;
  }
  return { events, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

/** The events of a parsed page: its one top-level array (fileEvents). */
function eventsIn(page: unknown): number {
  for (const value of Object.values(page as Record<string, unknown>)) if (Array.isArray(value)) return value.length;
  throw new Error('the page has no array of events');
}

/** A pass's events/s ÷ the JSON.parse floor's. */
function ofFloor(pass: { events: number; ms: number }, r: Measured): number {
  return Number(((pass.events / pass.ms) / (r.parse.events / r.parse.ms)).toFixed(2));
}

/** Events/s against the JSON.parse floor of the same pages (same process) and against the API's ceiling. */
function ceilingRatios(r: Measured, apiEventsPerSec: number): Row {
  const rate = r.events / (r.ms / 1000);
  const floor = r.parse.events / (r.parse.ms / 1000);
  const ofFloor = rate / floor;
  const ofApi = rate / apiEventsPerSec;
  return {
    '÷ JSON.parse floor': Number(ofFloor.toFixed(2)),
    '÷ floor target ≥ 0.7': ofFloor >= 0.7 ? 'ok' : 'MISSED',
    '÷ API ceiling': Number(ofApi.toFixed(2)),
    '÷ API target ≥ 2': ofApi >= 2 ? 'ok' : 'MISSED',
  };
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * One untimed extraction in this process, so that the emulator has recorded every
 * reply the child's runs will ask for: the same client, flavour and empty cursor
 * send the same requests.
 */
async function recordReplies<T, C>(setup: ChildSetup<T, C>): Promise<void> {
  const data = new Map<string, unknown>();
  const context: ContextLike = {
    get: (key, _s, cb) => cb(null, data.get(key)),
    set: (key, value, _s, cb) => { data.set(key, value); cb(); },
  };
  try {
    await runExtraction(setup.flavour, new CursorStore<C>(context, { scope: 'node', key: 'record' }, setup.reviveCursor), { deliver: () => undefined });
  } finally {
    setup.close();
  }
}

function runChild(file: string, url: string): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...CHILD_FLAGS, '--import', 'tsx', file, '--child', url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    proc.on('error', reject);
    proc.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as ChildResult) : reject(new Error(`bench child exited with ${code}`))));
  });
}

async function extractFrom<T, C>(bench: ExtractionBench<T, C>, count: number): Promise<Measured> {
  const emu = bench.emulator(count);
  const url = await emu.listen();
  try {
    if (bench.searchRoute && emu.recordReplies) {
      emu.recordReplies(bench.searchRoute);
      await recordReplies(bench.setup(url));
    }
    const recorded = emu.recordedReplies ?? 0;
    const load = os.loadavg()[0];
    // The parent only serves the emulator while the child runs (its startup included).
    const cpu = process.cpuUsage();
    const result = await runChild(bench.file, url);
    const used = process.cpuUsage(cpu);
    if (result.events !== count) throw new Error(`extracted ${result.events} of ${count}`);
    const unrecorded = (emu.recordedReplies ?? 0) - recorded;
    if (unrecorded > 0) throw new Error(`the child asked for ${unrecorded} replies the recording run did not: the emulator served them live`);
    return { ...result, emulatorCpuMs: (used.user + used.system) / 1000, load: `${load.toFixed(1)} → ${os.loadavg()[0].toFixed(1)} (${os.cpus().length} CPUs)` };
  } finally {
    await emu.close();
  }
}

/** The bench's rows: 100,000 and 1,000,000 events, and the ratio of their peak RSS. */
async function rows<T, C>(bench: ExtractionBench<T, C>): Promise<Row[]> {
  const small = await extractFrom(bench, 100_000);
  const large = await extractFrom(bench, 1_000_000);
  const row = (name: string, r: Measured) => ({
    case: `${bench.title}, ${name}, pages of ${bench.pageSize}`,
    events: r.events,
    pages: r.pages,
    seconds: Number((r.ms / 1000).toFixed(2)),
    'events/s': Math.round(r.events / (r.ms / 1000)),
    target: bench.target ?? '≥ 100000',
    'extractor CPU µs/event': Number(((r.cpuMs * 1000) / r.events).toFixed(2)),
    'events per extractor CPU-s': Math.round(r.events / (r.cpuMs / 1000)),
    // The emulator also served the warm-up's pages.
    'emulator CPU µs/event': Number(((r.emulatorCpuMs * 1000) / (r.events + r.warmUp.events)).toFixed(2)),
    'peak RSS MB': Number(r.peakRssMb.toFixed(1)),
    // The JSON the API sends per event, and JSON.parse alone of it (the floor, see parseCeiling).
    'API bytes/event': Math.round(r.parse.bytes / r.parse.events),
    'JSON.parse alone events/s': Math.round(r.parse.events / (r.parse.ms / 1000)),
    // Every page fetched through the same client and parsed, nothing else (see fetchAndParse).
    ...(r.bare ? { 'HTTP + JSON.parse alone events/s': Math.round(r.bare.events / (r.bare.ms / 1000)), 'HTTP + JSON.parse alone ÷ floor': ofFloor(r.bare, r) } : {}),
    // The same, and the run's last cursor saved after each page (see fetchAndParse).
    ...(r.bareSave ? { 'HTTP + JSON.parse + cursor save alone ÷ floor': ofFloor(r.bareSave, r) } : {}),
    ...(bench.apiCeiling ? ceilingRatios(r, bench.apiCeiling.eventsPerSec) : {}),
    // The untimed warm-up (a cold process's first pages, token fetch included), for comparison.
    'cold warm-up events/s': Math.round(r.warmUp.events / (r.warmUp.ms / 1000)),
    'load avg 1 min': r.load,
  });
  const ratio = large.peakRssMb / small.peakRssMb;
  return [
    row('100,000', small),
    row('1,000,000', large),
    ...(bench.apiCeiling ? [{ case: `API ceiling: ${bench.apiCeiling.why}`, 'events/s': bench.apiCeiling.eventsPerSec }] : []),
    { case: 'peak RSS ratio 1,000,000 / 100,000', ratio: Number(ratio.toFixed(2)), target: '≤ 1.5', result: ratio <= 1.5 ? 'ok' : 'over' },
  ];
}

/**
 * The bench's `run` for bench/run.ts. Also starts the child's side when the bench
 * file runs as `--child <url>`, and prints the table when it runs alone.
 */
export function extractionBench<T, C>(bench: ExtractionBench<T, C>): () => Promise<Row[]> {
  const run = () => rows(bench);
  if (process.argv[2] === '--child') {
    child(bench.setup(process.argv[3])).catch((err: unknown) => {
      process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    });
  } else if (require.main === bench.module) {
    run().then((r) => console.table(r), (err: unknown) => {
      console.error(err);
      process.exit(1);
    });
  }
  return run;
}
