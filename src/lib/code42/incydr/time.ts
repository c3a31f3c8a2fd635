// event.inserted carries µs (and in newer fixtures ns) digits; the cursor keeps the
// ms floor. A page shares its hour, so that part is parsed once per hour.

const ISO_RE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/** Epoch ms (fraction truncated) of an ISO UTC time with 0–9 fractional digits; throws naming the value. */
export function v2TimeMs(value: string): number {
  const m = ISO_RE.exec(value);
  const base = m ? Date.parse(`${m[1]}Z`) : NaN;
  if (!m || Number.isNaN(base)) throw new Error(`not an ISO-8601 UTC time: ${JSON.stringify(value)}`);
  return base + (m[2] ? Number(m[2].padEnd(3, '0').slice(0, 3)) : 0);
}

/** v2TimeMs for a stream of times that mostly share their hour. */
export class V2TimeParser {
  private hour = '';
  private hourMs = 0;

  parse(value: string): number {
    // `YYYY-MM-DDTHH:MM:SS.fff…Z`: 24 to 30 characters with at least 3 fraction digits.
    if (this.hour !== '' && value.length >= 24 && value.length <= 30 && value.startsWith(this.hour) && value.charCodeAt(19) === 46 && value.charCodeAt(value.length - 1) === 90) {
      const mm = two(value, 14);
      const ss = two(value, 17);
      const ms = two(value, 20) * 10 + one(value, 22);
      let ok = value.charCodeAt(16) === 58 && mm >= 0 && mm < 60 && ss >= 0 && ss < 60 && ms >= 0;
      for (let i = 23; ok && i < value.length - 1; i++) ok = one(value, i) >= 0;
      if (ok) return this.hourMs + mm * 60_000 + ss * 1000 + ms;
    }
    const result = v2TimeMs(value);
    if (value.length >= 24 && value.charCodeAt(19) === 46 && value.slice(11, 13) < '24') {
      this.hour = value.slice(0, 14);
      this.hourMs = Date.parse(`${this.hour}00:00Z`);
    }
    return result;
  }
}

function one(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1000;
}

function two(s: string, i: number): number {
  return one(s, i) * 10 + one(s, i + 1);
}

/** `2020-01-01T00:00:00.200Z`: the ms ISO form the v2 filters take. */
export function isoMsOf(ms: number): string {
  return new Date(ms).toISOString();
}
