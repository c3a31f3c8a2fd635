// The registry of built-in CEF mappings. A new mapping (e.g. Incydr's
// `file-event-v2`) is one more file exporting a CefMapping, added here; an
// `auto` choice can then use `pickMapping`, which asks each mapping's `matches`.
import type { CefEvent, CefMapping } from '../mapping';
import { alertMapping } from './alert';
import { fileEventMapping } from './file-event';

export const BUILTIN_MAPPINGS: Readonly<Record<string, CefMapping>> = {
  [fileEventMapping.name]: fileEventMapping,
  [alertMapping.name]: alertMapping,
};

/** Names the node's `mapping` property accepts. */
export const MAPPING_NAMES = [...Object.keys(BUILTIN_MAPPINGS), 'custom'] as const;

/** The first mapping (in the given order) whose `matches` accepts the event. */
export function pickMapping(event: CefEvent, candidates: readonly CefMapping[]): CefMapping | undefined {
  return candidates.find((m) => m.matches(event));
}

export { alertMapping, fileEventMapping };
export { customMapping, parseCustomMapping, type CustomMappingSpec } from './custom';
