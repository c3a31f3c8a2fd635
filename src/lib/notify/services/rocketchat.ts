// Rocket.Chat (Apprise rocket:// / rockets://):
// - incoming webhook: rocket://[botname:]TOKEN_A/TOKEN_B@host[:port][/#channel|/@user|/roomid…]
//   (also ?webhook=TA/TB, mode=webhook) → POST /hooks/TA/TB {text, channel?} per target;
// - personal access token: rocket://USERID:TOKEN@host/#channel (token longer than 32
//   characters, or mode=token) → POST /api/v1/chat.postMessage with X-User-Id/X-Auth-Token.
// - user:password (mode=basic): logs in once per target (POST /api/v1/login), keeps the
//   session (authToken joins the target's secrets) and logs in again after a 401.
import { maskPassword, maskToken } from '../mask';
import { NotifyUrlError, listOption, parseUrl, type ParsedUrl } from '../url';
import type { HttpSpec, ServiceDef } from '../types';
import { baseUrl, formEncode, requireHost } from './http-common';

export interface RocketChatConfig {
  mode: 'webhook' | 'token' | 'basic';
  password?: string;
  session?: { userId?: string; authToken?: string; secrets: string[] };
  origin: string;
  webhook?: string;
  user?: string;
  token?: string;
  targets: string[];
}

const CHANNEL = /^#[A-Za-z0-9_-]+$/;
const USER = /^@[A-Za-z0-9._-]+$/;
const ROOM = /^[A-Za-z0-9]+$/;
const WEBHOOK_IN_AUTHORITY = /^(rockets?:\/\/)(?:([^:/@]+):)?([a-z0-9]+(?:\/|%2F)[a-z0-9]+)@(.+)$/i;

/** The webhook form puts a '/' before the '@': read it first, then parse the rest. */
function split(url: ParsedUrl): { url: ParsedUrl; webhook?: string } {
  const m = WEBHOOK_IN_AUTHORITY.exec(url.raw);
  if (!m) return { url, webhook: url.options.webhook };
  // With mode=basic|token the same text is USER:PASSWORD whose password holds a '/' (as in Apprise).
  const mode = /[?&]mode=([^&#]*)/i.exec(url.raw)?.[1]?.toLowerCase();
  if (m[2] && (mode === 'basic' || mode === 'token')) return { url: parseUrl(`${m[1]}${m[2]}:${encodeURIComponent(decodeURIComponent(m[3]))}@${m[4]}`) };
  return { url: parseUrl(`${m[1]}${m[2] ? `${m[2]}@` : ''}${m[4]}`), webhook: decodeURIComponent(m[3]) };
}

export const rocketchat: ServiceDef<RocketChatConfig, HttpSpec> = {
  name: 'rocketchat',
  schemes: ['rocket', 'rockets'],
  parse(written) {
    const { url, webhook } = split(written);
    const secure = url.scheme === 'rockets';
    const origin = `${secure ? 'https' : 'http'}://${url.port !== undefined ? `${url.host}:${url.port}` : url.host}`;
    const modeText = url.options.mode?.toLowerCase();
    const mode = modeText ?? (webhook ? 'webhook' : url.password && url.password.length > 32 ? 'token' : 'basic');
    const masked = `${url.scheme}://${webhook ? `${webhook.split('/').map(maskToken).join('/')}@` : url.user ? `${url.user}:${maskPassword(url.password) || '****'}@` : ''}${origin.replace(/^https?:\/\//, '')}/`;
    requireHost(url, masked);
    if (!['webhook', 'token', 'basic'].includes(mode)) throw new NotifyUrlError(`${masked}: mode=${mode} must be webhook, token or basic`);
    if (mode === 'basic' && (!url.user || !url.password)) throw new NotifyUrlError(`${masked}: a webhook (rocket://TA/TB@host), USER:PASSWORD or USERID:TOKEN is needed`);
    if (mode === 'webhook' && !webhook) throw new NotifyUrlError(`${masked}: no incoming webhook (rocket://TOKEN_A/TOKEN_B@host)`);
    if (mode === 'token' && !(url.user && url.password)) throw new NotifyUrlError(`${masked}: mode=token needs USERID:TOKEN@host`);
    const warnings: string[] = [];
    const targets = [...url.segments, ...listOption(url.options.to)].filter((t) => {
      if (CHANNEL.test(t) || USER.test(t) || ROOM.test(t)) return true;
      warnings.push(`${masked}: "${t}" is not a #channel, @user or room id; ignored`);
      return false;
    });
    if (mode !== 'webhook' && !targets.length) throw new NotifyUrlError(`${masked}: a #channel, @user or room id is needed`);
    const secrets = [...(webhook ? [webhook, ...webhook.split('/')] : []), ...(url.password ? [url.password] : [])];
    const auth = mode === 'webhook' ? { webhook } : mode === 'token' ? { user: url.user, token: url.password } : { user: url.user, password: url.password, session: { secrets } };
    return {
      config: { mode, origin, targets, ...auth } as RocketChatConfig,
      secrets,
      masked,
      warnings: [...warnings, ...(secure ? [] : [`${masked}: Rocket.Chat over plain http`])],
    };
  },
  nativeFormat: (_c, input) => (input === 'html' ? 'markdown' : input),
  limits: () => ({ body: 1000, title: 250, titleInBody: true }),
  rate: { capacity: 2, perMs: 1000 },
  build(config, part, ctx) {
    const origin = baseUrl(ctx.endpoints, 'rocketchat', config.origin);
    const text = part.title ? `${part.title}\r\n${part.body}` : part.body;
    if (config.mode === 'webhook') {
      const targets: Array<string | undefined> = config.targets.length ? config.targets : [undefined];
      return targets.map((target) => ({
        method: 'POST', url: `${origin}/hooks/${config.webhook}`,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text, ...(target ? { channel: target } : {}) }),
      }));
    }
    const post = (userId: string, authToken: string, target: string, next?: () => HttpSpec | undefined): HttpSpec => ({
      method: 'POST', url: `${origin}/api/v1/chat.postMessage`,
      headers: { 'Content-Type': 'application/json', 'X-User-Id': userId, 'X-Auth-Token': authToken },
      body: JSON.stringify({ text, ...(ROOM.test(target) ? { roomId: target } : { channel: target }) }),
      check: (body: string) => {
        try {
          return (JSON.parse(body) as { success?: boolean }).success === false ? 'Rocket.Chat answered success:false' : undefined;
        } catch {
          return undefined;
        }
      },
      ...(session ? { onFailure: (status?: number) => { if (status === 401) session.authToken = undefined; } } : {}),
      ...(next ? { then: () => next() } : {}),
    });
    const session = config.session;
    if (!session) return config.targets.map((target) => post(config.user!, config.token!, target));
    if (session.userId && session.authToken) return config.targets.map((target) => post(session.userId!, session.authToken!, target));
    // One chain: login, then every target in turn with the new session.
    const chain = (userId: string, authToken: string, i: number): HttpSpec | undefined =>
      (i < config.targets.length ? post(userId, authToken, config.targets[i], () => chain(userId, authToken, i + 1)) : undefined);
    return [{
      method: 'POST', url: `${origin}/api/v1/login`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: formEncode({ username: config.user, password: config.password }),
      then: (body) => {
        const data = (JSON.parse(body) as { status?: string; data?: { authToken?: string; userId?: string } }).data;
        if (!data?.authToken || !data.userId) throw new Error('Rocket.Chat login returned no authToken');
        session.userId = data.userId;
        session.authToken = data.authToken;
        if (!session.secrets.includes(data.authToken)) session.secrets.push(data.authToken);
        return chain(data.userId, data.authToken, 0);
      },
    }];
  },
  transport: 'http',
};
