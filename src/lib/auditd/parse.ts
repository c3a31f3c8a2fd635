// auditd log text or Sentinel-style rows → one event per audit event
// (msticpy read_from_file / extract_events_to_df).
import { extractEvent, FieldValue, LazyRecord, unpackRecord } from './extract';
import { parsePythonLiteral } from './python-literal';
import { AuditdMode, idSeconds, idSerial, parseRecordLine } from './records';
import { formatIsoMicros, parseEpochSecondsMicros } from '../proctree/time';

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
  const mode = options.mode ?? 'default';
  if (typeof input === 'string') return fromText(input, mode);
  if (Buffer.isBuffer(input)) return fromText(input.toString('utf8'), mode);
  if (!Array.isArray(input)) throw new Error('auditd input must be a string of log lines, an array of lines, or an array of Sentinel records');
  if (input.every((x) => typeof x === 'string')) return fromLines(input as string[], mode);
  return fromRows(input, mode, options.inputColumn ?? 'AuditdMessage');
}

/** Lines of a big text without materialising an array of them. */
function fromText(text: string, mode: AuditdMode): AuditEvent[] {
  const grouper = new Grouper(mode);
  let pos = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    const end = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    if (end > pos) grouper.add(text.slice(pos, end));
    pos = nl + 1;
  }
  return grouper.events();
}

function fromLines(lines: readonly string[], mode: AuditdMode): AuditEvent[] {
  const grouper = new Grouper(mode);
  for (const line of lines) if (line) grouper.add(line);
  return grouper.events();
}

/** Collects records into events by audit id (consecutive lines usually share one). */
class Grouper {
  private readonly groups = new Map<string, Group>();
  private readonly ordered: Group[] = [];
  private last: Group | undefined;

  constructor(private readonly mode: AuditdMode) {}

  add(line: string): void {
    const rec = parseRecordLine(line, this.mode);
    if (!rec) return;
    let g = this.last !== undefined && this.last.id === rec.id ? this.last : this.groups.get(rec.id);
    if (!g) {
      g = { id: rec.id, records: [] };
      this.groups.set(rec.id, g);
      this.ordered.push(g);
    }
    this.last = g;
    g.records.push(rec);
  }

  events(): AuditEvent[] {
    const ordered = this.ordered;
    if (this.mode === 'compat') {
      ordered.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    } else {
      // Logs are nearly in order: sort on precomputed (ts, serial) only when needed.
      const ts = Float64Array.from(ordered, (g) => idSeconds(g.id));
      const serial = Float64Array.from(ordered, (g) => idSerial(g.id));
      let sorted = true;
      for (let i = 1; i < ts.length && sorted; i++) sorted = ts[i - 1] < ts[i] || (ts[i - 1] === ts[i] && serial[i - 1] <= serial[i]);
      if (!sorted) {
        const idx = ordered.map((_g, i) => i).sort((a, b) => ts[a] - ts[b] || serial[a] - serial[b] || a - b);
        const copy = ordered.slice();
        idx.forEach((from, to) => { ordered[to] = copy[from]; });
      }
    }
    const time = new TimeText();
    return ordered.map((g) => toEvent(g, this.mode, time));
  }
}

function fromRows(rows: readonly unknown[], mode: AuditdMode, column: string): AuditEvent[] {
  const out: AuditEvent[] = [];
  const time = new TimeText();
  rows.forEach((row, i) => {
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
  });
  return out;
}

/** TimeGenerated text of an audit id's seconds, reusing the last one (events come in bursts). */
class TimeText {
  private lastSeconds = '';
  private lastText: string | null = null;
  of(id: string): string | null {
    const colon = id.indexOf(':');
    const seconds = colon < 0 ? id : id.slice(0, colon);
    if (seconds !== this.lastSeconds) {
      const micros = parseEpochSecondsMicros(seconds);
      this.lastSeconds = seconds;
      this.lastText = micros === undefined ? null : formatIsoMicros(micros);
    }
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
