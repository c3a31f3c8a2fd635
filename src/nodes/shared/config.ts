// Readers for editor config values: the editor stores most fields as strings,
// and an old flow may lack a property entirely.

export function str(value: unknown, fallback = ''): string {
  return value === undefined || value === null ? fallback : String(value).trim();
}

export function num(value: unknown, fallback: number, field: string, opts: { min?: number; max?: number; integer?: boolean } = {}): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || (opts.integer && !Number.isInteger(n))) throw new Error(`${field} must be a${opts.integer ? 'n integer' : ' number'}, got ${JSON.stringify(value)}`);
  if (opts.min !== undefined && n < opts.min) throw new Error(`${field} must be at least ${opts.min}, got ${n}`);
  if (opts.max !== undefined && n > opts.max) throw new Error(`${field} must be at most ${opts.max}, got ${n}`);
  return n;
}

export function bool(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null || value === '') return fallback;
  return value === true || value === 'true';
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T, field: string): T {
  if (value === undefined || value === null || value === '') return fallback;
  if ((allowed as readonly string[]).includes(String(value))) return String(value) as T;
  throw new Error(`${field} must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}`);
}
