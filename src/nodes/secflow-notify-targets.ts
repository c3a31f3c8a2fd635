// secflow-notify-targets: config node holding the notification URLs (one
// `password` credential: TEXT `tags=URL` lines or Apprise YAML) and the
// `endpoints` map. It owns the Notifier, so every secflow-notify node using it
// shares one throttle bucket and queue per target. Bad URLs are reported at
// deploy (masked); the others still work. The editor sees only masked forms.
import { Notifier, normalizeTags, parseTarget, parseTargetList, type Endpoints, type Target } from '../lib/notify';
import { str } from './shared/config';
import { onClose } from './shared/input';
import type { Node, NodeAPI, NodeDef } from './shared/red';
import { adminGet } from './shared/admin';

interface Credentials {
  urls?: string;
  [key: string]: string | undefined;
}

/** How long a stopping flow waits for notifications still being sent. */
const SHUTDOWN_GRACE_MS = 2000;

export interface NotifyTargetsNode extends Node<Credentials> {
  notify: {
    notifier: Notifier;
    /** Masked list for the editor and status. */
    targets: Array<{ target: string; service: string; tags: string[] }>;
    errors: string[];
    /** URLs refused at deploy, with their tags: a message that selects only these is told why. */
    refused: Array<{ tags: string[]; error: string }>;
    endpoints: Endpoints;
  };
}

/** `endpoints`: JSON object mapping a service name to an http(s) base URL. */
export function parseEndpoints(text: string): Endpoints {
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`endpoints must be JSON like {"discord": "http://127.0.0.1:9000/api"}: ${(err as Error).message}`, { cause: err });
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('endpoints must be a JSON object mapping a service name to a base URL');
  const out: Endpoints = {};
  for (const [service, url] of Object.entries(value as Record<string, unknown>)) {
    if (typeof url !== 'string' || !/^https?:\/\/[^\s/]+/i.test(url)) throw new Error(`endpoints.${service} must be an http(s) base URL, got ${JSON.stringify(url)}`);
    out[service.toLowerCase()] = url.replace(/\/+$/, '');
  }
  return out;
}

export default function (RED: NodeAPI): void {
  RED.nodes.registerType('secflow-notify-targets', function (this: Node<Credentials>, config: NodeDef) {
    RED.nodes.createNode(this, config);
    const node = this as NotifyTargetsNode;
    const errors: string[] = [];
    let endpoints: Endpoints = {};
    try {
      endpoints = parseEndpoints(str(config.endpoints));
    } catch (err) {
      errors.push((err as Error).message);
    }
    const list = parseTargetList(node.credentials?.urls ?? '');
    errors.push(...list.errors);
    const targets: Target[] = [];
    const refused: NotifyTargetsNode['notify']['refused'] = [];
    for (const entry of list.entries) {
      try {
        targets.push(parseTarget(entry.url, entry.tags));
      } catch (err) {
        errors.push(`${entry.where}: ${(err as Error).message}`);
        refused.push({ tags: normalizeTags(entry.tags), error: (err as Error).message });
      }
    }
    for (const e of errors) node.error(`notification targets: ${e}`);
    for (const t of targets) for (const w of t.warnings) node.warn(w);
    const notifier = new Notifier(targets, {
      endpoints,
      onSummary: (result, summary) => {
        if (!result.ok) node.warn(`"${summary.title}" summary to ${result.target} failed: ${result.error ?? 'failed'}`);
      },
    });
    node.notify = { notifier, targets: targets.map((t) => ({ target: t.masked, service: t.service, tags: t.tags })), errors, refused, endpoints };
    // A short grace lets notify nodes closing at the same time flush their aggregates.
    onClose(node, () => notifier.close(SHUTDOWN_GRACE_MS));
  }, { credentials: { urls: { type: 'password' } } });

  // The editor never receives the URLs: this shows their masked forms after a deploy.
  adminGet(RED, '/secflow-notify-targets/:id/targets', 'secflow-notify-targets.read', (req, res) => {
    const found = RED.nodes.getNode(req.params.id) as NotifyTargetsNode | null;
    if (!found?.notify) return res.status(404).json({ error: 'not deployed' });
    res.json({ targets: found.notify.targets, errors: found.notify.errors });
  });
}
