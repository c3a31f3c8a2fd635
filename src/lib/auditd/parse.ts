// auditd log text or Sentinel-style rows → one event per audit event
// (msticpy read_from_file / extract_events_to_df).
import { extractEvent, FieldValue, LazyRecord, unpackRecord } from './extract';
import { parsePythonLiteral } from './python-literal';
import { AuditdMode, HeaderScan, idSeconds, idSerial, parseRecordLine, RecordSpan, spanOfLine } from './records';
import { formatIsoMicros, parseEpochSecondsMicros } from '../proctree/time';
import { TurnClock } from '../util/turns';

export type AuditEvent = Record<string, unknown> & { EventType: string; mssg_id: string; TimeGenerated: string | null };

export interface ParseOptions {
  mode?: AuditdMode;
  /** Sentinel rows: the column holding the audit records (default `AuditdMessage`). */
  inputColumn?: string;
}

interface Group {
  id: string;
  records: LazyRecord[];
  extra?: Record<string, unknown>;
}

/**
 * Parses raw auditd lines (a string or an array of lines) or Sentinel rows
 * (objects whose `AuditdMessage` is a list of `{TYPE: [tokens]}`, its Python
 * repr, or a raw line). Raw lines are grouped by `ts:serial` (compat: by the
 * timestamp only, ordered by that string, as upstream).
 */
export function parseAuditd(input: unknown, options: ParseOptions = {}): AuditEvent[] {
  const steps = parseSteps(input, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * parseAuditd, yielding to the event loop whenever a turn has run 20 ms: a big
 * payload (10 MB of log is ~100 ms of work) never holds other flows up.
 */
export async function parseAuditdInTurns(input: unknown, options: ParseOptions = {}): Promise<AuditEvent[]> {
  const steps = parseSteps(input, options);
  const clock = new TurnClock();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (clock.due()) await clock.yield();
  }
}

/** Lines (or events, or rows) between two chances to pause. */
const STEP = 1024;

/** The parse as steps: the generator yields (nothing) after every STEP lines, events or rows. */
function* parseSteps(input: unknown, options: ParseOptions): Generator<void, AuditEvent[]> {
  const mode = options.mode ?? 'default';
  if (typeof input === 'string') return yield* fromText(input, mode);
  if (Buffer.isBuffer(input)) return yield* fromText(input.toString('utf8'), mode);
  if (!Array.isArray(input)) throw new Error('auditd input must be a string of log lines, an array of lines, or an array of Sentinel records');
  if (input.every((x) => typeof x === 'string')) return yield* fromLines(input as string[], mode);
  return yield* fromRows(input, mode, options.inputColumn ?? 'AuditdMessage');
}

/** Lines of a big text without materialising an array of them. */
function* fromText(text: string, mode: AuditdMode): Generator<void, AuditEvent[]> {
  const grouper = new Grouper(mode);
  const scan = new HeaderScan().reset(text);
  let pos = 0;
  for (let n = 1; pos < text.length; n++) {
    if (n % STEP === 0) yield;
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const end = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    if (end > pos) grouper.add(scan, pos, end);
    pos = nl + 1;
  }
  return yield* grouper.events();
}

function* fromLines(lines: readonly string[], mode: AuditdMode): Generator<void, AuditEvent[]> {
  const grouper = new Grouper(mode);
  const scan = new HeaderScan();
  for (let i = 0; i < lines.length; i++) {
    if (i % STEP === STEP - 1) yield;
    const line = lines[i];
    if (!line) continue;
    grouper.add(scan.reset(line), 0, line.length);
  }
  return yield* grouper.events();
}

/** A growable Int32Array. */
class Ints {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
}

/** A growable Float64Array. */
class Floats {
  data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
}

/**
 * Collects records into events by audit id (consecutive lines usually share one).
 * Nearly every record lives until the end (a later line may still join its event),
 * and V8's young-generation GC copies every live object it finds: records are
 * therefore kept as positions in their source text (typed arrays, which it does
 * not copy), not as objects and substrings, and are cut out only when their event
 * is built. The id of a line is compared in place with the last event's.
 */
class Grouper {
  /** Per record: its source text, type, body [start, end) and the next record of its event (−1: last). */
  private readonly sources: string[] = [];
  private readonly types: string[] = [];
  private readonly bodyStart = new Ints();
  private readonly bodyEnd = new Ints();
  private readonly next = new Ints();
  /** Per event, in order of first appearance: id, its (ts, serial), first and last record. */
  private readonly ids: string[] = [];
  private readonly ts = new Floats();
  private readonly serial = new Floats();
  private readonly first = new Ints();
  private readonly last = new Ints();
  /** Largest (ts, serial) so far: an id beyond it is new without looking it up. */
  private maxTs = -Infinity;
  private maxSerial = -Infinity;
  /** Id → event, built only once an id arrives out of order (never, in an ordered log). */
  private byId: Map<string, number> | undefined;
  private lastGroup = -1;
  private readonly span: RecordSpan = { type: '', idStart: 0, idEnd: 0, bodyStart: 0, bodyEnd: 0 };

  constructor(private readonly mode: AuditdMode) {}

  /** The line [from, to) of the scanned text (lines in order). */
  add(scan: HeaderScan, from: number, to: number): void {
    const span = this.span;
    const text = scan.text;
    if (this.mode === 'default' && spanOfLine(scan, from, to, span)) {
      const g = this.lastGroup;
      const len = span.idEnd - span.idStart;
      if (g >= 0 && this.ids[g].length === len && text.startsWith(this.ids[g], span.idStart)) {
        this.record(g, text, span.type, span.bodyStart, span.bodyEnd);
      } else {
        this.record(this.group(text.slice(span.idStart, span.idEnd)), text, span.type, span.bodyStart, span.bodyEnd);
      }
      return;
    }
    const rec = parseRecordLine(from === 0 && to === text.length ? text : text.slice(from, to), this.mode);
    if (!rec) return;
    const g = this.lastGroup >= 0 && this.ids[this.lastGroup] === rec.id ? this.lastGroup : this.group(rec.id);
    this.record(g, rec.body, rec.type, 0, rec.body.length);
  }

  /** The event of an id, created on first sight. */
  private group(id: string): number {
    const ts = idSeconds(id);
    const serial = idSerial(id);
    let g: number | undefined;
    // Equal texts have equal (ts, serial): an id past the largest so far is a new one.
    const beyond = ts > this.maxTs || (ts === this.maxTs && serial > this.maxSerial);
    if (!beyond) g = this.index().get(id);
    if (g === undefined) {
      g = this.ids.length;
      this.ids.push(id);
      this.ts.push(ts);
      this.serial.push(serial);
      this.first.push(-1);
      this.last.push(-1);
      this.byId?.set(id, g);
      if (beyond) {
        this.maxTs = ts;
        this.maxSerial = serial;
      }
    }
    this.lastGroup = g;
    return g;
  }

  private index(): Map<string, number> {
    if (!this.byId) {
      this.byId = new Map();
      for (let g = 0; g < this.ids.length; g++) this.byId.set(this.ids[g], g);
    }
    return this.byId;
  }

  private record(g: number, source: string, type: string, start: number, end: number): void {
    const r = this.types.length;
    this.sources.push(source);
    this.types.push(type);
    this.bodyStart.push(start);
    this.bodyEnd.push(end);
    this.next.push(-1);
    if (this.first.data[g] < 0) this.first.data[g] = r;
    else this.next.data[this.last.data[g]] = r;
    this.last.data[g] = r;
  }

  *events(): Generator<void, AuditEvent[]> {
    const ids = this.ids;
    const order = Array.from({ length: ids.length }, (_x, i) => i);
    if (this.mode === 'compat') {
      order.sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : a - b));
    } else {
      // Logs are nearly in order: sort on precomputed (ts, serial) only when needed.
      const ts = this.ts.data;
      const serial = this.serial.data;
      let sorted = true;
      for (let i = 1; i < ids.length && sorted; i++) sorted = ts[i - 1] < ts[i] || (ts[i - 1] === ts[i] && serial[i - 1] <= serial[i]);
      if (!sorted) order.sort((a, b) => ts[a] - ts[b] || serial[a] - serial[b] || a - b);
    }
    const time = new TimeText();
    const out: AuditEvent[] = new Array(order.length);
    const next = this.next.data;
    const starts = this.bodyStart.data;
    const ends = this.bodyEnd.data;
    for (let i = 0; i < order.length; i++) {
      if (i % STEP === STEP - 1) yield;
      const g = order[i];
      const records: LazyRecord[] = [];
      for (let r = this.first.data[g]; r >= 0; r = next[r]) {
        const source = this.sources[r];
        records.push({ type: this.types[r], body: starts[r] === 0 && ends[r] === source.length ? source : source.slice(starts[r], ends[r]) });
      }
      out[i] = toEvent({ id: ids[g], records }, this.mode, time);
    }
    return out;
  }
}

function* fromRows(rows: readonly unknown[], mode: AuditdMode, column: string): Generator<void, AuditEvent[]> {
  const out: AuditEvent[] = [];
  const time = new TimeText();
  for (let i = 0; i < rows.length; i++) {
    if (i % STEP === STEP - 1) yield;
    const row = rows[i];
    if (!row || typeof row !== 'object' || Array.isArray(row)) throw new Error(`record ${i} is not an object`);
    const r = row as Record<string, unknown>;
    let message = r[column];
    if (message === undefined) throw new Error(`record ${i} has no ${column}`);
    let id = typeof r.mssg_id === 'string' ? r.mssg_id : undefined;
    if (typeof message === 'string' && /^\s*\[/.test(message)) {
      try {
        message = parsePythonLiteral(message);
      } catch (err) {
        throw new Error(`record ${i}: ${column} is neither an auditd line nor a record list (${(err as Error).message})`, { cause: err });
      }
    }
    const records: Group['records'] = [];
    if (typeof message === 'string') {
      const rec = parseRecordLine(message, mode);
      if (rec) {
        records.push({ type: rec.type, body: rec.body });
        id = rec.id;
      }
    } else if (Array.isArray(message)) {
      for (const entry of message) {
        if (!entry || typeof entry !== 'object') throw new Error(`record ${i}: ${column} entries must be {TYPE: [tokens]} objects`);
        for (const [type, tokens] of Object.entries(entry as Record<string, unknown>)) {
          if (!Array.isArray(tokens)) throw new Error(`record ${i}: ${column}.${type} must be a list of key=value tokens`);
          records.push({ type, fields: unpackRecord(type, tokens.map(String), mode) });
        }
      }
    } else {
      throw new Error(`record ${i}: ${column} must be a string or a list`);
    }
    const extra: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) if (k !== column && k !== 'TimeGenerated' && k !== 'mssg_id') extra[k] = v;
    out.push(toEvent({ id: id ?? '', records, extra }, mode, time));
  }
  return out;
}

/** TimeGenerated text of an audit id's seconds, reusing the last one (events come in bursts). */
class TimeText {
  private lastSeconds = '';
  private lastText: string | null | undefined = undefined;
  of(id: string): string | null {
    const colon = id.indexOf(':');
    const length = colon < 0 ? id.length : colon;
    // Compared in place: most events share the last one's second.
    if (length === this.lastSeconds.length && id.startsWith(this.lastSeconds) && this.lastText !== undefined) return this.lastText;
    const seconds = colon < 0 ? id : id.slice(0, colon);
    const micros = parseEpochSecondsMicros(seconds);
    this.lastSeconds = seconds;
    this.lastText = micros === undefined ? null : formatIsoMicros(micros);
    return this.lastText;
  }
}

function toEvent(g: Group, mode: AuditdMode, time: TimeText): AuditEvent {
  const event: Record<string, unknown> = { TimeGenerated: time.of(g.id), EventType: '', mssg_id: g.id };
  if (g.extra) Object.assign(event, g.extra);
  // Fields are written straight into the event (no intermediate objects).
  const [type] = extractEvent(g.records, mode, event as Record<string, FieldValue>);
  event.EventType = type;
  return event as AuditEvent;
}

/** Events of one type (msticpy get_event_subset). */
export function eventSubset(events: readonly AuditEvent[], type: string): AuditEvent[] {
  return events.filter((e) => e.EventType === type);
}

/** Columns with at least one non-null value: pandas' shape after dropna(axis=1, how="all"). */
export function nonNullColumns(events: ReadonlyArray<Record<string, unknown>>): string[] {
  const cols = new Set<string>();
  for (const e of events) for (const [k, v] of Object.entries(e)) if (v !== null && v !== undefined) cols.add(k);
  return [...cols];
}
