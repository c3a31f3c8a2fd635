// ntfy (U, S2.3), with Apprise's modes: `cloud` posts to ntfy.sh and never sends
// credentials; `private` posts to the host the URL names. `mode=` chooses; without
// it a valid host name or IP with topics is private, anything else is a cloud topic
// (ntfy://topic). Topics come from the path and `to=`. POSTs JSON to the server
// root; the type never sets priority.
import { maskPassword, maskToken } from '../mask';
import { NotifyUrlError, listOption, yesNo, type ParsedUrl } from '../url';
import type { HttpSpec, ServiceDef } from '../types';
import { basicAuth, baseUrl } from './http-common';

export interface NtfyConfig {
  origin: string;
  /** The host is ntfy.sh (cloud mode, or named): only then may endpoints.ntfy redirect the request. */
  cloud?: boolean;
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
const CLOUD_HOST = /ntfy\.sh/i;
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)*\.?$/i;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;

const validHost = (host: string) => HOSTNAME.test(host) || IPV4.test(host) || /^\[[0-9a-f:.]+\]$/i.test(host);

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
    const named = [...url.segments, ...listOption(url.options.to)];
    const modeText = url.options.mode?.trim().toLowerCase();
    if (modeText && modeText !== 'cloud' && modeText !== 'private') throw new NotifyUrlError(`ntfy: mode=${modeText} must be cloud or private`);
    // The native https://ntfy.sh/topic is cloud, as in Apprise.
    const native = url.scheme === 'https' || url.scheme === 'http';
    const mode = modeText ?? (native ? 'cloud' : validHost(url.host) && named.length ? 'private' : 'cloud');
    const cloud = mode === 'cloud';
    // In cloud mode the "host" is a topic unless it names ntfy.sh itself.
    const candidates = cloud && url.host && !CLOUD_HOST.test(url.host) ? [url.host, ...named] : named;
    const host = cloud ? 'ntfy.sh' : url.host;
    const port = cloud ? undefined : url.port;
    // auth= (Apprise): basic or token; without it a lone user is a token only when it looks like one (tk_…).
    const authText = url.options.auth?.trim().toLowerCase();
    if (authText && authText !== 'basic' && authText !== 'token') throw new NotifyUrlError(`ntfy: auth=${authText} must be basic or token`);
    const loneUser = url.user && url.password === undefined ? url.user : undefined;
    const auth = authText ?? (url.options.token || (loneUser && /^tk_/i.test(loneUser)) ? 'token' : 'basic');
    const token = cloud ? undefined : url.options.token || (auth === 'token' ? loneUser : undefined);
    const userAuth = !cloud && auth === 'basic' && url.user ? { user: url.user, pass: url.password ?? '' } : undefined;
    const secure = secureFor(url, host);
    const scheme = secure ? 'ntfys' : 'ntfy';
    const topics = candidates.filter((t) => TOPIC.test(t));
    const masked = `${scheme}://${userAuth ? `${userAuth.user}:${maskPassword(userAuth.pass)}@` : token ? `${maskToken(token)}@` : ''}${host}${port !== undefined ? `:${port}` : ''}/${topics.join('/')}`;
    if (!host) throw new NotifyUrlError(`${masked}: the host is missing`);
    if (!cloud && !validHost(host)) throw new NotifyUrlError(`${masked}: "${host}" is not a host name or IP address (mode=private)`);
    const invalid = candidates.filter((t) => !TOPIC.test(t));
    if (topics.length === 0) {
      if (invalid.length) throw new NotifyUrlError(`${masked}: topic "${invalid[0]}" may only hold letters, digits, _ and -`);
      throw new NotifyUrlError(`${masked}: a topic is needed (ntfy://host/topic or ?to=topic)`);
    }
    let priority: number | undefined;
    const p = url.options.priority?.toLowerCase();
    if (p) {
      priority = PRIORITIES[p] ?? (/^[1-5]$/.test(p) ? Number(p) : undefined);
      if (priority === undefined) throw new NotifyUrlError(`${masked}: priority=${p} must be min, low, default, high, max or 1–5`);
    }
    const warnings = [
      ...(secure ? [] : [`${masked}: ntfy over plain http`]),
      ...invalid.map((t) => `${masked}: topic "${t}" may only hold letters, digits, _ and -; ignored`),
      ...(cloud && (url.user || url.options.token) ? [`${masked}: cloud mode (ntfy.sh) sends no credentials`] : []),
    ];
    return {
      config: {
        origin: `${secure ? 'https' : 'http'}://${host}${port !== undefined ? `:${port}` : ''}`,
        ...(host.toLowerCase() === 'ntfy.sh' ? { cloud: true } : {}),
        topics,
        auth: userAuth ? basicAuth(userAuth.user, userAuth.pass) : token ? `Bearer ${token}` : undefined,
        priority, tags: listOption(url.options.tags),
        click: url.options.click || undefined, delay: url.options.delay || undefined, email: url.options.email || undefined,
      },
      secrets: [...(userAuth?.pass ? [userAuth.pass] : []), ...(token ? [token] : [])],
      masked,
      warnings,
    };
  },
  nativeFormat: (_c, input) => (input === 'html' ? 'text' : input),
  limits: () => ({ body: 7800, title: 200 }),
  rate: { capacity: 2, perMs: 1000 },
  build(config, part, ctx) {
    // endpoints.ntfy stands in for ntfy.sh only: a private server's credentials never go to it.
    const url = `${config.cloud ? baseUrl(ctx.endpoints, 'ntfy', config.origin) : config.origin}/`;
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
