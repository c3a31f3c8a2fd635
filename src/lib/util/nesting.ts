// How deeply a value nests objects and arrays, measured without recursion. A
// payload built by JSON.parse can be 100,000 levels deep; JSON.stringify,
// structuredClone and Node-RED's cloneMessage recurse and overflow the stack
// between about 2,000 and 4,000 levels, so secflow refuses (or does not copy)
// anything deeper than MAX_NESTING before any of them sees it.

export const MAX_NESTING = 1000;

/** Objects the quick walk visits before it leaves the answer to the exact one. */
const QUICK_BUDGET = 4096;

/** True when `value` has objects or arrays nested more than `limit` levels deep (stops as soon as it knows). */
export function nestedDeeperThan(value: unknown, limit = MAX_NESTING): boolean {
  if (value === null || typeof value !== 'object') return false;
  // Most payloads are small trees: a walk that allocates nothing answers "no" for them
  // (it runs per event on the hot path of secflow-cef). Anything else (over budget, or
  // apparently too deep, which a cycle also looks like) gets the exact walk below.
  quickLeft = QUICK_BUDGET;
  if (quickDeeper(value, 1, limit) === false) return false;
  return exactDeeper(value, limit);
}

/** Objects the running quick walk may still visit (a counter, not an object per call: this runs per event). */
let quickLeft = 0;

/** false: surely not deeper than `limit`; undefined: don't know (too deep, a cycle, or over budget). */
function quickDeeper(value: object, depth: number, limit: number): false | undefined {
  if (depth > limit || --quickLeft < 0) return undefined;
  // Buffers are Uint8Arrays: one check covers both.
  if (ArrayBuffer.isView(value)) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      if (child !== null && typeof child === 'object' && quickDeeper(child, depth + 1, limit) === undefined) return undefined;
    }
    return false;
  }
  for (const key in value) {
    const child: unknown = (value as Record<string, unknown>)[key];
    if (child !== null && typeof child === 'object' && quickDeeper(child, depth + 1, limit) === undefined) return undefined;
  }
  return false;
}

function exactDeeper(value: object, limit: number): boolean {
  const seen = new WeakSet<object>();
  const stack: Array<{ value: object; depth: number }> = [{ value, depth: 1 }];
  while (stack.length) {
    const { value: current, depth } = stack.pop()!;
    if (depth > limit) return true;
    if (seen.has(current) || Buffer.isBuffer(current) || ArrayBuffer.isView(current)) continue;
    seen.add(current);
    for (const child of Array.isArray(current) ? current : Object.values(current)) {
      if (child !== null && typeof child === 'object') stack.push({ value: child, depth: depth + 1 });
    }
  }
  return false;
}

/** Throws an error naming `field` when `value` nests more than `limit` levels deep. */
export function assertNesting(value: unknown, field: string, limit = MAX_NESTING): void {
  if (nestedDeeperThan(value, limit)) throw new Error(`${field} is nested more than ${limit} levels deep; secflow refuses such input (see "Limits" in the README)`);
}
