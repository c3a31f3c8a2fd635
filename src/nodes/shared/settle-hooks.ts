import { SettleTracker } from '../../lib/delivery';
import type { Node, NodeAPI, NodeMessage } from './red';

/** The message property that carries a settle tag; copies of the message keep it. */
export const SETTLE_TAG = '_secflowSettle';

interface SendEvent { msg: NodeMessage; source?: { id: string }; destination: { id: string; node?: { _expectedDoneCount?: number } } }
interface CompleteEvent { msg: NodeMessage; node: { id: string }; error?: unknown }

let instances = 0;

/**
 * A SettleTracker fed by the runtime's message hooks: `preDeliver` counts each
 * delivery of a tagged message (copies included) and `onComplete` each completion,
 * exactly what the core Complete node observes. `remove()` takes the hooks off.
 *
 * A node whose input handler takes no `done` (the core switch and filter nodes)
 * never reports a completion: the runtime gives it no way to. The tracker infers
 * it from the order such a node handles messages in (SettleTracker.sentBy).
 */
export function settleHooks(RED: NodeAPI, node: Node, confirm: string[]): { tracker: SettleTracker; remove(): void } {
  const hooks = RED.hooks;
  if (!hooks) throw new Error('confirm: this Node-RED has no message hooks (Node-RED 2 or later is needed)');
  const label = `secflowSettle${++instances}`;
  const tracker = new SettleTracker(new Set(confirm), `${node.id}/${instances}#`);
  hooks.add(`preDeliver.${label}`, (event: SendEvent) => {
    const tag = event.msg?.[SETTLE_TAG];
    if (tag === undefined) return;
    // Node-RED counts the input handlers that take `done`; none means no completion will come.
    if (event.destination.node?._expectedDoneCount === 0) tracker.deliveringToSilent(tag, event.destination.id);
    else tracker.delivering(tag, event.destination.id);
  });
  hooks.add(`postDeliver.${label}`, (event: SendEvent) => {
    const tag = event.msg?.[SETTLE_TAG];
    if (tag !== undefined && event.source) tracker.sentBy(tag, event.source.id);
  });
  hooks.add(`onComplete.${label}`, (event: CompleteEvent) => {
    const tag = event.msg?.[SETTLE_TAG];
    if (tag !== undefined) tracker.completed(tag, event.node.id, event.error);
  });

  return {
    tracker,
    remove() {
      hooks.remove(`*.${label}`);
      tracker.clear();
    },
  };
}
