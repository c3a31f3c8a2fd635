// Flow scaffolding for node tests: one node under test
// wired to helper nodes (one per output) and a Catch node scoped to it.
import type { FlowNode, NodeModule } from './node-harness';

export const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');

export function singleNodeFlow(type: string, props: Record<string, unknown>, outputs = 1): FlowNode[] {
  const outs = Array.from({ length: outputs }, (_, i) => `n-out${i}`);
  return [
    { id: 'n-tab', type: 'tab', label: `${type} test` },
    { id: 'n-under-test', type, z: 'n-tab', ...props, wires: outs.map((o) => [o]) },
    ...outs.map((id) => ({ id, type: 'helper', z: 'n-tab' })),
    { id: 'n-catch', type: 'catch', z: 'n-tab', scope: ['n-under-test'], uncaught: false, wires: [['n-caught']] },
    { id: 'n-caught', type: 'helper', z: 'n-tab' },
  ];
}

/** The text a Catch node gets (Node-RED reports err.toString(): "Error: " first). */
export function caughtText(msg: Record<string, unknown>): string {
  return (msg.error as { message: string }).message.replace(/^Error: /, '');
}
