// Turns node settings plus one message's overrides into a validated MozDef document
// (contract S2): msg.<field> > msg.event > msg.payload > node config > type default.
import { EVENT_TYPES, EventType, Doc, HostInfo, MozDefMessage } from './message';
import { MozDefError } from './errors';
import { parseSeverity } from './severity';
import { mozdefTimestamp } from './format';
import { MAX_NESTING, nestedDeeperThan } from '../util/nesting';

/** Keys of an event object that set fields instead of becoming extra top-level fields. */
export const KNOWN_KEYS = ['summary', 'category', 'severity', 'tags', 'details', 'source', 'timestamp', 'hostname', 'processname', 'processid'] as const;

export interface FieldValues {
  summary?: unknown;
  category?: unknown;
  severity?: unknown;
  tags?: unknown;
  details?: unknown;
  source?: unknown;
  timestamp?: unknown;
  hostname?: unknown;
  processname?: unknown;
  processid?: unknown;
}

export interface EventInput {
  /** The node's event type; `msg.mozdefType` may switch it. */
  type: EventType;
  /** Node settings, already evaluated (typed inputs). Empty strings mean "not set". */
  config: FieldValues;
  /** The message: payload, event, and the per-field overrides. */
  msg: FieldValues & { payload?: unknown; event?: unknown; mozdefType?: unknown };
  host: HostInfo;
}

export interface BuiltEvent {
  type: EventType;
  doc: Doc;
  /** Things worth a node.warn (e.g. an unknown severity that became INFO). */
  warnings: string[];
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (Buffer.isBuffer(value)) return 'a Buffer';
  return `a ${typeof value}`;
}

function isPlainObject(value: unknown): value is Doc {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value) && !(value instanceof Date);
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/** Tags from an array or a comma-separated string. */
export function parseTags(value: unknown, field: string): string[] {
  if (Array.isArray(value)) return value.map((t) => String(t));
  if (typeof value === 'string') return value.split(',').map((t) => t.trim()).filter((t) => t !== '');
  throw new MozDefError(`${field} must be an array or a comma-separated string, got ${kindOf(value)}`, 'EINPUT', { fields: [field] });
}

function parseDetails(value: unknown, field: string): Doc {
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      if (isPlainObject(parsed)) return parsed;
    } catch {
      // fall through to the error below
    }
    throw new MozDefError(`${field} must be a JSON object`, 'EINPUT', { fields: [field] });
  }
  if (!isPlainObject(value)) throw new MozDefError(`${field} must be an object, got ${kindOf(value)}`, 'EINPUT', { fields: [field] });
  return value;
}

/** A timestamp from an ISO string, a Date or epoch ms, in MozDef's format. */
export function parseTimestamp(value: unknown, field: string): string {
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/.test(value)) return value;
  const date = value instanceof Date ? value : typeof value === 'number' || typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new MozDefError(`${field} must be an ISO date, a Date or epoch milliseconds, got ${JSON.stringify(value)}`, 'EINPUT', { fields: [field] });
  }
  return mozdefTimestamp(date);
}

/** Builds and validates one event; throws a MozDefError (validation or input) naming the field. */
export function buildEvent(input: EventInput): BuiltEvent {
  const { msg } = input;
  let type = input.type;
  if (present(msg.mozdefType)) {
    if (!(EVENT_TYPES as readonly string[]).includes(String(msg.mozdefType))) {
      throw new MozDefError(`msg.mozdefType must be one of ${EVENT_TYPES.join(', ')}; got ${JSON.stringify(msg.mozdefType)}`, 'EINPUT', { fields: ['msg.mozdefType'] });
    }
    type = msg.mozdefType as EventType;
  }
  if (msg.event !== undefined && !isPlainObject(msg.event)) {
    throw new MozDefError(`msg.event must be an object, got ${kindOf(msg.event)}`, 'EINPUT', { fields: ['msg.event'] });
  }
  const payload = msg.payload;
  if (payload !== undefined && payload !== null && typeof payload !== 'string' && !isPlainObject(payload)) {
    throw new MozDefError(`msg.payload must be an object or a string, got ${kindOf(payload)}`, 'EINPUT', { fields: ['msg.payload'] });
  }
  const message = new MozDefMessage(type, input.host);
  const warnings: string[] = [];

  if (type === 'vulnerability') {
    const doc = (msg.event as Doc | undefined) ?? (isPlainObject(payload) ? payload : undefined);
    if (!doc) throw new MozDefError(`msg.payload must be an object (the vulnerability document), got ${kindOf(payload)}`, 'EINPUT', { fields: ['msg.payload'] });
    message.log = snapshot(doc, msg.event !== undefined ? 'msg.event' : 'msg.payload');
    return { type, doc: message.prepare(), warnings };
  }

  // Layers, lowest precedence first. An object payload with `summary` or `details` is a
  // whole event; any other object payload is the details.
  const layers: Array<{ name: string; values: FieldValues; extra?: Doc }> = [{ name: 'config', values: input.config }];
  if (typeof payload === 'string') layers.push({ name: 'msg.payload', values: { summary: payload } });
  else if (isPlainObject(payload)) {
    if ('summary' in payload || 'details' in payload) layers.push({ name: 'msg.payload', ...splitEvent(payload) });
    else layers.push({ name: 'msg.payload', values: { details: payload } });
  }
  if (isPlainObject(msg.event)) layers.push({ name: 'msg.event', ...splitEvent(msg.event) });
  const own: FieldValues = {};
  for (const key of KNOWN_KEYS) if (key in msg) own[key] = msg[key];
  layers.push({ name: 'msg', values: own });

  const pick = (key: keyof FieldValues): { value: unknown; field: string } | undefined => {
    for (let i = layers.length - 1; i >= 0; i--) {
      const value = layers[i].values[key];
      if (present(value)) return { value, field: layers[i].name === 'config' ? key : `${layers[i].name}.${key}` };
    }
    return undefined;
  };

  const summary = pick('summary');
  if (summary) message.summary = typeof summary.value === 'string' ? summary.value : JSON.stringify(snapshot(summary.value, summary.field));
  const category = pick('category');
  if (category) message.category = String(category.value);
  const severity = pick('severity');
  if (severity) {
    const parsed = parseSeverity(severity.value);
    if (!parsed.valid) warnings.push(`${severity.field} ${JSON.stringify(severity.value)} is not a MozDef severity; sent as INFO`);
    message.severity = parsed.severity;
  }
  const tags = pick('tags');
  if (tags) message.tags = parseTags(tags.value, tags.field);
  const details = pick('details');
  if (details) message.details = snapshot(parseDetails(details.value, details.field), details.field);
  const source = pick('source');
  if (source) message.source = String(source.value);
  const timestamp = pick('timestamp');
  if (timestamp) message.timestamp = parseTimestamp(timestamp.value, timestamp.field);
  const hostname = pick('hostname');
  if (hostname) message.hostname = String(hostname.value);
  const processname = pick('processname');
  if (processname) message.processname = String(processname.value);
  const processid = pick('processid');
  if (processid) {
    const n = Number(processid.value);
    if (!Number.isInteger(n)) throw new MozDefError(`${processid.field} must be an integer, got ${JSON.stringify(processid.value)}`, 'EINPUT', { fields: [processid.field] });
    message.processid = n;
  }
  for (const layer of layers) if (layer.extra) Object.assign(message.extra, snapshot(layer.extra, layer.name));
  return { type, doc: message.prepare(), warnings };
}

/**
 * A copy of an event part, so later changes to the message do not reach the
 * queued event. Every transport serialises the event, and both the copy and
 * the serialisation recurse: deeper input is refused here, naming the field.
 */
function snapshot<T>(value: T, field: string): T {
  if (nestedDeeperThan(value)) throw new MozDefError(`${field} is nested more than ${MAX_NESTING} levels deep; secflow refuses such input (see "Limits" in the README)`, 'EINPUT', { fields: [field] });
  return structuredClone(value);
}

function splitEvent(obj: Doc): { values: FieldValues; extra: Doc } {
  const values: FieldValues = {};
  const extra: Doc = {};
  for (const [key, value] of Object.entries(obj)) {
    if ((KNOWN_KEYS as readonly string[]).includes(key)) values[key as keyof FieldValues] = value;
    else extra[key] = value;
  }
  return { values, extra };
}
