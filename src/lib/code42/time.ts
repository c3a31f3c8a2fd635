// Time handling for the Code42 APIs: file events carry ms ISO times, alerts carry
// 7 fractional digits (100 ns). Alert times are kept as normalised strings so that
// no digit is lost (the reference kept 5 of 7 and skipped alerts).

const ISO_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/** Epoch ms of an ISO UTC time (fraction truncated to ms); throws naming the value if unreadable. */
export function parseIsoMs(value: string): number {
  const m = ISO_RE.exec(value);
  if (!m) throw new Error(`not an ISO-8601 UTC time: ${JSON.stringify(value)}`);
  const base = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(base)) throw new Error(`not an ISO-8601 UTC time: ${JSON.stringify(value)}`);
  const ms = m[2] ? Number(m[2].padEnd(3, '0').slice(0, 3)) : 0;
  return base + ms;
}

/** `2020-01-01T00:00:00.200Z` — the form the file-event API takes. */
export function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * An alert time normalised to exactly 7 fractional digits (`…05.2837100Z`), so that
 * string order is time order. Throws naming the value if it is not an ISO UTC time.
 */
export function toSevenDigits(value: string): string {
  const m = ISO_RE.exec(value);
  if (!m) throw new Error(`not an ISO-8601 UTC time: ${JSON.stringify(value)}`);
  return `${m[1]}.${(m[2] ?? '').padEnd(7, '0').slice(0, 7)}Z`;
}

/** A 7-digit time floored to µs (`…05.283710Z`): the precision the alert query accepts. */
export function floorToMicros(sevenDigit: string): string {
  const t = toSevenDigits(sevenDigit);
  return `${t.slice(0, 20)}${t.slice(20, 26)}Z`;
}

/** A 7-digit time of an epoch ms value. */
export function sevenDigitsOfMs(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}0000Z`;
}

/** The longest look-back a first run may start from. */
export const MAX_SINCE_MS = 90 * 24 * 3600 * 1000;

/**
 * The start time of a first run: empty = no time filter (undefined); `30d`, `24h`,
 * `15m`, `90s` relative to `now`; or an ISO-8601 date/time (UTC if no zone).
 * More than 90 days back is an error naming the field.
 */
export function parseSince(value: string, now = Date.now(), field = 'since'): number | undefined {
  const text = value.trim();
  if (text === '') return undefined;
  let ms: number;
  const rel = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(text);
  if (rel) {
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[rel[2].toLowerCase() as 's' | 'm' | 'h' | 'd' | 'w'];
    ms = now - Number(rel[1]) * unit;
  } else if (/^\d{4}-\d{2}-\d{2}/.test(text)) {
    const withZone = /[zZ]|[+-]\d{2}:?\d{2}$/.test(text.slice(10)) || text.length === 10 ? text : `${text}Z`;
    ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : withZone);
    if (Number.isNaN(ms)) throw new Error(`${field} is not a valid date: ${JSON.stringify(value)}`);
  } else {
    throw new Error(`${field} must be a duration like 24h, 7d, 15m or an ISO date; got ${JSON.stringify(value)}`);
  }
  if (now - ms > MAX_SINCE_MS) throw new Error(`${field} may go back at most 90 days; got ${JSON.stringify(value)}`);
  return Math.floor(ms);
}
