// How the Code42 emulator applies py42 filter groups to events and alerts
// (contract, emulator requirement 2): inclusive time comparisons at the data's
// precision, list fields matching by any element, sharedWith by cloudUsername.

export interface EmuFilter { term: string; operator: string; value: unknown }
export interface EmuGroup { filterClause?: string; filters: EmuFilter[] }

export const KNOWN_OPERATORS = new Set(['IS', 'IS_NOT', 'EXISTS', 'DOES_NOT_EXIST', 'ON_OR_AFTER', 'ON_OR_BEFORE', 'WITHIN_THE_LAST', 'GREATER_THAN', 'LESS_THAN', 'CONTAINS', 'DOES_NOT_CONTAIN']);

const FIELD_OF_TERM: Record<string, string> = { tabUrls: 'tabUrl', tabTitles: 'windowTitle' };

/** An ISO time as a fixed 7-digit string, so that string order is time order. */
export function timeKey(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(value);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(7, '0').slice(0, 7)}Z` : undefined;
}

function values(obj: Record<string, unknown>, term: string): unknown[] {
  const v = obj[FIELD_OF_TERM[term] ?? term];
  if (v === null || v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => (x && typeof x === 'object' && 'cloudUsername' in x ? (x as { cloudUsername: unknown }).cloudUsername : x));
}

/** ISO-8601 duration (PT15M, P14D, P1DT2H) in ms. */
export function durationMs(text: string): number | undefined {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === 'P' || text === 'PT') return undefined;
  return ((Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 60 + Number(m[3] ?? 0)) * 60_000 + Number(m[4] ?? 0) * 1000;
}

export function matchFilter(obj: Record<string, unknown>, f: EmuFilter, now: number): boolean {
  const vals = values(obj, f.term);
  const value = f.value === null || f.value === undefined ? '' : String(f.value);
  switch (f.operator) {
    case 'IS': return vals.some((v) => String(v) === value);
    case 'IS_NOT': return !vals.some((v) => String(v) === value);
    case 'EXISTS': return vals.length > 0;
    case 'DOES_NOT_EXIST': return vals.length === 0;
    case 'CONTAINS': return vals.some((v) => String(v).includes(value));
    case 'DOES_NOT_CONTAIN': return !vals.some((v) => String(v).includes(value));
    case 'GREATER_THAN': return vals.some((v) => Number(v) > Number(value));
    case 'LESS_THAN': return vals.some((v) => Number(v) < Number(value));
    case 'ON_OR_AFTER':
    case 'ON_OR_BEFORE': {
      const bound = timeKey(value);
      if (!bound) return false;
      return vals.some((v) => {
        const t = timeKey(v);
        return t !== undefined && (f.operator === 'ON_OR_AFTER' ? t >= bound : t <= bound);
      });
    }
    case 'WITHIN_THE_LAST': {
      const d = durationMs(value);
      if (d === undefined) return false;
      return vals.some((v) => typeof v === 'string' && Date.parse(v) >= now - d);
    }
    default: return false;
  }
}

export function matchGroups(obj: Record<string, unknown>, groups: EmuGroup[], groupClause: string, now: number): boolean {
  if (groups.length === 0) return true;
  const test = (g: EmuGroup) => (g.filterClause === 'OR' ? g.filters.some((f) => matchFilter(obj, f, now)) : g.filters.every((f) => matchFilter(obj, f, now)));
  return groupClause === 'OR' ? groups.some(test) : groups.every(test);
}

/** Checks the body's groups; returns a 400 reason, a SEARCH_FAILED problem, or nothing. */
export function checkGroups(groups: unknown): { malformed?: string; problem?: { badFilter: unknown; description: string; type: 'SEARCH_FAILED' } } {
  if (!Array.isArray(groups)) return { malformed: 'groups must be an array' };
  for (const g of groups) {
    if (!g || typeof g !== 'object' || !Array.isArray((g as EmuGroup).filters)) return { malformed: 'each group needs a filters array' };
    for (const f of (g as EmuGroup).filters) {
      if (!f || typeof f !== 'object' || typeof f.term !== 'string' || typeof f.operator !== 'string') return { malformed: 'each filter needs term and operator' };
      if (!KNOWN_OPERATORS.has(f.operator)) return { problem: { badFilter: f, description: `Unknown operator ${f.operator}`, type: 'SEARCH_FAILED' } };
    }
  }
  return {};
}
