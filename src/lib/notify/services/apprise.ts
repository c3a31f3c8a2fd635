// An Apprise API server (Apprise apprise:// / apprises://, caronc/apprise-api):
// apprise[s]://[user:pass@]host[:port][/path]/TOKEN (TOKEN also ?token= or ?to=),
// options tags=, method=form|json, +Header=value. POSTs {title, body, type, format[, tag]}
// to /notify/TOKEN, so a team running one reaches every service it supports.
import { NotifyUrlError, listOption } from '../url';
import type { HttpSpec, ServiceDef } from '../types';
import { basicAuth, baseUrl, formEncode, headerSecrets, maskSelfHosted, requireHost } from './http-common';
import FormData from 'form-data';
import { maskToken } from '../mask';

export interface AppriseConfig {
  origin: string;
  prefix: string;
  token: string;
  method: 'form' | 'json';
  tags: string[];
  user?: string;
  password?: string;
  headers: Record<string, string>;
}

const TOKEN = /^[A-Za-z0-9_-]{1,128}$/;

export const apprise: ServiceDef<AppriseConfig, HttpSpec> = {
  name: 'apprise',
  schemes: ['apprise', 'apprises'],
  // The API's own URL: http(s)://host[/path]/notify/TOKEN.
  matchesNative: (url) => url.segments.length >= 2 && url.segments[url.segments.length - 2] === 'notify' && TOKEN.test(url.segments[url.segments.length - 1]),
  parse(written) {
    const native = written.scheme === 'https' || written.scheme === 'http';
    const url = native ? { ...written, scheme: written.scheme === 'https' ? 'apprises' : 'apprise', segments: written.segments.filter((s, i, all) => i !== all.length - 2) } : written;
    const segments = [...url.segments];
    const token = url.options.token || url.options.to || segments.pop() || '';
    const secure = url.scheme === 'apprises';
    const base = maskSelfHosted({ ...url, segments });
    const masked = `${base.replace(/\/$/, '')}/${maskToken(token)}`;
    requireHost(url, masked);
    if (!TOKEN.test(token)) throw new NotifyUrlError(`${masked}: the configuration TOKEN is missing or invalid (apprise://host/TOKEN)`);
    const method = (url.options.method ?? 'form').toLowerCase();
    if (method !== 'form' && method !== 'json') throw new NotifyUrlError(`${masked}: method=${method} must be form or json`);
    return {
      config: {
        origin: `${secure ? 'https' : 'http'}://${url.port !== undefined ? `${url.host}:${url.port}` : url.host}`,
        prefix: segments.length ? `/${segments.map(encodeURIComponent).join('/')}` : '',
        token, method, tags: listOption(url.options.tags), user: url.user, password: url.password, headers: url.headers,
      },
      secrets: [token, ...(url.password ? [url.password] : []), ...headerSecrets(url.headers)],
      masked,
      warnings: secure ? [] : [`${masked}: Apprise API over plain http`],
    };
  },
  nativeFormat: (_c, input) => input,
  // apprise-api's default upload limit is 200 MB; files go as multipart file01, file02…
  attachments: () => ({ maxBytes: 200 * 1024 * 1024, maxCount: 20 }),
  limits: () => ({ body: 32768, title: 250 }),
  rate: { capacity: 2, perMs: 1000 },
  build(config, part, ctx) {
    const headers: Record<string, string> = { ...config.headers };
    if (config.user) headers.Authorization = basicAuth(config.user, config.password);
    const fields = { title: part.title, body: part.body, type: part.type, format: part.format, ...(config.tags.length ? { tag: config.tags.join(',') } : {}) };
    const url = `${baseUrl(ctx.endpoints, 'apprise', config.origin)}${config.prefix}/notify/${encodeURIComponent(config.token)}`;
    const files = part.attachments ?? [];
    if (config.method === 'json') {
      // JSON carries files as base64, as Apprise's json method does.
      const attachments = files.map((f) => ({ filename: f.name, base64: f.data.toString('base64'), mimetype: f.mimetype }));
      return [{ method: 'POST', url, headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify({ ...fields, ...(attachments.length ? { attachments } : {}) }) }];
    }
    if (files.length) {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      files.forEach((f, i) => form.append(`file${String(i + 1).padStart(2, '0')}`, f.data, { filename: f.name, contentType: f.mimetype }));
      return [{ method: 'POST', url, headers: { ...headers, ...form.getHeaders() }, body: form.getBuffer() }];
    }
    return [{ method: 'POST', url, headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }, body: formEncode(fields) }];
  },
  transport: 'http',
};
