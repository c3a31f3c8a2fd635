// Syslog facility and severity codes (RFC 5424 §6.2.1), by name or number.

export const FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'ntp', 'security', 'console', 'solaris-cron', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
] as const;

export const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

// Common spellings that syslog tools accept besides the canonical names.
const FACILITY_ALIASES: Record<string, number> = { security: 4, audit: 13, clock: 15, cron2: 15 };
const SEVERITY_ALIASES: Record<string, number> = { emergency: 0, panic: 0, critical: 2, error: 3, warn: 4, informational: 6 };

function code(kind: string, value: string | number, names: readonly string[], aliases: Record<string, number>): number {
  const max = names.length - 1;
  if (typeof value === 'number' || (typeof value === 'string' && /^\s*\d+\s*$/.test(value))) {
    const n = Number(value);
    if (Number.isInteger(n) && n >= 0 && n <= max) return n;
    throw new Error(`${kind} must be 0..${max} or a name (${names[0]}..${names[max]}); got ${JSON.stringify(value)}`);
  }
  if (typeof value === 'string') {
    const key = value.trim().toLowerCase();
    const index = names.indexOf(key);
    if (index >= 0) return index;
    if (key in aliases) return aliases[key];
  }
  throw new Error(`${kind} must be 0..${max} or one of ${names.join(', ')}; got ${JSON.stringify(value)}`);
}

/** 'kern'..'local7' (or 0..23) → 0..23; throws an error naming the bad value. */
export function facilityCode(name: string | number): number {
  return code('facility', name, FACILITIES, FACILITY_ALIASES);
}

/** 'emerg'..'debug' (or 0..7) → 0..7; throws an error naming the bad value. */
export function severityCode(name: string | number): number {
  return code('severity', name, SEVERITIES, SEVERITY_ALIASES);
}
