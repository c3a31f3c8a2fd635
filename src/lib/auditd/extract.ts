// The records of one audit event → one event object, after msticpy's
// unpack_auditd and _extract_event (auditdextract.py). The field quirks of
// upstream are kept in both modes (contract §2.4): `com` (never the real
// `comm`), `_USER_START` (so USER_START copies every field), quote residue
// (`msg='op=…`), field lists stopping at the first missing or empty value.
import type { AuditdMode } from './records';

export type FieldValue = string | number | null;
export type RecordFields = Record<string, FieldValue>;

type FieldDefs = Record<string, 'int' | null>;

const USER_START: FieldDefs = { pid: 'int', uid: 'int', auid: 'int', ses: 'int', msg: null, acct: null, exe: null, hostname: null, addr: null, terminal: null, res: null };

const FIELD_DEFS: Record<string, FieldDefs> = {
  SYSCALL: { success: null, ppid: 'int', pid: 'int', auid: 'int', uid: 'int', gid: 'int', euid: 'int', egid: 'int', ses: 'int', exe: null, com: null },
  CWD: { cwd: null },
  PROCTITLE: { proctitle: null },
  LOGIN: { pid: 'int', uid: 'int', tty: null, 'old-ses': 'int', ses: 'int', res: null },
  EXECVE: { argc: 'int', a0: null, a1: null, a2: null },
  _USER_START: USER_START,
  USER_END: USER_START,
  CRED_DISP: USER_START,
  USER_ACCT: USER_START,
  CRED_ACQ: USER_START,
  USER_CMD: { pid: 'int', uid: 'int', auid: 'int', ses: 'int', msg: null, cmd: null, terminal: null, res: null },
};

/** The field lists as arrays, so extraction does not rebuild them per event. */
const FIELD_LISTS: Record<string, Array<[string, 'int' | null]>> = Object.fromEntries(Object.entries(FIELD_DEFS).map(([k, v]) => [k, Object.entries(v)]));

const FIELD_NAMES: Record<string, string[]> = Object.fromEntries(Object.entries(FIELD_DEFS).map(([k, v]) => [k, Object.keys(v)]));

const ENCODED: Record<string, Set<string>> = {
  EXECVE: new Set(['a0', 'a1', 'a2', 'a3', 'arch']),
  PROCTITLE: new Set(['proctitle']),
  USER_CMD: new Set(['cmd']),
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Python's `codecs.decode(bytes(v), "hex").decode("utf-8")`; undefined when that would raise. */
export function hexDecode(value: string): string | undefined {
  const n = value.length;
  if (n % 2 !== 0) return undefined;
  for (let i = 0; i < n; i++) if (hexDigit(value.charCodeAt(i)) < 0) return undefined;
  const bytes = Buffer.from(value, 'hex');
  let ascii = true;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] >= 0x80) { ascii = false; break; }
  if (ascii) return bytes.toString('latin1');
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function stripQuotes(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && value.charCodeAt(start) === 34) start++;
  while (end > start && value.charCodeAt(end - 1) === 34) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

// Keys of the records that are unpacked whole (USER_LOGIN, USER_AUTH, EXECVE, …), as
// constants: a key taken from them is an internalized string, so writing it as a
// property is a fast store (a fresh substring first has to be looked up in V8's
// string table), and no string is allocated for it.
const KNOWN_KEYS = [
  'pid', 'uid', 'auid', 'ses', 'msg', 'acct', 'exe', 'hostname', 'addr', 'terminal', 'res', 'subj', 'op', 'id', 'grantors',
  'argc', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8', 'a9', 'a10', 'a11', 'a12', 'a13', 'a14', 'a15',
  'arch', 'syscall', 'success', 'exit', 'items', 'ppid', 'gid', 'euid', 'suid', 'fsuid', 'egid', 'sgid', 'fsgid', 'tty',
  'comm', 'key', 'cwd', 'proctitle', 'item', 'name', 'inode', 'dev', 'mode', 'ouid', 'ogid', 'rdev', 'nametype',
  'cap_fp', 'cap_fi', 'cap_fe', 'cap_fver', 'old', 'list', 'old-ses', 'old-auid', 'cmd', 'unit', 'tty', 'ver', 'format', 'kernel',
];
const KEYS_BY_LENGTH: string[][] = [];
for (const k of new Set(KNOWN_KEYS)) (KEYS_BY_LENGTH[k.length] ??= []).push(k);

/** text[from, to) as a key: a known one without allocating, else a slice. */
function keyAt(text: string, from: number, to: number): string {
  const known = KEYS_BY_LENGTH[to - from];
  if (known) for (const k of known) if (text.startsWith(k, from)) return k;
  return text.slice(from, to);
}

/** True for EXECVE argument names: `a12`, or a chunk `a12[3]`. */
const ARG_NAME = /^a(\d+)(?:\[(\d+)\])?$/;

/**
 * Tokens of one record → fields. Splits at the first `=` (a bare token → null),
 * strips `"`, hex-decodes the encoded fields when unquoted (failures keep the raw
 * value). Default mode decodes every EXECVE `aN` and joins `aN[k]` chunks.
 */
export function unpackRecord(type: string, tokens: readonly string[], mode: AuditdMode): RecordFields {
  const u = new Unpacker(type, mode);
  for (const token of tokens) u.token(token, 0, token.length);
  return u.finish();
}

/** The same from the record's text: tokens are separated by single spaces (an empty token is a bare ""). */
export function unpackBody(type: string, body: string, mode: AuditdMode, into?: RecordFields): RecordFields {
  const u = new Unpacker(type, mode, into);
  let pos = 0;
  // The next `=` is kept, not searched per token: tokens without one would each search to the end (quadratic).
  let eq = -1;
  for (;;) {
    const sp = body.indexOf(' ', pos);
    const end = sp < 0 ? body.length : sp;
    if (eq < pos) {
      const i = body.indexOf('=', pos);
      eq = i < 0 ? Infinity : i;
    }
    u.token(body, pos, end, eq);
    if (sp < 0) break;
    pos = sp + 1;
  }
  return u.finish();
}

class Unpacker {
  private readonly encoded: Set<string> | undefined;
  private readonly argNames: boolean;
  private readonly proctitle: boolean;
  private chunks: Map<string, string[]> | undefined;

  constructor(type: string, mode: AuditdMode, private readonly out: RecordFields = {}) {
    this.encoded = ENCODED[type];
    this.argNames = mode === 'default' && type === 'EXECVE';
    this.proctitle = mode === 'default' && type === 'PROCTITLE';
  }

  /** One `key=value` token: text[from, to); `eq` is the first `=` at or after `from` (Infinity: none). */
  token(text: string, from: number, to: number, eq = text.indexOf('=', from)): void {
    if (eq < 0 || eq >= to) {
      this.out[keyAt(text, from, to)] = null;
      return;
    }
    const key = keyAt(text, from, eq);
    const quoted = text.charCodeAt(eq + 1) === 34;
    if (quoted) {
      // Strip every leading and trailing `"` (Python's strip('"')).
      let a = eq + 1;
      let b = to;
      while (a < b && text.charCodeAt(a) === 34) a++;
      while (b > a && text.charCodeAt(b - 1) === 34) b--;
      this.out[key] = text.slice(a, b);
      return;
    }
    const raw = text.slice(eq + 1, to);
    let decodable = this.encoded !== undefined && this.encoded.has(key);
    // (see also valueAt, the same rules for one looked-up field)
    if (this.argNames && key.charCodeAt(0) === 97) {
      const arg = ARG_NAME.exec(key);
      if (arg) {
        decodable = true;
        if (arg[2] !== undefined) {
          // Long arguments come in hex chunks `aN[k]`; join them, decode once at the end.
          this.chunks ??= new Map();
          const name = `a${arg[1]}`;
          const list = this.chunks.get(name) ?? [];
          list[Number(arg[2])] = raw;
          this.chunks.set(name, list);
          return;
        }
      }
    }
    let value = decodable ? (hexDecode(raw) ?? raw) : stripQuotes(raw);
    if (this.proctitle && key === 'proctitle') value = value.replace(/\0+$/, '').replace(/\0/g, ' ');
    this.out[key] = value;
  }

  finish(): RecordFields {
    if (this.chunks) for (const [name, parts] of this.chunks) {
      const joined = parts.join('');
      this.out[name] = hexDecode(joined) ?? joined;
    }
    return this.out;
  }
}

/** Python's int() of a decimal text (surrounding spaces allowed); other text is kept as is. */
function toInt(value: string | number): string | number {
  if (typeof value === 'number') return value === 4294967295 ? -1 : value;
  let i = 0;
  let end = value.length;
  while (i < end && value.charCodeAt(i) === 32) i++;
  while (end > i && value.charCodeAt(end - 1) === 32) end--;
  let sign = 1;
  const c0 = value.charCodeAt(i);
  if (c0 === 45 || c0 === 43) {
    if (c0 === 45) sign = -1;
    i++;
  }
  if (i >= end) return value;
  let n = 0;
  for (let k = i; k < end; k++) {
    const d = value.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return value;
    n = n * 10 + d;
  }
  n *= sign;
  return n === 4294967295 ? -1 : n;
}

/** One record of an event: its fields, or its text, looked into only for what the event uses. */
export interface LazyRecord {
  type: string;
  fields?: RecordFields;
  body?: string;
}

/**
 * Where each wanted key's last token is in a record's text, found in one forward
 * pass without slicing keys: for token k of `keys`, `at[k]` is the index of its
 * `=` (or −2 for a bare token, −1 when absent). The last token with a key wins.
 */
function locate(body: string, keys: ReadonlyArray<string>, at: Int32Array): void {
  at.fill(-1);
  let pos = 0;
  const n = body.length;
  // The next `=` at or after pos, kept across tokens (see unpackBody).
  let nextEq = -1;
  while (pos <= n) {
    let end = body.indexOf(' ', pos);
    if (end < 0) end = n;
    if (nextEq < pos) {
      const i = body.indexOf('=', pos);
      nextEq = i < 0 ? Infinity : i;
    }
    const eq = nextEq > end ? end : nextEq;
    const len = eq - pos;
    for (let k = 0; k < keys.length; k++) {
      if (keys[k].length === len && body.startsWith(keys[k], pos)) at[k] = eq === end ? -2 : eq;
    }
    pos = end + 1;
  }
}

/** The value of a token whose `=` is at `eq`, decoded as unpacking would. */
function valueFrom(r: LazyRecord, key: string, body: string, eq: number, mode: AuditdMode): FieldValue {
  let end = body.indexOf(' ', eq + 1);
  if (end < 0) end = body.length;
  if (body.charCodeAt(eq + 1) === 34) {
    let a = eq + 1;
    let b = end;
    while (a < b && body.charCodeAt(a) === 34) a++;
    while (b > a && body.charCodeAt(b - 1) === 34) b--;
    return body.slice(a, b);
  }
  const raw = body.slice(eq + 1, end);
  const encoded = ENCODED[r.type]?.has(key) || (mode === 'default' && r.type === 'EXECVE' && ARG_NAME.test(key));
  let value = encoded ? (hexDecode(raw) ?? raw) : stripQuotes(raw);
  if (mode === 'default' && r.type === 'PROCTITLE' && key === 'proctitle') value = value.replace(/\0+$/, '').replace(/\0/g, ' ');
  return value;
}

const positions = new Int32Array(16);

/** The token value starting at `from` (up to the next space) as a number when it is only ASCII digits, else NaN. */
function digitsAt(body: string, from: number): number {
  let n = 0;
  let i = from;
  for (; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c === 32) break;
    const d = c - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return i === from ? NaN : n;
}

function extractFields(r: LazyRecord, event: Record<string, FieldValue>, mode: AuditdMode): void {
  const list = FIELD_LISTS[r.type];
  const names = FIELD_NAMES[r.type];
  if (!r.fields) locate(r.body ?? '', names, positions);
  for (let k = 0; k < list.length; k++) {
    const [field, conv] = list[k];
    let value: FieldValue | undefined;
    if (r.fields) value = r.fields[field];
    else if (positions[k] === -1) value = undefined;
    else if (positions[k] === -2) value = null;
    else {
      // An int field that is plain digits (nearly all are) is read in place: the
      // same number toInt would make of its text, without cutting the text out.
      const n = conv === 'int' ? digitsAt(r.body ?? '', positions[k] + 1) : NaN;
      value = Number.isNaN(n) ? valueFrom(r, field, r.body ?? '', positions[k], mode) : n;
    }
    if (value === undefined || value === null || value === '') return; // upstream stops at the first gap
    if (conv === 'int') value = toInt(value);
    if (field in event) event[`${field}_${r.type}`] = value;
    else event[field] = value;
  }
}

/** The event type the records make: SYSCALL + EXECVE → SYSCALL_EXECVE, else the first record's type. */
export function eventTypeOf(recordList: ReadonlyArray<LazyRecord>): string {
  let syscall = false;
  let execve = false;
  for (const r of recordList) {
    if (r.type === 'SYSCALL') syscall = true;
    else if (r.type === 'EXECVE') execve = true;
  }
  return syscall && execve ? 'SYSCALL_EXECVE' : recordList.length ? recordList[0].type : '';
}

/**
 * The records of one event (in arrival order; the last record of a type wins)
 * → [EventType, fields] written into `event`. SYSCALL + EXECVE make
 * `SYSCALL_EXECVE` with `cmdline`. Field-list types are looked up field by
 * field; only types that copy every field are unpacked whole.
 */
export function extractEvent(recordList: ReadonlyArray<LazyRecord>, mode: AuditdMode, event: Record<string, FieldValue> = {}): [string, Record<string, FieldValue>] {
  const type = eventTypeOf(recordList);
  if (type === 'SYSCALL_EXECVE') {
    for (const t of EXEC_TYPES) {
      const r = lastOfType(recordList, t);
      if (!r) continue;
      if (t === 'EXECVE' && mode === 'default') r.fields ??= unpackBody(r.type, r.body ?? '', mode);
      extractFields(r, event, mode);
      if (t === 'EXECVE') event.cmdline = commandLine(event, r, mode);
    }
    return [type, event];
  }
  // Types in order of first appearance; for each, its last record (one pass: an
  // event of many records of many types stays linear).
  for (const [t, r] of lastOfEachType(recordList)) {
    if (t in FIELD_LISTS) extractFields(r, event, mode);
    else if (r.fields) Object.assign(event, r.fields);
    else unpackBody(t, r.body ?? '', mode, event);
  }
  return [type, event];
}

/** The last record of each type, in the order of the types' first appearance (a Map keeps the first insertion's place). */
function lastOfEachType(records: ReadonlyArray<LazyRecord>): Map<string, LazyRecord> {
  const last = new Map<string, LazyRecord>();
  for (const r of records) last.set(r.type, r);
  return last;
}

const EXEC_TYPES = ['SYSCALL', 'CWD', 'EXECVE', 'PROCTITLE'];

function lastOfType(records: ReadonlyArray<LazyRecord>, type: string): LazyRecord | undefined {
  for (let i = records.length - 1; i >= 0; i--) if (records[i].type === type) return records[i];
  return undefined;
}

function commandLine(event: Record<string, FieldValue>, execve: LazyRecord, mode: AuditdMode): string {
  const argcValue = event.argc ?? 1;
  const argc = typeof argcValue === 'number' ? argcValue : Number.parseInt(String(argcValue), 10) || 0;
  const args: string[] = [];
  if (mode === 'compat') {
    // Only a0..a2 were extracted: longer command lines end in empty strings.
    for (let i = 0; i < argc; i++) {
      const v = event[`a${i}`];
      args.push(v === undefined || v === null ? '' : String(v));
    }
    return args.join(' ');
  }
  const fields = execve.fields ?? {};
  for (let i = 0; i < argc; i++) {
    const v = fields[`a${i}`];
    if (v !== undefined && v !== null) args.push(String(v));
  }
  return args.join(' ');
}
