// What the editor sidebar receives once a second: plain data, one row per node.
import type { NodeMetrics, NodeRole } from './registry';

export interface NodeSnapshot {
  id: string;
  type: string;
  name: string;
  role: NodeRole;
  received: number;
  sent: number;
  /** Events extracted (extractor), delivered (sink) or received (others). */
  activity: number;
  failed: number;
  errors: number;
  lastError: string;
  /** Unix time in ms, 0 when never. */
  lastErrorMs: number;
  lastSuccessMs: number;
  cursorLagSeconds: number | null;
  queueDepth: number | null;
  /** Activity per minute over the last hour, oldest first; the last is the current minute. */
  perMinute: number[];
}

export function snapshot(nodes: NodeMetrics[], nowMs = Date.now()): NodeSnapshot[] {
  return nodes.map((m) => ({
    id: m.id,
    type: m.type,
    name: m.name,
    role: m.role,
    received: m.received,
    sent: m.sent,
    activity: m.activity(),
    failed: m.failed,
    errors: m.errors,
    lastError: m.lastError,
    lastErrorMs: m.lastErrorMs,
    lastSuccessMs: m.lastSuccessMs,
    cursorLagSeconds: m.role === 'extractor' ? m.cursorLagSeconds(nowMs) ?? null : null,
    queueDepth: m.role === 'sink' ? m.queueDepth() : null,
    perMinute: m.perMinute(nowMs),
  }));
}
