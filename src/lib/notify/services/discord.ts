// Discord webhooks (U, S7): discord://[botname@]ID/TOKEN, the native
// https://discord.com/api/webhooks/ID/TOKEN and Shoutrrr discord://TOKEN@ID.
// Built here as discord.js WebhookClient send options; sent by transports/discord.ts.
import { maskToken } from '../mask';
import { NotifyUrlError, type ParsedUrl, listOption, yesNo } from '../url';
import type { ServiceDef } from '../types';
import { TYPE_COLORS } from './colors';

export interface DiscordConfig {
  id: string;
  token: string;
  botname?: string;
  avatarUrl?: string;
  tts: boolean;
  threadId?: string;
  users: string[];
  roles: string[];
  flags?: number;
}

/** What WebhookClient.send() receives (discord.js option names). */
export interface DiscordMessage {
  id: string;
  token: string;
  options: {
    content?: string;
    embeds?: Array<{ title?: string; description?: string; color: number }>;
    username?: string;
    avatarURL?: string;
    tts: boolean;
    threadId?: string;
    flags?: number;
    files?: Array<{ attachment: Buffer; name: string; contentType: string }>;
    allowedMentions: { parse: []; users?: string[]; roles?: string[] };
  };
}

const NATIVE_HOSTS = /^((ptb|canary)\.)?discord(app)?\.com$/i;

function readIdToken(url: ParsedUrl): { id: string; token: string; botname?: string } {
  if (url.scheme === 'https' || url.scheme === 'http') {
    const i = url.segments.indexOf('webhooks');
    if (i < 0 || url.segments.length < i + 3) throw new NotifyUrlError('a Discord webhook URL needs /api/webhooks/ID/TOKEN');
    return { id: url.segments[i + 1], token: url.segments[i + 2] };
  }
  if (url.segments.length >= 1) return { id: url.host, token: url.segments[0], botname: url.user };
  // Shoutrrr: discord://TOKEN@ID
  if (url.user) return { id: url.host, token: url.user };
  throw new NotifyUrlError('a Discord URL needs a webhook ID and TOKEN (discord://ID/TOKEN)');
}

export const discord: ServiceDef<DiscordConfig, DiscordMessage> = {
  name: 'discord',
  schemes: ['discord'],
  matchesNative: (url) => NATIVE_HOSTS.test(url.host) && /^\/api(\/v\d+)?\/webhooks\//.test(url.path),
  parse(url) {
    const { id, token, botname } = readIdToken(url);
    const mask = (t: string) => `discord://${maskToken(id)}/${maskToken(t)}/`;
    if (!id) throw new NotifyUrlError(`${mask(token)}: the webhook ID is missing`);
    if (!token) throw new NotifyUrlError(`discord://${maskToken(id)}/: the webhook TOKEN is missing`);
    // Apprise takes any webhook ID (Discord's are numeric, proxies may differ).
    if (!/^[\w-]+$/.test(id)) throw new NotifyUrlError(`${mask(token)}: the webhook ID has characters webhook IDs never have`);
    if (!/^[\w-]+$/.test(token)) throw new NotifyUrlError(`${mask(token)}: the webhook TOKEN has characters Discord tokens never have`);
    const warnings: string[] = [];
    const users: string[] = [];
    const roles: string[] = [];
    for (const p of listOption(url.options.ping)) {
      const m = /^<?@?(&)?(\d+)>?$/.exec(p);
      // Everything else (@everyone, names) would never ping: allowed_mentions parse stays [].
      if (!m) {
        warnings.push(`${mask(token)}: ping=${p} is not a user ID or &role ID; ignored`);
        continue;
      }
      (m[1] ? roles : users).push(m[2]);
    }
    const thread = url.options.thread ?? url.options.thread_id;
    if (thread !== undefined && !/^\d+$/.test(thread)) throw new NotifyUrlError(`${mask(token)}: thread=${thread} must be numeric`);
    const flagsText = url.options.flags;
    if (flagsText !== undefined && flagsText !== '' && !/^\d+$/.test(flagsText)) throw new NotifyUrlError(`${mask(token)}: flags=${flagsText} must be a non-negative integer`);
    return {
      config: {
        id, token,
        ...(flagsText ? { flags: Number(flagsText) } : {}),
        botname: url.options.botname || botname || undefined,
        avatarUrl: url.options.avatar_url || undefined,
        tts: yesNo(url.options.tts, false),
        threadId: thread || undefined,
        users, roles,
      },
      secrets: [token],
      masked: mask(token),
      warnings,
    };
  },
  nativeFormat: (_c, input) => (input === 'html' ? 'markdown' : input),
  // Text: 2000 including the title; markdown goes into an embed (description 4096, title 256).
  limits: (_c, native) => (native === 'markdown' ? { body: 4096, title: 256 } : { body: 2000, title: 256, titleInBody: true }),
  // Webhook uploads: up to 10 files, 25 MiB per message (Discord's default upload limit).
  attachments: () => ({ maxBytes: 25 * 1024 * 1024, maxCount: 10 }),
  rate: { capacity: 5, perMs: 2000 },
  build(config, part) {
    const pings = [...config.users.map((u) => `<@${u}>`), ...config.roles.map((r) => `<@&${r}>`)].join(' ');
    const allowedMentions: DiscordMessage['options']['allowedMentions'] = { parse: [] };
    if (config.users.length) allowedMentions.users = config.users;
    if (config.roles.length) allowedMentions.roles = config.roles;
    const options: DiscordMessage['options'] = { tts: config.tts, allowedMentions };
    if (part.format === 'markdown') {
      options.embeds = [{ ...(part.title ? { title: part.title } : {}), ...(part.body ? { description: part.body } : {}), color: TYPE_COLORS[part.type].int }];
      if (pings) options.content = pings;
    } else {
      const text = part.title ? `${part.title}\r\n${part.body}` : part.body;
      options.content = pings ? `${pings} ${text}` : text;
    }
    if (config.botname) options.username = config.botname;
    if (config.avatarUrl) options.avatarURL = config.avatarUrl;
    if (config.threadId) options.threadId = config.threadId;
    if (config.flags) options.flags = config.flags;
    if (part.attachments?.length) options.files = part.attachments.map((f) => ({ attachment: f.data, name: f.name, contentType: f.mimetype }));
    return [{ id: config.id, token: config.token, options }];
  },
  transport: 'discord',
};
