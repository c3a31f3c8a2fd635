// The alert search both flavours run the same way (S-a): v1's alert service and
// Incydr's /v1/alerts differ in their paths, terms and query body, not in how pages
// are read, de-duplicated against the cursor and completed with details.
import { advanceAlertCursor, reviveAlertCursor, type AlertCursor } from './cursor';
import type { Page, PagesOptions, SearchFlavour } from './flavour';
import { floorToMicros, sevenDigitsOfMs, toSevenDigits } from './time';
import { describeProblems, type Alert, type AlertDetailsPage, type AlertPage, type Observation } from './types';

export const MAX_DETAIL_IDS = 100;

/** What an alert search needs of its API client. */
export interface AlertApi {
  tenantId(signal?: AbortSignal): Promise<string>;
  queryAlerts(body: unknown, signal?: AbortSignal): Promise<AlertPage>;
  alertDetails(tenantId: string, alertIds: string[], signal?: AbortSignal): Promise<AlertDetailsPage>;
}

export interface AlertSearchOptions {
  pageSize: number;
  /** Fetch details (observations) for every alert. */
  details: boolean;
  /** Tenant id; asked of the API when absent. */
  tenantId?: string;
  /** Start of a first run (epoch ms); undefined = no time filter. */
  sinceMs?: number;
}

/**
 * Alerts ON_OR_AFTER the cursor, ascending by creation time, pgNum 0, 1, … until a
 * short page; de-duplication by id with times compared at 7 digits; optional
 * details in batches of ≤100. A flavour supplies the query body and its filter rules.
 */
export abstract class AlertSearch<Q extends AlertSearchOptions> implements SearchFlavour<Alert, AlertCursor> {
  abstract readonly label: string;

  constructor(protected readonly client: AlertApi, protected readonly query: Q, maxPageSize: number) {
    if (!Number.isInteger(query.pageSize) || query.pageSize < 1 || query.pageSize > maxPageSize) {
      throw new Error(`pageSize must be an integer from 1 to ${maxPageSize} for alerts, got ${query.pageSize}`);
    }
  }

  abstract checkFilters(cursor: AlertCursor | undefined): void;
  abstract itemType(item: Alert): string | undefined;
  /** The query of page `pgNum` of a run that started at `cursor`. */
  abstract body(tenantId: string, cursor: AlertCursor | undefined, pgNum: number): Record<string, unknown>;

  reviveCursor(raw: unknown): AlertCursor | undefined {
    return reviveAlertCursor(raw);
  }

  cursorTime(cursor: AlertCursor | undefined): string | undefined {
    return cursor?.createdAt;
  }

  /** The ON_OR_AFTER bound of a query: the cursor, else `sinceMs`, floored to µs (the precision the alert query accepts). */
  protected from(cursor: AlertCursor | undefined): string | undefined {
    return cursor ? floorToMicros(cursor.createdAt) : this.query.sinceMs !== undefined ? floorToMicros(sevenDigitsOfMs(this.query.sinceMs)) : undefined;
  }

  async *pages(options: PagesOptions<AlertCursor>): AsyncGenerator<Page<Alert, AlertCursor>> {
    const tenantId = this.query.tenantId || await this.client.tenantId(options.signal);
    const start = options.cursor;
    let cursor = start;
    for (let pgNum = 0; ; pgNum++) {
      // The page is never a local of this generator: its locals live across awaits, and
      // nothing of this page may stay referenced while the next one is fetched and parsed.
      let page: Page<Alert, AlertCursor> | undefined = await this.page(tenantId, start, cursor, pgNum, options);
      if (page === undefined) return;
      cursor = page.cursor;
      const received = page.info.received;
      yield page;
      // eslint-disable-next-line no-useless-assignment -- releases the page for GC
      page = undefined;
      if (received < this.query.pageSize) return;
    }
  }

  /** Page `pgNum` of the query from `start`: new alerts (with details if asked) and the advanced cursor; undefined when empty. */
  private async page(tenantId: string, start: AlertCursor | undefined, cursor: AlertCursor | undefined, pgNum: number, options: PagesOptions<AlertCursor>): Promise<Page<Alert, AlertCursor> | undefined> {
    const reply = await this.client.queryAlerts(this.body(tenantId, start, pgNum), options.signal);
    if (reply.problems && reply.problems.length > 0) throw new Error(`${this.label}: the query reported problems: ${describeProblems(reply.problems)}`);
    if (reply.alerts !== null && reply.alerts !== undefined && !Array.isArray(reply.alerts)) throw new Error(`${this.label}: alerts is not an array`);
    const alerts = reply.alerts ?? [];
    if (alerts.length === 0) return undefined;
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
    return { items, cursor: next, cursorChanged: next !== cursor, info: { page: pgNum + 1, received: alerts.length, skipped: alerts.length - items.length, totalCount: reply.totalCount ?? undefined } };
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
