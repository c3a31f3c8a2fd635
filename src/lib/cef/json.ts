// The JSON and RAW formatters (contract R4/S-f). JSON drops the top-level keys
// Python's `v or v == 0` drops; `pythonCompatible` writes json.dumps' exact bytes.
import type { CefEvent } from './mapping';
import { pyJsonDumps } from '../util/python';

/** Python truthiness, except that 0 and false (== 0) are kept: drops null, "", [] and {}. */
export function keepsJsonValue(v: unknown): boolean {
  if (v === null || v === undefined || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') {
    for (const _k in v) return true;
    return false;
  }
  return true;
}

export function dropEmpty(event: CefEvent): CefEvent {
  const out: CefEvent = {};
  for (const k of Object.keys(event)) if (keepsJsonValue(event[k])) out[k] = event[k];
  return out;
}

export function formatJson(event: CefEvent, pythonCompatible = false): string {
  const kept = dropEmpty(event);
  return pythonCompatible ? pyJsonDumps(kept) : JSON.stringify(kept);
}

export function formatRaw(event: CefEvent, pythonCompatible = false): string {
  return pythonCompatible ? pyJsonDumps(event) : JSON.stringify(event);
}
