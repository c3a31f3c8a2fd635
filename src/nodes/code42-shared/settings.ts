import { parseExemptList, parseFilters, splitList, type FilterGroup, type ValidateOptions } from '../../lib/code42';
import type { QueryOptions } from '../../lib/code42';
import type { CursorScope } from '../../lib/cursor';
import { parseSince } from '../../lib/code42';
import { bool, num, oneOf, str } from '../shared/config';
import type { NodeDef } from '../shared/red';

/** An extractor node's settings, read (and validated, errors naming the field) at the start of each run. */
export interface ExtractorSettings {
  query: QueryOptions;
  interval: number;
  output: 'event' | 'page';
  cursor: { store?: string; scope: CursorScope; key: string };
}

export interface SettingsSpec {
  terms: ValidateOptions['terms'];
  maxPageSize: number;
  defaultPageSize: number;
  defaultCursorKey: string;
  /** The edit form's filters → groups. */
  formGroups(config: NodeDef, list: (field: string) => string[]): FilterGroup[];
}

/** What every extractor node reads the same way, whatever its API flavour. */
export type CommonSettings = Omit<ExtractorSettings, 'query'>;

export function readCommonSettings(config: NodeDef, defaultCursorKey: string): CommonSettings {
  return {
    interval: num(config.interval, 0, 'interval', { min: 0 }),
    output: oneOf(config.output, ['event', 'page'] as const, 'event', 'output'),
    cursor: {
      store: str(config.cursorStore) || undefined,
      scope: oneOf(config.cursorScope, ['node', 'flow', 'global'] as const, 'node', 'cursorScope'),
      key: str(config.cursorKey) || defaultCursorKey,
    },
  };
}

export function readSettings(config: NodeDef, spec: SettingsSpec, now = Date.now()): ExtractorSettings {
  const parsed = parseFilters(str(config.filters), { terms: spec.terms, allowUnknownTerms: bool(config.allowUnknownTerms, false), field: 'filters' });
  const form = spec.formGroups(config, (field) => splitList(config[field]));
  const orMode = bool(config.orMode, false);
  return {
    query: {
      groups: [...parsed.groups, ...form],
      groupClause: parsed.groupClause,
      orMode,
      orExempt: parseExemptList(str(config.orExempt), 'orExempt'),
      sinceMs: parseSince(str(config.since), now, 'since'),
      pageSize: num(config.pageSize, spec.defaultPageSize, 'pageSize', { min: 1, max: spec.maxPageSize, integer: true }),
      overlapMs: num(config.lookback, 0, 'lookback', { min: 0, max: 86_400 }) * 1000,
    },
    ...readCommonSettings(config, spec.defaultCursorKey),
  };
}
