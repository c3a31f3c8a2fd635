import { CbcClient, RequestGate } from '../lib/carbonblack';
import { bool, num, str } from './shared/config';
import { onClose } from './shared/input';
import type { Node, NodeAPI, NodeDef } from './shared/red';

interface Credentials {
  apiId?: string;
  apiSecret?: string;
  [key: string]: string | undefined;
}

/** What exporter nodes get from the config node: one client (and so one rate gate) per tenant. */
export interface CbcTenant {
  client(overrides?: { pollMs?: number }): CbcClient;
}

/** A `secflow-cbc` config node (the Code42 tenant also has a `client()`, so the type decides). */
export function isCbcTenant(node: unknown): node is CbcTenant {
  return !!node && (node as { type?: string }).type === 'secflow-cbc' && typeof (node as CbcTenant).client === 'function';
}

/**
 * Config node for a Carbon Black Cloud tenant: host URL, org key, API id and
 * secret (credentials, sent as `X-Auth-Token: SECRET/ID`), TLS verification,
 * timeout and a request-rate limit shared by every node that uses it.
 */
export default function (RED: NodeAPI) {
  RED.nodes.registerType('secflow-cbc', function (this: Node<Credentials>, config: NodeDef) {
    RED.nodes.createNode(this, config);
    const node = this as Node<Credentials> & CbcTenant;
    const clients = new Map<number, CbcClient>();
    // One gate for the tenant: the rate limit and 429 pauses hold across every node using it.
    let gate: RequestGate | undefined;
    node.client = (overrides = {}) => {
      const pollMs = overrides.pollMs ?? 1000;
      const existing = clients.get(pollMs);
      if (existing) return existing;
      const url = str(config.url);
      // Sent as they are, even empty: the tenant decides (the demo sandbox accepts any).
      const apiId = node.credentials?.apiId ?? '';
      const apiSecret = node.credentials?.apiSecret ?? '';
      const client = new CbcClient({
        url,
        orgKey: str(config.orgKey),
        apiId,
        apiSecret,
        verifyTls: bool(config.verifyTls, true),
        timeoutMs: num(config.timeout, 60, 'timeout', { min: 1, max: 600 }) * 1000,
        gate: (gate ??= new RequestGate(num(config.rateLimit, 0, 'rateLimit', { min: 0, max: 1000 }))),
        pollMs,
        onRetry: (info) => node.debug(`retry ${info.attempt} in ${info.delayMs} ms: ${info.reason}`),
      });
      clients.set(pollMs, client);
      return client;
    };
    onClose(node, () => {
      for (const c of clients.values()) c.close();
      clients.clear();
    });
  }, {
    credentials: {
      apiId: { type: 'text' },
      apiSecret: { type: 'password' },
    },
  });
}
