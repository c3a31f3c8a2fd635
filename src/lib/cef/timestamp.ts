// ISO-8601 UTC timestamps → CEF epoch milliseconds, without Date objects (this is
// the formatter's hot path: a file event carries up to four of them).
import { civilSecondsAt, fixedDigits } from '../util/civil';

/** Thrown for a value that is not a timestamp; the caller prefixes the field name. */
export class TimestampError extends Error {}

const V1_FORM = 'YYYY-MM-DDTHH:MM:SS(.f{1,6})Z';
const ISO_FORM = 'YYYY-MM-DDTHH:MM:SS(.f{0,9})(Z|±HH:MM)';

/** Python's `'{:.0f}'.format(x)`: the exact double rounded half-to-even. */
export function formatRoundHalfEven(x: number): string {
  const f = Math.floor(x);
  const diff = x - f; // exact: x and f are within a factor of two
  const r = diff > 0.5 ? f + 1 : diff < 0.5 ? f : f % 2 === 0 ? f : f + 1;
  return r === 0 && x < 0 ? '-0' : String(r);
}

/**
 * The reference's timestamp rule (R3 rule 6): `…SS.f{1,6}Z` or `…SSZ`, then
 * `(µs / 1e6) * 1000` in doubles, printed rounded half-to-even.
 */
export function v1TimestampToCefMs(value: unknown): string {
  if (typeof value !== 'string') throw new TimestampError(`${display(value)} is not a timestamp of the form ${V1_FORM}`);
  const secs = civilSecondsAt(value, false);
  const len = value.length;
  let micros = 0;
  let ok = !Number.isNaN(secs) && value.charCodeAt(len - 1) === 90; // Z
  if (ok && len !== 20) {
    const n = len - 21; // fraction digits between '.' and 'Z'
    ok = value.charCodeAt(19) === 46 && n >= 1 && n <= 6;
    if (ok) {
      const f = fixedDigits(value, 20, n);
      ok = f >= 0;
      micros = f * 10 ** (6 - n);
    }
  }
  if (!ok) throw new TimestampError(`${display(value)} is not a timestamp of the form ${V1_FORM}`);
  return formatRoundHalfEven(microsToSeconds(secs, micros) * 1000);
}

/**
 * Python's `timedelta.total_seconds()`: the integer µs count divided by 10**6,
 * correctly rounded. Below 2**53 µs (years 1685–2255) double division is exact
 * enough; beyond, the decimal text is parsed, which rounds correctly too.
 */
function microsToSeconds(secs: number, micros: number): number {
  const us = secs * 1e6 + micros;
  if (Math.abs(us) <= Number.MAX_SAFE_INTEGER) return us / 1e6;
  const n = BigInt(secs) * 1000000n + BigInt(micros);
  const abs = n < 0n ? -n : n;
  return Number(`${n < 0n ? '-' : ''}${abs / 1000000n}.${String(abs % 1000000n).padStart(6, '0')}`);
}

/** An ISO-8601 time as whole epoch ms plus the nanoseconds below the ms (0..999,999). */
function parseIso(value: unknown): { wholeMs: number; subMsNanos: number } {
  if (typeof value !== 'string') throw new TimestampError(`${display(value)} is not a timestamp of the form ${ISO_FORM}`);
  const secs = civilSecondsAt(value, false);
  let i = 19;
  let nanos = 0;
  let ok = !Number.isNaN(secs);
  if (ok && value.charCodeAt(i) === 46) {
    let n = 0;
    while (i + 1 + n < value.length && value.charCodeAt(i + 1 + n) >= 48 && value.charCodeAt(i + 1 + n) <= 57) n++;
    ok = n <= 9;
    if (ok) nanos = n === 0 ? 0 : fixedDigits(value, i + 1, n) * 10 ** (9 - n);
    i += 1 + n;
  }
  let offsetSecs = 0;
  if (ok) {
    const rest = value.slice(i);
    if (rest !== 'Z') {
      const m = /^([+-])(\d\d):(\d\d)$/.exec(rest);
      ok = m !== null && Number(m[2]) <= 23 && Number(m[3]) <= 59;
      if (m && ok) offsetSecs = (m[1] === '+' ? 1 : -1) * (Number(m[2]) * 3600 + Number(m[3]) * 60);
    }
  }
  if (!ok) throw new TimestampError(`${display(value)} is not a timestamp of the form ${ISO_FORM}`);
  return { wholeMs: (secs - offsetSecs) * 1000 + Math.floor(nanos / 1e6), subMsNanos: nanos % 1e6 };
}

/**
 * secflow's own timestamp rule (alerts, user mappings): ISO-8601 with 0–9
 * fraction digits and `Z` or an offset, rounded to ms half-to-even in exact decimal.
 * A number is taken as epoch ms already.
 */
export function isoTimestampToCefMs(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return formatRoundHalfEven(value);
  const { wholeMs, subMsNanos: rem } = parseIso(value);
  const up = rem > 500000 || (rem === 500000 && wholeMs % 2 !== 0);
  return String(up ? wholeMs + 1 : wholeMs);
}

/**
 * The Incydr (v2) mapping's rule (contract 3.2): ISO-8601 with 0–9 fraction
 * digits (µs and ns `event.inserted` included) truncated to epoch ms, never
 * rounded up, so a time never moves into the next millisecond.
 * A number is taken as epoch ms already (its fraction dropped).
 */
export function isoTimestampToCefMsTruncated(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(Math.floor(value));
  return String(parseIso(value).wholeMs);
}

/** A short, safe rendering of a bad value for an error message. */
export function display(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch (_err) {
    text = String(value);
  }
  return text.length > 80 ? text.slice(0, 77) + '...' : text;
}
