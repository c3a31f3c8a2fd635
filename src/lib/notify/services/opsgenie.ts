// Opsgenie Alert API (Apprise opsgenie://): opsgenie://[user@]APIKEY[/@user|/#team|/*schedule|/^escalation…]
// (a bare target is a user), options region=us|eu, priority=1–5 or low…emergency,
// tags=, entity=, alias=, batch=, +key=value details. Each notification creates an
// alert (POST /v2/alerts, GenieKey auth): one per responder, or all at once with batch=yes.
// Apprise's close/acknowledge/note actions need the alert ids of earlier sends: refused.
import { maskToken } from '../mask';
import { NotifyUrlError, listOption, yesNo } from '../url';
import type { HttpSpec, ServiceDef } from '../types';
import { baseUrl } from './http-common';

type Responder = { type: 'user' | 'team' | 'schedule' | 'escalation'; name?: string; username?: string; id?: string };

export interface OpsgenieConfig {
  apiKey: string;
  region: 'us' | 'eu';
  priority: number;
  responders: Responder[];
  batch: boolean;
  tags: string[];
  entity?: string;
  alias?: string;
  user?: string;
  details: Record<string, string>;
}

const PRIORITIES: Record<string, number> = { low: 1, moderate: 2, normal: 3, high: 4, emergency: 5 };
const ORIGIN = { us: 'https://api.opsgenie.com', eu: 'https://api.eu.opsgenie.com' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PREFIX: Record<string, Responder['type']> = { '@': 'user', '#': 'team', '*': 'schedule', '^': 'escalation' };

function responder(text: string): Responder {
  const type = PREFIX[text[0]];
  const name = type ? text.slice(1) : text;
  const kind = type ?? 'user';
  if (UUID.test(name)) return { type: kind, id: name };
  return kind === 'user' ? { type: kind, username: name } : { type: kind, name };
}

export const opsgenie: ServiceDef<OpsgenieConfig, HttpSpec> = {
  name: 'opsgenie',
  schemes: ['opsgenie'],
  parse(url) {
    const o = url.options;
    const apiKey = (o.apikey || url.host).trim();
    const masked = `opsgenie://${maskToken(apiKey)}/${url.segments.join('/')}`;
    if (!apiKey) throw new NotifyUrlError(`${masked}: the API key is missing (opsgenie://APIKEY)`);
    const region = (o.region ?? 'us').toLowerCase();
    if (region !== 'us' && region !== 'eu') throw new NotifyUrlError(`${masked}: region=${region} must be us or eu`);
    const action = o.action?.toLowerCase();
    if (action && !'new'.startsWith(action) && !'map'.startsWith(action)) throw new NotifyUrlError(`${masked}: action=${action} is not supported (only new alerts are created)`);
    const warnings: string[] = [];
    // :type=action mappings (Apprise) are checked as Apprise checks them; every send still creates an alert.
    for (const [k, v] of Object.entries(url.fields)) {
      if (!['info', 'success', 'warning', 'failure'].some((t) => t.startsWith(k.toLowerCase()))) throw new NotifyUrlError(`${masked}: :${k}= is not a notification type`);
      if (!['new', 'close', 'delete', 'acknowledge', 'note'].some((a) => a.startsWith(v.toLowerCase()) && v)) throw new NotifyUrlError(`${masked}: :${k}=${v} is not an Opsgenie action`);
      warnings.push(`${masked}: :${k}=${v} is ignored (every notification creates an alert)`);
    }
    let priority = 3;
    const p = o.priority?.toLowerCase().replace(/^p(?=\d)/, '');
    if (p) {
      const n = /^[1-5]$/.test(p) ? Number(p) : Object.entries(PRIORITIES).find(([name]) => name.startsWith(p))?.[1];
      if (n === undefined) warnings.push(`${masked}: priority=${p} is not 1–5 or low…emergency; normal is used`);
      priority = n ?? 3;
    }
    const targets = [...url.segments, ...listOption(o.to)].filter((t) => t.length >= 2);
    return {
      config: {
        apiKey, region, priority, responders: targets.map(responder), batch: yesNo(o.batch, false), tags: listOption(o.tags),
        ...(o.entity ? { entity: o.entity } : {}), ...(o.alias ? { alias: o.alias } : {}), ...(url.user ? { user: url.user } : {}),
        details: { ...url.headers },
      },
      secrets: [apiKey],
      masked,
      warnings,
    };
  },
  nativeFormat: () => 'text',
  limits: () => ({ body: 15000, title: 130 }),
  rate: { capacity: 2, perMs: 1000 },
  build(config, part, ctx) {
    const message = part.title || part.body;
    const payload: Record<string, unknown> = {
      source: 'secflow', message: message.length > 130 ? `${message.slice(0, 127)}...` : message, description: part.body,
      details: { type: part.type, ...config.details }, priority: `P${config.priority}`,
      ...(config.tags.length ? { tags: config.tags } : {}), ...(config.entity ? { entity: config.entity } : {}),
      ...(config.alias ? { alias: config.alias } : {}), ...(config.user ? { user: config.user } : {}),
    };
    const groups = !config.responders.length ? [[]] : config.batch ? chunk(config.responders, 50) : config.responders.map((r) => [r]);
    return groups.map((responders) => ({
      method: 'POST', url: `${baseUrl(ctx.endpoints, 'opsgenie', ORIGIN[config.region])}/v2/alerts`,
      headers: { 'Content-Type': 'application/json', Authorization: `GenieKey ${config.apiKey}` },
      body: JSON.stringify({ ...payload, ...(responders.length ? { responders } : {}) }),
    }));
  },
  transport: 'http',
};

function chunk<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}
