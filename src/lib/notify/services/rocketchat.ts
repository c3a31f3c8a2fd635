// Rocket.Chat (Apprise rocket:// / rockets://):
// - incoming webhook: rocket://[botname:]TOKEN_A/TOKEN_B@host[:port][/#channel|/@user|/roomid…]
//   (also ?webhook=TA/TB, mode=webhook) → POST /hooks/TA/TB {text, channel?} per target;
// - personal access token: rocket://USERID:TOKEN@host/#channel (token longer than 32
//   characters, or mode=token) → POST /api/v1/chat.postMessage with X-User-Id/X-Auth-Token.
// Apprise's user:password mode logs in first (a round trip per send): refused here,
// with a pointer to a personal access token.
import { maskPassword, maskToken } from '../mask';
import { NotifyUrlError, listOption, parseUrl, type ParsedUrl } from '../url';
import type { HttpSpec, ServiceDef } from '../types';
import { baseUrl, requireHost } from './http-common';

export interface RocketChatConfig {
  mode: 'webhook' | 'token';
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
    if (mode === 'basic') {
      if (!url.user || !url.password) throw new NotifyUrlError(`${masked}: a webhook (rocket://TA/TB@host) or USERID:TOKEN is needed`);
      throw new NotifyUrlError(`${masked}: user:password login is not supported; use a personal access token (rocket://USERID:TOKEN@host/#channel?mode=token) or an incoming webhook`);
    }
    if (mode === 'webhook' && !webhook) throw new NotifyUrlError(`${masked}: no incoming webhook (rocket://TOKEN_A/TOKEN_B@host)`);
    if (mode === 'token' && !(url.user && url.password)) throw new NotifyUrlError(`${masked}: mode=token needs USERID:TOKEN@host`);
    const warnings: string[] = [];
    const targets = [...url.segments, ...listOption(url.options.to)].filter((t) => {
      if (CHANNEL.test(t) || USER.test(t) || ROOM.test(t)) return true;
      warnings.push(`${masked}: "${t}" is not a #channel, @user or room id; ignored`);
      return false;
    });
    if (mode === 'token' && !targets.length) throw new NotifyUrlError(`${masked}: a #channel, @user or room id is needed`);
    return {
      config: { mode, origin, targets, ...(mode === 'webhook' ? { webhook } : { user: url.user, token: url.password }) } as RocketChatConfig,
      secrets: [...(webhook ? [webhook, ...webhook.split('/')] : []), ...(url.password ? [url.password] : [])],
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
    return config.targets.map((target) => ({
      method: 'POST', url: `${origin}/api/v1/chat.postMessage`,
      headers: { 'Content-Type': 'application/json', 'X-User-Id': config.user!, 'X-Auth-Token': config.token! },
      body: JSON.stringify({ text, ...(ROOM.test(target) ? { roomId: target } : { channel: target }) }),
      check: (body: string) => {
        try {
          return (JSON.parse(body) as { success?: boolean }).success === false ? 'Rocket.Chat answered success:false' : undefined;
        } catch {
          return undefined;
        }
      },
    }));
  },
  transport: 'http',
};
