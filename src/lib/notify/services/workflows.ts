// Microsoft Teams via Workflows (U): workflow[s]://host[:port]/FLOW_ID/SIGNATURE,
// a native Logic Apps invoke URL, or Shoutrrr teams://?host=<URL>. Always https.
// The body is an Adaptive Card with a heading TextBlock and a body TextBlock.
import { maskToken } from '../mask';
import { NotifyUrlError, parseUrl, yesNo, type ParsedUrl } from '../url';
import type { HttpSpec, ServiceDef } from '../types';
import { baseUrl, withQuery } from './http-common';
import { RETIRED_MESSAGE } from './msteams';

export interface WorkflowsConfig {
  origin: string;
  flowId: string;
  signature: string;
  powerAutomate: boolean;
  apiVersion: string;
  wrap: boolean;
}

function read(url: ParsedUrl): { host: string; port?: number; flowId: string; signature: string; pa: boolean; ver?: string } {
  if (url.scheme === 'teams') {
    const inner = url.options.host;
    // Connector-style teams://group@tenant/… is the retired O365 connector.
    if (!inner) throw new NotifyUrlError(RETIRED_MESSAGE);
    return read(parseUrl(inner.includes('://') ? inner : `https://${inner}`));
  }
  if (url.scheme === 'https') {
    const i = url.segments.indexOf('workflows');
    const sig = url.options.sig ?? '';
    return { host: url.host, port: url.port, flowId: i >= 0 ? url.segments[i + 1] ?? '' : '', signature: sig, pa: url.path.includes('/powerautomate/'), ver: url.options['api-version'] };
  }
  return { host: url.host, port: url.port, flowId: url.segments[0] ?? '', signature: url.segments[1] ?? url.options.signature ?? '', pa: yesNo(url.options.pa, false), ver: url.options.ver };
}

export const workflows: ServiceDef<WorkflowsConfig, HttpSpec> = {
  name: 'workflows',
  schemes: ['workflow', 'workflows', 'teams'],
  matchesNative: (url) => /\.logic\.azure\.com$/i.test(url.host) || /\.environment\.api\.powerplatform\.com$/i.test(url.host),
  parse(url) {
    const r = read(url);
    const masked = `workflows://${r.host}${r.port !== undefined ? `:${r.port}` : ''}/${maskToken(r.flowId)}/${maskToken(r.signature)}/`;
    if (!r.host) throw new NotifyUrlError(`${masked}: the host is missing`);
    if (!r.flowId) throw new NotifyUrlError(`${masked}: the FLOW_ID is missing (workflows://HOST/FLOW_ID/SIGNATURE)`);
    if (!/^[\w-]+$/.test(r.flowId)) throw new NotifyUrlError(`${masked}: the FLOW_ID has unexpected characters`);
    if (!r.signature) throw new NotifyUrlError(`${masked}: the SIGNATURE is missing (workflows://HOST/FLOW_ID/SIGNATURE)`);
    return {
      config: {
        origin: `https://${r.host}${r.port !== undefined ? `:${r.port}` : ''}`,
        flowId: r.flowId, signature: r.signature, powerAutomate: r.pa,
        apiVersion: r.ver || (r.pa ? '2022-03-01-preview' : '2016-06-01'),
        wrap: yesNo(url.options.wrap, true),
      },
      secrets: [r.signature],
      masked,
    };
  },
  nativeFormat: () => 'markdown',
  limits: () => ({ body: 1000, title: 250 }),
  rate: { capacity: 2, perMs: 1000 },
  build(config, part, ctx) {
    const body: unknown[] = [];
    if (part.title) body.push({ type: 'TextBlock', text: part.title, style: 'heading', weight: 'Bolder', size: 'Large' });
    body.push({ type: 'TextBlock', text: part.body, wrap: config.wrap });
    const path = `${config.powerAutomate ? '/powerautomate/automations/direct' : ''}/workflows/${encodeURIComponent(config.flowId)}/triggers/manual/paths/invoke`;
    const url = withQuery(baseUrl(ctx.endpoints, 'workflows', config.origin) + path, {
      'api-version': config.apiVersion, sp: '/triggers/manual/run', sv: '1.0', sig: config.signature,
    });
    const payload = {
      type: 'message',
      attachments: [{
        contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null,
        content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', body, msteams: { width: 'full' } },
      }],
    };
    return [{ method: 'POST', url, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) }];
  },
  transport: 'http',
};
