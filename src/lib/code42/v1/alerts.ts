import { AlertSearch } from '../alert-search';
import type { Code42Client } from '../client';
import type { AlertCursor } from '../cursor';
import { onOrAfter, usesTerm } from '../filters';
import type { QueryOptions } from '../flavour';
import type { Alert } from '../types';
import { userGroups } from './query';

export const ALERT_CURSOR_TERM = 'createdAt';
export const ALERT_CURSOR_FILTER_ERROR = "DateObserved filter can't be used with AlertExtractor when a cursor checkpoint exists.";
export const MAX_ALERT_PAGE = 500;
export { MAX_DETAIL_IDS, parseObservations } from '../alert-search';

export interface AlertQueryOptions extends QueryOptions {
  /** Fetch details (observations) for every alert. */
  details: boolean;
  /** Tenant id; fetched from /api/v3/customer/my when absent. */
  tenantId?: string;
}

/**
 * Alerts over the v1 alert service (S-a): ON_OR_AFTER the cursor floored to µs,
 * ascending by CreatedAt, pgNum 0, 1, … until a short page; de-duplication by id
 * with times compared at 7 digits; optional details in batches of ≤100.
 */
export class V1Alerts extends AlertSearch<AlertQueryOptions> {
  readonly label = 'Code42 alerts (v1)';

  constructor(client: Code42Client, query: AlertQueryOptions) {
    super(client, query, MAX_ALERT_PAGE);
  }

  checkFilters(cursor: AlertCursor | undefined): void {
    if (cursor && usesTerm(this.query.groups, ALERT_CURSOR_TERM)) throw new Error(ALERT_CURSOR_FILTER_ERROR);
  }

  itemType(item: Alert): string | undefined {
    return item.type;
  }

  body(tenantId: string, cursor: AlertCursor | undefined, pgNum: number): Record<string, unknown> {
    const groups = [...userGroups(this.query)];
    const from = this.from(cursor);
    if (from !== undefined) groups.push(onOrAfter(ALERT_CURSOR_TERM, from));
    return { tenantId, groupClause: 'AND', groups, pgNum, pgSize: this.query.pageSize, srtDirection: 'asc', srtKey: 'CreatedAt' };
  }
}
