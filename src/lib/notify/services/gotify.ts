// Gotify (U, S2.3): gotify[s]://host[:port][/sub]/TOKEN → POST …/message with
// X-Gotify-Key; markdown adds the client::display extras. gotify:// is http
// (Apprise) unless a Shoutrrr disabletls key is present.
import { maskToken } from '../mask';
import { NotifyUrlError, yesNo } from '../url';
import type { HttpSpec, ServiceDef } from '../types';
import { baseUrl } from './http-common';

export interface GotifyConfig {
  origin: string;
  prefix: string;
  token: string;
  priority: number;
}

const PRIORITIES: Record<string, number> = { low: 0, moderate: 3, normal: 5, high: 8, emergency: 10 };

export const gotify: ServiceDef<GotifyConfig, HttpSpec> = {
  name: 'gotify',
  schemes: ['gotify', 'gotifys'],
  parse(url) {
    const secure = url.scheme === 'gotifys' || ('disabletls' in url.options && !yesNo(url.options.disabletls, false));
    const token = url.segments[url.segments.length - 1] ?? '';
    const prefix = url.segments.slice(0, -1).map(encodeURIComponent).join('/');
    const masked = `${secure ? 'gotifys' : 'gotify'}://${url.host}${url.port !== undefined ? `:${url.port}` : ''}/${prefix ? `${prefix}/` : ''}${maskToken(token)}`;
    if (!url.host) throw new NotifyUrlError(`${masked}: the host is missing`);
    if (url.portText !== undefined && url.port === undefined) throw new NotifyUrlError(`${masked}: the port must be a number`);
    if (!token) throw new NotifyUrlError(`${masked}: the application TOKEN is missing (gotify://host/TOKEN)`);
    const p = url.options.priority?.toLowerCase();
    let priority = 5;
    // As Apprise: an unknown priority keeps the default (normal).
    const warnings = secure ? [] : [`${masked}: Gotify over plain http`];
    if (p) {
      const n = PRIORITIES[p] ?? (/^\d+$/.test(p) && Number(p) <= 10 ? Number(p) : undefined);
      if (n === undefined) warnings.push(`${masked}: priority=${p} is not low, moderate, normal, high, emergency or 0–10; normal is used`);
      priority = n ?? 5;
    }
    return {
      config: { origin: `${secure ? 'https' : 'http'}://${url.host}${url.port !== undefined ? `:${url.port}` : ''}`, prefix: prefix ? `/${prefix}` : '', token, priority },
      secrets: [token],
      masked,
      warnings,
    };
  },
  nativeFormat: (_c, input) => (input === 'html' ? 'text' : input),
  limits: () => ({ body: 32768, title: 250 }),
  rate: { capacity: 2, perMs: 1000 },
  build(config, part, ctx) {
    const payload: Record<string, unknown> = { title: part.title, message: part.body, priority: config.priority };
    if (part.format === 'markdown') payload.extras = { 'client::display': { contentType: 'text/markdown' } };
    return [{
      method: 'POST', url: `${baseUrl(ctx.endpoints, 'gotify', config.origin)}${config.prefix}/message`,
      headers: { 'Content-Type': 'application/json', 'X-Gotify-Key': config.token },
      body: JSON.stringify(payload),
    }];
  },
  transport: 'http',
};
