// The Apprise generic webhooks json://, form://, xml:// (U): one parser, three
// body builders. Options: method=, +Header=v, -param=v, :key=v (add), :key=new
// (rename a standard key), :key= (drop a standard key).
import { NotifyUrlError, type ParsedUrl } from '../url';
import type { BuildContext, HttpSpec, ParsedTarget } from '../types';
import { basicAuth, baseUrl, headerSecrets, maskSelfHosted, requireHost, withQuery } from './http-common';

export interface WebhookConfig {
  service: string;
  secure: boolean;
  origin: string;
  path: string;
  method: string;
  user?: string;
  password?: string;
  headers: Record<string, string>;
  params: Record<string, string>;
  fields: Record<string, string>;
}

const METHODS = ['POST', 'PUT', 'PATCH', 'GET', 'DELETE', 'HEAD', 'UPDATE', 'OPTIONS'];

export function parseWebhook(service: string, url: ParsedUrl): ParsedTarget<WebhookConfig> {
  const mask = maskSelfHosted(url);
  requireHost(url, mask);
  const method = (url.options.method ?? 'POST').toUpperCase();
  if (!METHODS.includes(method)) throw new NotifyUrlError(`${mask}: method=${method} must be one of ${METHODS.join(', ')}`);
  const secure = url.scheme.endsWith('s');
  const secrets = [...(url.password ? [url.password] : []), ...headerSecrets(url.headers)];
  const maskedHeaders = Object.keys(url.headers).map((k) => `+${k}=${headerSecrets({ [k]: url.headers[k] }).length ? '****' : url.headers[k]}`);
  return {
    config: {
      service, secure, method,
      origin: `${secure ? 'https' : 'http'}://${url.port !== undefined ? `${url.host}:${url.port}` : url.host}`,
      path: url.path.startsWith('/') ? url.path : `/${url.path}`,
      user: url.user, password: url.password,
      headers: url.headers, params: url.params, fields: url.fields,
    },
    secrets,
    masked: maskedHeaders.length ? `${mask}?${maskedHeaders.join('&')}` : mask,
  };
}

/** Applies `:key` options to a flat payload: rename or drop a standard key, else add a field. */
export function applyFields(payload: Record<string, unknown>, fields: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...payload };
  for (const [key, value] of Object.entries(fields)) {
    if (key in payload) {
      const current = out[key];
      delete out[key];
      if (value !== '') out[value] = current;
    } else {
      out[key] = value;
    }
  }
  return out;
}

export function webhookSpec(config: WebhookConfig, ctx: BuildContext, contentType: string, body: string): HttpSpec {
  const headers: Record<string, string> = { 'Content-Type': contentType, ...config.headers };
  if (config.user) headers.Authorization = basicAuth(config.user, config.password);
  const url = withQuery(baseUrl(ctx.endpoints, config.service, config.origin) + config.path, config.params);
  return { method: config.method, url, headers, body };
}
