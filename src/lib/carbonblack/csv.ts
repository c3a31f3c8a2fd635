// Per-process CSV with the reference's columns and Python csv.writer's bytes:
// CRLF after every row, quotes only where needed (a lone CR or LF too).
import { stringify } from 'csv-stringify/sync';
import { pyJsonDumps } from '../util/python';
import { renderSummary, SummaryConfig, SummaryOptions } from './summary';

export const CSV_COLUMNS = ['event_timestamp', 'event_type', 'event_description', 'summary', 'details'] as const;

export function eventsToCsv(events: ReadonlyArray<Record<string, unknown>>, config: SummaryConfig, options: SummaryOptions): string {
  const rows = events.map((e) => [
    text(e.event_timestamp),
    text(e.event_type),
    text(e.event_description),
    renderSummary(e, config, options),
    pyJsonDumps(e),
  ]);
  return stringify([[...CSV_COLUMNS], ...rows], { record_delimiter: '\r\n', quoted_match: /[\r\n]/, eof: true });
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : String(value);
}
