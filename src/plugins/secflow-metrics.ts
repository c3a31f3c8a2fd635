// The runtime half of secflow's pipeline-health plugin: the Prometheus endpoint
// GET <httpAdminRoot>/secflow/metrics (read permission under adminAuth) and the
// once-a-second update that the editor's `secflow` sidebar tab (secflow-metrics.html)
// subscribes to over Node-RED's comms channel. The counters themselves are kept by
// the nodes (src/nodes/shared/metrics.ts) in src/lib/metrics' registry.
import { allMetrics, CONTENT_TYPE, exposition, snapshot } from '../lib/metrics';
import { adminGet } from '../nodes/shared/admin';
import type { NodeAPI } from '../nodes/shared/red';

export const COMMS_TOPIC = 'secflow/metrics';
const PUBLISH_INTERVAL_MS = 1000;

interface PluginRuntime {
  plugins?: { registerPlugin(id: string, definition: Record<string, unknown>): void };
  comms?: { publish(topic: string, data: unknown, retain: boolean): void };
}

let publisher: ReturnType<typeof setInterval> | undefined;

export default function (RED: NodeAPI): void {
  const runtime = RED as unknown as PluginRuntime;
  runtime.plugins?.registerPlugin('secflow-metrics', { type: 'secflow-metrics' });

  adminGet(RED, '/secflow/metrics', 'secflow.read', (_req, res) => {
    res.set('Content-Type', CONTENT_TYPE);
    res.send(exposition(allMetrics()));
  });
  // The sidebar's first picture, before the first comms update arrives.
  adminGet(RED, '/secflow/metrics.json', 'secflow.read', (_req, res) => {
    res.json({ now: Date.now(), nodes: snapshot(allMetrics()) });
  });

  const comms = runtime.comms;
  if (!comms || publisher) return;
  // Also closes each minute of the sparkline history (sample() needs a look a minute).
  publisher = setInterval(() => {
    const nodes = allMetrics();
    if (nodes.length === 0) return;
    comms.publish(COMMS_TOPIC, { now: Date.now(), nodes: snapshot(nodes) }, false);
  }, PUBLISH_INTERVAL_MS);
  publisher.unref();
}
