// Severities as mozdef_client defines them (contract R3/S1). Facilities by name are
// the syslog library's (transports/syslog.ts).

export const SEVERITIES = ['DEBUG', 'INFO', 'NOTICE', 'WARNING', 'ERROR', 'CRITICAL', 'ALERT', 'EMERGENCY'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Syslog level of each severity (DEBUG 7 … EMERGENCY 0). */
export const SYSLOG_LEVEL: Record<Severity, number> = {
  DEBUG: 7, INFO: 6, NOTICE: 5, WARNING: 4, ERROR: 3, CRITICAL: 2, ALERT: 1, EMERGENCY: 0,
};

/**
 * A severity from a name (any case) or an integer 0-7. Anything else is INFO, and
 * `valid` is false so the caller can warn (the reference silently used INFO).
 */
export function parseSeverity(value: unknown): { severity: Severity; valid: boolean } {
  if (value === undefined || value === null || value === '') return { severity: 'INFO', valid: true };
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value.trim()))) {
    const n = Number(value);
    if (Number.isInteger(n) && n >= 0 && n <= 7) return { severity: SEVERITIES[n], valid: true };
    return { severity: 'INFO', valid: false };
  }
  if (typeof value === 'string') {
    const upper = value.trim().toUpperCase();
    if ((SEVERITIES as readonly string[]).includes(upper)) return { severity: upper as Severity, valid: true };
  }
  return { severity: 'INFO', valid: false };
}
