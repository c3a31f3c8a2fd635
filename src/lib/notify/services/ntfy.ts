// ntfy (U, S2.3): ntfy://topic (ntfy.sh), ntfy[s]://[user:pass@|token@]host[:port]/topic,
// https://ntfy.sh/topic. POSTs JSON to the server root; the type never sets priority.
import { maskPassword, maskToken } from '../mask';
import { NotifyUrlError, listOption, yesNo, type ParsedUrl } from '../url';
import type { HttpSpec, ServiceDef } from '../types';
import { basicAuth, baseUrl } from './http-common';

export interface NtfyConfig {
  origin: string;
  topics: string[];
  auth?: string;
  priority?: number;
  tags: string[];
  click?: string;
  delay?: string;
  email?: string;
}

const PRIORITIES: Record<string, number> = { min: 1, low: 2, default: 3, normal: 3, high: 4, max: 5, urgent: 5 };
const TOPIC = /^[\w-]{1,64}$/;

function secureFor(url: ParsedUrl, host: string): boolean {
  if (host.toLowerCase() === 'ntfy.sh' || url.scheme === 'ntfys' || url.scheme === 'https') return true;
  // Shoutrrr meaning when disabletls is present: https unless =yes.
  if ('disabletls' in url.options) return !yesNo(url.options.disabletls, false);
  return false;
}

export const ntfy: ServiceDef<NtfyConfig, HttpSpec> = {
  name: 'ntfy',
  schemes: ['ntfy', 'ntfys'],
  matchesNative: (url) => url.host.toLowerCase() === 'ntfy.sh',
  parse(url) {
    // ntfy://topic alone means the topic on ntfy.sh.
    const cloud = url.segments.length === 0 && url.scheme !== 'https';
    const host = cloud ? 'ntfy.sh' : url.host;
    const topics = cloud ? [url.host] : url.segments;
    const token = url.options.token || (url.user && url.password === undefined ? url.user : undefined);
    const userAuth = url.user && url.password !== undefined ? { user: url.user, pass: url.password } : undefined;
    const secure = secureFor(url, host);
    const scheme = secure ? 'ntfys' : 'ntfy';
    const masked = `${scheme}://${userAuth ? `${userAuth.user}:${maskPassword(userAuth.pass)}@` : token ? `${maskToken(token)}@` : ''}${host}${url.port !== undefined ? `:${url.port}` : ''}/${topics.join('/')}`;
    if (!host) throw new NotifyUrlError(`${masked}: the host is missing`);
    if (topics.length === 0) throw new NotifyUrlError(`${masked}: a topic is needed (ntfy://host/topic)`);
    for (const t of topics) if (!TOPIC.test(t)) throw new NotifyUrlError(`${masked}: topic "${t}" may only hold letters, digits, _ and -`);
    let priority: number | undefined;
    const p = url.options.priority?.toLowerCase();
    if (p) {
      priority = PRIORITIES[p] ?? (/^[1-5]$/.test(p) ? Number(p) : undefined);
      if (priority === undefined) throw new NotifyUrlError(`${masked}: priority=${p} must be min, low, default, high, max or 1–5`);
    }
    const warnings = secure ? [] : [`${masked}: ntfy over plain http`];
    return {
      config: {
        origin: `${secure ? 'https' : 'http'}://${host}${url.port !== undefined ? `:${url.port}` : ''}`,
        topics,
        auth: userAuth ? basicAuth(userAuth.user, userAuth.pass) : token ? `Bearer ${token}` : undefined,
        priority, tags: listOption(url.options.tags),
        click: url.options.click || undefined, delay: url.options.delay || undefined, email: url.options.email || undefined,
      },
      secrets: [...(userAuth ? [userAuth.pass] : []), ...(token ? [token] : [])],
      masked,
      warnings,
    };
  },
  nativeFormat: (_c, input) => (input === 'html' ? 'text' : input),
  limits: () => ({ body: 7800, title: 200 }),
  rate: { capacity: 2, perMs: 1000 },
  build(config, part, ctx) {
    const url = `${baseUrl(ctx.endpoints, 'ntfy', config.origin)}/`;
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (config.auth) headers.Authorization = config.auth;
    return config.topics.map((topic) => ({
      method: 'POST', url, headers,
      body: JSON.stringify({
        topic, message: part.body,
        ...(part.title ? { title: part.title } : {}),
        ...(config.priority !== undefined ? { priority: config.priority } : {}),
        ...(config.tags.length ? { tags: config.tags } : {}),
        ...(config.click ? { click: config.click } : {}),
        ...(config.delay ? { delay: config.delay } : {}),
        ...(config.email ? { email: config.email } : {}),
        ...(part.format === 'markdown' ? { markdown: true } : {}),
      }),
    }));
  },
  transport: 'http',
};
