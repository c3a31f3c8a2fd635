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
  const o = url.options;
  if (url.scheme === 'https') {
    const i = url.segments.indexOf('workflows');
    return { host: url.host, port: url.port, flowId: i >= 0 ? url.segments[i + 1] ?? '' : '', signature: o.sig ?? '', pa: url.path.includes('/powerautomate/'), ver: o['api-version'] };
  }
  // Apprise's forms: /FLOW_ID/SIGNATURE, or either of them from ?workflow= (?id=) and
  // ?signature= (?sig=), the path supplying what the query leaves out.
  const rest = [...url.segments];
  const flowId = o.workflow || o.id || rest.shift() || '';
  const signature = o.signature || o.sig || rest.shift() || '';
  return { host: url.host, port: url.port, flowId, signature, pa: yesNo(o.powerautomate ?? o.pa, false), ver: o['api-version'] || o.ver };
}

/** Native invoke URLs on any host: /workflows/ID/triggers/manual/paths/invoke (optionally under /powerautomate/automations/direct). */
const INVOKE_PATH = /^(\/powerautomate\/automations\/direct)?\/workflows\/[\w-]+\/triggers\/manual\/paths\/invoke\/?$/i;

export const workflows: ServiceDef<WorkflowsConfig, HttpSpec> = {
  name: 'workflows',
  schemes: ['workflow', 'workflows', 'teams'],
  matchesNative: (url) => /\.logic\.azure\.com$/i.test(url.host) || /\.environment\.api\.powerplatform\.com$/i.test(url.host) || INVOKE_PATH.test(url.path),
  parse(url) {
    const r = read(url);
    const masked = `workflows://${r.host}${r.port !== undefined ? `:${r.port}` : ''}/${maskToken(r.flowId)}/${maskToken(r.signature)}/`;
    if (!r.host) throw new NotifyUrlError(`${masked}: the host is missing`);
    if (!r.flowId) throw new NotifyUrlError(`${masked}: the FLOW_ID is missing (workflows://HOST/FLOW_ID/SIGNATURE)`);
    if (!/^[\w-]+$/.test(r.flowId)) throw new NotifyUrlError(`${masked}: the FLOW_ID has unexpected characters`);
    if (r.signature && !/^[\w-]+$/.test(r.signature)) throw new NotifyUrlError(`${masked}: the SIGNATURE has unexpected characters`);
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
