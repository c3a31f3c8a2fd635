import type { TimeRange } from './types';

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?$/;

function parseIso(value: string, field: string): number {
  if (!ISO_8601.test(value)) throw new Error(`${field} must be an ISO 8601 time such as 2024-05-01T00:00:00Z, got ${JSON.stringify(value)}`);
  const withZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(withZone);
  if (Number.isNaN(ms)) throw new Error(`${field} is not a valid date: ${JSON.stringify(value)}`);
  return ms;
}

/**
 * The search window from `start`/`end` (ISO 8601, passed to the API as given).
 * Both empty = no window (the API's default); one without the other, unreadable
 * text or an end before the start is an error naming the field.
 */
export function parseTimeRange(start: unknown, end: unknown): TimeRange | undefined {
  const s = start === undefined || start === null ? '' : start instanceof Date ? start.toISOString() : String(start).trim();
  const e = end === undefined || end === null ? '' : end instanceof Date ? end.toISOString() : String(end).trim();
  if (!s && !e) return undefined;
  if (!s) throw new Error('start is required when end is set');
  if (!e) throw new Error('end is required when start is set');
  const a = parseIso(s, 'start');
  const b = parseIso(e, 'end');
  if (b <= a) throw new Error(`end (${e}) must be after start (${s})`);
  return { start: s, end: e };
}
