// The summary column: for each attribute the config lists for the event's type,
// `attr: value`, after an optional transform (upstream events/summary.json).
import { pyStr } from '../util/python';

export interface SummaryConfig {
  types: Record<string, string[]>;
  transforms: Record<string, TransformName>;
}

export type TransformName = 'int2ip';
export type SummaryStyle = 'python' | 'clean';
export type Int2ipMode = 'strict' | 'lenient';

/** The upstream default (process_events_exporter/events/summary.json). */
export const DEFAULT_SUMMARY_CONFIG: SummaryConfig = {
  types: {
    childproc: ['childproc_username', 'childproc_cmdline'],
    regmod: ['regmod_name', 'regmod_action', 'regmod_new_name'],
    filemod: ['filemod_name', 'filemod_action', 'filemod_hash'],
    modload: ['modload_name', 'modload_action'],
    crossproc: ['crossproc_name', 'crossproc_action'],
    netconn: ['netconn_inbound', 'netconn_protocol', 'netconn_remote_ipv4', 'netconn_remote_port'],
    netconn_proxy: ['netconn_inbound', 'netconn_protocol', 'netconn_domain', 'netconn_remote_port'],
    fileless_scriptload: ['fileless_scriptload_cmdline'],
    scriptload: ['scriptload_name'],
  },
  transforms: { netconn_remote_ipv4: 'int2ip' },
};

const TRANSFORMS: readonly TransformName[] = ['int2ip'];

/** Parses and checks a summary config (JSON text or object); empty text = the default. */
export function parseSummaryConfig(input: unknown): SummaryConfig {
  if (input === undefined || input === null || (typeof input === 'string' && input.trim() === '')) return DEFAULT_SUMMARY_CONFIG;
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (err) {
      throw new Error(`summaryConfig is not valid JSON: ${(err as Error).message}`, { cause: err });
    }
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('summaryConfig must be a JSON object with "types" (and optionally "transforms")');
  const v = value as Record<string, unknown>;
  if (!v.types || typeof v.types !== 'object' || Array.isArray(v.types)) throw new Error('summaryConfig.types must be an object of event type → list of attribute names');
  const types: Record<string, string[]> = {};
  for (const [type, attrs] of Object.entries(v.types as Record<string, unknown>)) {
    if (!Array.isArray(attrs) || !attrs.every((a) => typeof a === 'string')) throw new Error(`summaryConfig.types.${type} must be a list of attribute names`);
    types[type] = attrs as string[];
  }
  const transforms: Record<string, TransformName> = {};
  if (v.transforms !== undefined) {
    if (!v.transforms || typeof v.transforms !== 'object' || Array.isArray(v.transforms)) throw new Error('summaryConfig.transforms must be an object of attribute → transform name');
    for (const [attr, fn] of Object.entries(v.transforms as Record<string, unknown>)) {
      if (!TRANSFORMS.includes(fn as TransformName)) throw new Error(`summaryConfig.transforms.${attr}: unknown transform ${JSON.stringify(fn)} (known: ${TRANSFORMS.join(', ')})`);
      transforms[attr] = fn as TransformName;
    }
  }
  return { types, transforms };
}

function dotted(u: number): string {
  return `${(u >>> 24) & 255}.${(u >>> 16) & 255}.${(u >>> 8) & 255}.${u & 255}`;
}

/**
 * `int2ip`: a big-endian signed int32 as a dotted quad (−1062731519 → 192.168.1.1).
 * Strict (upstream) accepts only signed int32 numbers; lenient also takes
 * 0…2^32−1, decimal-integer strings and valid dotted IPv4 strings.
 * Throws when the value is not accepted (the attribute is then dropped).
 */
export function int2ip(value: unknown, mode: Int2ipMode = 'strict'): string {
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (value >= -0x80000000 && value <= 0x7fffffff) return dotted(value >>> 0);
    if (mode === 'lenient' && value >= 0 && value <= 0xffffffff) return dotted(value);
  }
  if (mode === 'lenient' && typeof value === 'string') {
    const text = value.trim();
    if (/^-?\d+$/.test(text)) return int2ip(Number(text), mode);
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
    if (m && m.slice(1).every((o) => Number(o) <= 255)) return m.slice(1).map(Number).join('.');
  }
  throw new Error(`int2ip: ${JSON.stringify(value ?? null)} is not a signed 32-bit integer`);
}

export interface SummaryOptions {
  style: SummaryStyle;
  int2ip: Int2ipMode;
  /** Called for what upstream logs as warnings (unknown type, failed transform). */
  warn?: (message: string) => void;
}

/** The summary text of one event. */
export function renderSummary(event: Record<string, unknown>, config: SummaryConfig, options: SummaryOptions): string {
  const type = String(event.event_type ?? '');
  const attrs = config.types[type];
  if (!attrs) {
    options.warn?.(`no summary attributes configured for event type ${JSON.stringify(type)}`);
    return '';
  }
  const parts: string[] = [];
  for (const attr of attrs) {
    let value = event[attr];
    const transform = config.transforms[attr];
    if (transform === 'int2ip') {
      try {
        value = int2ip(value, options.int2ip);
      } catch (err) {
        options.warn?.(`${attr}: ${(err as Error).message}; attribute left out of the summary`);
        continue;
      }
    }
    parts.push(options.style === 'python' ? ` ${attr}: ${pyStr(value)}` : `${attr}: ${cleanText(value)}`);
  }
  return options.style === 'python' ? parts.join('') : parts.join(' ');
}

function cleanText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(cleanText).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
