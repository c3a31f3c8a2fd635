// PagerDuty Events API v2 (Apprise pagerduty://): pagerduty://INTEGRATIONKEY@APIKEY[/SOURCE[/COMPONENT]]
// (keys also ?integrationkey= ?apikey=), options region=us|eu, severity=, group=, class=,
// click=, +key=value custom details. POSTs a trigger event to /v2/enqueue; the type
// chooses the severity (failure → critical) unless severity= is set.
import { maskToken } from '../mask';
import { NotifyUrlError } from '../url';
import type { HttpSpec, NotifyType, ServiceDef } from '../types';
import { baseUrl } from './http-common';

export interface PagerDutyConfig {
  routingKey: string;
  apiKey: string;
  region: 'us' | 'eu';
  source: string;
  component: string;
  severity?: string;
  group?: string;
  classId?: string;
  click?: string;
  details: Record<string, string>;
}

const SEVERITY: Record<NotifyType, string> = { info: 'info', success: 'info', warning: 'warning', failure: 'critical' };
const SEVERITIES = ['info', 'warning', 'critical', 'error'];
const ORIGIN = { us: 'https://events.pagerduty.com', eu: 'https://events.eu.pagerduty.com' };

export const pagerduty: ServiceDef<PagerDutyConfig, HttpSpec> = {
  name: 'pagerduty',
  schemes: ['pagerduty'],
  parse(url) {
    const o = url.options;
    const apiKey = (o.apikey || url.host).trim();
    const routingKey = (o.integrationkey || url.user || '').trim();
    const masked = `pagerduty://${maskToken(routingKey)}@${maskToken(apiKey)}/`;
    if (!apiKey) throw new NotifyUrlError(`${masked}: the API key is missing (pagerduty://INTEGRATIONKEY@APIKEY)`);
    if (!routingKey) throw new NotifyUrlError(`${masked}: the integration key is missing (pagerduty://INTEGRATIONKEY@APIKEY)`);
    const region = (o.region ?? 'us').toLowerCase();
    if (region !== 'us' && region !== 'eu') throw new NotifyUrlError(`${masked}: region=${region} must be us or eu`);
    const severityText = o.severity?.toLowerCase();
    const severity = severityText ? SEVERITIES.find((s) => s.startsWith(severityText)) : undefined;
    if (severityText && !severity) throw new NotifyUrlError(`${masked}: severity=${severityText} must be info, warning, error or critical`);
    const [source, component] = url.segments;
    for (const [name, value] of [['source', source], ['component', component]]) {
      if (value !== undefined && !value.trim()) throw new NotifyUrlError(`${masked}: the ${name} is blank`);
    }
    return {
      config: {
        routingKey, apiKey, region, source: o.source || source || 'secflow', component: o.component || component || 'Notification',
        ...(severity ? { severity } : {}), ...(o.group ? { group: o.group } : {}), ...(o.class ? { classId: o.class } : {}),
        ...(o.click ? { click: o.click } : {}), details: { ...url.headers },
      },
      secrets: [routingKey, apiKey],
      masked,
    };
  },
  nativeFormat: () => 'text',
  limits: () => ({ body: 1024, title: 250, titleInBody: true }),
  rate: { capacity: 2, perMs: 1000 },
  build(config, part, ctx) {
    const summary = part.title ? `${part.title}: ${part.body}` : part.body;
    const payload: Record<string, unknown> = {
      summary, severity: config.severity ?? SEVERITY[part.type], source: config.source, component: config.component,
      ...(config.group ? { group: config.group } : {}), ...(config.classId ? { class: config.classId } : {}),
      ...(Object.keys(config.details).length ? { custom_details: config.details } : {}),
    };
    return [{
      method: 'POST', url: `${baseUrl(ctx.endpoints, 'pagerduty', ORIGIN[config.region])}/v2/enqueue`,
      headers: { 'Content-Type': 'application/json', Authorization: `Token token=${config.apiKey}` },
      body: JSON.stringify({
        routing_key: config.routingKey, payload, client: 'secflow', event_action: 'trigger',
        ...(config.click ? { links: [{ href: config.click }] } : {}),
      }),
    }];
  },
  transport: 'http',
};
