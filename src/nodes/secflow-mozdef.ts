// secflow-mozdef: builds a MozDef event (Event, Compliance, Vulnerability, AssetHint,
// RRA) from the form and the message, validates it with mozdef_client's rules and
// queues it on its secflow-mozdef-target. done() is called once the event is safe:
// delivered (HTTP/bulk 2xx, AMQP publisher confirm, SQS response) or, with the spill on,
// fsync'd to disk; done(err) when the target gives it up (final failure, overflow drop,
// close without spill), so each lost event reaches Catch with its own error.
// An array in msg.payload is a page: one event per element, queued together (bulk
// packs them into _bulk requests); done() once all are safe, or one done(err) listing
// the failed elements by index (msg.mozdefErrors).
// Output 1: each delivered event.
import os from 'node:os';
import { buildEvent, BuiltEvent, type MozDefTarget, describeError, EVENT_TYPES, EventType, FieldValues, MozDefError, QueueItem, TargetStats, Delivery } from '../lib/mozdef';
import { oneOf, str } from './shared/config';
import { onClose, onInput } from './shared/input';
import { metricsFor } from './shared/metrics';
import type { Node, NodeAPI, NodeDef, NodeMessage } from './shared/red';
import type { MozDefTargetNode } from './secflow-mozdef-target';

type Evaluate = (value: unknown, type: string, node: Node, msg: NodeMessage, cb: (err: Error | null, result?: unknown) => void) => void;

/** The form fields that may come from msg, flow, global, env or JSONata (typed inputs). */
const TYPED = ['summary', 'category', 'severity', 'tags', 'source', 'details'] as const;

function statusOf(stats: TargetStats, insecure: boolean): { fill: 'green' | 'yellow' | 'red'; shape: 'dot' | 'ring'; text: string } {
  const extra = [stats.dropped ? `dropped ${stats.dropped}` : '', stats.failed ? `failed ${stats.failed}` : ''].filter(Boolean).join(', ');
  const tail = extra ? `, ${extra}` : '';
  if (stats.state === 'outage') return { fill: 'red', shape: 'ring', text: `outage, queued ${stats.queued}${tail}` };
  if (stats.state === 'retrying') return { fill: 'yellow', shape: 'ring', text: `retrying, queued ${stats.queued}${tail}` };
  return { fill: insecure ? 'yellow' : 'green', shape: 'dot', text: `${insecure ? 'TLS unverified, ' : ''}sent ${stats.sent}${stats.queued ? `, queued ${stats.queued}` : ''}${tail}` };
}

type Listener = (...args: unknown[]) => void;

export default function (RED: NodeAPI): void {
  RED.nodes.registerType('secflow-mozdef', function (this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    setUp(RED, this, config);
  });
}

function setUp(RED: NodeAPI, node: Node, config: NodeDef): void {
  const evaluate: Evaluate = RED.util.evaluateNodeProperty;
  const targetNode = RED.nodes.getNode(str(config.target)) as MozDefTargetNode | null;
  let eventType: EventType = 'event';
  let configError: Error | undefined;
  try {
    eventType = oneOf(config.eventType, EVENT_TYPES, 'event', 'eventType');
  } catch (err) {
    configError = err as Error;
  }
  const host = {
    hostname: str(config.hostname) || os.hostname(),
    // Node-RED's script path, like mozdef_client's sys.argv[0].
    processname: str(config.processname) || process.argv[1] || 'node-red',
    processid: process.pid,
  };
  const statsOutput = Number(config.outputs) === 2;
  const target = targetNode?.mozdef?.target;
  const insecure = targetNode?.mozdef?.insecure ?? false;

  const evaluateField = (field: (typeof TYPED)[number], msg: NodeMessage): Promise<unknown> => {
    const type = str(config[`${field}Type`]) || (field === 'details' ? 'json' : 'str');
    const value = config[field];
    if (value === undefined || value === '') return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      evaluate(value, type, node, msg, (err, result) => {
        if (err) reject(new Error(`${field}: ${err.message}`));
        else resolve(result);
      });
    });
  };

  const listeners: Array<[string, Listener]> = [];
  const listen = <A extends unknown[]>(event: string, fn: (...args: A) => void) => {
    target?.on(event, fn as unknown as Listener);
    listeners.push([event, fn as unknown as Listener]);
  };

  if (target) {
    node.status(statusOf(target.stats(), insecure));
    listen('change', (stats: TargetStats) => {
      node.status(statusOf(stats, insecure));
      if (statsOutput) node.send([null, { topic: 'mozdef/stats', payload: stats }]);
    });
    listen('delivered', (item: QueueItem, delivery: Delivery) => {
      if (item.origin !== node.id) return;
      const msg: NodeMessage = { payload: item.doc, mozdef: { ...delivery, attempts: item.attempts } };
      if (item.msgid) msg._msgid = item.msgid;
      node.send(statsOutput ? [msg, null] : msg);
    });
    // Events awaited by an input fail through its done(err); these are events resumed from a
    // previous run's spill, whose inputs completed back then.
    listen('failed', (item: QueueItem, err: MozDefError, awaited: boolean) => {
      if (item.origin !== node.id || awaited) return;
      node.error(err, { payload: item.doc, _msgid: item.msgid, mozdef: { code: err.code, status: err.status, attempts: item.attempts } });
    });
    listen('outage', (err: MozDefError, item: QueueItem) => {
      if (item?.origin !== node.id) return;
      node.error(new MozDefError(`MozDef unreachable, events are kept and retried: ${err.message}`, err.code, { retryable: true, status: err.status }), { payload: item.doc, _msgid: item.msgid });
    });
    listen('dropped', (item: QueueItem, err: MozDefError, awaited: boolean) => {
      if (item.origin !== node.id || awaited) return;
      node.error(err, { payload: item.doc, _msgid: item.msgid });
    });
  } else {
    node.status({ fill: 'red', shape: 'ring', text: targetNode ? 'target not configured' : 'no target' });
  }

  const metrics = metricsFor(node, 'sink');
  metrics.queueDepth = () => target?.stats().queued ?? 0;
  metrics.spilled = () => target?.stats().spilled ?? 0;
  /** Builds the event of `msg` (its payload one event) and waits until the target has it safe. */
  const deliverOne = async (msg: NodeMessage, target: MozDefTarget): Promise<void> => {
    const values: FieldValues = {};
    for (const field of TYPED) values[field] = await evaluateField(field, msg);
    let built: BuiltEvent;
    try {
      built = buildEvent({
        type: eventType,
        config: values,
        msg: {
          payload: msg.payload, event: msg.event, mozdefType: msg.mozdefType,
          summary: msg.summary, category: msg.category, severity: msg.severity, tags: msg.tags,
          details: msg.details, source: msg.source, timestamp: msg.timestamp,
        },
        host,
      });
    } catch (err) {
      // The reference text alone does not say which field: name the missing ones.
      if (err instanceof MozDefError) throw new MozDefError(describeError(err), err.code, { fields: err.fields });
      throw err;
    }
    for (const warning of built.warnings) node.warn(warning);
    await target.deliver({ kind: built.type === 'vulnerability' ? 'vulnerability' : 'event', doc: built.doc, origin: node.id, msgid: msg._msgid });
  };

  onInput(node, async (msg) => {
    if (configError) throw configError;
    if (!targetNode) throw new Error('target: no secflow-mozdef-target is selected');
    if (!target) throw new Error(`target: ${targetNode.mozdef?.error?.message ?? 'the MozDef target is closed'}`);
    if (!Array.isArray(msg.payload)) return deliverOne(msg, target);
    // A page: one event per element (msg.payload = the element, the rest of msg as it is),
    // all queued at once so that the bulk transport packs them into _bulk requests.
    const page = msg.payload;
    const results = await Promise.allSettled(page.map((element) => deliverOne({ ...msg, payload: element }, target)));
    const errors: Array<{ index: number; error: string }> = [];
    results.forEach((r, index) => {
      if (r.status === 'rejected') errors.push({ index, error: (r.reason instanceof Error ? r.reason.message : String(r.reason)).replace(/^msg\.payload\b/, `msg.payload[${index}]`) });
    });
    if (errors.length === 0) return;
    msg.mozdefErrors = errors;
    const listed = errors.slice(0, 5).map((e) => `[${e.index}] ${e.error}`).join('; ');
    throw new Error(`${errors.length} of ${page.length} events not delivered: ${listed}${errors.length > 5 ? `; and ${errors.length - 5} more (msg.mozdefErrors)` : ''}`);
  });

  onClose(node, () => {
    for (const [event, fn] of listeners) target?.off(event, fn);
  });
}
