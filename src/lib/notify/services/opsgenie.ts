// Opsgenie Alert API (Apprise opsgenie://): opsgenie://[user@]APIKEY[/@user|/#team|/*schedule|/^escalation…]
// (a bare target is a user), options region=us|eu, priority=1–5 or low…emergency,
// tags=, entity=, alias=, batch=, +key=value details. Each notification creates an
// alert (POST /v2/alerts, GenieKey auth): one per responder, or all at once with batch=yes.
// action= (Apprise; default map: info → note, success → close, warning/failure → new,
// overridden per type with :type=action) also closes, acknowledges, deletes or adds a note.
// Apprise finds earlier alerts through request ids it stores; here every alert carries an
// alias (alias=, else one derived from entity or title, as Apprise's key is) and the
// actions address it with identifierType=alias, so nothing has to be remembered.
import { createHash } from 'node:crypto';
import { maskToken } from '../mask';
import { NotifyUrlError, listOption, yesNo } from '../url';
import type { HttpSpec, NotifyType, ServiceDef } from '../types';
import { baseUrl } from './http-common';

type Action = 'new' | 'close' | 'delete' | 'acknowledge' | 'note';
const ACTIONS: Action[] = ['new', 'close', 'delete', 'acknowledge', 'note'];
const DEFAULT_MAP: Record<NotifyType, Action> = { info: 'note', success: 'close', warning: 'new', failure: 'new' };

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
  /** The action per notification type (action=map) or one action for all. */
  actions: Record<NotifyType, Action>;
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
    const actionText = o.action?.toLowerCase();
    const action = actionText ? (['map', ...ACTIONS] as const).find((a) => a.startsWith(actionText)) : 'map';
    if (!action) throw new NotifyUrlError(`${masked}: action=${actionText} must be map, new, close, delete, acknowledge or note`);
    const warnings: string[] = [];
    const mapping = { ...DEFAULT_MAP };
    for (const [k, v] of Object.entries(url.fields)) {
      const type = (['info', 'success', 'warning', 'failure'] as NotifyType[]).find((t) => t.startsWith(k.toLowerCase()));
      const mapped = v ? ACTIONS.find((a) => a.startsWith(v.toLowerCase())) : undefined;
      if (!type) throw new NotifyUrlError(`${masked}: :${k}= is not a notification type`);
      if (!mapped) throw new NotifyUrlError(`${masked}: :${k}=${v} is not an Opsgenie action`);
      mapping[type] = mapped;
    }
    const actions = action === 'map' ? mapping : { info: action, success: action, warning: action, failure: action };
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
        details: { ...url.headers }, actions,
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
    const origin = `${baseUrl(ctx.endpoints, 'opsgenie', ORIGIN[config.region])}/v2/alerts`;
    const headers = { 'Content-Type': 'application/json', Authorization: `GenieKey ${config.apiKey}` };
    // The alert's key: alias=, else derived from entity or title (Apprise's key).
    const alias = config.alias ?? `secflow-${createHash('sha1').update(config.entity ?? (part.title || 'secflow')).digest('hex').slice(0, 10)}`;
    const action = config.actions[part.type];
    if (action !== 'new') {
      const target = `${origin}/${encodeURIComponent(alias)}`;
      const url = `${action === 'delete' ? target : `${target}/${action === 'note' ? 'notes' : action}`}?identifierType=alias`;
      return [{
        method: action === 'delete' ? 'DELETE' : 'POST', url, headers,
        ...(action === 'delete' ? {} : { body: JSON.stringify({ source: 'secflow', note: part.body, ...(config.user ? { user: config.user } : {}) }) }),
      }];
    }
    const message = part.title || part.body;
    const payload: Record<string, unknown> = {
      source: 'secflow', message: message.length > 130 ? `${message.slice(0, 127)}...` : message, description: part.body,
      details: { type: part.type, ...config.details }, priority: `P${config.priority}`,
      ...(config.tags.length ? { tags: config.tags } : {}), ...(config.entity ? { entity: config.entity } : {}),
      alias, ...(config.user ? { user: config.user } : {}),
    };
    const groups = !config.responders.length ? [[]] : config.batch ? chunk(config.responders, 50) : config.responders.map((r) => [r]);
    return groups.map((responders) => ({
      method: 'POST', url: origin, headers,
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
