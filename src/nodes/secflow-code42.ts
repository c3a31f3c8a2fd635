import fs from 'node:fs';
import { Code42Client } from '../lib/code42';
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
 * Config node for a Code42 tenant: base URL, auth (API client or local account),
 * TLS and timeout. Extractor nodes share one client (and so one token) through it.
 * Secrets live only in credentials.
 */
export default function (RED: NodeAPI) {
  RED.nodes.registerType('secflow-code42', function (this: Node<Credentials>, config: NodeDef) {
    RED.nodes.createNode(this, config);
    const node = this as Node<Credentials> & Code42Tenant;
    let client: Code42Client | undefined;
    node.apiVersion = 'v1';
    node.client = () => {
      if (client) return client;
      const url = str(config.url);
      if (!url) throw new Error('url: the secflow-code42 config node has no base URL');
      const caPath = str(config.ca);
      let ca: Buffer | undefined;
      if (caPath) {
        try {
          ca = fs.readFileSync(caPath);
        } catch (err) {
          throw new Error(`ca: cannot read the CA file ${JSON.stringify(caPath)}: ${(err as Error).message}`, { cause: err });
        }
      }
      client = new Code42Client({
        url,
        credentials: {
          authType: oneOf(config.authType, ['apiClient', 'localAccount'] as const, 'apiClient', 'authType'),
          id: node.credentials?.id ?? '',
          secret: node.credentials?.secret ?? '',
        },
        verifyTls: bool(config.verifyTls, true),
        ca,
        timeoutMs: num(config.timeout, 60, 'timeout', { min: 1, max: 600 }) * 1000,
        // Not in the editor: tests scale the S-c retry delays down.
        retryScale: num(config.retryScale, 1, 'retryScale', { min: 0, max: 1 }),
        onRetry: (info) => node.debug(`retry ${info.attempt} in ${info.delayMs} ms: ${info.reason}`),
      });
      return client;
    };
    onClose(node, () => {
      client?.close();
      client = undefined;
    });
  }, {
    credentials: {
      id: { type: 'text' },
      secret: { type: 'password' },
    },
  });
}
