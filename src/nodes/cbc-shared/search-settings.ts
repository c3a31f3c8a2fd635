// What both Carbon Black extractors read from their form the same way. Errors name the field.
import { parseSince } from '../../lib/code42/time';
import { MAX_QUERY_RESULTS, type TimedSearchOptions } from '../../lib/carbonblack';
import { num, str } from '../shared/config';
import type { NodeDef } from '../shared/red';
import { isCbcTenant, type CbcTenant } from '../secflow-cbc';
import type { TenantKind } from '../code42-shared/extractor-node';

export const CBC_TENANT: TenantKind<CbcTenant> = { is: isCbcTenant, type: 'secflow-cbc' };

/** First run without `since`: the API's default time range, two weeks. */
const FIRST_RUN_MS = 14 * 86_400_000;

export function readTimedOptions(config: NodeDef, defaults: { pageSize: number; lookbackMs: number }, now = Date.now()): TimedSearchOptions {
  const since = parseSince(str(config.since), now, 'since');
  return {
    sinceMs: since ?? now - FIRST_RUN_MS,
    pageSize: num(config.pageSize, defaults.pageSize, 'pageSize', { min: 1, max: MAX_QUERY_RESULTS, integer: true }),
    lookbackMs: num(config.lookback, defaults.lookbackMs / 1000, 'lookback', { min: 0, max: 86_400 }) * 1000,
  };
}
