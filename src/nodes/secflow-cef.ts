// secflow-cef: formats msg.payload (an event object) as CEF, LEEF, JSON or RAW text, or a
// page (an array of events) as an array of lines in the same order.
// The formatter is compiled once per configuration; `msg.cef` may override
// vendor, productName, severity, mapping, escaping and format per message.
import { compileFormatter, describeNonObject, LEEF_VERSIONS, MAPPING_NAMES, OUTPUT_FORMATS, parseEscaping, type EventFormatter, type FormatterOptions } from '../lib/cef';
import { oneOf, str } from './shared/config';
import { asError, onClose, onInput } from './shared/input';
import type { Node, NodeAPI, NodeDef, NodeMessage } from './shared/red';
import { assertNesting } from '../lib/util/nesting';

type Settings = Required<Pick<FormatterOptions, 'format' | 'escaping' | 'mapping' | 'vendor' | 'productName' | 'severity' | 'leefVersion'>> & { customMapping: string };

/** What msg.cef may override. */
const OVERRIDES = ['vendor', 'productName', 'severity', 'mapping', 'escaping', 'format', 'leefVersion'] as const;

function readConfig(config: NodeDef): Settings {
  return {
    format: oneOf(config.format, OUTPUT_FORMATS, 'cef', 'format'),
    escaping: parseEscaping(str(config.escaping) || 'spec', 'escaping'),
    mapping: oneOf(config.mapping, MAPPING_NAMES, 'file-event', 'mapping'),
    customMapping: typeof config.customMapping === 'string' ? config.customMapping : '',
    // Empty: the mapping's vendor (Code42; CarbonBlack for cbc-alert and cbc-audit).
    vendor: str(config.vendor),
    productName: str(config.productName),
    severity: str(config.severity),
    leefVersion: oneOf(config.leefVersion, LEEF_VERSIONS, '2.0', 'leefVersion'),
  };
}

/** The node's settings with msg.cef applied; every bad value is named. */
function withOverrides(base: Settings, cef: unknown): Settings {
  if (cef === undefined || cef === null) return base;
  if (typeof cef !== 'object' || Array.isArray(cef)) throw new Error(`msg.cef must be an object with any of ${OVERRIDES.join(', ')}; got ${describeNonObject(cef)}`);
  const o = cef as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!(OVERRIDES as readonly string[]).includes(key)) throw new Error(`msg.cef.${key} is not an option; msg.cef may set ${OVERRIDES.join(', ')}`);
  }
  const text = (key: 'vendor' | 'productName' | 'severity'): string => {
    const v = o[key];
    if (v === undefined) return base[key];
    if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`msg.cef.${key} must be a string; got ${describeNonObject(v)}`);
    return String(v);
  };
  return {
    format: o.format === undefined ? base.format : oneOf(o.format, OUTPUT_FORMATS, base.format, 'msg.cef.format'),
    escaping: o.escaping === undefined ? base.escaping : parseEscaping(o.escaping, 'msg.cef.escaping'),
    mapping: o.mapping === undefined ? base.mapping : oneOf(o.mapping, MAPPING_NAMES, base.mapping, 'msg.cef.mapping'),
    customMapping: base.customMapping,
    vendor: text('vendor'),
    productName: text('productName'),
    severity: text('severity'),
    leefVersion: o.leefVersion === undefined ? base.leefVersion : oneOf(String(o.leefVersion), LEEF_VERSIONS, base.leefVersion, 'msg.cef.leefVersion'),
  };
}

function compile(s: Settings): EventFormatter {
  return compileFormatter({
    ...s,
    customMapping: s.mapping === 'custom' ? s.customMapping : undefined,
    // `none` means "as the Python reference did": its JSON bytes too.
    pythonCompatible: s.escaping === 'none',
  });
}

/** A short status text: the start of the message, enough to see which field. */
function short(message: string): string {
  return message.length > 48 ? message.slice(0, 45) + '...' : message;
}

/** Throws, naming `field`, unless `event` is an event object the formatter may walk. */
function checkEvent(event: unknown, field: string): void {
  if (typeof event !== 'object' || event === null || Array.isArray(event) || Buffer.isBuffer(event)) {
    throw new Error(`${field} must be an event object; got ${describeNonObject(event)}`);
  }
  assertNesting(event, field);
}

/** One bad event of a page: its index in msg.payload and why. */
export interface CefError {
  index: number;
  error: string;
}

/** How many bad events an error message names before it says "and N more". */
const LISTED = 5;

/**
 * A page: the good events go on as one message of lines (a shallow copy of msg, so
 * that its settle tag and the rest travel with it); the bad ones fail the input
 * message in one error, with msg.cefErrors listing each index and reason, and
 * msg.payload still the page so that a Catch node can pick them out. The error
 * also carries `indexes`: a confirmed-delivery extractor dead-letters those events
 * only (see README, "Page mode and confirmed delivery").
 */
function formatPage(msg: NodeMessage, page: unknown[], format: EventFormatter, send: (msg: NodeMessage) => void): void {
  const lines: string[] = new Array(page.length);
  let errors: CefError[] | undefined;
  let good = 0;
  for (let i = 0; i < page.length; i++) {
    const event = page[i];
    try {
      checkEvent(event, `msg.payload[${i}]`);
      const line = format(event as Record<string, unknown>); // before good++: a throw must not leave a hole
      lines[good++] = line;
    } catch (err) {
      (errors ??= []).push({ index: i, error: asError(err).message });
    }
  }
  if (!errors) {
    msg.payload = lines;
    send(msg);
    return;
  }
  lines.length = good;
  if (good > 0) send({ ...msg, payload: lines });
  msg.cefErrors = errors;
  const listed = errors.slice(0, LISTED).map((e) => `[${e.index}] ${e.error}`).join('; ');
  const more = errors.length > LISTED ? `; and ${errors.length - LISTED} more (msg.cefErrors)` : '';
  throw Object.assign(new Error(`${errors.length} of ${page.length} events could not be formatted, the other ${good} went on: ${listed}${more}`), { indexes: errors.map((e) => e.index) });
}

export default function (RED: NodeAPI): void {
  RED.nodes.registerType('secflow-cef', function SecflowCefNode(this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    setUp(this, config);
  });
}

function setUp(node: Node, config: NodeDef): void {
  let base: Settings | undefined;
  let baseFormatter: EventFormatter | undefined;
  let configError: Error | undefined;
  let showingError = false;
  // Compiled formatters by effective settings; msg.cef overrides are few in practice.
  const cache = new Map<string, EventFormatter>();

  const formatterFor = (s: Settings): EventFormatter => {
    const key = JSON.stringify(s);
    let f = cache.get(key);
    if (!f) {
      f = compile(s);
      if (cache.size >= 32) cache.clear();
      cache.set(key, f);
    }
    return f;
  };

  try {
    base = readConfig(config);
    baseFormatter = formatterFor(base); // validates the custom mapping at deploy
  } catch (err) {
    configError = asError(err);
    node.error(configError);
    node.status({ fill: 'red', shape: 'ring', text: short(configError.message) });
  }

  onInput(node, (msg: NodeMessage, send) => {
    try {
      if (!base) throw configError as Error;
      const payload = msg.payload;
      const format = msg.cef === undefined || msg.cef === null ? baseFormatter ?? formatterFor(base) : formatterFor(withOverrides(base, msg.cef));
      if (Array.isArray(payload)) {
        formatPage(msg, payload, format, send);
      } else {
        checkEvent(payload, 'msg.payload');
        msg.payload = format(payload as Record<string, unknown>);
        send(msg);
      }
      if (showingError && !configError) {
        showingError = false;
        node.status({});
      }
    } catch (err) {
      const error = asError(err);
      showingError = true;
      node.status({ fill: 'red', shape: 'ring', text: short(error.message) });
      throw error;
    }
  });

  onClose(node, () => {
    cache.clear();
  });
}
