// Shoutrrr generic:// (U, R4): https unless disabletls=yes; generic+https://URL
// posts to that URL. The raw message goes out as application/json; template=json
// sends {"title","message"} (titlekey/messagekey rename); $k=v adds a field,
// @H=v a header; other query parameters stay on the target URL.
import { maskToken } from '../mask';
import { NotifyUrlError, yesNo } from '../url';
import type { HttpSpec, ServiceDef } from '../types';
import { baseUrl, headerSecrets, requireHost, withQuery } from './http-common';

export interface GenericConfig {
  origin: string;
  path: string;
  method: string;
  template?: 'json';
  titleKey: string;
  messageKey: string;
  fields: Record<string, string>;
  headers: Record<string, string>;
  query: Record<string, string>;
}

const OWN_OPTIONS = new Set(['template', 'titlekey', 'messagekey', 'method', 'disabletls', 'contenttype', 'format', 'overflow', 'retry', 'wait', 'verify', 'cto', 'rto']);

export const generic: ServiceDef<GenericConfig, HttpSpec> = {
  name: 'generic',
  schemes: ['generic', 'generic+http', 'generic+https'],
  parse(url) {
    const secure = url.scheme === 'generic+https' || (url.scheme === 'generic' && !yesNo(url.options.disabletls, false));
    const mask = `${url.scheme}://${url.host}${url.port !== undefined ? `:${url.port}` : ''}/${url.segments.map(maskToken).join('/')}`;
    requireHost(url, mask);
    const template = url.options.template?.toLowerCase();
    if (template && template !== 'json') throw new NotifyUrlError(`${mask}: template=${template} is not supported (only json)`);
    const query: Record<string, string> = {};
    for (const [k, v] of url.query) if (/^[a-z]/i.test(k) && !OWN_OPTIONS.has(k.toLowerCase())) query[k] = v;
    const auth: Record<string, string> = url.user ? { Authorization: `Basic ${Buffer.from(`${url.user}:${url.password ?? ''}`).toString('base64')}` } : {};
    const headers = { ...auth, ...url.shoutrrrHeaders };
    return {
      config: {
        origin: `${secure ? 'https' : 'http'}://${url.port !== undefined ? `${url.host}:${url.port}` : url.host}`,
        path: url.path || '/',
        method: (url.options.method ?? 'POST').toUpperCase(),
        template: template ? 'json' : undefined,
        titleKey: url.options.titlekey || 'title',
        messageKey: url.options.messagekey || 'message',
        fields: url.shoutrrrFields, headers, query,
      },
      // Path segments and query values of a generic URL often carry tokens.
      secrets: [...url.segments.filter((s) => s.length > 8), ...Object.values(query).filter((v) => v.length > 8), ...(url.password ? [url.password] : []), ...headerSecrets(url.shoutrrrHeaders), ...Object.values(auth)],
      masked: mask,
    };
  },
  nativeFormat: (_c, input) => input,
  limits: () => ({ body: 32768, title: 250 }),
  rate: { capacity: 2, perMs: 1000 },
  build(config, part, ctx) {
    const body = config.template === 'json'
      ? JSON.stringify({ [config.titleKey]: part.title, [config.messageKey]: part.body, ...config.fields })
      : part.body;
    const url = withQuery(baseUrl(ctx.endpoints, 'generic', config.origin) + config.path, config.query);
    return [{ method: config.method, url, headers: { 'Content-Type': 'application/json', ...config.headers }, body }];
  },
  transport: 'http',
};
