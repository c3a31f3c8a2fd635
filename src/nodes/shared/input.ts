import type { NodeMetrics } from '../../lib/metrics';
import { metricsFor } from './metrics';
import type { DoneFn, Node, NodeMessage, SendFn } from './red';

/**
 * Registers an async input handler. It resolves → done(); it throws → done(err),
 * so a Catch node sees the error with the message. The returned promise never
 * rejects: a rejected handler would take Node-RED 4 down. Counts each message in,
 * and its outcome, in the node's metrics.
 */
export function onInput(node: Node, handler: (msg: NodeMessage, send: SendFn) => Promise<void> | void): void {
  const metrics = metricsFor(node);
  node.on('input', (msg: NodeMessage, send: SendFn, done: DoneFn) => {
    metrics.received++;
    let result: Promise<void> | void;
    try {
      result = handler(msg, send);
    } catch (err) {
      metrics.failed++;
      done(asError(err));
      return;
    }
    // A synchronous handler (secflow-cef's) completes at once: no promise and no
    // closure per message, as this path runs once per event.
    if (result === undefined) {
      succeeded(metrics, done);
      return;
    }
    result.then(() => succeeded(metrics, done), (err: unknown) => {
      metrics.failed++;
      done(asError(err));
    });
  });
}

/** A message's handler finished: counted, then done(). */
function succeeded(metrics: NodeMetrics, done: DoneFn): void {
  metrics.completed++;
  // Only a sink's success has a time worth a clock read per message.
  if (metrics.role === 'sink') metrics.lastSuccessMs = Date.now();
  done();
}

/** Registers a close handler that may be async; `done` is always called, errors are logged. */
export function onClose(node: Node, handler: (removed: boolean) => Promise<void> | void): void {
  node.on('close', (removed: boolean, done: () => void) => {
    Promise.resolve()
      .then(() => handler(removed))
      .catch((err: unknown) => node.warn(`close: ${asError(err).message}`))
      .finally(() => {
        node.status({});
        done();
      });
  });
}

export function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
