// Times in the hunting functions are epoch microseconds: exact in a JS number
// for any realistic date, and fine enough for Sentinel's 100 ns timestamps
// rounded to µs. No zone in the text means UTC (as pandas' naive datetimes).

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const US = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/** Parses a time to epoch microseconds; null when it is not a time we understand. */
export function parseTime(value: unknown): number | null {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isFinite(ms) ? ms * 1000 : null;
  }
  // Numbers are epoch milliseconds, as Date.now() and Node-RED timestamps.
  if (typeof value === 'number') return Number.isFinite(value) ? Math.round(value * 1000) : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  let m = ISO.exec(text);
  if (m) {
    const [, y, mo, d, h, mi, s, frac, zone] = m;
    const base = Date.UTC(+y, +mo - 1, +d, +h, +mi, s ? +s : 0);
    if (!Number.isFinite(base)) return null;
    const micros = frac ? Math.floor(Number((frac + '000000').slice(0, 6))) : 0;
    let offsetMin = 0;
    if (zone && zone.toUpperCase() !== 'Z') {
      const sign = zone[0] === '-' ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
    }
    return (base - offsetMin * 60_000) * 1000 + micros;
  }
  m = US.exec(text);
  if (m) {
    const [, mo, d, y, h, mi, s] = m;
    const base = Date.UTC(+y, +mo - 1, +d, h ? +h : 0, mi ? +mi : 0, s ? +s : 0);
    return Number.isFinite(base) ? base * 1000 : null;
  }
  return null;
}

/** ISO-8601 UTC with milliseconds, or microseconds when the time has them. */
export function formatTime(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const iso = new Date(ms).toISOString();
  const rest = micros - ms * 1000;
  return rest === 0 ? iso : `${iso.slice(0, -1)}${String(rest).padStart(3, '0')}Z`;
}
