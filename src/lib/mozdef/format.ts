// Byte-exact re-creations of the JSON that mozdef_client's Python json.dumps produces,
// so a MozDef receiving secflow's events sees what it saw from the reference.
import { pyJsonNumber, pyJsonString } from '../util/python';

function scalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return pyJsonString(value);
  if (typeof value === 'number') return pyJsonNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return pyJsonString(value.toISOString());
  return undefined;
}

/** json.dumps(doc, sort_keys=True, indent=4): mozdef_client's HTTP body (contract R4). */
export function httpBody(doc: unknown): string {
  return indented(doc, '');
}

// Loops and string appends rather than entries/filter/map/join: this runs once per
// event on the HTTP path (about a third of its cost went to the intermediate arrays).
function indented(value: unknown, pad: string): string {
  const s = scalar(value);
  if (s !== undefined) return s;
  const inner = pad + '    ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    let out = '[\n';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',\n';
      // A hole stays empty, as Array.prototype.join left it.
      if (i in value) out += inner + indented(value[i], inner);
    }
    return out + '\n' + pad + ']';
  }
  const obj = value as Record<string, unknown>;
  const keys: string[] = [];
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (v !== undefined && typeof v !== 'function') keys.push(k);
  }
  if (keys.length === 0) return '{}';
  // Default sort: UTF-16 code-unit order, the same order as comparing with < and >.
  keys.sort();
  let out = '{\n';
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out += ',\n';
    out += inner + pyJsonString(keys[i]) + ': ' + indented(obj[keys[i]], inner);
  }
  return out + '\n' + pad + '}';
}

/** json.dumps(doc): one line, insertion order, ", " and ": " separators (syslog and SQS body). */
export function lineBody(doc: unknown): string {
  const s = scalar(doc);
  if (s !== undefined) return s;
  if (Array.isArray(doc)) return `[${doc.map(lineBody).join(', ')}]`;
  const entries = Object.entries(doc as Record<string, unknown>).filter(([, v]) => v !== undefined && typeof v !== 'function');
  return `{${entries.map(([k, v]) => `${pyJsonString(k)}: ${lineBody(v)}`).join(', ')}}`;
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
