// v2 filter groups (contract incydr-v2 §2.1): `{groupClause?, groups:[…]}` where a
// group is `{filterClause, filters:[{term, operator, value}]}` or a nested
// `{subgroupClause, subgroups:[…]}`. Any dotted term is accepted (the API stopped
// validating terms in SDK 2.2), except v1 (legacy) terms, which get an error naming
// their v2 equivalent: a flow switched to incydr mode must not silently match nothing.
import { clause, parseFilterText, topLevelGroups, type FileEventFormFilters } from '../filters';

export const V2_OPERATORS = ['IS', 'IS_NOT', 'IS_ANY', 'IS_NONE', 'ON', 'ON_OR_AFTER', 'ON_OR_BEFORE', 'WITHIN_THE_LAST', 'GREATER_THAN', 'LESS_THAN', 'EXISTS', 'DOES_NOT_EXIST'] as const;
export type V2Operator = (typeof V2_OPERATORS)[number];
export type V2Clause = 'AND' | 'OR';
export type V2Value = string | number | boolean | string[] | null;

export interface V2Filter {
  term: string;
  operator: V2Operator;
  value: V2Value;
}

export type V2Group = { filterClause: V2Clause; filters: V2Filter[] } | { subgroupClause: V2Clause; subgroups: V2Group[] };

export interface V2Query {
  groupClause: V2Clause;
  groups: V2Group[];
}

/** v1 file-event terms → their v2 equivalents (contract incydr-v2 §3.1). */
export const V1_TO_V2_TERMS: Readonly<Record<string, string>> = {
  insertionTimestamp: 'event.inserted', eventTimestamp: '@timestamp', eventId: 'event.id', eventType: 'event.action',
  exposure: 'event.action (removable-media-*, sync-app-*, file-shared) or destination.category', source: 'event.observer',
  deviceUserName: 'user.email', actor: 'user.email', userUid: 'user.id', deviceUid: 'user.deviceUid',
  osHostName: 'source.name', domainName: 'source.domain', publicIpAddress: 'source.ip', privateIpAddresses: 'source.privateIp',
  fileName: 'file.name', filePath: 'file.directory', fileCategory: 'file.category', fileSize: 'file.sizeInBytes', fileOwner: 'file.owner',
  url: 'file.url', cloudDriveId: 'file.cloudDriveId', md5Checksum: 'file.hash.md5', sha256Checksum: 'file.hash.sha256',
  createTimestamp: 'file.created', modifyTimestamp: 'file.modified', emailSender: 'source.email.sender', emailFrom: 'source.email.from',
  emailRecipients: 'destination.email.recipients', emailSubject: 'destination.email.subject', sharedWith: 'destination.user.email',
  sharingTypeAdded: 'event.shareType', syncDestination: 'destination.name', processName: 'process.executable', processOwner: 'process.owner',
  tabUrls: 'destination.tabs.url', tabUrl: 'destination.tabs.url', tabTitles: 'destination.tabs.title', windowTitle: 'destination.tabs.title',
  riskScore: 'risk.score', riskSeverity: 'risk.severity', riskIndicatorNames: 'risk.indicators.name', trusted: 'risk.trusted',
  fileType: 'file.category', shared: 'event.shareType',
};

/** v2 equivalent of a v1 term (removableMedia* → destination.removableMedia.*), or undefined for a non-v1 term. */
export function v2EquivalentOf(term: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(V1_TO_V2_TERMS, term)) return V1_TO_V2_TERMS[term];
  const media = /^removableMedia([A-Z]\w*)$/.exec(term);
  if (media) return `destination.removableMedia.${media[1].charAt(0).toLowerCase()}${media[1].slice(1)}`;
  return undefined;
}

const LIST_OPERATORS: ReadonlySet<string> = new Set(['IS_ANY', 'IS_NONE']);
const NULL_OPERATORS: ReadonlySet<string> = new Set(['EXISTS', 'DOES_NOT_EXIST']);

/** Parses and validates v2 filter JSON text; empty text → no groups. Errors name the field and the path. */
export function parseV2Filters(text: string, field = 'filters'): V2Query {
  const raw = parseFilterText(text, field);
  return raw === undefined ? { groupClause: 'AND', groups: [] } : validateV2Filters(raw, field);
}

export function validateV2Filters(raw: unknown, field = 'filters'): V2Query {
  const { groupClause, groups } = topLevelGroups(raw, field, (value) => 'filters' in value || 'subgroups' in value);
  return { groupClause, groups: groups.map((g, i) => validateGroup(g, `${field}.groups[${i}]`)) };
}

function validateGroup(raw: unknown, path: string): V2Group {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${path} must be an object {"filterClause","filters"} or {"subgroupClause","subgroups"}`);
  const g = raw as { filterClause?: unknown; filters?: unknown; subgroupClause?: unknown; subgroups?: unknown };
  if (g.subgroups !== undefined) {
    if (!Array.isArray(g.subgroups) || g.subgroups.length === 0) throw new Error(`${path}.subgroups must be a non-empty array`);
    return { subgroupClause: g.subgroupClause === undefined ? 'AND' : clause(g.subgroupClause, `${path}.subgroupClause`), subgroups: g.subgroups.map((s, i) => validateGroup(s, `${path}.subgroups[${i}]`)) };
  }
  if (!Array.isArray(g.filters) || g.filters.length === 0) throw new Error(`${path}.filters must be a non-empty array`);
  return { filterClause: g.filterClause === undefined ? 'AND' : clause(g.filterClause, `${path}.filterClause`), filters: g.filters.map((f, i) => validateFilter(f, `${path}.filters[${i}]`)) };
}

function validateFilter(raw: unknown, path: string): V2Filter {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${path} must be an object {"term","operator","value"}`);
  const f = raw as { term?: unknown; operator?: unknown; value?: unknown };
  if (typeof f.term !== 'string' || f.term.trim() === '') throw new Error(`${path}.term must be a non-empty string`);
  const v2 = v2EquivalentOf(f.term);
  if (v2) throw new Error(`${path}.term "${f.term}" is a v1 (legacy API) term; with apiVersion incydr use the v2 term ${v2}`);
  if (typeof f.operator !== 'string' || !(V2_OPERATORS as readonly string[]).includes(f.operator)) {
    const hint = f.operator === 'CONTAINS' || f.operator === 'DOES_NOT_CONTAIN' ? ' (the v2 API has no CONTAINS: use IS with * wildcards, e.g. "*.docx")' : '';
    throw new Error(`${path}.operator must be one of ${V2_OPERATORS.join(', ')}; got ${JSON.stringify(f.operator)}${hint}`);
  }
  const operator = f.operator as V2Operator;
  if (NULL_OPERATORS.has(operator)) {
    if (f.value !== null && f.value !== undefined) throw new Error(`${path}.value must be null for ${operator}`);
    return { term: f.term, operator, value: null };
  }
  if (LIST_OPERATORS.has(operator)) {
    if (!Array.isArray(f.value) || f.value.length === 0 || !f.value.every((v) => typeof v === 'string' || typeof v === 'number')) {
      throw new Error(`${path}.value must be a non-empty array of strings for ${operator}`);
    }
    return { term: f.term, operator, value: f.value.map(String) };
  }
  if (typeof f.value === 'number' || typeof f.value === 'boolean') return { term: f.term, operator, value: f.value };
  if (typeof f.value !== 'string') throw new Error(`${path}.value must be a string for ${operator}`);
  return { term: f.term, operator, value: f.value };
}

/** True if any filter, at any depth, uses `term`. */
export function usesV2Term(groups: V2Group[], term: string): boolean {
  return groups.some((g) => ('subgroups' in g ? usesV2Term(g.subgroups, term) : g.filters.some((f) => f.term === term)));
}

/** One OR group of `IS` filters (IS honours `*` wildcards, IS_ANY does not promise to). */
export function anyOf(term: string, values: string[]): V2Group {
  return { filterClause: 'OR', filters: values.map((value) => ({ term, operator: 'IS', value })) };
}

/** v1 event types (the edit form's values) → event.action (contract incydr-v2 §3.1). */
export const EVENT_TYPE_ACTIONS: Readonly<Record<string, string[]>> = {
  CREATED: ['file-created'], MODIFIED: ['file-modified'], DELETED: ['file-deleted'], READ_BY_APP: ['application-read'],
  EMAILED: ['file-emailed'], PRINTED: ['file-printed'], DOWNLOADED: ['file-downloaded'],
};

/** v1 exposure types → event.action values. */
export const EXPOSURE_ACTIONS: Readonly<Record<string, string[]>> = {
  RemovableMedia: ['removable-media-created', 'removable-media-modified', 'removable-media-deleted'],
  CloudStorage: ['sync-app-created', 'sync-app-modified', 'sync-app-deleted'],
  ApplicationRead: ['application-read'],
  SharedViaLink: ['file-shared'], IsPublic: ['file-shared'], SharedToDomain: ['file-shared'], OutsideTrustedDomains: ['file-shared'],
};

/** The file-event edit form's lists: the same form in both flavours. */
export type V2FormFilters = FileEventFormFilters;

function actions(values: string[], table: Readonly<Record<string, string[]>>): string[] {
  // A value already in v2 form (file-created) passes as is; a v1 name maps through the table.
  return [...new Set(values.flatMap((v) => table[v] ?? [v]))];
}

/**
 * The file-event edit form's filters as v2 groups (AND-ed, each list one OR group):
 * event types and exposure types → event.action, usernames → user.email, hostnames →
 * source.name, file names → file.name, file paths → file.directory.
 */
export function v2FormGroups(form: V2FormFilters): V2Group[] {
  const out: V2Group[] = [];
  if (form.exposureTypes?.length) out.push(anyOf('event.action', actions(form.exposureTypes, EXPOSURE_ACTIONS)));
  if (form.eventTypes?.length) out.push(anyOf('event.action', actions(form.eventTypes, EVENT_TYPE_ACTIONS)));
  const pairs: Array<[string, string[] | undefined]> = [['user.email', form.usernames], ['source.name', form.hostnames], ['file.name', form.fileNames], ['file.directory', form.filePaths]];
  for (const [term, values] of pairs) if (values?.length) out.push(anyOf(term, values));
  return out;
}
