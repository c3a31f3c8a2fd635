// Byte-exact re-creations of the JSON that mozdef_client's Python json.dumps produces,
// so a MozDef receiving secflow's events sees what it saw from the reference.

/** A Python-style (ensure_ascii) JSON string literal: everything outside space..~ is escaped. */
export function pyString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e) {
      out += c === 0x22 ? '\\"' : c === 0x5c ? '\\\\' : s[i];
      continue;
    }
    switch (c) {
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x08: out += '\\b'; break;
      case 0x0c: out += '\\f'; break;
      // UTF-16 code units are exactly Python's surrogate-pair escapes.
      default: out += `\\u${c.toString(16).padStart(4, '0')}`;
    }
  }
  return `${out}"`;
}

/** Python's repr of a number as json.dumps writes it (floats: exponent form outside 1e-4..1e16, like 1e-05). */
function pyNumber(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : n < 0 ? '-Infinity' : 'NaN';
  // An integral value is an int for JSON.parse's callers (JS has no separate type).
  if (Number.isInteger(n)) return BigInt(n).toString();
  const abs = Math.abs(n);
  if (abs !== 0 && (abs >= 1e16 || abs < 1e-4)) return n.toExponential().replace(/e([+-])(\d)$/, 'e$10$2');
  return String(n);
}

function scalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return pyString(value);
  if (typeof value === 'number') return pyNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return pyString(value.toISOString());
  return undefined;
}

/** json.dumps(doc, sort_keys=True, indent=4): mozdef_client's HTTP body (contract R4). */
export function httpBody(doc: unknown): string {
  return indented(doc, '');
}

function indented(value: unknown, pad: string): string {
  const s = scalar(value);
  if (s !== undefined) return s;
  const inner = `${pad}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + indented(v, inner)).join(',\n')}\n${pad}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function');
  if (entries.length === 0) return '{}';
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{\n${entries.map(([k, v]) => `${inner}${pyString(k)}: ${indented(v, inner)}`).join(',\n')}\n${pad}}`;
}

/** json.dumps(doc): one line, insertion order, ", " and ": " separators (syslog and SQS body). */
export function lineBody(doc: unknown): string {
  const s = scalar(doc);
  if (s !== undefined) return s;
  if (Array.isArray(doc)) return `[${doc.map(lineBody).join(', ')}]`;
  const entries = Object.entries(doc as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function');
  return `{${entries.map(([k, v]) => `${pyString(k)}: ${lineBody(v)}`).join(', ')}}`;
}

/** UTC `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`, always 6 fractional digits (contract S1). */
export function mozdefTimestamp(date?: Date): string {
  const ms = date ? date.getTime() : Date.now();
  // Events come in bursts within one millisecond: format each millisecond once.
  if (ms !== lastMs) {
    lastMs = ms;
    lastText = `${new Date(ms).toISOString().slice(0, 23)}000+00:00`;
  }
  return lastText;
}
let lastMs = NaN;
let lastText = '';
