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

export function parseRecordLine(line: string, mode: AuditdMode): AuditRecord | undefined {
  if (mode === 'compat') {
    const fast = fastCompatLine(line);
    if (fast) return fast;
    const text = line.trimEnd();
    const first = text.indexOf(': ');
    const header = first < 0 ? text : text.slice(0, first);
    const type = TYPE_AT_START.exec(header);
    const id = type && first >= 0 ? auditId(header) : undefined;
    if (!type || id === undefined) return undefined;
    const second = text.indexOf(': ', first + 2);
    const body = second < 0 ? text.slice(first + 2) : text.slice(first + 2, second);
    return { type: type[1], id: id.split(':')[0], body };
  }
  return fastLine(line) ?? kqlLine(line);
}

// The two searches below are what the regexes `msg=audit\(([^)]+)\)` and the
// KQL pattern `type=(\S+)\s+msg=audit\(([^)]+)\):\s+([^\r]*)` find, written out:
// V8 retries those regexes from every `type=` or `msg=audit(` of a line, each
// retry running to the line's end (a 256 KB line of `type=type=…` took 11 s).
// Here every search starts past the previous one's result: linear time.

/** JS's `\s`. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** The first `)` at or after `from`, reusing `known` (the last answer) when it still applies. */
function closeFrom(text: string, from: number, known: number): number {
  if (known >= from) return known;
  const i = text.indexOf(')', from);
  return i < 0 ? Infinity : i;
}

/** The id of the first `msg=audit(ID)` with a non-empty ID. */
export function auditId(text: string): string | undefined {
  let close = -1;
  for (let m = text.indexOf('msg=audit('); m >= 0; m = text.indexOf('msg=audit(', m + 1)) {
    close = closeFrom(text, m + 10, close);
    if (close === Infinity) return undefined; // no `)` after this one, nor after any later one
    if (close > m + 10) return text.slice(m + 10, close);
  }
  return undefined;
}

/** The KQL pattern's first match: `type=T<spaces>msg=audit(ID):<spaces>body`, body up to a `\r`. */
export function kqlLine(line: string): AuditRecord | undefined {
  const n = line.length;
  let space = -1; // the first whitespace at or after the current `type=` + 5
  let m = -1; // the end of the whitespace run starting at `space`
  let close = -1;
  for (let t = line.indexOf('type='); t >= 0; t = line.indexOf('type=', t + 1)) {
    if (space < t + 5) {
      space = t + 5;
      while (space < n && !isSpace(line.charCodeAt(space))) space++;
      m = space;
      while (m < n && isSpace(line.charCodeAt(m))) m++;
    }
    if (space === n) return undefined; // no whitespace after this `type=`, nor after any later one
    if (space === t + 5) continue; // \S+ needs one character
    if (!line.startsWith('msg=audit(', m)) continue;
    close = closeFrom(line, m + 10, close);
    if (close === Infinity) return undefined;
    if (close === m + 10 || line.charCodeAt(close + 1) !== 58 || !isSpace(line.charCodeAt(close + 2))) continue;
    let b = close + 2;
    while (b < n && isSpace(line.charCodeAt(b))) b++;
    const cr = line.indexOf('\r', b);
    return { type: line.slice(t + 5, space), id: line.slice(m + 10, close), body: line.slice(b, cr < 0 ? n : cr).trimEnd() };
  }
  return undefined;
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

const NEEDLES = ['type=', ' ', ')', '\r'] as const;
const TYPE = 0;
const SPACE = 1;
const CLOSE = 2;
const CR = 3;

/**
 * The first `type=`, space, `)` and `\r` at or after a position of one text whose
 * lines are read in order. JS has no indexOf bounded by the line end, so a search
 * may run into later lines; each needle's next position is therefore kept, and a
 * new search starts only past it: each needle scans each part of the text once,
 * and a text costs linear time however its lines are cut (before, many short
 * lines without `type=` each searched to the end of the text).
 */
export class HeaderScan {
  text = '';
  private readonly at = new Float64Array(NEEDLES.length);

  reset(text: string): this {
    this.text = text;
    this.at.fill(-1);
    return this;
  }

  /** Position of needle k at or after `pos` (Infinity when none); `pos` never goes back for a needle. */
  next(k: number, pos: number): number {
    if (this.at[k] < pos) {
      const i = this.text.indexOf(NEEDLES[k], pos);
      this.at[k] = i < 0 ? Infinity : i;
    }
    return this.at[k];
  }
}

/**
 * fastLine for the line text[from, to) of a bigger text, without slicing anything
 * but an unknown type: fills `out` and returns true, or false to send the line to
 * parseRecordLine. Same rules as fastLine; the searches go through `scan`.
 */
export function spanOfLine(scan: HeaderScan, from: number, to: number, out: RecordSpan): boolean {
  const text = scan.text;
  const t = scan.next(TYPE, from);
  if (t + 5 > to) return false;
  const sp = scan.next(SPACE, t + 5);
  if (sp + 11 > to || !text.startsWith('msg=audit(', sp + 1)) return false;
  const close = scan.next(CLOSE, sp + 11);
  if (close + 2 >= to || text.charCodeAt(close + 1) !== 58 || text.charCodeAt(close + 2) !== 32) return false;
  let b = close + 3;
  while (b < to && text.charCodeAt(b) === 32) b++;
  let e = to;
  const cr = scan.next(CR, b);
  if (cr < to) e = cr;
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
