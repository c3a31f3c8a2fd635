// One raw auditd line → {type, id, tokens}. Two readings:
// - compat: msticpy's read_from_file (header = text before the first ": ",
//   tokens = text between the first and second ": " split on single spaces,
//   type must start the line, id cut at ":" to the timestamp);
// - default: the Sentinel KQL pattern `type=… msg=audit(ts:serial): rest`
//   found anywhere in the line (syslog prefixes allowed), all of the rest kept.

export type AuditdMode = 'default' | 'compat';

export interface AuditRecord {
  type: string;
  /** `ts:serial` (default) or `ts` (compat). */
  id: string;
  /** The `key=value …` text, unsplit (tokens are split when the record is used). */
  body: string;
}

const TYPE_AT_START = /^type=(\S+)/;
const AUDIT_ID = /msg=audit\(([^)]+)\)/;
const KQL_LINE = /type=(\S+)\s+msg=audit\(([^)]+)\):\s+([^\r]*)/;

export function parseRecordLine(line: string, mode: AuditdMode): AuditRecord | undefined {
  if (mode === 'compat') {
    const fast = fastCompatLine(line);
    if (fast) return fast;
    const text = line.trimEnd();
    const first = text.indexOf(': ');
    const header = first < 0 ? text : text.slice(0, first);
    const type = TYPE_AT_START.exec(header);
    const id = AUDIT_ID.exec(header);
    if (!type || !id || first < 0) return undefined;
    const second = text.indexOf(': ', first + 2);
    const body = second < 0 ? text.slice(first + 2) : text.slice(first + 2, second);
    return { type: type[1], id: id[1].split(':')[0], body };
  }
  return fastLine(line) ?? kqlLine(line);
}

function kqlLine(line: string): AuditRecord | undefined {
  const m = KQL_LINE.exec(line);
  if (!m) return undefined;
  return { type: m[1], id: m[2], body: m[3].trimEnd() };
}

/**
 * Compat reading of the common `type=T msg=audit(ID): body` layout: the id cut at
 * ":", the body up to a second ": " (right-trimmed, no other trimming).
 */
function fastCompatLine(line: string): AuditRecord | undefined {
  if (!line.startsWith('type=')) return undefined;
  const sp = line.indexOf(' ', 5);
  if (sp < 0 || !line.startsWith('msg=audit(', sp + 1)) return undefined;
  const close = line.indexOf(')', sp + 11);
  const first = line.indexOf(': ');
  if (close < 0 || first !== close + 1) return undefined;
  let end = line.indexOf(': ', first + 2);
  if (end < 0) {
    end = line.length;
    while (end > first + 2 && /\s/.test(line[end - 1])) end--;
  }
  const colon = line.indexOf(':', sp + 11);
  const id = line.slice(sp + 11, colon >= 0 && colon < close ? colon : close);
  return { type: typeAt(line, 5, sp), id, body: line.slice(first + 2, end) };
}

// Record types the extraction looks up (and the commonest others), as constants:
// a type taken from them is an internalized string, so the `FIELD_LISTS[type]`
// style lookups and `===` tests downstream are pointer compares, and no string is
// allocated per record for it.
const KNOWN_TYPES = [
  'SYSCALL', 'EXECVE', 'CWD', 'PATH', 'PROCTITLE', 'LOGIN', 'USER_START', 'USER_END', 'CRED_DISP', 'USER_ACCT',
  'CRED_ACQ', 'USER_CMD', 'USER_LOGIN', 'USER_AUTH', 'CRED_REFR', 'CONFIG_CHANGE', 'SERVICE_START', 'SERVICE_STOP',
  'NETFILTER_CFG', 'DAEMON_START', 'DAEMON_END', 'SOCKADDR', 'AVC', 'ANOM_ABEND', 'USER_LOGOUT', 'USER_ERR', 'BPF', 'MMAP',
];
const TYPES_BY_LENGTH: string[][] = [];
for (const t of KNOWN_TYPES) (TYPES_BY_LENGTH[t.length] ??= []).push(t);

/** line[from, to) as a type name: a known one without allocating, else a slice. */
function typeAt(line: string, from: number, to: number): string {
  const known = TYPES_BY_LENGTH[to - from];
  if (known) for (const t of known) if (line.startsWith(t, from)) return t;
  return line.slice(from, to);
}

/** The common `type=T msg=audit(ID): body` layout without a regex; undefined sends the line to the regex. */
function fastLine(line: string): AuditRecord | undefined {
  const t = line.startsWith('type=') ? 0 : line.indexOf('type=');
  if (t < 0) return undefined;
  const sp = line.indexOf(' ', t + 5);
  if (sp < 0 || !line.startsWith('msg=audit(', sp + 1)) return undefined;
  const close = line.indexOf(')', sp + 11);
  if (close < 0 || line.charCodeAt(close + 1) !== 58 || line.charCodeAt(close + 2) !== 32) return undefined;
  let b = close + 3;
  while (line.charCodeAt(b) === 32) b++;
  let e = line.length;
  const cr = line.indexOf('\r', b);
  if (cr >= 0) e = cr;
  while (e > b && (line.charCodeAt(e - 1) === 32 || line.charCodeAt(e - 1) === 9)) e--;
  return { type: typeAt(line, t + 5, sp), id: line.slice(sp + 11, close), body: line.slice(b, e) };
}

/** Where a record's parts are in its source text: [start, end) positions. */
export interface RecordSpan {
  type: string;
  idStart: number;
  idEnd: number;
  bodyStart: number;
  bodyEnd: number;
}

/**
 * fastLine for the line text[from, to) of a bigger text, without slicing anything
 * but an unknown type: fills `out` and returns true, or false to send the line to
 * parseRecordLine. Same rules as fastLine, every search bounded by the line.
 * `firstCr` is the position of the first '\r' at or after `from` (Infinity if none),
 * which the caller tracks so that no search runs past the line.
 */
export function spanOfLine(text: string, from: number, to: number, firstCr: number, out: RecordSpan): boolean {
  const t = text.startsWith('type=', from) ? from : text.indexOf('type=', from);
  if (t < 0 || t + 5 > to) return false;
  const sp = text.indexOf(' ', t + 5);
  if (sp < 0 || sp >= to || sp + 11 > to || !text.startsWith('msg=audit(', sp + 1)) return false;
  const close = text.indexOf(')', sp + 11);
  if (close < 0 || close + 2 >= to || text.charCodeAt(close + 1) !== 58 || text.charCodeAt(close + 2) !== 32) return false;
  let b = close + 3;
  while (b < to && text.charCodeAt(b) === 32) b++;
  let e = to;
  // A '\r' in the header (never in practice) sends us looking again from the body.
  const cr = firstCr >= b ? firstCr : text.indexOf('\r', b);
  if (cr >= 0 && cr < to) e = cr;
  while (e > b && (text.charCodeAt(e - 1) === 32 || text.charCodeAt(e - 1) === 9)) e--;
  out.type = typeAt(text, t + 5, sp);
  out.idStart = sp + 11;
  out.idEnd = close;
  out.bodyStart = b;
  out.bodyEnd = e;
  return true;
}

/** Parses `ts:serial` (or `ts`) into sortable numbers. */
export function idOrder(id: string): [number, number] {
  return [idSeconds(id), idSerial(id)];
}

/** The `ts` of `ts:serial` as a number (0 when unreadable), without allocating. */
export function idSeconds(id: string): number {
  let n = 0;
  let scale = 0;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c === 58) break;
    if (c === 46) {
      scale = 1;
      continue;
    }
    const d = c - 48;
    if (d < 0 || d > 9) return 0;
    if (scale) {
      scale /= 10;
      n += d * scale;
    } else {
      n = n * 10 + d;
    }
  }
  return n;
}

/** The `serial` of `ts:serial` (0 when absent or unreadable). */
export function idSerial(id: string): number {
  const colon = id.indexOf(':');
  if (colon < 0) return 0;
  let n = 0;
  for (let i = colon + 1; i < id.length; i++) {
    const d = id.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return 0;
    n = n * 10 + d;
  }
  return n;
}
