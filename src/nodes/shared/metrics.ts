// The one way a node takes part in secflow's pipeline metrics: `metricsFor(node)`
// registers the node's counters for as long as the node runs (a redeploy that
// leaves the node alone keeps them; a restart starts from zero) and counts what
// every node has in common: messages sent (node.send and the per-message send both
// go through node.send) and errors reported (done(err) goes through node.error).
// onInput counts messages in and their outcome. Nodes add only what is theirs
// (role, extracted pages, queue depth) with one-liners.
import { register, unregister, type NodeMetrics, type NodeRole } from '../../lib/metrics';
import type { Node, NodeMessage } from './red';

type Sendable = NodeMessage | null | Array<NodeMessage | NodeMessage[] | null>;

const entries = new WeakMap<Node, NodeMetrics>();

/** Messages in a node.send argument: a message, or per output null, a message or an array of messages. */
function countMessages(msg: Sendable): number {
  if (msg === null || msg === undefined) return 0;
  if (!Array.isArray(msg)) return 1;
  let n = 0;
  for (let i = 0; i < msg.length; i++) {
    const port = msg[i];
    if (port === null || port === undefined) continue;
    if (!Array.isArray(port)) {
      n++;
      continue;
    }
    for (let j = 0; j < port.length; j++) if (port[j] !== null && port[j] !== undefined) n++;
  }
  return n;
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : String(err);
}

/** The node's metrics (created on first call); `role` says what kind of node it is. */
export function metricsFor(node: Node, role?: NodeRole): NodeMetrics {
  let m = entries.get(node);
  if (!m) {
    const entry = register(node.id, node.type, node.name ?? '');
    m = entry;
    entries.set(node, entry);
    // Own properties over the prototype's methods: counted, then handed on unchanged.
    const send = node.send;
    node.send = function countedSend(this: Node, msg: Sendable) {
      entry.sent += countMessages(msg);
      send.call(this, msg);
    };
    const error = node.error;
    node.error = function countedError(this: Node, err: unknown, msg?: NodeMessage) {
      entry.error(messageOf(err));
      error.call(this, err, msg);
    };
    node.on('close', () => unregister(entry));
  }
  if (role) m.role = role;
  return m;
}
