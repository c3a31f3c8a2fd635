import fs from 'node:fs';
import { Code42Client, IncydrClient, incydrBaseUrl } from '../lib/code42';
import { bool, num, oneOf, str } from './shared/config';
import { onClose } from './shared/input';
import type { Node, NodeAPI, NodeDef } from './shared/red';
import type { Code42Tenant } from './code42-shared/tenant';

interface Credentials {
  id?: string;
  secret?: string;
  [key: string]: string | undefined;
}

/**
 * Config node for a Code42 tenant: API flavour (`v1` legacy or `incydr`), base URL or
 * Incydr region, auth, TLS and timeout. Extractor nodes share one client (and so one
 * token) through it. A node saved before apiVersion existed has none and stays `v1`.
 * Secrets live only in credentials.
 */
export default function (RED: NodeAPI) {
  RED.nodes.registerType('secflow-code42', function (this: Node<Credentials>, config: NodeDef) {
    RED.nodes.createNode(this, config);
    const node = this as Node<Credentials> & Code42Tenant;
    let client: Code42Client | undefined;
    let incydr: IncydrClient | undefined;
    // An unknown apiVersion is reported when a node first asks for a client.
    let versionError: Error | undefined;
    try {
      node.apiVersion = oneOf(config.apiVersion, ['v1', 'incydr'] as const, 'v1', 'apiVersion');
    } catch (err) {
      versionError = err as Error;
      node.apiVersion = 'v1';
    }

    function common() {
      if (versionError) throw versionError;
      const caPath = str(config.ca);
      let ca: Buffer | undefined;
      if (caPath) {
        try {
          ca = fs.readFileSync(caPath);
        } catch (err) {
          throw new Error(`ca: cannot read the CA file ${JSON.stringify(caPath)}: ${(err as Error).message}`, { cause: err });
        }
      }
      return {
        verifyTls: bool(config.verifyTls, true),
        ca,
        timeoutMs: num(config.timeout, 60, 'timeout', { min: 1, max: 600 }) * 1000,
        // Not in the editor: tests scale the S-c retry delays down.
        retryScale: num(config.retryScale, 1, 'retryScale', { min: 0, max: 1 }),
        onRetry: (info: { attempt: number; delayMs: number; reason: string }) => node.debug(`retry ${info.attempt} in ${info.delayMs} ms: ${info.reason}`),
      };
    }

    node.client = () => {
      if (client) return client;
      if (node.apiVersion !== 'v1') throw new Error('apiVersion: this config node speaks the Incydr API; the node asked for the v1 (legacy) API');
      const url = str(config.url);
      if (!url) throw new Error('url: the secflow-code42 config node has no base URL');
      client = new Code42Client({
        url,
        credentials: {
          authType: oneOf(config.authType, ['apiClient', 'localAccount'] as const, 'apiClient', 'authType'),
          id: node.credentials?.id ?? '',
          secret: node.credentials?.secret ?? '',
        },
        ...common(),
      });
      return client;
    };

    node.incydrClient = () => {
      if (incydr) return incydr;
      if (node.apiVersion !== 'incydr') throw new Error('apiVersion: this config node speaks the v1 (legacy) API; set apiVersion to incydr');
      const url = incydrBaseUrl(str(config.region), str(config.url));
      // The Incydr API has API clients only (no local accounts).
      if (str(config.authType) === 'localAccount') throw new Error('authType: the Incydr API takes API client credentials only, not a local account');
      incydr = new IncydrClient({
        url,
        credentials: { clientId: node.credentials?.id ?? '', secret: node.credentials?.secret ?? '' },
        ...common(),
      });
      return incydr;
    };

    onClose(node, () => {
      client?.close();
      incydr?.close();
      client = undefined;
      incydr = undefined;
    });
  }, {
    credentials: {
      id: { type: 'text' },
      secret: { type: 'password' },
    },
  });
}
