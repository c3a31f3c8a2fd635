// How the Incydr emulator applies v2 filter groups (contract incydr-v2 2.1 and
// 5.2 item 2): every operator on dotted paths (a list anywhere on the path matches
// by any element; IS honours `*`), times compared at full µs/ns precision against
// inclusive values at the value's own precision, WITHIN_THE_LAST on the emulator
// clock, groups with filterClause and nested {subgroupClause, subgroups}.
// Problems in a query become a QueryProblem (the emulator answers 400 with it).

export interface V2Filter { term: string; operator: string; value: unknown }
export interface V2FilterGroup { filterClause?: string; filters: V2Filter[] }
export interface V2SubgroupGroup { subgroupClause?: string; subgroups: V2Group[] }
export type V2Group = V2FilterGroup | V2SubgroupGroup;

export const V2_OPERATORS = ['IS', 'IS_NOT', 'IS_ANY', 'IS_NONE', 'ON', 'ON_OR_AFTER', 'ON_OR_BEFORE', 'WITHIN_THE_LAST', 'GREATER_THAN', 'LESS_THAN', 'EXISTS', 'DOES_NOT_EXIST'] as const;
const OPERATORS = new Set<string>(V2_OPERATORS);

/** Terms whose value the emulator keeps per event at full precision (no object needed). */
export const TIME_TERMS = new Set(['@timestamp', 'event.inserted', 'event.ingested']);

export interface Problem { badFilter: V2Filter | null; description: string; type: string }

export class QueryProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.description);
  }
}

/** A time as epoch ms plus the nanoseconds below it. */
export interface TimeValue { ms: number; ns: number }

export function cmpTime(a: TimeValue, b: TimeValue): number {
  return a.ms - b.ms || a.ns - b.ns;
}

const ISO = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO time with 0–9 fraction digits: ms, ns below the ms, and its digit count. */
export function parseTime(text: unknown): (TimeValue & { digits: number }) | undefined {
  if (typeof text !== 'string') return undefined;
  const m = ISO.exec(text);
  if (!m) return undefined;
  const whole = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(whole)) return undefined;
  const frac = (m[2] ?? '').padEnd(9, '0');
  return { ms: whole + Number(frac.slice(0, 3)), ns: Number(frac.slice(3)), digits: (m[2] ?? '').length };
}

/** ISO-8601 duration (P14D, PT15M, P1DT2H30M, PT45.5S) in ms. */
export function durationMs(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  return (((Number(m[1] ?? 0) * 7 + Number(m[2] ?? 0)) * 24 + Number(m[3] ?? 0)) * 60 + Number(m[4] ?? 0)) * 60_000 + Number(m[5] ?? 0) * 1000;
}

/** Leaf values at a dotted path; a list anywhere on the way is walked element by element. Null and undefined are left out. */
export function valuesAt(obj: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  const keys = path.split('.');
  const walk = (v: unknown, i: number): void => {
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) {
      for (const item of v) walk(item, i);
      return;
    }
    if (i === keys.length) {
      out.push(v);
      return;
    }
    if (typeof v === 'object') walk((v as Record<string, unknown>)[keys[i]], i + 1);
  };
  walk(obj, 0);
  return out;
}

/** What a compiled filter reads for a record. */
export interface RecordView {
  /** Full-precision value of a TIME_TERMS term. */
  time(r: number, term: string): TimeValue;
  id(r: number): string;
  /** The event object (for generated events, a shared variant: id and times are not in it). */
  object(r: number): Record<string, unknown>;
}

export type Predicate = (r: number) => boolean;

function problem(f: V2Filter | null, description: string, type = 'ILLEGAL_VALUE'): never {
  throw new QueryProblem({ badFilter: f, description, type });
}

function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
}

/** Equality test for IS / IS_ANY: `*` matches any run of characters. */
function equalsTest(f: V2Filter, value: unknown): (v: unknown) => boolean {
  if (value === null || value === undefined || typeof value === 'object') problem(f, `${f.operator} needs a string value, got ${JSON.stringify(value)}`);
  const text = String(value);
  if (!text.includes('*')) return (v) => String(v) === text;
  const re = globToRegExp(text);
  return (v) => re.test(String(v));
}

/** The inclusive time range a value covers at its own precision (…:04.465Z covers that whole ms). */
function timeRange(f: V2Filter, value: unknown): { lo: TimeValue; hi: TimeValue } {
  const t = parseTime(value);
  if (!t) problem(f, `${f.operator} needs an ISO time such as 2024-01-02T03:04:05.465Z, got ${JSON.stringify(value)}`);
  const span = 10 ** (9 - Math.max(3, t.digits)) - 1; // ns still covered below the last digit
  return { lo: { ms: t.ms, ns: t.ns }, hi: t.digits <= 3 ? { ms: t.ms, ns: 999_999 } : { ms: t.ms, ns: t.ns + span } };
}

function dayRange(f: V2Filter, value: unknown): { lo: TimeValue; hi: TimeValue } {
  const text = typeof value === 'string' ? value : '';
  const day = /^\d{4}-\d{2}-\d{2}/.exec(text)?.[0];
  const start = day ? Date.parse(`${day}T00:00:00Z`) : NaN;
  if (Number.isNaN(start)) problem(f, `ON needs a date such as 2024-01-02, got ${JSON.stringify(value)}`);
  return { lo: { ms: start, ns: 0 }, hi: { ms: start + 86_400_000 - 1, ns: 999_999 } };
}

/** A time predicate on a TimeValue, or undefined when the operator is not about time. */
function timeTest(f: V2Filter, now: number): ((t: TimeValue) => boolean) | undefined {
  switch (f.operator) {
    case 'ON_OR_AFTER': {
      const { lo } = timeRange(f, f.value);
      return (t) => cmpTime(t, lo) >= 0;
    }
    case 'ON_OR_BEFORE': {
      const { hi } = timeRange(f, f.value);
      return (t) => cmpTime(t, hi) <= 0;
    }
    case 'ON': {
      const { lo, hi } = dayRange(f, f.value);
      return (t) => cmpTime(t, lo) >= 0 && cmpTime(t, hi) <= 0;
    }
    case 'WITHIN_THE_LAST': {
      const d = durationMs(f.value);
      if (d === undefined) problem(f, `WITHIN_THE_LAST needs an ISO duration such as P14D or PT15M, got ${JSON.stringify(f.value)}`);
      const lo = { ms: now - d, ns: 0 };
      return (t) => cmpTime(t, lo) >= 0;
    }
    case 'GREATER_THAN':
    case 'LESS_THAN': {
      const v = parseTime(f.value);
      if (!v) return undefined;
      return f.operator === 'GREATER_THAN' ? (t) => cmpTime(t, v) > 0 : (t) => cmpTime(t, v) < 0;
    }
    default:
      return undefined;
  }
}

/** A test on one leaf value plus how the leaves combine (any / none). */
function leafTest(f: V2Filter, now: number): { test: (v: unknown) => boolean; negate: boolean; exists?: boolean } {
  switch (f.operator) {
    case 'IS': return { test: equalsTest(f, f.value), negate: false };
    case 'IS_NOT': return { test: equalsTest(f, f.value), negate: true };
    case 'IS_ANY':
    case 'IS_NONE': {
      if (!Array.isArray(f.value) || f.value.length === 0) problem(f, `${f.operator} needs a non-empty list of values, got ${JSON.stringify(f.value)}`);
      const tests = f.value.map((v) => equalsTest(f, v));
      return { test: (v) => tests.some((t) => t(v)), negate: f.operator === 'IS_NONE' };
    }
    case 'EXISTS': return { test: () => true, negate: false, exists: true };
    case 'DOES_NOT_EXIST': return { test: () => true, negate: true, exists: true };
    case 'GREATER_THAN':
    case 'LESS_THAN': {
      const time = timeTest(f, now);
      if (time) return { test: (v) => { const t = parseTime(v); return t !== undefined && time(t); }, negate: false };
      const bound = Number(f.value);
      if (f.value === null || f.value === '' || !Number.isFinite(bound)) problem(f, `${f.operator} needs a number or an ISO time, got ${JSON.stringify(f.value)}`);
      return { test: f.operator === 'GREATER_THAN' ? (v) => Number(v) > bound : (v) => Number(v) < bound, negate: false };
    }
    default: {
      const time = timeTest(f, now) as (t: TimeValue) => boolean;
      return { test: (v) => { const t = parseTime(v); return t !== undefined && time(t); }, negate: false };
    }
  }
}

function checkFilter(f: unknown): V2Filter {
  if (!f || typeof f !== 'object') problem(null, 'each filter must be an object {term, operator, value}');
  const filter = f as V2Filter;
  if (typeof filter.term !== 'string' || filter.term === '') problem(filter, 'a filter needs a term');
  if (typeof filter.operator !== 'string' || !OPERATORS.has(filter.operator)) problem(filter, `unknown operator ${JSON.stringify(filter.operator)} (v2 has ${V2_OPERATORS.join(', ')}; no CONTAINS)`, 'ILLEGAL_OPERATOR');
  if ((filter.operator === 'EXISTS' || filter.operator === 'DOES_NOT_EXIST') && filter.value !== null && filter.value !== undefined) problem(filter, `${filter.operator} takes value null`);
  return filter;
}

function compileFilter(raw: unknown, view: RecordView, now: number): Predicate {
  const f = checkFilter(raw);
  if (TIME_TERMS.has(f.term)) {
    const term = f.term;
    if (f.operator === 'EXISTS') return () => true;
    if (f.operator === 'DOES_NOT_EXIST') return () => false;
    const time = timeTest(f, now);
    if (time) return (r) => time(view.time(r, term));
    // IS-family on a time: equal at full precision.
    const values = f.operator === 'IS_ANY' || f.operator === 'IS_NONE' ? (Array.isArray(f.value) ? f.value : problem(f, `${f.operator} needs a list of values`)) : [f.value];
    const times = values.map((v) => parseTime(v) ?? problem(f, `${f.operator} on ${term} needs ISO times, got ${JSON.stringify(v)}`));
    const negate = f.operator === 'IS_NOT' || f.operator === 'IS_NONE';
    if (f.operator === 'GREATER_THAN' || f.operator === 'LESS_THAN') problem(f, `${f.operator} on ${term} needs an ISO time`);
    return (r) => times.some((t) => cmpTime(view.time(r, term), t) === 0) !== negate;
  }
  const { test, negate, exists } = leafTest(f, now);
  if (f.term === 'event.id') return (r) => test(view.id(r)) !== negate;
  const term = f.term;
  if (exists) return (r) => valuesAt(view.object(r), term).some((v) => !(Array.isArray(v) && v.length === 0)) !== negate;
  return (r) => valuesAt(view.object(r), term).some(test) !== negate;
}

function clauseOf(value: unknown, name: string): 'AND' | 'OR' {
  if (value === undefined || value === null || value === 'AND') return 'AND';
  if (value === 'OR') return 'OR';
  return problem(null, `${name} must be AND or OR, got ${JSON.stringify(value)}`);
}

function compileGroup(raw: unknown, view: RecordView, now: number): Predicate {
  if (!raw || typeof raw !== 'object') problem(null, 'each group must be an object with filters or subgroups');
  const g = raw as Record<string, unknown>;
  if (Array.isArray(g.subgroups)) {
    const clause = clauseOf(g.subgroupClause, 'subgroupClause');
    return combine(g.subgroups.map((s) => compileGroup(s, view, now)), clause);
  }
  if (!Array.isArray(g.filters) || g.filters.length === 0) problem(null, 'a group needs a non-empty filters list (or subgroups)', 'MISSING_FILTERS');
  const clause = clauseOf(g.filterClause, 'filterClause');
  return combine(g.filters.map((f) => compileFilter(f, view, now)), clause);
}

function combine(parts: Predicate[], clause: 'AND' | 'OR'): Predicate {
  if (parts.length === 1) return parts[0];
  return clause === 'OR' ? (r) => parts.some((p) => p(r)) : (r) => parts.every((p) => p(r));
}

/** Compiles a query's groups into one predicate; throws QueryProblem for a bad query. */
export function compileGroups(groups: unknown, groupClause: unknown, view: RecordView, now: number): Predicate {
  if (!Array.isArray(groups)) problem(null, 'groups must be a list', 'MISSING_GROUPS');
  const clause = clauseOf(groupClause, 'groupClause');
  return combine(groups.map((g) => compileGroup(g, view, now)), clause);
}

/**
 * Bounds on event.inserted that every match must respect (from AND-ed groups of
 * AND-ed filters), for a binary search; `complete` when these bounds are the whole query.
 */
export function insertedBounds(groups: V2Group[], groupClause: unknown, now: number): { lo?: TimeValue; hi?: TimeValue; complete: boolean } {
  let lo: TimeValue | undefined;
  let hi: TimeValue | undefined;
  let complete = true;
  if (groupClause === 'OR' && groups.length > 1) return { complete: false };
  for (const g of groups) {
    if (!('filters' in g) || (g.filterClause === 'OR' && g.filters.length > 1)) {
      complete = false;
      continue;
    }
    for (const f of g.filters) {
      if (f.term !== 'event.inserted' || !['ON_OR_AFTER', 'ON_OR_BEFORE', 'WITHIN_THE_LAST'].includes(f.operator)) {
        complete = false;
        continue;
      }
      if (f.operator === 'ON_OR_BEFORE') {
        const { hi: h } = timeRange(f, f.value);
        if (!hi || cmpTime(h, hi) < 0) hi = h;
      } else {
        const l = f.operator === 'ON_OR_AFTER' ? timeRange(f, f.value).lo : { ms: now - (durationMs(f.value) ?? 0), ns: 0 };
        if (!lo || cmpTime(l, lo) > 0) lo = l;
      }
    }
  }
  return { lo, hi, complete };
}
