// Times as epoch microseconds (exact in a JS number until year 2255), parsed
// from the forms the linux contract lists, and formatted without Date objects
// so that a million process keys stay cheap.
import { civilFromDays, civilSecondsAt, daysFromCivil } from '../util/civil';

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const US_RE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * Parses a time into epoch microseconds, or undefined when it is not a time.
 * Accepts ISO 8601 (with or without zone; 0–9 fraction digits),
 * `YYYY-MM-DD HH:MM:SS[.ffffff]` (trimmed), US `M/D/YYYY H:MM`, a Date, or a number
 * (taken as epoch milliseconds). No zone means UTC.
 */
export function parseTimeMicros(value: unknown): number | undefined {
  if (typeof value === 'string') {
    const fast = fastIso(value);
    if (fast !== undefined) return fast;
  } else if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? undefined : ms * 1000;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value * 1000) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  let m = ISO_RE.exec(text);
  if (m) {
    const [, y, mo, d, h, mi, s, frac, zone] = m;
    const fracMicros = frac ? Math.round(Number(frac.padEnd(9, '0')) / 1000) : 0;
    let micros = daysFromCivil(Number(y), Number(mo), Number(d)) * 86_400_000_000
      + ((Number(h) * 60 + Number(mi)) * 60 + Number(s ?? 0)) * 1_000_000 + fracMicros;
    if (zone && zone.toUpperCase() !== 'Z') {
      const sign = zone[0] === '-' ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      micros -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000_000;
    }
    return validDate(Number(mo), Number(d)) ? micros : undefined;
  }
  m = US_RE.exec(text);
  if (m) {
    const [, mo, d, y, h, mi, s] = m;
    if (!validDate(Number(mo), Number(d))) return undefined;
    return daysFromCivil(Number(y), Number(mo), Number(d)) * 86_400_000_000
      + ((Number(h ?? 0) * 60 + Number(mi ?? 0)) * 60 + Number(s ?? 0)) * 1_000_000;
  }
  return undefined;
}

/** `YYYY-MM-DDTHH:MM:SS[.f…][Z]` without a regex: the common case of big inputs. */
function fastIso(s: string): number | undefined {
  const len = s.length;
  // Out-of-range fields and other forms go to the general parser.
  const seconds = civilSecondsAt(s, true);
  if (Number.isNaN(seconds)) return undefined;
  let i = 19;
  let frac = 0;
  if (i < len && s.charCodeAt(i) === 46) {
    i++;
    let scale = 100_000;
    const start = i;
    while (i < len) {
      const dd = s.charCodeAt(i) - 48;
      if (dd < 0 || dd > 9) break;
      if (i - start < 6) frac += dd * scale;
      else if (i - start === 6 && dd >= 5) frac += 1; // round the 7th digit (ns → µs)
      scale /= 10;
      i++;
    }
    if (i === start || i - start > 9) return undefined;
  }
  if (i < len && s.charCodeAt(i) === 90) i++;
  if (i !== len) return undefined; // zones, spaces: the general parser
  return seconds * 1_000_000 + frac;
}

/** Seconds with a decimal fraction (auditd's `1551485405.594`) → epoch microseconds, exactly. */
export function parseEpochSecondsMicros(text: string): number | undefined {
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * 1_000_000 + (m[2] ? Math.round(Number(m[2].padEnd(9, '0')) / 1000) : 0);
}

function validDate(month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `YYYY-MM-DD HH:MM:SS.ffffff` (Python's `%Y-%m-%d %H:%M:%S.%f`). */
export function formatPyTimestamp(micros: number): string {
  const days = Math.floor(micros / 86_400_000_000);
  let rest = micros - days * 86_400_000_000;
  const [y, mo, d] = civilFromDays(days);
  const h = Math.floor(rest / 3_600_000_000);
  rest -= h * 3_600_000_000;
  const mi = Math.floor(rest / 60_000_000);
  rest -= mi * 60_000_000;
  const s = Math.floor(rest / 1_000_000);
  const us = rest - s * 1_000_000;
  return `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)} ${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(us, 6)}`;
}

/** pandas `dt.round("10us")`: round half to even on 10 µs steps. */
export function round10us(micros: number): number {
  const q = micros / 10;
  const floor = Math.floor(q);
  const diff = q - floor;
  let r = floor;
  if (diff > 0.5 || (diff === 0.5 && floor % 2 !== 0)) r = floor + 1;
  return r * 10;
}

/** ISO 8601 in UTC with milliseconds, or microseconds when they are not whole milliseconds. */
export function formatIsoMicros(micros: number): string {
  const py = formatPyTimestamp(micros);
  const frac = micros % 1000 === 0 ? py.slice(20, 23) : py.slice(20);
  return `${py.slice(0, 10)}T${py.slice(11, 19)}.${frac}Z`;
}

/**
 * A process row's time as the text and HTML views show it: '' when it was never
 * seen. Inferred parents (Synthetic) and rows without a time (the CB exporter's
 * tree objects) carry epoch 0 so that the builder can order them; that is no time
 * to show.
 */
export function seenTime(row: Record<string, unknown>, schema: { time_stamp: string; time_fallback?: string }): string {
  if (row.Synthetic) return '';
  const value = row[schema.time_stamp] ?? (schema.time_fallback ? row[schema.time_fallback] : undefined);
  if (value === undefined || value === null || parseTimeMicros(value) === 0) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
