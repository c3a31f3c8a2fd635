// secflow-mozdef-target: config node for one MozDef destination. It owns the
// transport connection(s) and the delivery queue (with its optional spill in the
// Node-RED user directory), so every secflow-mozdef node using it shares them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MozDefTarget, spillDirFor, TargetOptions, TRANSPORTS } from '../lib/mozdef';
import { bool, num, oneOf, str } from './shared/config';
import { onClose } from './shared/input';
import type { Node, NodeAPI, NodeDef } from './shared/red';

interface Credentials {
  amqpUrl?: string;
  awsAccessKeyId?: string;
  awsSecretAccessKey?: string;
  [key: string]: string | undefined;
}

/** What sender nodes read from the config node. */
export interface MozDefTargetNode extends Node<Credentials> {
  /** The shared target, or the configuration error that prevented it. */
  mozdef: { target?: MozDefTarget; error?: Error; insecure: boolean; transport: string };
}

/** The CA option: a path to a PEM file, or PEM text pasted in. */
function readCa(value: string): string | undefined {
  if (!value) return undefined;
  if (value.includes('-----BEGIN')) return value;
  try {
    return fs.readFileSync(value, 'utf8');
  } catch (err) {
    throw new Error(`ca: cannot read the CA file ${JSON.stringify(value)}: ${(err as Error).message}`, { cause: err });
  }
}

export function targetOptions(config: NodeDef, credentials: Credentials, spillRoot: string): TargetOptions {
  const transport = oneOf(config.transport, TRANSPORTS, 'http', 'transport');
  const url = str(config.url);
  if ((transport === 'http' || transport === 'bulk') && !url) throw new Error('url: the MozDef event endpoint URL is required for the http and bulk transports');
  return {
    url,
    transport,
    alsoSyslog: transport !== 'syslog' && bool(config.alsoSyslog, false),
    verifyTls: bool(config.verifyTls, true),
    ca: readCa(str(config.ca)),
    timeoutMs: num(config.timeout, 10, 'timeout', { min: 1, max: 600 }) * 1000,
    batchSize: num(config.batchSize, 10, 'batchSize', { min: 1, max: 100_000, integer: true }),
    flushIntervalMs: num(config.flushInterval, 1, 'flushInterval', { min: 0.01, max: 3600 }) * 1000,
    amqp: { url: credentials.amqpUrl ?? '', exchange: str(config.exchange) || 'eventtask', routingKey: str(config.routingKey) || 'eventtask' },
    syslog: {
      host: str(config.syslogHost) || '127.0.0.1',
      port: num(config.syslogPort, 514, 'syslogPort', { min: 1, max: 65535, integer: true }),
      protocol: oneOf(config.syslogProtocol, ['udp', 'tcp'] as const, 'udp', 'syslogProtocol'),
      format: oneOf(config.syslogFormat, ['rfc5424', 'rfc3164'] as const, 'rfc5424', 'syslogFormat'),
      facility: str(config.syslogFacility) || 'user',
    },
    sqs: {
      region: str(config.sqsRegion),
      queue: str(config.sqsQueue),
      account: str(config.sqsAccount) || undefined,
      endpoint: str(config.sqsEndpoint) || undefined,
      credentials: credentials.awsAccessKeyId && credentials.awsSecretAccessKey
        ? { accessKeyId: credentials.awsAccessKeyId, secretAccessKey: credentials.awsSecretAccessKey }
        : undefined,
    },
    spillDir: bool(config.spill, false) ? spillRoot : undefined,
    maxQueue: num(config.maxQueue, 1000, 'maxQueue', { min: 1, max: 10_000_000, integer: true }),
    maxQueueBytes: num(config.queueBytes, 64 * 1024 * 1024, 'queueBytes', { min: 1024, max: 64 * 1024 * 1024 * 1024, integer: true }),
    overflow: oneOf(config.overflow, ['drop-oldest', 'drop-new'] as const, 'drop-oldest', 'overflow'),
    maxSpillBytes: num(config.maxSpillMB, 100, 'maxSpillMB', { min: 1, max: 100_000 }) * 1024 * 1024,
    concurrency: config.concurrency === undefined || config.concurrency === '' ? undefined : num(config.concurrency, 8, 'concurrency', { min: 1, max: 256, integer: true }),
    // Not in the editor: tests scale the backoff down.
    backoff: { baseMs: num(config.backoffBaseMs, 500, 'backoffBaseMs', { min: 1 }), maxMs: num(config.backoffMaxMs, 60_000, 'backoffMaxMs', { min: 1 }) },
    httpRetry: config.httpRetries === undefined ? undefined : {
      retries: num(config.httpRetries, 2, 'httpRetries', { min: 0, max: 10, integer: true }),
      baseDelayMs: num(config.backoffBaseMs, 500, 'backoffBaseMs', { min: 1 }),
      maxDelayMs: num(config.backoffMaxMs, 60_000, 'backoffMaxMs', { min: 1 }),
      throttleBaseMs: num(config.backoffBaseMs, 500, 'backoffBaseMs', { min: 1 }),
    },
  };
}

export default function (RED: NodeAPI): void {
  RED.nodes.registerType('secflow-mozdef-target', function (this: Node<Credentials>, config: NodeDef) {
    RED.nodes.createNode(this, config);
    const node = this as MozDefTargetNode;
    node.mozdef = { insecure: !bool(config.verifyTls, true), transport: str(config.transport) || 'http' };
    try {
      // The id names the spill directory: spillDirFor keeps a crafted one inside userDir.
      const spillRoot = spillDirFor(path.join(RED.settings.userDir || os.tmpdir(), 'secflow-mozdef'), node.id);
      const target = new MozDefTarget(targetOptions(config, node.credentials ?? {}, spillRoot));
      // A listener-less 'error' would throw; delivery errors go to the sender nodes.
      target.on('error', () => undefined);
      const replayed = target.start();
      if (replayed > 0) node.log(`resuming ${replayed} MozDef event(s) spilled by a previous run`);
      node.mozdef.target = target;
    } catch (err) {
      node.mozdef.error = err instanceof Error ? err : new Error(String(err));
      node.error(node.mozdef.error.message);
    }
    onClose(node, async () => {
      const target = node.mozdef.target;
      node.mozdef.target = undefined;
      if (!target) return;
      const lost = await target.close();
      // Each one failed its input with done(err); at shutdown Catch nodes are already stopped, so the count is logged.
      if (lost > 0) node.warn(`${lost} MozDef event(s) still queued at close were not delivered; each failed with its own error (turn on the spill to keep them)`);
    });
  }, {
    credentials: {
      amqpUrl: { type: 'password' },
      awsAccessKeyId: { type: 'text' },
      awsSecretAccessKey: { type: 'password' },
    },
  });
}
