// Incydr-mode settings of the extractor nodes: the same editor fields as v1, read
// as v2 terms (file events) or PascalCase terms (alerts). Errors name the field.
import { DEFAULT_V2_OVERLAP_MS, MAX_INCYDR_ALERT_PAGE, MAX_V2_PAGE, incydrAlertFormGroups, parseIncydrAlertFilters, parseSince, parseV2Filters, splitList, v2FormGroups, type IncydrAlertQueryOptions, type IncydrQueryOptions } from '../../lib/code42';
import { bool, num, str } from '../shared/config';
import type { NodeDef } from '../shared/red';

/** `lookback` in ms: empty means the flavour's default (60 s in incydr mode). */
export function lookbackMs(config: NodeDef, defaultMs: number, maxSeconds = 86_400): number {
  return num(config.lookback, defaultMs / 1000, 'lookback', { min: 0, max: maxSeconds }) * 1000;
}

export function readIncydrFileEventQuery(config: NodeDef, now = Date.now()): IncydrQueryOptions {
  const parsed = parseV2Filters(str(config.filters), 'filters');
  const list = (field: string) => splitList(config[field]);
  const form = v2FormGroups({
    exposureTypes: list('exposureTypes'), eventTypes: list('eventTypes'), usernames: list('usernames'),
    hostnames: list('hostnames'), fileNames: list('fileNames'), filePaths: list('filePaths'),
  });
  return {
    groups: [...parsed.groups, ...form],
    groupClause: parsed.groupClause,
    orMode: bool(config.orMode, false),
    sinceMs: parseSince(str(config.since), now, 'since'),
    pageSize: num(config.pageSize, MAX_V2_PAGE, 'pageSize', { min: 1, max: MAX_V2_PAGE, integer: true }),
    overlapMs: lookbackMs(config, DEFAULT_V2_OVERLAP_MS),
  };
}

export function readIncydrAlertQuery(config: NodeDef, now = Date.now()): IncydrAlertQueryOptions {
  const parsed = parseIncydrAlertFilters(str(config.filters), 'filters', bool(config.allowUnknownTerms, false));
  const list = (field: string) => splitList(config[field]);
  const form = incydrAlertFormGroups({ states: list('states'), severities: list('severities'), actors: list('actors'), ruleNames: list('ruleNames') });
  return {
    groups: [...parsed.groups, ...form],
    groupClause: bool(config.orMode, false) ? 'OR' : parsed.groupClause,
    sinceMs: parseSince(str(config.since), now, 'since'),
    pageSize: num(config.pageSize, MAX_INCYDR_ALERT_PAGE, 'pageSize', { min: 1, max: MAX_INCYDR_ALERT_PAGE, integer: true }),
    details: bool(config.details, true),
  };
}
