// py42-style filter groups (S-d): the model, validation with readable errors,
// the builders py42 renders (same key order as py42's templates), OR-mode
// flattening (R1) and the filters the edit form offers.

export const OPERATORS = ['IS', 'IS_NOT', 'EXISTS', 'DOES_NOT_EXIST', 'ON_OR_AFTER', 'ON_OR_BEFORE', 'WITHIN_THE_LAST', 'GREATER_THAN', 'LESS_THAN', 'CONTAINS', 'DOES_NOT_CONTAIN'] as const;
export type Operator = (typeof OPERATORS)[number];
export type Clause = 'AND' | 'OR';

export interface Filter {
  operator: Operator;
  term: string;
  value: string | null;
}

export interface FilterGroup {
  filterClause: Clause;
  filters: Filter[];
}

export interface FilterQuery {
  groupClause: Clause;
  groups: FilterGroup[];
}

/** File-event search terms of the v1 API (A2); `removableMedia*` is matched by prefix. */
export const FILE_EVENT_TERMS = ['insertionTimestamp', 'eventTimestamp', 'eventType', 'eventId', 'source', 'exposure', 'fileName', 'filePath', 'fileCategory', 'fileOwner', 'fileSize', 'md5Checksum', 'sha256Checksum', 'deviceUserName', 'osHostName', 'publicIpAddress', 'privateIpAddresses', 'actor', 'sharedWith', 'shared', 'syncDestination', 'tabUrls', 'tabTitles', 'processName', 'processOwner', 'emailSender', 'emailRecipients', 'riskIndicatorNames', 'riskSeverity', 'trusted', 'deviceUid', 'userUid', 'domainName', 'fileType', 'url', 'cloudDriveId', 'createTimestamp', 'modifyTimestamp'];
/** Alert query terms (A3). */
export const ALERT_TERMS = ['createdAt', 'actor', 'actorId', 'name', 'ruleId', 'ruleSource', 'description', 'type', 'state', 'severity', 'riskSeverity', 'target', 'tenantId', 'id'];

const NULL_OPERATORS: ReadonlySet<string> = new Set(['EXISTS', 'DOES_NOT_EXIST']);

export interface ValidateOptions {
  terms: readonly string[];
  allowUnknownTerms?: boolean;
  /** Field name used in error messages. */
  field?: string;
}

function knownTerm(term: string, terms: readonly string[]): boolean {
  return terms.includes(term) || /^removableMedia[A-Z]/.test(term);
}

/**
 * Parses and validates filter JSON text: `{groupClause?, groups:[…]}`, an array of
 * groups, or a single group. Empty text → no groups. Errors name the field and path.
 */
export function parseFilters(text: string, options: ValidateOptions): FilterQuery {
  const raw = parseFilterText(text, options.field ?? 'filters');
  return raw === undefined ? { groupClause: 'AND', groups: [] } : validateFilters(raw, options);
}

/**
 * The JSON of a filter field (every flavour's filters and the sessions' ones):
 * undefined for empty text, else the parsed value; bad JSON is an error naming `field`.
 */
export function parseFilterText(text: string, field: string): unknown {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  try {
    return JSON.parse(trimmed);
  } catch (err) {
    throw new Error(`${field} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

/** Validates an already-parsed filter value (see parseFilters). */
export function validateFilters(raw: unknown, options: ValidateOptions): FilterQuery {
  const field = options.field ?? 'filters';
  const { groupClause, groups } = topLevelGroups(raw, field, (value) => 'filters' in value);
  return { groupClause, groups: groups.map((g, i) => validateGroup(g, `${field}.groups[${i}]`, options)) };
}

/**
 * The top level of filter JSON (both flavours): `{groupClause?, groups:[…]}`, an array
 * of groups, or one group (an object `isGroup` accepts). Returns the clause and the
 * groups, still unvalidated; errors name `field`.
 */
export function topLevelGroups(raw: unknown, field: string, isGroup: (value: object) => boolean): { groupClause: Clause; groups: unknown[] } {
  let groupClause: Clause = 'AND';
  let groupsRaw: unknown;
  if (Array.isArray(raw)) groupsRaw = raw;
  else if (raw && typeof raw === 'object' && 'groups' in raw) {
    const q = raw as { groupClause?: unknown; groups: unknown };
    if (q.groupClause !== undefined) groupClause = clause(q.groupClause, `${field}.groupClause`);
    groupsRaw = q.groups;
  } else if (raw && typeof raw === 'object' && isGroup(raw)) groupsRaw = [raw];
  else throw new Error(`${field} must be a JSON object {"groups":[…]}, an array of filter groups or one filter group`);
  if (!Array.isArray(groupsRaw)) throw new Error(`${field}.groups must be an array`);
  return { groupClause, groups: groupsRaw };
}

/** A group or filter clause; anything else is an error naming `path`. */
export function clause(value: unknown, path: string): Clause {
  if (value === 'AND' || value === 'OR') return value;
  throw new Error(`${path} must be "AND" or "OR", got ${JSON.stringify(value)}`);
}

function validateGroup(raw: unknown, path: string, options: ValidateOptions): FilterGroup {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${path} must be an object {"filterClause","filters"}`);
  const g = raw as { filterClause?: unknown; filters?: unknown };
  const filterClause = g.filterClause === undefined ? 'AND' : clause(g.filterClause, `${path}.filterClause`);
  if (!Array.isArray(g.filters) || g.filters.length === 0) throw new Error(`${path}.filters must be a non-empty array`);
  return { filterClause, filters: g.filters.map((f, i) => validateFilter(f, `${path}.filters[${i}]`, options)) };
}

function validateFilter(raw: unknown, path: string, options: ValidateOptions): Filter {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${path} must be an object {"term","operator","value"}`);
  const f = raw as { term?: unknown; operator?: unknown; value?: unknown };
  if (typeof f.term !== 'string' || f.term === '') throw new Error(`${path}.term must be a non-empty string`);
  if (!options.allowUnknownTerms && !knownTerm(f.term, options.terms)) throw new Error(`${path}.term "${f.term}" is not a known search term`);
  if (typeof f.operator !== 'string' || !(OPERATORS as readonly string[]).includes(f.operator)) {
    throw new Error(`${path}.operator must be one of ${OPERATORS.join(', ')}; got ${JSON.stringify(f.operator)}`);
  }
  const operator = f.operator as Operator;
  if (NULL_OPERATORS.has(operator)) {
    if (f.value !== null && f.value !== undefined) throw new Error(`${path}.value must be null for ${operator}`);
    return { operator, term: f.term, value: null };
  }
  // Numbers are accepted and sent as strings, as py42 does (str(value)).
  if (typeof f.value === 'number' && Number.isFinite(f.value)) return { operator, term: f.term, value: String(f.value) };
  if (typeof f.value !== 'string') throw new Error(`${path}.value must be a string for ${operator}`);
  return { operator, term: f.term, value: f.value };
}

// Builders, rendering exactly like py42 (key order operator, term, value).
const one = (operator: Operator, term: string, value: string | null): FilterGroup => ({ filterClause: 'AND', filters: [{ operator, term, value }] });
export const exists = (term: string) => one('EXISTS', term, null);
export const notExists = (term: string) => one('DOES_NOT_EXIST', term, null);
export const is = (term: string, value: string) => one('IS', term, value);
export const isNot = (term: string, value: string) => one('IS_NOT', term, value);
export const onOrAfter = (term: string, value: string) => one('ON_OR_AFTER', term, value);
export const onOrBefore = (term: string, value: string) => one('ON_OR_BEFORE', term, value);
export const contains = (term: string, value: string) => one('CONTAINS', term, value);
export const notContains = (term: string, value: string) => one('DOES_NOT_CONTAIN', term, value);
export const withinTheLast = (term: string, value: string) => one('WITHIN_THE_LAST', term, value);
export const isIn = (term: string, values: string[]): FilterGroup => ({ filterClause: 'OR', filters: values.map((value) => ({ operator: 'IS', term, value })) });
export const notIn = (term: string, values: string[]): FilterGroup => ({ filterClause: 'AND', filters: values.map((value) => ({ operator: 'IS_NOT', term, value })) });
export const inRange = (term: string, from: string, to: string): FilterGroup => ({
  filterClause: 'AND',
  filters: [{ operator: 'ON_OR_AFTER', term, value: from }, { operator: 'ON_OR_BEFORE', term, value: to }],
});

/** True if any filter of the groups uses `term` (the R1 cursor check). */
export function usesTerm(groups: FilterGroup[], term: string): boolean {
  return groups.some((g) => g.filters.some((f) => f.term === term));
}

/** An OR-mode exemption: a term, or a term with one operator. */
export type ExemptRule = string | { term: string; operator?: Operator };

/** R1's exempt list (code42cli adds `exposure EXISTS`). */
export const DEFAULT_OR_EXEMPT: ExemptRule[] = ['insertionTimestamp', 'eventTimestamp', 'createdAt', { term: 'exposure', operator: 'EXISTS' }];

function isExempt(filter: Filter, rules: ExemptRule[]): boolean {
  return rules.some((r) => (typeof r === 'string' ? r === filter.term : r.term === filter.term && (r.operator === undefined || r.operator === filter.operator)));
}

/**
 * OR mode (R1, S-d): all filters are flattened. Groups holding an exempt filter stay
 * AND-ed (all their filters go into one AND group, so ranges keep both ends); every
 * other filter goes into one OR group, which stands alone when nothing is exempt.
 */
export function toOrQuery(groups: FilterGroup[], exempt: ExemptRule[] = DEFAULT_OR_EXEMPT): FilterGroup[] {
  const andFilters: Filter[] = [];
  const orFilters: Filter[] = [];
  for (const g of groups) {
    if (g.filters.some((f) => isExempt(f, exempt))) andFilters.push(...g.filters);
    else orFilters.push(...g.filters);
  }
  const out: FilterGroup[] = [];
  if (andFilters.length) out.push({ filterClause: 'AND', filters: andFilters });
  if (orFilters.length) out.push({ filterClause: 'OR', filters: orFilters });
  return out;
}

/** Parses an exempt list typed in the editor: `term` or `term:OPERATOR`, comma or newline separated. */
export function parseExemptList(text: string, field = 'orExempt'): ExemptRule[] {
  const items = text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) return DEFAULT_OR_EXEMPT;
  return items.map((item) => {
    const [term, operator] = item.split(':').map((s) => s.trim());
    if (!term) throw new Error(`${field}: empty term in ${JSON.stringify(item)}`);
    if (operator === undefined) return term;
    if (!(OPERATORS as readonly string[]).includes(operator)) throw new Error(`${field}: operator ${JSON.stringify(operator)} is not one of ${OPERATORS.join(', ')}`);
    return { term, operator: operator as Operator };
  });
}

/** Splits an editor list (comma or newline separated) into trimmed values. */
export function splitList(text: unknown): string[] {
  if (Array.isArray(text)) return text.map((v) => String(v).trim()).filter(Boolean);
  return String(text ?? '').split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
}

/** The edit form's file-event filters; each non-empty list becomes one IS-in (OR) group. */
export interface FileEventFormFilters {
  exposureTypes?: string[];
  eventTypes?: string[];
  usernames?: string[];
  hostnames?: string[];
  fileNames?: string[];
  filePaths?: string[];
}

export function fileEventFormGroups(form: FileEventFormFilters): FilterGroup[] {
  const pairs: Array<[string, string[] | undefined]> = [
    ['exposure', form.exposureTypes], ['eventType', form.eventTypes], ['deviceUserName', form.usernames],
    ['osHostName', form.hostnames], ['fileName', form.fileNames], ['filePath', form.filePaths],
  ];
  return pairs.filter(([, values]) => values && values.length > 0).map(([term, values]) => isIn(term, values!));
}

/** The edit form's alert filters. */
export interface AlertFormFilters {
  states?: string[];
  severities?: string[];
  actors?: string[];
  ruleNames?: string[];
}

export function alertFormGroups(form: AlertFormFilters): FilterGroup[] {
  const pairs: Array<[string, string[] | undefined]> = [['state', form.states], ['severity', form.severities], ['actor', form.actors], ['name', form.ruleNames]];
  return pairs.filter(([, values]) => values && values.length > 0).map(([term, values]) => isIn(term, values!));
}
