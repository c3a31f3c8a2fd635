// The scaffolding the Code42 extractor node tests (file events, alerts, sessions;
// v1 and incydr mode) share: one flow shape, its helper nodes, one run and the
// cursor the node stored in the `file` context store.
import { collect, helper, type FlowNode } from './node-harness';

/**
 * A tab `label` with the tenant config node and the node under test, whose outputs
 * go to the helpers `out` (items) and `sum` (summaries); a Catch scoped to the node
 * sends what it catches to `caught`.
 */
export function extractorFlow(label: string, tenant: FlowNode, node: FlowNode): FlowNode[] {
  return [
    { id: 'tab', type: 'tab', label },
    tenant,
    { ...node, z: 'tab', wires: [['out'], ['sum']] },
    { id: 'out', type: 'helper', z: 'tab' },
    { id: 'sum', type: 'helper', z: 'tab' },
    { id: 'catcher', type: 'catch', z: 'tab', scope: [node.id], uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', z: 'tab' },
  ];
}

/** The deployed extractorFlow: the node under test and what reaches `out`, `sum` and `caught`. */
export function wireExtractor(id: string) {
  return { node: helper.getNode(id), out: collect(helper.getNode('out')), sum: collect(helper.getNode('sum')), caught: collect(helper.getNode('caught')) };
}

export type WiredExtractor = ReturnType<typeof wireExtractor>;

/** Sends `msg` to the node and waits for that run's summary; returns it and the messages the run sent. */
export async function runOnce(w: WiredExtractor, msg: Record<string, unknown> = {}, timeoutMs = 60_000) {
  const before = w.out.messages.length;
  const summaries = w.sum.messages.length;
  w.node.receive(msg);
  const [summary] = (await w.sum.waitFor(summaries + 1, timeoutMs)).slice(summaries);
  return { summary, messages: w.out.messages.slice(before) };
}

/** The value the node `id` keeps under `key` in the `file` context store. */
export function storedValue<T>(id: string, key: string): Promise<T | undefined> {
  return new Promise((resolve, reject) => helper.getNode(id).context().get(key, 'file', (err: Error | null, v: unknown) => (err ? reject(err) : resolve(v as T))));
}
