// Pushover (U): pover://USERKEY@APPTOKEN[/DEVICE…] and Shoutrrr
// pushover://shoutrrr:APPTOKEN@USERKEY/?devices=…; a form POST to
// /1/messages.json. No device means no `device` field (not ALL_DEVICES).
import { maskToken } from '../mask';
import { convert, sanitizeLinks } from '../format';
import { NotifyUrlError, listOption, yesNo } from '../url';
import type { HttpSpec, ServiceDef } from '../types';
import { baseUrl, formEncode } from './http-common';

export interface PushoverConfig {
  user: string;
  token: string;
  devices: string[];
  /** Group keys (`#KEY`): each one is sent as the `user` of its own request. */
  groups: string[];
  priority: number;
  sound?: string;
  url?: string;
  urlTitle?: string;
  retry: number;
  expire: number;
}

const KEY = /^[A-Za-z0-9]{30}$/;
const PRIORITIES: Record<string, number> = { lowest: -2, low: -1, normal: 0, high: 1, emergency: 2 };
const DEVICE = /^[\w-]{1,25}$/;
const GROUP = /^#([A-Za-z0-9]+)$/;

export const pushover: ServiceDef<PushoverConfig, HttpSpec> = {
  name: 'pushover',
  schemes: ['pover', 'pushover'],
  parse(url) {
    const shoutrrr = url.scheme === 'pushover';
    const user = (shoutrrr ? url.host : url.user) ?? '';
    const token = (shoutrrr ? url.password : url.host) ?? '';
    const devices = shoutrrr ? listOption(url.options.devices) : [...url.segments, ...listOption(url.options.devices), ...listOption(url.options.to)];
    const masked = `pover://${maskToken(user)}@${maskToken(token)}/${devices.map((d) => (d.startsWith('#') ? `#${maskToken(d.slice(1))}` : d)).join('/')}`;
    if (!KEY.test(user)) throw new NotifyUrlError(`${masked}: the user key must be 30 letters and digits (pover://USERKEY@APPTOKEN)`);
    if (!KEY.test(token)) throw new NotifyUrlError(`${masked}: the app token must be 30 letters and digits (pover://USERKEY@APPTOKEN)`);
    // As Apprise: targets that are neither a device name nor a #group key are dropped
    // with a warning, an unknown priority is normal and a non-numeric interval/expire
    // keeps its default; out-of-range ones Pushover would reject are refused.
    const warnings: string[] = [];
    const groups = devices.flatMap((d) => GROUP.exec(d)?.[1] ?? []);
    const validDevices = devices.filter((d) => DEVICE.test(d));
    for (const d of devices) if (!DEVICE.test(d) && !GROUP.test(d)) warnings.push(`${masked}: "${d}" is neither a Pushover device name nor a #group key; ignored`);
    if (devices.length && !validDevices.length && !groups.length) throw new NotifyUrlError(`${masked}: no valid device or #group`);
    const p = url.options.priority?.toLowerCase();
    let priority = 0;
    if (p) {
      const n = PRIORITIES[p] ?? (/^-?[0-2]$/.test(p) ? Number(p) : undefined);
      if (n === undefined) warnings.push(`${masked}: priority=${p} is not -2…2 or lowest, low, normal, high, emergency; normal is used`);
      priority = n ?? 0;
    }
    const number = (key: 'interval' | 'expire', fallback: number): number => {
      const text = url.options[key];
      if (!text) return fallback;
      if (!/^-?\d+$/.test(text)) {
        warnings.push(`${masked}: ${key}=${text} is not a number; ${fallback} is used`);
        return fallback;
      }
      return Number(text);
    };
    const retry = number('interval', 30);
    const expire = number('expire', 600);
    if (retry < 30) throw new NotifyUrlError(`${masked}: interval=${url.options.interval} must be at least 30 seconds`);
    if (expire < 1 || expire > 10800) throw new NotifyUrlError(`${masked}: expire=${url.options.expire} must be 1–10800 seconds`);
    // Pushover end-to-end encryption (Apprise key=…&e2ee=yes) is not implemented: refused
    // rather than sent in clear; a key with e2ee=no asks for nothing and is accepted.
    const key = url.options.key;
    if (key !== undefined && !/^[0-9a-f]{64}$/i.test(key)) throw new NotifyUrlError(`${masked}: key= must be 64 hexadecimal characters`);
    if (key !== undefined && yesNo(url.options.e2ee, true)) throw new NotifyUrlError(`${masked}: Pushover end-to-end encryption (key=, e2ee=yes) is not supported; remove key= or set e2ee=no`);
    if (url.options.url && url.options.url.length > 512) throw new NotifyUrlError(`${masked}: url= is longer than 512 characters`);
    return {
      config: { user, token, devices: validDevices, groups, priority, sound: url.options.sound || undefined, url: url.options.url || undefined, urlTitle: url.options.url_title || undefined, retry, expire },
      secrets: [user, token, ...groups, ...(key ? [key] : [])],
      masked,
      warnings,
    };
  },
  nativeFormat: (_c, input) => (input === 'markdown' ? 'text' : input),
  limits: () => ({ body: 1024, title: 250 }),
  rate: { capacity: 2, perMs: 1000 },
  build(config, part, ctx) {
    // format=markdown (Apprise): Pushover gets the markdown rendered as its HTML.
    const html = part.format === 'html' || part.format === 'markdown';
    const message = part.format === 'markdown' ? convert(part.body, 'markdown', 'html') : part.body;
    const fields: Record<string, string | number | undefined> = {
      token: config.token, user: config.user, message: (html ? sanitizeLinks(message) : message) || ' ',
      title: part.title || undefined, priority: config.priority, sound: config.sound,
      device: config.devices.length ? config.devices.join(',') : undefined,
      url: config.url, url_title: config.urlTitle, html: html ? 1 : undefined,
    };
    if (config.priority === 2) {
      fields.retry = config.retry;
      fields.expire = config.expire;
    }
    const spec = (f: typeof fields): HttpSpec => ({
      method: 'POST', url: `${baseUrl(ctx.endpoints, 'pushover', 'https://api.pushover.net')}/1/messages.json`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: formEncode(f),
      check: checkPushover,
    });
    const toUser = config.devices.length || !config.groups.length ? [spec(fields)] : [];
    return [...toUser, ...config.groups.map((group) => spec({ ...fields, user: group, device: undefined }))];
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
