// Pushover (U): pover://USERKEY@APPTOKEN[/DEVICE…] and Shoutrrr
// pushover://shoutrrr:APPTOKEN@USERKEY/?devices=…; a form POST to
// /1/messages.json. No device means no `device` field (not ALL_DEVICES).
import { maskToken } from '../mask';
import { NotifyUrlError, listOption } from '../url';
import type { HttpSpec, ServiceDef } from '../types';
import { baseUrl, formEncode } from './http-common';
import { sanitizeLinks } from '../format';

export interface PushoverConfig {
  user: string;
  token: string;
  devices: string[];
  priority: number;
  sound?: string;
  url?: string;
  urlTitle?: string;
  retry: number;
  expire: number;
}

const KEY = /^[A-Za-z0-9]{30}$/;
const PRIORITIES: Record<string, number> = { lowest: -2, low: -1, normal: 0, high: 1, emergency: 2 };

export const pushover: ServiceDef<PushoverConfig, HttpSpec> = {
  name: 'pushover',
  schemes: ['pover', 'pushover'],
  parse(url) {
    const shoutrrr = url.scheme === 'pushover';
    const user = (shoutrrr ? url.host : url.user) ?? '';
    const token = (shoutrrr ? url.password : url.host) ?? '';
    const devices = shoutrrr ? listOption(url.options.devices) : [...url.segments, ...listOption(url.options.devices)];
    const masked = `pover://${maskToken(user)}@${maskToken(token)}/${devices.join('/')}`;
    if (!KEY.test(user)) throw new NotifyUrlError(`${masked}: the user key must be 30 letters and digits (pover://USERKEY@APPTOKEN)`);
    if (!KEY.test(token)) throw new NotifyUrlError(`${masked}: the app token must be 30 letters and digits (pover://USERKEY@APPTOKEN)`);
    for (const d of devices) if (!/^[\w-]{1,25}$/.test(d)) throw new NotifyUrlError(`${masked}: device "${d}" is not a Pushover device name`);
    const p = url.options.priority?.toLowerCase();
    let priority = 0;
    if (p) {
      const n = PRIORITIES[p] ?? (/^-?[0-2]$/.test(p) ? Number(p) : undefined);
      if (n === undefined) throw new NotifyUrlError(`${masked}: priority=${p} must be -2…2 or lowest, low, normal, high, emergency`);
      priority = n;
    }
    const retry = url.options.interval ? Number(url.options.interval) : 30;
    const expire = url.options.expire ? Number(url.options.expire) : 600;
    if (!Number.isInteger(retry) || retry < 30) throw new NotifyUrlError(`${masked}: interval=${url.options.interval} must be at least 30 seconds`);
    if (!Number.isInteger(expire) || expire < 1 || expire > 10800) throw new NotifyUrlError(`${masked}: expire=${url.options.expire} must be 1–10800 seconds`);
    if (url.options.url && url.options.url.length > 512) throw new NotifyUrlError(`${masked}: url= is longer than 512 characters`);
    return {
      config: { user, token, devices, priority, sound: url.options.sound || undefined, url: url.options.url || undefined, urlTitle: url.options.url_title || undefined, retry, expire },
      secrets: [user, token],
      masked,
    };
  },
  nativeFormat: (_c, input) => (input === 'markdown' ? 'text' : input),
  limits: () => ({ body: 1024, title: 250 }),
  rate: { capacity: 2, perMs: 1000 },
  build(config, part, ctx) {
    const fields: Record<string, string | number | undefined> = {
      token: config.token, user: config.user, message: (part.format === 'html' ? sanitizeLinks(part.body) : part.body) || ' ',
      title: part.title || undefined, priority: config.priority, sound: config.sound,
      device: config.devices.length ? config.devices.join(',') : undefined,
      url: config.url, url_title: config.urlTitle, html: part.format === 'html' ? 1 : undefined,
    };
    if (config.priority === 2) {
      fields.retry = config.retry;
      fields.expire = config.expire;
    }
    return [{
      method: 'POST', url: `${baseUrl(ctx.endpoints, 'pushover', 'https://api.pushover.net')}/1/messages.json`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: formEncode(fields),
      check: checkPushover,
    }];
  },
  transport: 'http',
};

function checkPushover(body: string): string | undefined {
  try {
    const res = JSON.parse(body) as { status?: number; errors?: string[] };
    return res.status === 1 ? undefined : `Pushover error ${(res.errors ?? []).join('; ')}`.trim();
  } catch {
    return 'Pushover answered with a body that is not JSON';
  }
}
