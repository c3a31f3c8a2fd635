import type { ContextLike, CursorScope } from '../../lib/cursor';
import type { Node } from './red';

/** The node's context of the given scope, as the library's ContextLike. */
export function contextFor(node: Node, scope: CursorScope): ContextLike {
  const ctx = node.context();
  if (scope === 'flow') return ctx.flow;
  if (scope === 'global') return ctx.global;
  return ctx;
}
