// The formatter: options → a compiled `event → string` function, built once per
// configuration and then applied to many events.
import { parseEscaping, type Escaping } from './escape';
import { formatJson, formatRaw } from './json';
import { isPlainObject, vendorOf, type CefEvent, type CefMapping } from './mapping';
import { autoMapping, BUILTIN_MAPPINGS, customMapping, MAPPING_NAMES, parseCustomMapping } from './mappings';
import { display } from './timestamp';

export type OutputFormat = 'cef' | 'leef' | 'json' | 'raw';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['cef', 'leef', 'json', 'raw'];
export const LEEF_VERSIONS = ['1.0', '2.0'] as const;

export interface FormatterOptions {
  format?: OutputFormat;
  /** `spec` (default; alias `cef`) or `none` (byte-identical to c42eventextractor). */
  escaping?: Escaping | 'cef';
  /** `file-event` (default), `file-event-v2`, `alert`, `auto` (by the event's shape) or `custom`. */
  mapping?: string;
  /** The user mapping for `custom`: an object or JSON text. */
  customMapping?: unknown;
  vendor?: string;
  /** Empty: the mapping's default product. */
  productName?: string;
  /** Empty: the mapping's default severity. */
  severity?: string;
  /** LEEF: `2.0` (default; tab delimiter declared as x09) or `1.0`. */
  leefVersion?: '1.0' | '2.0';
  /** JSON/RAW: reproduce Python json.dumps bytes (", " / ": " separators, \uXXXX escapes). */
  pythonCompatible?: boolean;
}

export type EventFormatter = (event: unknown) => string;

/** Resolves the mapping an options object names; a custom mapping is validated here. */
export function resolveMapping(options: FormatterOptions): CefMapping {
  const name = options.mapping || 'file-event';
  if (name === 'custom') {
    if (options.customMapping === undefined || options.customMapping === null) throw new Error('customMapping: required when mapping is custom');
    return customMapping(parseCustomMapping(options.customMapping));
  }
  const mapping = BUILTIN_MAPPINGS[name];
  if (!mapping || !Object.prototype.hasOwnProperty.call(BUILTIN_MAPPINGS, name)) throw new Error(`mapping must be one of ${MAPPING_NAMES.join(', ')}; got ${display(name)}`);
  return mapping;
}

export function describeNonObject(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (Buffer.isBuffer(v)) return 'a Buffer';
  return `a ${typeof v} (${display(v)})`;
}

/** Compiles the options into a function; throws at once for invalid options. */
export function compileFormatter(options: FormatterOptions = {}): EventFormatter {
  const format = options.format ?? 'cef';
  if (!OUTPUT_FORMATS.includes(format)) throw new Error(`format must be one of ${OUTPUT_FORMATS.join(', ')}; got ${display(format)}`);
  const escaping = parseEscaping(options.escaping ?? 'spec', 'escaping');
  const check = (event: unknown): CefEvent => {
    if (!isPlainObject(event) || Buffer.isBuffer(event)) throw new Error(`event must be an object, got ${describeNonObject(event)}`);
    return event;
  };
  const py = options.pythonCompatible === true;
  if (format === 'json') return (event) => formatJson(check(event), py);
  if (format === 'raw') return (event) => formatRaw(check(event), py);
  const mapping = resolveMapping(options);
  // `auto` takes each picked mapping's default vendor when the node sets none.
  const settings = { vendor: mapping === autoMapping ? options.vendor ?? '' : vendorOf(mapping, options.vendor), product: options.productName ?? '', severity: options.severity ?? '', escaping };
  if (format === 'leef') {
    const leefVersion = options.leefVersion ?? '2.0';
    if (!LEEF_VERSIONS.includes(leefVersion)) throw new Error(`leefVersion must be one of ${LEEF_VERSIONS.join(', ')}; got ${display(leefVersion)}`);
    if (!mapping.compileLeef) throw new Error(`format leef: mapping ${mapping.name} has no LEEF form; use cbc-alert or cbc-audit`);
    const leef = mapping.compileLeef({ ...settings, leefVersion });
    return (event) => flat(leef(check(event)));
  }
  const cef = mapping.compile(settings);
  return (event) => flat(cef(check(event)));
}

/**
 * The line as one flat string. Built by some hundred concatenations, a line is a tree
 * of V8 cons strings (about 2.4 × its bytes) until its first reader flattens it (once:
 * V8 replaces the tree in place). Flattened here, a line waiting in a queue holds its
 * bytes only, and bursts of lines in flight no longer tip V8 into promoting most of
 * each scavenge (bench/_node-cost.ts: secflow-cef 2.6 → 6.2 µs/event in 2 of 3
 * processes without this). Reading one character is what flattens it.
 */
function flat(line: string): string {
  line.charCodeAt(0);
  return line;
}
