// How deeply a value nests objects and arrays, measured without recursion. A
// payload built by JSON.parse can be 100,000 levels deep; JSON.stringify,
// structuredClone and Node-RED's cloneMessage recurse and overflow the stack
// between about 2,000 and 4,000 levels, so secflow refuses (or does not copy)
// anything deeper than MAX_NESTING before any of them sees it.

export const MAX_NESTING = 1000;

/** True when `value` has objects or arrays nested more than `limit` levels deep (stops as soon as it knows). */
export function nestedDeeperThan(value: unknown, limit = MAX_NESTING): boolean {
  if (value === null || typeof value !== 'object') return false;
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
