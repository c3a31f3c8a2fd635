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

/**
 * parseIsoMs for a stream of times that mostly share their hour (a page of file
 * events, v1 insertion times or Incydr event.inserted): the `YYYY-MM-DDTHH:` part is
 * parsed once, minutes, seconds and ms of `…:MM:SS.mmm[f…]Z` (3 to 9 fraction digits)
 * by hand. Same results and errors as parseIsoMs; anything else (other fraction
 * lengths, a new hour, an out-of-range field) takes parseIsoMs.
 */
export class IsoMsParser {
  private hour = '';
  private hourMs = 0;

  parse(value: string): number {
    // `YYYY-MM-DDTHH:MM:SS.fff…Z`: 24 to 30 characters.
    if (this.hour !== '' && value.length >= 24 && value.length <= 30 && value.startsWith(this.hour) && value.charCodeAt(19) === 46 && value.charCodeAt(value.length - 1) === 90) {
      const mm = twoDigits(value, 14);
      const ss = twoDigits(value, 17);
      const frac = twoDigits(value, 20) * 10 + digit(value, 22);
      // Negative means a non-digit; 60+ is something Date.parse rejects: leave both to parseIsoMs.
      let ok = value.charCodeAt(16) === 58 && mm >= 0 && mm < 60 && ss >= 0 && ss < 60 && frac >= 0;
      for (let i = 23; ok && i < value.length - 1; i++) ok = digit(value, i) >= 0;
      if (ok) return this.hourMs + mm * 60_000 + ss * 1000 + frac;
    }
    const ms = parseIsoMs(value);
    // Hour 24 (which Date.parse takes only as 24:00:00) is never cached.
    if (value.length >= 24 && value.charCodeAt(19) === 46 && value.slice(11, 13) < '24') {
      this.hour = value.slice(0, 14);
      this.hourMs = Date.parse(`${this.hour}00:00Z`);
    }
    return ms;
  }
}

function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1000;
}

function twoDigits(s: string, i: number): number {
  return digit(s, i) * 10 + digit(s, i + 1);
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
