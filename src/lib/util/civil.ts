// Proleptic Gregorian calendar arithmetic without Date objects, for the parsers and
// formatters on hot paths (CEF timestamps, process-tree keys): Howard Hinnant's
// days_from_civil / civil_from_days, and fixed-width digit reading.

/** Days since 1970-01-01 of a date (month 1–12). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** [year, month 1–12, day] of a day count since 1970-01-01. */
export function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** The number in the `n` ASCII digits of `s` at `at`; -1 if any of them is not a digit. */
export function fixedDigits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Seconds since the epoch of a valid `YYYY-MM-DDTHH:MM:SS` prefix of `s` (with
 * `spaceOk`, a space may stand for the `T`); NaN if there is none.
 */
export function civilSecondsAt(s: string, spaceOk: boolean): number {
  const sep = s.charCodeAt(10);
  if (s.length < 19 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || !(sep === 84 || (spaceOk && sep === 32)) || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return NaN;
  const y = fixedDigits(s, 0, 4);
  const mo = fixedDigits(s, 5, 2);
  const d = fixedDigits(s, 8, 2);
  const h = fixedDigits(s, 11, 2);
  const mi = fixedDigits(s, 14, 2);
  const sec = fixedDigits(s, 17, 2);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return NaN;
  return daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
}
