// A user-supplied JSON → CEF mapping (contract S-e "User mapping"), validated
// with errors that name the offending property, then compiled like the others.
//
// {
//   "product": "My App", "version": "1",
//   "signatureId": {"field": "kind", "map": {"login": "100"}, "default": "0"},
//   "name": {"field": "kind", "default": "UNKNOWN"},
//   "severity": "5",
//   "extension": [
//     {"key": "suser", "from": ["user.email", "user.name"]},
//     {"key": "rt", "from": "time", "type": "timestamp", "required": true},
//     {"key": "cs1", "from": "tags", "type": "list", "label": "Tags"}
//   ]
// }
// A header item is a constant string, or {field, map?, default?} read from the event.
import { escapersFor } from '../escape';
import { compileExtension, compilePath, headerPrefix, isDropped, isPlainObject, renderScalar, VALUE_TYPES, type CefEvent, type CefMapping, type CefSettings, type ExtensionField, type Getter, type ValueType } from '../mapping';
import { display } from '../timestamp';

export interface HeaderValueSpec {
  field: string;
  map?: Record<string, string>;
  default?: string;
}

export interface CustomMappingSpec {
  product?: string;
  version?: string;
  signatureId?: string | HeaderValueSpec;
  name?: string | HeaderValueSpec;
  severity?: string | HeaderValueSpec;
  extension: ExtensionField[];
}

export const EXTENSION_KEY = /^[A-Za-z0-9_]+$/;
/** CEF's custom keys (cs1…, cn1…) mean nothing without their label. */
const NEEDS_LABEL = /^c[sn]\d+$/i;

const TOP_KEYS = ['product', 'version', 'signatureId', 'name', 'severity', 'extension'];
const HEADER_KEYS = ['field', 'map', 'default'];
const ITEM_KEYS = ['key', 'from', 'type', 'label', 'required'];

function fail(path: string, problem: string): never {
  throw new Error(`customMapping${path}: ${problem}`);
}

function checkKeys(obj: Record<string, unknown>, allowed: string[], path: string): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) fail(path, `unknown property ${JSON.stringify(k)} (allowed: ${allowed.join(', ')})`);
}

function optionalString(v: unknown, path: string): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return String(v);
  if (typeof v !== 'string') fail(path, `must be a string, got ${display(v)}`);
  return v;
}

function checkPath(path: string, where: string): string {
  try {
    compilePath(path);
  } catch (err) {
    fail(where, (err as Error).message);
  }
  return path;
}

function headerValue(v: unknown, path: string): string | HeaderValueSpec | undefined {
  if (v === undefined || typeof v === 'string' || typeof v === 'number') return optionalString(v, path);
  if (!isPlainObject(v)) fail(path, `must be a string or an object {field, map?, default?}, got ${display(v)}`);
  checkKeys(v, HEADER_KEYS, path);
  if (typeof v.field !== 'string') fail(`${path}.field`, `must be a dot path string, got ${display(v.field)}`);
  const spec: HeaderValueSpec = { field: checkPath(v.field, `${path}.field`) };
  if (v.map !== undefined) {
    if (!isPlainObject(v.map)) fail(`${path}.map`, `must be an object of value → text, got ${display(v.map)}`);
    spec.map = {};
    for (const [from, to] of Object.entries(v.map)) spec.map[from] = optionalString(to, `${path}.map.${from}`) as string;
  }
  spec.default = optionalString(v.default, `${path}.default`);
  return spec;
}

function extensionItem(v: unknown, path: string, seen: Set<string>): ExtensionField {
  if (!isPlainObject(v)) fail(path, `must be an object {key, from, type?, label?, required?}, got ${display(v)}`);
  checkKeys(v, ITEM_KEYS, path);
  const key = v.key;
  if (typeof key !== 'string' || !EXTENSION_KEY.test(key)) fail(`${path}.key`, `${display(key)} must match ${EXTENSION_KEY.source}`);
  if (seen.has(key)) fail(`${path}.key`, `${JSON.stringify(key)} is used twice`);
  seen.add(key);
  const fromList = typeof v.from === 'string' ? [v.from] : v.from;
  if (!Array.isArray(fromList) || fromList.length === 0 || !fromList.every((p) => typeof p === 'string')) fail(`${path}.from`, `must be a dot path or a non-empty list of dot paths, got ${display(v.from)}`);
  const from = fromList.map((p: string, i: number) => checkPath(p, `${path}.from[${i}]`));
  const type = v.type === undefined ? 'string' : v.type;
  if (!VALUE_TYPES.includes(type as ValueType)) fail(`${path}.type`, `must be one of ${VALUE_TYPES.join(', ')}, got ${display(type)}`);
  const label = optionalString(v.label, `${path}.label`);
  if (NEEDS_LABEL.test(key) && !label) fail(`${path}.label`, `${key} is a CEF custom key and needs a label`);
  if (v.required !== undefined && typeof v.required !== 'boolean') fail(`${path}.required`, `must be true or false, got ${display(v.required)}`);
  return { key, from, type: type as ValueType, label, required: v.required === true };
}

/** Validates a mapping given as an object or JSON text; errors name the property. */
export function parseCustomMapping(input: unknown): CustomMappingSpec {
  let raw = input;
  if (typeof input === 'string') {
    if (input.trim() === '') fail('', 'is empty; give a JSON object with an "extension" list');
    try {
      raw = JSON.parse(input);
    } catch (err) {
      fail('', `is not valid JSON (${(err as Error).message})`);
    }
  }
  if (!isPlainObject(raw)) fail('', `must be a JSON object, got ${display(raw)}`);
  checkKeys(raw, TOP_KEYS, '');
  if (!Array.isArray(raw.extension)) fail('.extension', `must be a list of {key, from, …}, got ${display(raw.extension)}`);
  const seen = new Set<string>();
  return {
    product: optionalString(raw.product, '.product'),
    version: optionalString(raw.version, '.version'),
    signatureId: headerValue(raw.signatureId, '.signatureId'),
    name: headerValue(raw.name, '.name'),
    severity: headerValue(raw.severity, '.severity'),
    extension: raw.extension.map((item, i) => extensionItem(item, `.extension[${i}]`, seen)),
  };
}

/** A header item as a function of the event. */
function compileHeaderValue(spec: string | HeaderValueSpec | undefined, fallback: string): (e: CefEvent) => string {
  if (spec === undefined) return () => fallback;
  if (typeof spec === 'string') return () => spec;
  const get: Getter = compilePath(spec.field);
  const map = spec.map ? Object.assign(Object.create(null), spec.map) as Record<string, string> : undefined;
  const dflt = spec.default ?? fallback;
  return (e) => {
    const v = get(e);
    if (isDropped(v) || v === '') return dflt;
    const text = renderScalar(v);
    return map ? map[text] ?? dflt : text;
  };
}

/** A CefMapping from a validated user mapping. */
export function customMapping(spec: CustomMappingSpec): CefMapping {
  const mapping: CefMapping = {
    name: 'custom',
    defaultProduct: spec.product ?? 'Custom',
    version: spec.version ?? '1',
    matches: () => true,
    compile(settings: CefSettings) {
      const esc = escapersFor(settings.escaping);
      const prefix = headerPrefix(esc, settings.vendor, settings.product || mapping.defaultProduct, mapping.version);
      const sig = compileHeaderValue(spec.signatureId, '0');
      const name = compileHeaderValue(spec.name, 'UNKNOWN');
      const severity = settings.severity ? () => settings.severity : compileHeaderValue(spec.severity, '5');
      const extension = compileExtension(spec.extension, settings.escaping);
      const h = esc.header;
      return (event) => {
        const ext = extension(event);
        return prefix + h(sig(event)) + '|' + h(name(event)) + '|' + h(severity(event)) + '|' + ext;
      };
    },
  };
  return mapping;
}
