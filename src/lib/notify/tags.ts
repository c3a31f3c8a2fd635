// Tag selection (S4, Apprise semantics): one string is one expression whose
// comma-separated tags must all match (AND); an array is an OR of expressions.
// No tag selects untagged targets; `all` matches everything; targets tagged
// `always` join every selection. Case-insensitive and trimmed.

export type TagSelector = string | string[] | undefined;

function expressions(selector: TagSelector): string[][] {
  const list = Array.isArray(selector) ? selector : selector === undefined ? [] : [selector];
  return list
    .map((expr) => String(expr).split(',').map((t) => t.trim().toLowerCase()).filter(Boolean))
    .filter((expr) => expr.length > 0);
}

export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.trim().toLowerCase()).filter(Boolean))];
}

export function matchesTags(targetTags: readonly string[], selector: TagSelector): boolean {
  const tags = targetTags.map((t) => t.toLowerCase());
  if (tags.includes('always')) return true;
  const exprs = expressions(selector);
  if (exprs.length === 0) return tags.length === 0;
  return exprs.some((expr) => expr.includes('all') || expr.every((t) => tags.includes(t)));
}

export function selectByTags<T extends { tags: readonly string[] }>(targets: readonly T[], selector: TagSelector): T[] {
  return targets.filter((t) => matchesTags(t.tags, selector));
}
