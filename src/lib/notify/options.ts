// Apprise's generic URL options (R1/S6), shared by every service.
import { NotifyUrlError, type ParsedUrl, yesNo } from './url';
import { NOTIFY_FORMATS, type CommonOptions, type NotifyFormat, type Overflow } from './types';

function bounded(url: ParsedUrl, key: string, fallback: number, min: number, max: number): number {
  const raw = url.options[key];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max) throw new NotifyUrlError(`option ${key}=${raw} must be a number from ${min} to ${max}`);
  return n;
}

/** The generic options, and warnings for values ignored as Apprise ignores them. */
export function commonOptions(url: ParsedUrl): CommonOptions & { warnings: string[] } {
  const warnings: string[] = [];
  let format: string | undefined = url.options.format?.toLowerCase();
  if (format !== undefined && format !== '' && !(NOTIFY_FORMATS as readonly string[]).includes(format)) {
    // Apprise keeps the service's default format for an unknown one.
    warnings.push(`option format=${format} is not text, markdown or html; the service's default is used`);
    format = undefined;
  }
  const overflow = (url.options.overflow ?? 'split').toLowerCase();
  if (!['upstream', 'truncate', 'split'].includes(overflow)) throw new NotifyUrlError(`option overflow=${overflow} must be upstream, truncate or split`);
  return {
    format: format ? (format as NotifyFormat) : undefined,
    overflow: overflow as Overflow,
    retry: bounded(url, 'retry', 2, 0, 10),
    waitMs: bounded(url, 'wait', 1, 0, 20) * 1000,
    verify: yesNo(url.options.verify, true),
    connectTimeoutMs: bounded(url, 'cto', 4, 0.1, 300) * 1000,
    readTimeoutMs: bounded(url, 'rto', 10, 0.1, 300) * 1000,
    warnings,
  };
}
