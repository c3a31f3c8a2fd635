// json:// and jsons:// (U): {"version":"1.0","title","message","attachments":[],"type"}.
import type { ServiceDef, HttpSpec } from '../types';
import { applyFields, parseWebhook, webhookSpec, type WebhookConfig } from './webhook-common';

export const json: ServiceDef<WebhookConfig, HttpSpec> = {
  name: 'json',
  schemes: ['json', 'jsons'],
  parse: (url) => parseWebhook('json', url),
  nativeFormat: (_c, input) => input,
  limits: () => ({ body: 32768, title: 250 }),
  rate: { capacity: 2, perMs: 1000 },
  build(config, part, ctx) {
    const payload = applyFields({ version: '1.0', title: part.title, message: part.body, attachments: [], type: part.type }, config.fields);
    return [webhookSpec(config, ctx, 'application/json', JSON.stringify(payload))];
  },
  transport: 'http',
};
