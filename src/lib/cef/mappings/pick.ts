// Choosing a mapping by an event's shape (each mapping's `matches`).
import type { CefEvent, CefMapping } from '../mapping';

/** The first mapping (in the given order) whose `matches` accepts the event. */
export function pickMapping(event: CefEvent, candidates: readonly CefMapping[]): CefMapping | undefined {
  return candidates.find((m) => m.matches(event));
}
