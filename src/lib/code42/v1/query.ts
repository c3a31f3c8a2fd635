import { toOrQuery, type FilterGroup } from '../filters';
import type { QueryOptions } from '../flavour';

/**
 * The user's groups as they go on the wire, before the cursor group is appended as
 * the last AND group. OR mode (or a user groupClause of OR, which cannot be combined
 * with an AND-ed cursor otherwise) flattens them as R1 describes.
 */
export function userGroups(q: QueryOptions): FilterGroup[] {
  if (q.orMode || (q.groupClause === 'OR' && q.groups.length > 1)) return toOrQuery(q.groups, q.orExempt);
  return q.groups;
}
