// Builds process trees from process-creation events the way msticpy's
// build_process_tree does (proc_tree_build_winlx.py + proc_tree_builder.py), but
// in linear-ish time: typed arrays, one pass over the (possibly scattered) input
// rows, pid lookups through a CSR index over typed arrays (a Map only for text
// pids), proc_keys built as one string each, output rows made by a compiled
// per-layout literal (row-copier.ts), no per-node closures.
//
//  1. parse times, drop exact duplicate rows, keep process-creation events,
//     stable sort by time;
//  2. as-of parent join: the latest exec of `pid == ppid` (and the same lowered
//     name when the schema has a parent name) at or before the child's time;
//  3. orphans get one synthetic parent per key (pid = ppid, time = epoch 0);
//  4. proc_key / parent_key, first duplicate key kept, IsRoot/IsLeaf/IsBranch;
//  5. paths from the roots (`parent.path + "/" + source_index`), sorted by path.
// GUID-keyed schemas (Carbon Black) replace step 2 by an exact GUID match.
import { ProcSchema, inferSchema } from './schema';
import { RowCopier } from './row-copier';
import { formatPyTimestamp, parseTimeMicros, round10us } from './time';

export interface TreeSummary {
  Processes: number;
  RootProcesses: number;
  LeafProcesses: number;
  BranchProcesses: number;
  IsolatedProcesses: number;
  LargestTreeDepth: number;
}

/** One output row: the input event's columns plus msticpy's tree columns. */
export type ProcessRow = Record<string, unknown> & {
  proc_key: string;
  parent_key: string | null;
  source_index: string;
  parent_index: string | null;
  path: string;
  new_process_lc: string;
  parent_proc_lc: string | null;
  IsRoot: boolean;
  IsLeaf: boolean;
  IsBranch: boolean;
};

export interface ProcessTree {
  schema: string;
  processes: ProcessRow[];
  summary: TreeSummary;
}

export interface BuildOptions {
  schema?: ProcSchema;
}

const EPOCH_KEY_TIME = formatPyTimestamp(0);

/** Internal, column-oriented state shared by the pid and guid builders. */
interface Columns {
  /** Source rows in sorted order (synthetic parents: undefined). */
  rows: Array<Record<string, unknown> | undefined>;
  keys: string[];
  nameLc: string[];
  parentLc: Array<string | null>;
  /** Position of the parent row (before key de-duplication), -1 for none. */
  parent: Int32Array;
  parentKeys: Array<string | null>;
  synthetic: Array<{ id: string; name: string; host: unknown } | undefined>;
  /** First position of each proc_key, when the builder already has it. */
  firstOfKey?: Map<string, number>;
  /** No two rows share a proc_key: the key de-duplication can be skipped. */
  keysUnique?: boolean;
}

export function buildProcessTree(input: ReadonlyArray<Record<string, unknown>>, options: BuildOptions = {}): ProcessTree {
  if (!Array.isArray(input)) throw new Error('process events must be an array of objects');
  const schema = options.schema ?? inferSchema(input);
  if (!schema) throw new Error('no process schema matches the events: expected columns such as exe/pid/ppid/TimeGenerated (Linux), NewProcessName/NewProcessId/ProcessId/TimeGenerated (Windows 4688) or process_guid/parent_guid/process_name (Carbon Black)');
  const cols = schema.idKind === 'guid' ? guidColumns(input, schema) : pidColumns(input, schema);
  return finish(cols, schema);
}

/** The row's time in epoch microseconds, or NaN when it is not a time. */
function timeOrNaN(row: Record<string, unknown>, schema: ProcSchema): number {
  let value = row[schema.time_stamp];
  if ((value === undefined || value === null || value === '') && schema.time_fallback) value = row[schema.time_fallback];
  const t = parseTimeMicros(value);
  return t === undefined ? Number.NaN : t;
}

function timeOf(row: Record<string, unknown>, schema: ProcSchema, i: number): number {
  let value = row[schema.time_stamp];
  if ((value === undefined || value === null || value === '') && schema.time_fallback) value = row[schema.time_fallback];
  const t = parseTimeMicros(value);
  if (t === undefined) throw new Error(`event ${i}: ${schema.time_stamp} is not a time (${JSON.stringify(value ?? null)})`);
  return t;
}

/** msticpy turns float ids into ints, then everything into strings. */
function idText(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.trunc(value)) : undefined;
  if (Array.isArray(value)) return idText(value[0]);
  return String(value);
}

function rowIdentity(row: Record<string, unknown>): string {
  const copy: Record<string, unknown> = {};
  for (const k of Object.keys(row).sort()) if (k !== '_index') copy[k] = row[k];
  return JSON.stringify(copy);
}

/**
 * Positions in stable time order. A comparator sort of a million indices is slow,
 * so: sort the times natively, number the distinct values, then a counting sort
 * by that number (stable by construction).
 */
function stableSortByTime(indices: number[], times: Float64Array): Int32Array {
  const n = indices.length;
  const order = new Int32Array(n);
  let sorted = true;
  for (let i = 1; i < n; i++) if (times[i] < times[i - 1]) { sorted = false; break; }
  if (sorted) {
    for (let i = 0; i < n; i++) order[i] = i;
    return order;
  }
  // When (time − min) × n + index stays an exact integer, one native sort of
  // those numbers is the stable order (no comparator calls at all).
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (times[i] < min) min = times[i];
    if (times[i] > max) max = times[i];
  }
  if ((max - min + 1) * n < Number.MAX_SAFE_INTEGER) {
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) packed[i] = (times[i] - min) * n + i;
    packed.sort();
    for (let i = 0; i < n; i++) order[i] = packed[i] % n;
    return order;
  }
  const distinct = Float64Array.from(times).sort();
  let d = 0;
  for (let i = 0; i < n; i++) if (i === 0 || distinct[i] !== distinct[d - 1]) distinct[d++] = distinct[i];
  const bucket = new Int32Array(n);
  const counts = new Int32Array(d + 1);
  for (let i = 0; i < n; i++) {
    const t = times[i];
    let lo = 0;
    let hi = d - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (distinct[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    bucket[i] = lo;
    counts[lo + 1]++;
  }
  for (let b = 0; b < d; b++) counts[b + 1] += counts[b];
  for (let i = 0; i < n; i++) order[counts[bucket[i]]++] = i;
  return order;
}

function pidColumns(input: ReadonlyArray<Record<string, unknown>>, schema: ProcSchema): Columns {
  const nameCol = schema.process_name;
  const pidCol = schema.process_id;
  const ppidCol = schema.parent_id;
  // Keep process-creation events when the data has the event-type column at all.
  const evCol = schema.event_id_column;
  // One pass over the input (whose rows may sit anywhere in memory): check each row,
  // note whether it is a process creation, and parse its time. A time that does not
  // parse is an error only if its row is kept, so it is reported after the pass.
  const checkEv = !!evCol && schema.event_id_identifier !== undefined;
  const wanted = String(schema.event_id_identifier);
  const len = input.length;
  /** 1: the event type matches; 2: no event-type value (kept only when no row has one); 0: another type. */
  const evState = new Uint8Array(len);
  const allTimes = new Float64Array(len);
  let filterOn = false;
  for (let i = 0; i < len; i++) {
    const row = input[i];
    if (!row || typeof row !== 'object') throw new Error(`event ${i} is not an object`);
    let state = 2;
    if (checkEv) {
      const v = row[evCol as string];
      if (v !== undefined) {
        filterOn = true;
        state = v === wanted || String(v) === wanted ? 1 : 0;
      } else if (wanted === 'undefined') {
        state = 1;
      }
    }
    evState[i] = state;
    allTimes[i] = state === 0 ? Number.NaN : timeOrNaN(row, schema);
  }
  const kept: number[] = [];
  for (let i = 0; i < len; i++) if (evState[i] === 1 || (evState[i] === 2 && !filterOn)) kept.push(i);
  let n = kept.length;
  const rawTimes = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const t = allTimes[kept[j]];
    if (Number.isNaN(t)) timeOf(input[kept[j]], schema, kept[j]); // throws the readable error
    rawTimes[j] = t;
  }
  const order = stableSortByTime(kept, rawTimes);
  let rows: Array<Record<string, unknown> | undefined> = new Array(n);
  let times = new Float64Array(n);
  let ppids: Array<string | undefined> = new Array(n);
  let nameLc: string[] = new Array(n);
  let parentLc: Array<string | null> = new Array(n);
  let keys: string[] = new Array(n);
  let pidKeys: Array<string | number> = new Array(n);
  let ppidKeys: Array<string | number | undefined> = new Array(n);
  const keyTime = new KeyTimeFormatter();
  for (let p = 0; p < n; p++) {
    const j = order[p];
    const row = input[kept[j]];
    rows[p] = row;
    times[p] = rawTimes[j];
    const pidValue = row[pidCol];
    // An integer pid stays a number (its text is made only inside the key).
    const pid = typeof pidValue === 'number' && Number.isSafeInteger(pidValue) ? pidValue : idText(pidValue);
    if (pid === undefined) throw new Error(`event ${kept[j]}: ${pidCol} is missing`);
    pidKeys[p] = typeof pid === 'number' ? pid : numericKey(pid);
    const ppidValue = row[ppidCol];
    if (typeof ppidValue === 'number' && Number.isSafeInteger(ppidValue)) {
      ppidKeys[p] = ppidValue;
      ppids[p] = undefined; // text made only if a synthetic parent needs it
    } else {
      ppids[p] = idText(ppidValue);
      ppidKeys[p] = ppids[p] === undefined ? undefined : numericKey(ppids[p] as string);
    }
    nameLc[p] = lowerName(row[nameCol]);
    if (schema.parent_name) {
      const pn = row[schema.parent_name];
      parentLc[p] = pn === undefined || pn === null || pn === '' ? 'unknown' : lowerName(pn);
    } else {
      parentLc[p] = null;
    }
    keys[p] = keyTime.key(nameLc[p], pid, times[p]);
  }

  // Exact duplicate rows (pandas drop_duplicates) share their proc_key, and equal
  // keys have equal rounded times, which sit next to each other after the sort:
  // compare within runs of one rounded time only, and whole rows only on a key match.
  let drop: Uint8Array | undefined;
  let collisions = 0;
  const rounded = (p: number) => round10us(times[p]);
  for (let start = 0; start < n;) {
    const t = rounded(start);
    let end = start + 1;
    while (end < n && rounded(end) === t) end++;
    if (end - start > 1) {
      // Same-key rows of this run, by key (a Map keeps big runs of one time linear).
      const byKey = new Map<string, number[]>();
      for (let p = start; p < end; p++) {
        const same = byKey.get(keys[p]);
        if (!same) {
          byKey.set(keys[p], [p]);
          continue;
        }
        const id = rowIdentity(rows[p]!);
        if (same.some((q) => rowIdentity(rows[q]!) === id)) (drop ??= new Uint8Array(n))[p] = 1;
        else {
          collisions++;
          same.push(p);
        }
      }
    }
    start = end;
  }
  if (drop) {
    const idx = Array.from({ length: n }, (_v, p) => p).filter((p) => drop![p] === 0);
    rows = idx.map((p) => rows[p]);
    times = Float64Array.from(idx, (p) => times[p]);
    ppids = idx.map((p) => ppids[p]);
    pidKeys = idx.map((p) => pidKeys[p]);
    ppidKeys = idx.map((p) => ppidKeys[p]);
    nameLc = idx.map((p) => nameLc[p]);
    parentLc = idx.map((p) => parentLc[p]);
    keys = idx.map((p) => keys[p]);
    n = idx.length;
  }

  // Execs by pid (and lowered name when the schema has a parent name), in time order.
  const dense = schema.parent_name ? undefined : DensePidIndex.build(pidKeys, n);
  const byPid = new Map<string | number, number | number[]>();
  if (!dense) for (let p = 0; p < n; p++) {
    const joinKey = schema.parent_name ? `${pidKeys[p]}\u0000${nameLc[p]}` : pidKeys[p];
    const prior = byPid.get(joinKey);
    if (prior === undefined) byPid.set(joinKey, p);
    else if (typeof prior === 'number') byPid.set(joinKey, [prior, p]);
    else prior.push(p);
  }

  const parent = new Int32Array(n).fill(-1);
  const parentKeys: Array<string | null> = new Array(n).fill(null);
  const synthetic: Columns['synthetic'] = new Array(n);
  const syntheticByKey = new Map<string, number>();
  for (let p = 0; p < n; p++) {
    const ppidKey = ppidKeys[p];
    if (ppidKey === undefined) continue; // no parent id at all: a true root
    const joinKey = schema.parent_name ? `${ppidKey}\u0000${parentLc[p]}` : ppidKey;
    const found = dense ? dense.latestAtOrBefore(ppidKey, times, times[p]) : latestAtOrBefore(byPid.get(joinKey), times, times[p]);
    if (found >= 0) {
      parent[p] = found;
      parentKeys[p] = keys[found];
      if (!schema.parent_name) parentLc[p] = nameLc[found];
      continue;
    }
    const ppid = ppids[p] ?? String(ppidKey);
    const lc = schema.parent_name ? (parentLc[p] as string) : 'unknown';
    if (!schema.parent_name) parentLc[p] = 'unknown';
    const key = `${lc}|${ppid}|${EPOCH_KEY_TIME}`;
    parentKeys[p] = key;
    let s = syntheticByKey.get(key);
    if (s === undefined) {
      s = rows.length;
      syntheticByKey.set(key, s);
      rows.push(undefined);
      keys.push(key);
      nameLc.push(lc);
      parentLc.push(null);
      parentKeys.push(null);
      const rawName = schema.parent_name ? rows[p]![schema.parent_name] : undefined;
      synthetic[s] = { id: ppid, name: rawName === undefined || rawName === null || rawName === '' ? lc : String(rawName), host: schema.host_name ? rows[p]![schema.host_name] : undefined };
    }
    parent[p] = s;
  }
  return { rows, keys, nameLc, parentLc, parent: growParent(parent, rows.length), parentKeys, synthetic, keysUnique: collisions === 0 };
}

/** Small integers as numbers (cheaper Map keys); anything else stays text. */
function numericKey(id: string): string | number {
  const n = Number(id);
  return Number.isSafeInteger(n) && String(n) === id ? n : id;
}

/** A name lower-cased (V8 returns an all-lowercase string as it is: no cache needed). */
function lowerName(value: unknown): string {
  if (value === undefined || value === null) return '';
  return (typeof value === 'string' ? value : String(value)).toLowerCase();
}

const PAD3: string[] = Array.from({ length: 1000 }, (_v, i) => String(i).padStart(3, '0'));

/**
 * proc_key = `name|pid|time`, the time rounded to 10 µs as `%Y-%m-%d %H:%M:%S.%f`,
 * reusing the text of the last second. One join() makes one flat string: a template
 * or a separate time string would leave extra objects per process for the GC.
 */
class KeyTimeFormatter {
  private second = Number.NaN;
  private prefix = '';
  private readonly parts: Array<string | number> = ['', '|', '', '|', '', '', ''];
  key(nameLc: string, pid: string | number, micros: number): string {
    const r = round10us(micros);
    const sec = Math.floor(r / 1_000_000);
    if (sec !== this.second) {
      this.second = sec;
      this.prefix = formatPyTimestamp(sec * 1_000_000).slice(0, 20);
    }
    const us = r - sec * 1_000_000;
    const parts = this.parts;
    parts[0] = nameLc;
    parts[2] = pid;
    parts[4] = this.prefix;
    parts[5] = PAD3[Math.floor(us / 1000)];
    parts[6] = PAD3[us % 1000];
    return parts.join('');
  }
}

/**
 * Execs by pid as one CSR list per pid (positions ascending = time order) over
 * typed arrays, when every pid is a small non-negative integer: no Map of a
 * million entries. Other pids (text, huge numbers) use the Map instead.
 */
class DensePidIndex {
  private constructor(private readonly start: Int32Array, private readonly list: Int32Array) {}

  static build(pidKeys: ReadonlyArray<string | number>, n: number): DensePidIndex | undefined {
    let max = -1;
    for (let p = 0; p < n; p++) {
      const k = pidKeys[p];
      if (typeof k !== 'number' || k < 0 || !Number.isInteger(k)) return undefined;
      if (k > max) max = k;
    }
    // Bound the table: a few entries per process at most (or 4M, the Linux pid_max).
    if (max >= Math.max(4 * n, 4_194_304)) return undefined;
    const start = new Int32Array(max + 2);
    for (let p = 0; p < n; p++) start[(pidKeys[p] as number) + 1]++;
    for (let k = 0; k <= max; k++) start[k + 1] += start[k];
    const fill = start.slice(0, max + 1);
    const list = new Int32Array(n);
    for (let p = 0; p < n; p++) list[fill[pidKeys[p] as number]++] = p;
    return new DensePidIndex(start, list);
  }

  /** Position of the latest exec of `pid` at or before `t` (ties: the last in sorted order), or -1. */
  latestAtOrBefore(pid: string | number, times: Float64Array, t: number): number {
    if (typeof pid !== 'number' || pid < 0 || !Number.isInteger(pid) || pid + 1 >= this.start.length) return -1;
    let lo = this.start[pid];
    let hi = this.start[pid + 1] - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (times[this.list[mid]] <= t) {
        found = this.list[mid];
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
}

function growParent(parent: Int32Array, length: number): Int32Array {
  if (parent.length === length) return parent;
  const grown = new Int32Array(length).fill(-1);
  grown.set(parent);
  return grown;
}

/** Position of the latest exec at or before `t` (ties: the last one in sorted order), or -1. */
function latestAtOrBefore(entry: number | number[] | undefined, times: Float64Array, t: number): number {
  if (entry === undefined) return -1;
  if (typeof entry === 'number') return times[entry] <= t ? entry : -1;
  let lo = 0;
  let hi = entry.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[entry[mid]] <= t) {
      found = entry[mid];
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

function guidColumns(input: ReadonlyArray<Record<string, unknown>>, schema: ProcSchema): Columns {
  const guidCol = schema.process_guid ?? 'process_guid';
  const parentCol = schema.parent_guid ?? 'parent_guid';
  const indices: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const row = input[i];
    if (!row || typeof row !== 'object') throw new Error(`event ${i} is not an object`);
    if (idText(row[guidCol]) === undefined) throw new Error(`event ${i}: ${guidCol} is missing`);
    indices.push(i);
  }
  const rawTimes = new Float64Array(indices.length);
  for (let j = 0; j < indices.length; j++) rawTimes[j] = timeOf(input[j], schema, j);
  const order = stableSortByTime(indices, rawTimes);
  // Duplicate GUIDs collapse to the earliest row.
  const byGuid = new Map<string, number>();
  const rows: Array<Record<string, unknown> | undefined> = [];
  const times: number[] = [];
  const guids: string[] = [];
  for (const j of order) {
    const guid = idText(input[j][guidCol]) as string;
    if (byGuid.has(guid)) continue;
    byGuid.set(guid, rows.length);
    rows.push(input[j]);
    times.push(rawTimes[j]);
    guids.push(guid);
  }
  const n = rows.length;
  const keys: string[] = [];
  const nameLc: string[] = [];
  for (let p = 0; p < n; p++) {
    const name = rows[p]![schema.process_name];
    nameLc.push(name === undefined || name === null ? '' : String(name).toLowerCase());
    keys.push(`${nameLc[p]}|${guids[p]}|${formatPyTimestamp(round10us(times[p]))}`);
  }
  const parent: number[] = new Array(n).fill(-1);
  const parentKeys: Array<string | null> = new Array(n).fill(null);
  const parentLc: Array<string | null> = new Array(n).fill(null);
  const synthetic: Columns['synthetic'] = [];
  for (let p = 0; p < n; p++) {
    const pg = idText(rows[p]![parentCol]);
    if (pg === undefined || pg === guids[p]) continue;
    let q = byGuid.get(pg);
    if (q === undefined) {
      q = rows.length;
      byGuid.set(pg, q);
      rows.push(undefined);
      keys.push(`unknown|${pg}|${EPOCH_KEY_TIME}`);
      nameLc.push('unknown');
      parentLc.push(null);
      parentKeys.push(null);
      parent.push(-1);
      synthetic[q] = { id: pg, name: 'unknown', host: schema.host_name ? rows[p]![schema.host_name] : undefined };
    }
    parent[p] = q;
    parentKeys[p] = keys[q];
    parentLc[p] = nameLc[q];
  }
  return { rows, keys, nameLc, parentLc, parent: Int32Array.from(parent), parentKeys, synthetic };
}

function finish(c: Columns, schema: ProcSchema): ProcessTree {
  const m = c.rows.length;
  // The first row of each proc_key stands for the key (msticpy: index = proc_key, first kept).
  const firstOfKey = c.firstOfKey ?? new Map<string, number>();
  const canon = new Int32Array(m);
  // Synthetic keys are unique by construction, so unique row keys make canon the identity.
  if (c.keysUnique) for (let q = 0; q < m; q++) canon[q] = q;
  else for (let q = 0; q < m; q++) {
    const prior = firstOfKey.get(c.keys[q]);
    if (prior === undefined) {
      firstOfKey.set(c.keys[q], q);
      canon[q] = q;
    } else {
      canon[q] = prior;
    }
  }
  const hasChild = new Uint8Array(m);
  const parentOf = new Int32Array(m).fill(-1);
  for (let q = 0; q < m; q++) {
    if (c.parent[q] < 0) continue;
    const par = canon[c.parent[q]];
    parentOf[q] = par;
    hasChild[par] = 1;
  }
  // Children lists as CSR arrays over the kept rows.
  const childCount = new Int32Array(m + 1);
  for (let q = 0; q < m; q++) if (canon[q] === q && parentOf[q] >= 0) childCount[parentOf[q] + 1]++;
  for (let q = 0; q < m; q++) childCount[q + 1] += childCount[q];
  const childStart = childCount.slice();
  const children = new Int32Array(childCount[m]);
  const fill = childStart.slice(0, m);
  for (let q = 0; q < m; q++) if (canon[q] === q && parentOf[q] >= 0) children[fill[parentOf[q]]++] = q;

  const sourceIndex: string[] = new Array(m);
  for (let q = 0; q < m; q++) sourceIndex[q] = String(q).padStart(5, '0');
  // Path order compares source_index strings; that differs from numeric order only past 99999.
  const byText = m > 100_000 ? (a: number, b: number) => (sourceIndex[a] < sourceIndex[b] ? -1 : sourceIndex[a] > sourceIndex[b] ? 1 : 0) : undefined;

  // Depth-first from the roots = msticpy's BFS paths sorted by path.
  const paths: string[] = new Array(m);
  const depth = new Int32Array(m).fill(-1);
  const top: number[] = [];
  for (let q = 0; q < m; q++) if (canon[q] === q && parentOf[q] < 0) top.push(q);
  if (byText && top.length > 1 && sourceIndex[top[0]].length !== sourceIndex[top[top.length - 1]].length) top.sort(byText);
  // Typed stack and order: each row is pushed exactly once.
  const outOrder = new Int32Array(m);
  let outLen = 0;
  const stack = new Int32Array(m);
  let sp = 0;
  let maxDepth = 0;
  for (const root of top) {
    paths[root] = sourceIndex[root];
    depth[root] = 0;
    stack[sp++] = root;
    while (sp > 0) {
      const q = stack[--sp];
      outOrder[outLen++] = q;
      const d = depth[q];
      if (d > maxDepth) maxDepth = d;
      const from = childStart[q];
      const to = childStart[q + 1];
      if (to === from) continue;
      const path = paths[q];
      for (let k = from; k < to; k++) {
        const ch = children[k];
        paths[ch] = [path, sourceIndex[ch]].join('/');
        depth[ch] = d + 1;
      }
      // Children are in ascending index order, which is already text order unless the
      // first and the last have different digit counts: only those lists need the comparator.
      if (byText && to - from > 1 && sourceIndex[children[from]].length !== sourceIndex[children[to - 1]].length) children.subarray(from, to).sort(byText);
      for (let k = to - 1; k >= from; k--) stack[sp++] = children[k];
    }
  }
  // Rows no root reaches (a parent loop) keep their own index as path, as upstream.
  const unreached: number[] = [];
  for (let q = 0; q < m; q++) if (canon[q] === q && depth[q] < 0) {
    paths[q] = sourceIndex[q];
    depth[q] = 0;
    unreached.push(q);
  }
  const reachedOrder = outOrder.subarray(0, outLen);
  const ordered = unreached.length ? mergeTopLevel(reachedOrder, unreached, paths) : reachedOrder;

  const summary: TreeSummary = { Processes: 0, RootProcesses: 0, LeafProcesses: 0, BranchProcesses: 0, IsolatedProcesses: 0, LargestTreeDepth: m ? maxDepth + 1 : 0 };
  const processes: ProcessRow[] = new Array(ordered.length);
  const copier = new RowCopier();
  for (let k = 0; k < ordered.length; k++) {
    const q = ordered[k];
    const isRoot = c.parentKeys[q] === null;
    const isLeaf = hasChild[q] === 0;
    const reached = parentOf[q] >= 0 && depth[q] > 0;
    const row = c.rows[q];
    const parentIndex = reached ? sourceIndex[parentOf[q]] : null;
    const out = copier.copy(row ?? syntheticRow(schema, c.synthetic[q]!), c.keys[q], c.parentKeys[q], sourceIndex[q], parentIndex, paths[q], c.nameLc[q], c.parentLc[q], isRoot, isLeaf, !isRoot && !isLeaf) as ProcessRow;
    processes[k] = out;
    summary.Processes++;
    if (isRoot) summary.RootProcesses++;
    if (isLeaf) summary.LeafProcesses++;
    if (!isRoot && !isLeaf) summary.BranchProcesses++;
    if (isRoot && isLeaf) summary.IsolatedProcesses++;
  }
  return { schema: schema.name, processes, summary };
}

function syntheticRow(schema: ProcSchema, s: { id: string; name: string; host: unknown }): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  if (schema.idKind === 'guid') row[schema.process_guid ?? 'process_guid'] = s.id;
  else row[schema.process_id] = s.id;
  row[schema.process_name] = s.name;
  row[schema.time_stamp] = '1970-01-01T00:00:00.000Z';
  if (schema.host_name && s.host !== undefined) row[schema.host_name] = s.host;
  row.Synthetic = true;
  return row;
}

/** Merges unreached rows (path = own index) into the depth-first order of the roots by path. */
function mergeTopLevel(order: Int32Array, unreached: number[], paths: string[]): number[] {
  // Top-level blocks start at each row whose path has no "/".
  const blocks: number[][] = [];
  for (const q of order) {
    if (!paths[q].includes('/')) blocks.push([q]);
    else blocks[blocks.length - 1].push(q);
  }
  for (const q of unreached) blocks.push([q]);
  blocks.sort((a, b) => (paths[a[0]] < paths[b[0]] ? -1 : paths[a[0]] > paths[b[0]] ? 1 : 0));
  return blocks.flat();
}
