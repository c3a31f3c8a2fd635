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
  return `{\n${entries.map(([k, v]) => `${inner}${pyJsonString(k)}: ${indented(v, inner)}`).join(',\n')}\n${pad}}`;
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
