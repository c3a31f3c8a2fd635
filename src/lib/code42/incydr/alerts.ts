import { AlertSearch } from '../alert-search';
import type { AlertCursor } from '../cursor';
import { parseFilterText } from '../filters';
import type { Alert } from '../types';
import type { IncydrClient } from './client';
import type { V2Clause } from './filters';

export const INCYDR_ALERT_CURSOR_TERM = 'CreatedAt';
export const INCYDR_ALERT_CURSOR_FILTER_ERROR = "CreatedAt filter can't be used with the Incydr alert extractor when a cursor checkpoint exists.";
export const MAX_INCYDR_ALERT_PAGE = 500;

/** Alert query terms (PascalCase, contract incydr-v2 §4.1; SDK enums/alerts.py). */
export const INCYDR_ALERT_TERMS = ['AlertId', 'TenantId', 'Type', 'Name', 'Description', 'Actor', 'ActorId', 'Target', 'RiskSeverity', 'Severity', 'State', 'CreatedAt', 'RuleId', 'RuleSource', 'RuleType', 'AlertSeverity', 'LastModifiedTime', 'LastModifiedBy', 'StateLastModifiedAt', 'StateLastModifiedBy'];
export const INCYDR_ALERT_OPERATORS = ['IS', 'IS_NOT', 'ON', 'ON_OR_AFTER', 'ON_OR_BEFORE', 'LESS_THAN', 'GREATER_THAN', 'CONTAINS', 'DOES_NOT_CONTAIN'] as const;

export interface AlertFilter { term: string; operator: string; value: string | null }
export interface AlertGroup { filterClause: V2Clause; filters: AlertFilter[] }

export interface IncydrAlertQueryOptions {
  groups: AlertGroup[];
  groupClause: V2Clause;
  sinceMs?: number;
  pageSize: number;
  details: boolean;
  tenantId?: string;
}

/** The PascalCase term of a v1 (camelCase) alert term, for error messages: createdAt → CreatedAt. */
export function pascalAlertTerm(term: string): string {
  return term === 'id' ? 'AlertId' : term.charAt(0).toUpperCase() + term.slice(1);
}

/**
 * Parses the alert filter JSON of incydr mode: py42-shaped groups with PascalCase
 * terms; a camelCase (v1) term is an error naming its PascalCase form.
 */
export function parseIncydrAlertFilters(text: string, field = 'filters', allowUnknownTerms = false): { groupClause: V2Clause; groups: AlertGroup[] } {
  const raw = parseFilterText(text, field);
  if (raw === undefined) return { groupClause: 'AND', groups: [] };
  let groupClause: V2Clause = 'AND';
  let groups: unknown = raw;
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const q = raw as { groupClause?: unknown; groups?: unknown; filters?: unknown };
    if (q.groups !== undefined) {
      if (q.groupClause !== undefined && q.groupClause !== 'AND' && q.groupClause !== 'OR') throw new Error(`${field}.groupClause must be "AND" or "OR"`);
      groupClause = (q.groupClause as V2Clause | undefined) ?? 'AND';
      groups = q.groups;
    } else if (q.filters !== undefined) groups = [raw];
  }
  if (!Array.isArray(groups)) throw new Error(`${field} must be a JSON object {"groups":[…]}, an array of filter groups or one filter group`);
  return {
    groupClause,
    groups: groups.map((g: unknown, i) => {
      const path = `${field}.groups[${i}]`;
      const grp = g as { filterClause?: unknown; filters?: unknown };
      if (!grp || typeof grp !== 'object' || !Array.isArray(grp.filters) || grp.filters.length === 0) throw new Error(`${path}.filters must be a non-empty array`);
      const filterClause = grp.filterClause === 'OR' ? 'OR' : grp.filterClause === undefined || grp.filterClause === 'AND' ? 'AND' : undefined;
      if (!filterClause) throw new Error(`${path}.filterClause must be "AND" or "OR"`);
      return {
        filterClause,
        filters: grp.filters.map((f: { term?: unknown; operator?: unknown; value?: unknown }, j: number) => {
          const fp = `${path}.filters[${j}]`;
          if (!f || typeof f.term !== 'string' || f.term === '') throw new Error(`${fp}.term must be a non-empty string`);
          if (!allowUnknownTerms && !INCYDR_ALERT_TERMS.includes(f.term)) {
            const pascal = pascalAlertTerm(f.term);
            const hint = INCYDR_ALERT_TERMS.includes(pascal) ? `; with apiVersion incydr alert terms are PascalCase: use ${pascal}` : '';
            throw new Error(`${fp}.term "${f.term}" is not an Incydr alert term${hint}`);
          }
          if (typeof f.operator !== 'string' || !(INCYDR_ALERT_OPERATORS as readonly string[]).includes(f.operator)) throw new Error(`${fp}.operator must be one of ${INCYDR_ALERT_OPERATORS.join(', ')}`);
          if (f.value !== null && typeof f.value !== 'string' && typeof f.value !== 'number') throw new Error(`${fp}.value must be a string`);
          return { term: f.term, operator: f.operator, value: f.value === null ? null : String(f.value) };
        }),
      };
    }),
  };
}

/** The alert edit form's filters with PascalCase terms. */
export function incydrAlertFormGroups(form: { states?: string[]; severities?: string[]; actors?: string[]; ruleNames?: string[] }): AlertGroup[] {
  const pairs: Array<[string, string[] | undefined]> = [['State', form.states], ['Severity', form.severities], ['Actor', form.actors], ['Name', form.ruleNames]];
  return pairs.filter(([, v]) => v && v.length > 0).map(([term, values]) => ({ filterClause: 'OR', filters: values!.map((value) => ({ term, operator: 'IS', value })) }));
}

/**
 * Alerts over `/v1/alerts/query-alerts` (contract incydr-v2 §4.1, §5.1): the S-a
 * cursor on CreatedAt (6 digits from this API, compared as 7-digit strings),
 * ascending, pgNum 0, 1, … until a short page; optional details from
 * `/v1/alerts/query-details` in batches of ≤100 with `observations[].data` parsed.
 */
export class IncydrAlerts extends AlertSearch<IncydrAlertQueryOptions> {
  readonly label = 'Incydr alerts';

  constructor(client: IncydrClient, query: IncydrAlertQueryOptions) {
    super(client, query, MAX_INCYDR_ALERT_PAGE);
  }

  checkFilters(cursor: AlertCursor | undefined): void {
    if (cursor && this.query.groups.some((g) => g.filters.some((f) => f.term === INCYDR_ALERT_CURSOR_TERM))) throw new Error(INCYDR_ALERT_CURSOR_FILTER_ERROR);
  }

  itemType(item: Alert): string | undefined {
    return typeof item.type === 'string' ? item.type : undefined;
  }

  body(tenantId: string, cursor: AlertCursor | undefined, pgNum: number): Record<string, unknown> {
    let groups: AlertGroup[] = this.query.groups;
    if (this.query.groupClause === 'OR' && groups.length > 1) groups = [{ filterClause: 'OR', filters: groups.flatMap((g) => g.filters) }];
    const from = this.from(cursor);
    if (from !== undefined) groups = [...groups, { filterClause: 'AND', filters: [{ term: INCYDR_ALERT_CURSOR_TERM, operator: 'ON_OR_AFTER', value: from }] }];
    return { tenantId, groupClause: 'AND', groups, pgNum, pgSize: this.query.pageSize, srtKey: INCYDR_ALERT_CURSOR_TERM, srtDirection: 'ASC' };
  }
}
