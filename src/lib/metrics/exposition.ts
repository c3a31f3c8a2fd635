// The Prometheus text exposition format (version 0.0.4), written by hand: the
// format is small, and prom-client would bring a process-wide registry and its own
// lifecycle for what is a snapshot of plain counters. Rules followed (from the
// Prometheus "Exposition formats" spec): one HELP and one TYPE line per family,
// before its samples; HELP text escapes `\` and newline; label values escape `\`,
// `"` and newline; values are Go-style floats (NaN, +Inf, -Inf).
import type { NodeMetrics } from './registry';

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricType = 'counter' | 'gauge';

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  help: string;
  type: MetricType;
  samples: Sample[];
}

export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\\' ? '\\\\' : c === '"' ? '\\"' : '\\n'));
}

export function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (c) => (c === '\\' ? '\\\\' : '\\n'));
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Families as exposition text; families without samples are left out. */
export function formatFamilies(families: Family[]): string {
  let out = '';
  for (const f of families) {
    if (!NAME.test(f.name)) throw new Error(`invalid metric name: ${f.name}`);
    if (f.samples.length === 0) continue;
    out += `# HELP ${f.name} ${escapeHelp(f.help)}\n# TYPE ${f.name} ${f.type}\n`;
    for (const s of f.samples) {
      const labels = Object.entries(s.labels).map(([k, v]) => {
        if (!LABEL.test(k) || k.startsWith('__')) throw new Error(`invalid label name: ${k}`);
        return `${k}="${escapeLabelValue(v)}"`;
      });
      out += `${f.name}${labels.length ? `{${labels.join(',')}}` : ''} ${formatValue(s.value)}\n`;
    }
  }
  return out;
}

interface Def {
  name: string;
  help: string;
  type: MetricType;
  /** The sample's value for a node, or undefined when the metric does not apply to it. */
  value(m: NodeMetrics, nowMs: number): number | undefined;
  /** Extra labels and the value per label set (for secflow_events_total's kind). */
  split?: Array<{ labels: Record<string, string>; value(m: NodeMetrics): number }>;
}

const seconds = (ms: number): number | undefined => (ms > 0 ? ms / 1000 : undefined);

const DEFS: Def[] = [
  {
    name: 'secflow_events_total', type: 'counter', help: 'Messages a secflow node received (kind="in") and sent on any output (kind="out").', value: () => undefined,
    split: [{ labels: { kind: 'in' }, value: (m) => m.received }, { labels: { kind: 'out' }, value: (m) => m.sent }],
  },
  { name: 'secflow_delivered_total', type: 'counter', help: 'Messages a sink delivered to its peer.', value: (m) => (m.role === 'sink' ? m.completed : undefined) },
  { name: 'secflow_failed_total', type: 'counter', help: 'Input messages that ended with an error (for a sink: given up).', value: (m) => m.failed },
  { name: 'secflow_errors_total', type: 'counter', help: 'Errors a node reported: per message, connection and poll errors.', value: (m) => m.errors },
  { name: 'secflow_last_success_timestamp_seconds', type: 'gauge', help: 'When a sink last delivered or an extractor last completed a run (Unix time).', value: (m) => (m.role === 'transform' ? undefined : seconds(m.lastSuccessMs)) },
  { name: 'secflow_last_error_timestamp_seconds', type: 'gauge', help: 'When the node last reported an error (Unix time).', value: (m) => seconds(m.lastErrorMs) },
  { name: 'secflow_extracted_events_total', type: 'counter', help: 'Events an extractor delivered on its output.', value: (m) => (m.role === 'extractor' ? m.extracted : undefined) },
  { name: 'secflow_extracted_pages_total', type: 'counter', help: 'Pages an extractor fetched and delivered.', value: (m) => (m.role === 'extractor' ? m.pages : undefined) },
  { name: 'secflow_runs_total', type: 'counter', help: 'Extraction runs completed without error.', value: (m) => (m.role === 'extractor' ? m.runs : undefined) },
  { name: 'secflow_last_run_duration_seconds', type: 'gauge', help: 'Duration of the last completed extraction run.', value: (m) => (m.role === 'extractor' && m.runs > 0 ? m.lastRunSeconds : undefined) },
  { name: 'secflow_cursor_timestamp_seconds', type: 'gauge', help: 'Event time of the extractor cursor (Unix time).', value: (m) => (m.role === 'extractor' ? seconds(m.cursorMs) : undefined) },
  { name: 'secflow_cursor_lag_seconds', type: 'gauge', help: 'How far the extractor cursor is behind now.', value: (m, now) => (m.role === 'extractor' ? m.cursorLagSeconds(now) : undefined) },
  { name: 'secflow_queue_depth', type: 'gauge', help: 'Messages waiting in a sink for its peer.', value: (m) => (m.role === 'sink' ? m.queueDepth() : undefined) },
  { name: 'secflow_spilled_total', type: 'counter', help: 'Messages a sink spilled to disk to keep them through an outage (MozDef: per target).', value: (m) => (m.role === 'sink' && m.spilled ? m.spilled() : undefined) },
  { name: 'secflow_sent_bytes_total', type: 'counter', help: 'Payload bytes a sink accepted for delivery.', value: (m) => (m.role === 'sink' ? m.bytes : undefined) },
];

/** The families for these nodes' metrics, with labels node (id), name and type. */
export function families(nodes: NodeMetrics[], nowMs = Date.now()): Family[] {
  return DEFS.map((def) => {
    const samples: Sample[] = [];
    for (const m of nodes) {
      const base = { node: m.id, name: m.name, type: m.type };
      if (def.split) {
        for (const s of def.split) samples.push({ labels: { ...base, ...s.labels }, value: s.value(m) });
        continue;
      }
      const value = def.value(m, nowMs);
      if (value !== undefined) samples.push({ labels: base, value });
    }
    return { name: def.name, help: def.help, type: def.type, samples };
  });
}

/** The exposition text for these nodes. */
export function exposition(nodes: NodeMetrics[], nowMs = Date.now()): string {
  return formatFamilies(families(nodes, nowMs));
}
