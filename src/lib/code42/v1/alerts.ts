import type { Code42Client } from '../client';
import { advanceAlertCursor, reviveAlertCursor, type AlertCursor } from '../cursor';
import { onOrAfter, usesTerm } from '../filters';
import type { Page, PagesOptions, QueryOptions, SearchFlavour } from '../flavour';
import { floorToMicros, sevenDigitsOfMs, toSevenDigits } from '../time';
import { describeProblems, type Alert, type Observation } from '../types';
import { userGroups } from './query';

export const ALERT_CURSOR_TERM = 'createdAt';
export const ALERT_CURSOR_FILTER_ERROR = "DateObserved filter can't be used with AlertExtractor when a cursor checkpoint exists.";
export const MAX_ALERT_PAGE = 500;
export const MAX_DETAIL_IDS = 100;

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
export class V1Alerts implements SearchFlavour<Alert, AlertCursor> {
  readonly label = 'Code42 alerts (v1)';

  constructor(private readonly client: Code42Client, private readonly query: AlertQueryOptions) {
    if (!Number.isInteger(query.pageSize) || query.pageSize < 1 || query.pageSize > MAX_ALERT_PAGE) {
      throw new Error(`pageSize must be an integer from 1 to ${MAX_ALERT_PAGE} for alerts, got ${query.pageSize}`);
    }
  }

  reviveCursor(raw: unknown): AlertCursor | undefined {
    return reviveAlertCursor(raw);
  }

  checkFilters(cursor: AlertCursor | undefined): void {
    if (cursor && usesTerm(this.query.groups, ALERT_CURSOR_TERM)) throw new Error(ALERT_CURSOR_FILTER_ERROR);
  }

  cursorTime(cursor: AlertCursor | undefined): string | undefined {
    return cursor?.createdAt;
  }

  itemType(item: Alert): string | undefined {
    return item.type;
  }

  body(tenantId: string, cursor: AlertCursor | undefined, pgNum: number): Record<string, unknown> {
    const groups = [...userGroups(this.query)];
    const from = cursor ? floorToMicros(cursor.createdAt) : this.query.sinceMs !== undefined ? floorToMicros(sevenDigitsOfMs(this.query.sinceMs)) : undefined;
    if (from !== undefined) groups.push(onOrAfter(ALERT_CURSOR_TERM, from));
    return { tenantId, groupClause: 'AND', groups, pgNum, pgSize: this.query.pageSize, srtDirection: 'asc', srtKey: 'CreatedAt' };
  }

  async *pages(options: PagesOptions<AlertCursor>): AsyncGenerator<Page<Alert, AlertCursor>> {
    const tenantId = this.query.tenantId || await this.client.tenantId(options.signal);
    const start = options.cursor;
    let cursor = start;
    for (let pgNum = 0; ; pgNum++) {
      const reply = await this.client.queryAlerts(this.body(tenantId, start, pgNum), options.signal);
      if (reply.problems && reply.problems.length > 0) throw new Error(`${this.label}: the query reported problems: ${describeProblems(reply.problems)}`);
      if (reply.alerts !== null && reply.alerts !== undefined && !Array.isArray(reply.alerts)) throw new Error(`${this.label}: alerts is not an array`);
      const alerts = reply.alerts ?? [];
      if (alerts.length === 0) return;
      const known = new Set(cursor ? cursor.ids : []);
      const seen: Array<{ id: string; createdAt: string }> = [];
      let items: Alert[] = [];
      for (let i = 0; i < alerts.length; i++) {
        const a = alerts[i];
        if (!a || typeof a.id !== 'string' || typeof a.createdAt !== 'string') throw new Error(`${this.label}: alert ${i} of page ${pgNum + 1} has no id or createdAt`);
        const createdAt = toSevenDigits(a.createdAt);
        seen.push({ id: a.id, createdAt });
        // Skip what the cursor covers: known ids, and anything before it at 7 digits.
        if (known.has(a.id) || (start && createdAt < start.createdAt)) continue;
        known.add(a.id);
        items.push(a);
      }
      if (this.query.details && items.length > 0) items = await this.withDetails(tenantId, items, options);
      const next = advanceAlertCursor(cursor, seen)!;
      const changed = next !== cursor;
      cursor = next;
      yield { items, cursor, cursorChanged: changed, info: { page: pgNum + 1, received: alerts.length, skipped: alerts.length - items.length, totalCount: reply.totalCount ?? undefined } };
      if (alerts.length < this.query.pageSize) return;
    }
  }

  /** Replaces each alert with its details (batches of ≤100, matched by id), observations parsed. */
  private async withDetails(tenantId: string, alerts: Alert[], options: PagesOptions<AlertCursor>): Promise<Alert[]> {
    const byId = new Map<string, Alert>();
    for (let i = 0; i < alerts.length; i += MAX_DETAIL_IDS) {
      const batch = alerts.slice(i, i + MAX_DETAIL_IDS).map((a) => a.id);
      const reply = await this.client.alertDetails(tenantId, batch, options.signal);
      for (const d of reply.alerts ?? []) if (d && typeof d.id === 'string') byId.set(d.id, d);
    }
    return alerts.map((a) => {
      const d = byId.get(a.id);
      if (!d) {
        options.warn?.(`${this.label}: no details returned for alert ${a.id}; sending the alert without them`);
        return a;
      }
      return { ...a, ...d, observations: parseObservations(d.observations, a.id, options.warn) };
    });
  }
}

/** Parses each observation's `data` JSON string; an unparsable one stays a string, with a warning. */
export function parseObservations(observations: Alert['observations'], alertId: string, warn?: (m: string) => void): Alert['observations'] {
  if (!Array.isArray(observations)) return observations;
  return observations.map((o: Observation) => {
    if (!o || typeof o.data !== 'string') return o;
    try {
      return { ...o, data: JSON.parse(o.data) as unknown };
    } catch {
      warn?.(`alert ${alertId}: observation ${o.id ?? '?'} has data that is not valid JSON; kept as a string`);
      return o;
    }
  });
}
