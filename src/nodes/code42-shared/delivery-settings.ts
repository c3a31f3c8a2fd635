import { num, oneOf } from '../shared/config';
import type { NodeDef } from '../shared/red';

/** Confirmed delivery: which nodes prove a message arrived, how long to wait, what a failure does. */
export interface DeliverySettings {
  /** Node ids; empty = commit after send. */
  confirm: string[];
  timeoutMs: number;
  onFailure: 'stop' | 'skip';
}

export function readDeliverySettings(config: NodeDef): DeliverySettings {
  const raw = config.confirm ?? [];
  if (!Array.isArray(raw) || raw.some((id) => typeof id !== 'string' || id === '')) throw new Error(`confirm must be a list of node ids, got ${JSON.stringify(raw)}`);
  return {
    confirm: [...new Set(raw as string[])],
    timeoutMs: num(config.confirmTimeout, 300, 'confirmTimeout', { min: 1, max: 86_400 }) * 1000,
    onFailure: oneOf(config.onFailure, ['stop', 'skip'] as const, 'stop', 'onFailure'),
  };
}
