// What a CEF mapping is, and the pieces mappings share: the header, paths into
// an event, value renderers and a compiled extension writer. A mapping is
// compiled once per configuration into a plain function `event → CEF line`.
import { escapersFor, type Escapers, type Escaping } from './escape';
import { display, isoTimestampToCefMs } from './timestamp';

export type CefEvent = Record<string, unknown>;

/** Header settings after defaults: empty product/severity mean "the mapping decides". */
export interface CefSettings {
  vendor: string;
  product: string;
  severity: string;
  escaping: Escaping;
}

export type CompiledCef = (event: CefEvent) => string;

export interface CefMapping {
  /** The name the node's `mapping` property uses. */
  name: string;
  /** Header "Device Product" when the node sets none. */
  defaultProduct: string;
  /** Header "Device Version". */
  version: string;
  /** Header "Device Vendor" when the node sets none (default Code42). */
  defaultVendor?: string;
  /** LEEF output of the same mapping, where the mapping has one (cbc-alert, cbc-audit). */
  compileLeef?(settings: CefSettings & { leefVersion: '1.0' | '2.0' }): CompiledCef;
  /** True when an event looks like this mapping's input (for an `auto` mapping). */
  matches(event: CefEvent): boolean;
  compile(settings: CefSettings): CompiledCef;
}

/** The header's Device Vendor: the node's, else the mapping's default, else Code42. */
export function vendorOf(mapping: CefMapping, vendor: string | undefined): string {
  return vendor || mapping.defaultVendor || 'Code42';
}

/** The header up to and including the `|` before Signature ID. */
export function headerPrefix(esc: Escapers, vendor: string, product: string, version: string): string {
  return `CEF:0|${esc.header(vendor)}|${esc.header(product)}|${esc.header(version)}|`;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The reference's drop rule: null (or absent) and `[]` are not written. */
export function isDropped(v: unknown): boolean {
  return v === null || v === undefined || (Array.isArray(v) && v.length === 0);
}

// ---- paths ---------------------------------------------------------------

export type Getter = (event: CefEvent) => unknown;

const SEGMENT = /^[^.[\]]+(\[\])?$/;

/**
 * Compiles a dot path (`file.hash.md5`); a segment ending in `[]` maps over an
 * array (`destination.tabs[].url` → the list of urls). Throws on a malformed path.
 */
export function compilePath(path: string): Getter {
  const segments = path.split('.');
  if (path === '' || !segments.every((s) => SEGMENT.test(s))) throw new Error(`${JSON.stringify(path)} is not a dot path like "a.b.c" (a segment may end in [] to map over a list)`);
  const steps = segments.map((s) => ({ key: s.endsWith('[]') ? s.slice(0, -2) : s, spread: s.endsWith('[]') }));
  if (steps.length === 1 && !steps[0].spread) {
    const key = steps[0].key;
    return (e) => e[key];
  }
  if (!steps.some((s) => s.spread)) {
    const keys = steps.map((s) => s.key);
    // Unrolled for the common depths of nested events (Incydr's `file.hash.md5`): this is the hot path.
    if (keys.length === 2) {
      const [a, b] = keys;
      return (e) => {
        const v = e[a];
        return isPlainObject(v) ? v[b] : undefined;
      };
    }
    if (keys.length === 3) {
      const [a, b, c] = keys;
      return (e) => {
        const v = e[a];
        if (!isPlainObject(v)) return undefined;
        const w = v[b];
        return isPlainObject(w) ? w[c] : undefined;
      };
    }
    return (e) => {
      let v: unknown = e;
      for (const k of keys) {
        if (!isPlainObject(v)) return undefined;
        v = v[k];
      }
      return v;
    };
  }
  const walk = (v: unknown, i: number, out: unknown[]): void => {
    if (i === steps.length) {
      if (!isDropped(v)) out.push(v);
      return;
    }
    if (!isPlainObject(v)) return;
    const next = v[steps[i].key];
    if (steps[i].spread) {
      if (Array.isArray(next)) for (const item of next) walk(item, i + 1, out);
    } else walk(next, i + 1, out);
  };
  return (e) => {
    const out: unknown[] = [];
    walk(e, 0, out);
    return out;
  };
}

/** The first source whose value is neither null nor `[]`, with its path. */
export function firstOf(paths: string[]): { get: Getter; from: (event: CefEvent) => string } {
  const getters = paths.map(compilePath);
  if (getters.length === 1) return { get: getters[0], from: () => paths[0] };
  const get: Getter = (e) => {
    for (const g of getters) {
      const v = g(e);
      if (!isDropped(v)) return v;
    }
    return undefined;
  };
  const from = (e: CefEvent): string => paths.find((_p, i) => !isDropped(getters[i](e))) ?? paths[0];
  return { get, from };
}

// ---- values (secflow's own mappings; the v1 reference has its own rules) -----

export type ValueType = 'string' | 'number' | 'timestamp' | 'list';
export const VALUE_TYPES: readonly ValueType[] = ['string', 'number', 'timestamp', 'list'];

/** A scalar as text; objects and arrays as JSON. */
export function renderScalar(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v) ?? String(v);
}

function renderString(v: unknown): string {
  return Array.isArray(v) ? v.map(renderScalar).join(',') : renderScalar(v);
}

function renderNumber(v: unknown): string {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw new Error(`${display(v)} is not a number`);
  return String(n);
}

function renderList(v: unknown): string {
  return Array.isArray(v) ? v.map(renderScalar).join(',') : renderScalar(v);
}

export const RENDERERS: Record<ValueType, (v: unknown) => string> = {
  string: renderString,
  number: renderNumber,
  timestamp: isoTimestampToCefMs,
  list: renderList,
};

// ---- a compiled extension ---------------------------------------------------

export interface ExtensionField {
  key: string;
  from: string[];
  type: ValueType;
  label?: string;
  /** When no source has a value: an error instead of leaving the key out. */
  required?: boolean;
  /** Computes the value instead of reading `from` (e.g. a count). */
  compute?: (event: CefEvent) => unknown;
  /** Renders the value instead of the type's renderer (a built-in mapping's own rule, e.g. truncated times). */
  render?: (value: unknown) => string;
}

/** Compiles fields into `event → "k=v k=v …"`, in field order, escaping as configured. */
export function compileExtension(fields: ExtensionField[], escaping: Escaping): (event: CefEvent) => string {
  const esc = escapersFor(escaping);
  const parts = fields.map((f) => {
    const source = f.compute ? { get: f.compute, from: () => f.from.join('|') } : firstOf(f.from);
    return {
      get: source.get,
      from: source.from,
      what: f.from.join(' or '),
      render: f.render ?? RENDERERS[f.type],
      prefix: `${f.key}=`,
      suffix: f.label === undefined ? '' : ` ${f.key}Label=${esc.extension(f.label)}`,
      required: f.required === true,
    };
  });
  const escape = esc.extension;
  return (event) => {
    let out = '';
    for (const p of parts) {
      const v = p.get(event);
      if (isDropped(v)) {
        if (p.required) throw new Error(`${p.what}: missing; the mapping requires it for ${p.prefix.slice(0, -1)}`);
        continue;
      }
      let text: string;
      try {
        text = p.render(v);
      } catch (err) {
        throw new Error(`${p.from(event)}: ${(err as Error).message}`, { cause: err });
      }
      out += (out === '' ? '' : ' ') + p.prefix + escape(text) + p.suffix;
    }
    return out;
  };
}

