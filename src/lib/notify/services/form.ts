// form:// and forms:// (U): application/x-www-form-urlencoded version=1.0, title, message, type.
import type { ServiceDef, HttpSpec } from '../types';
import { formEncode } from './http-common';
import { applyFields, parseWebhook, webhookSpec, type WebhookConfig } from './webhook-common';

export const form: ServiceDef<WebhookConfig, HttpSpec> = {
  name: 'form',
  schemes: ['form', 'forms'],
  parse: (url) => parseWebhook('form', url),
  nativeFormat: (_c, input) => input,
  limits: () => ({ body: 32768, title: 250 }),
  rate: { capacity: 2, perMs: 1000 },
  build(config, part, ctx) {
    const payload = applyFields({ version: '1.0', title: part.title, message: part.body, type: part.type }, config.fields) as Record<string, string>;
    // GET has no body receivers read: as Apprise, the fields go into the query string.
    if (config.method === 'GET') {
      const spec = webhookSpec({ ...config, params: { ...payload, ...config.params } }, ctx, 'application/x-www-form-urlencoded', '');
      const { 'Content-Type': _none, ...headers } = spec.headers;
      return [{ ...spec, headers, body: undefined }];
    }
    return [webhookSpec(config, ctx, 'application/x-www-form-urlencoded', formEncode(payload))];
  },
  transport: 'http',
};
