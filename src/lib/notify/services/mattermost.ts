// Mattermost (Apprise mmost:// / mmosts://):
// - incoming webhook (default): mmost[s]://[botname@]host[:port][/path]/TOKEN[?to=#chan,…]
//   → POST /path/hooks/TOKEN {text, username, channel?} per channel;
// - bot (mode=bot or team=): the TOKEN is a bot access token → POST /path/api/v4/posts
//   {channel_id, message} with Bearer auth, for channel ids (+ID or ID); a #name is looked
//   up once per target in the team (team= or the URL's user: GET
//   /api/v4/teams/name/TEAM/channels/name/NAME) and its id kept.
// The native https://mattermost.HOST/hooks/TOKEN works too.
import { maskToken } from '../mask';
import { NotifyUrlError, listOption } from '../url';
import type { HttpSpec, ServiceDef } from '../types';
import { baseUrl, requireHost } from './http-common';

export interface MattermostConfig {
  mode: 'webhook' | 'bot';
  origin: string;
  prefix: string;
  token: string;
  botname?: string;
  channels: string[];
  iconUrl?: string;
  team?: string;
  /** Bot mode: channel name → id, learnt from lookups. */
  ids?: Map<string, string>;
}

const CHANNEL = /^#([A-Za-z0-9_-]+)$/;
const CHANNEL_ID = /^\+?([A-Za-z0-9_-]+)$/;

export const mattermost: ServiceDef<MattermostConfig, HttpSpec> = {
  name: 'mattermost',
  schemes: ['mmost', 'mmosts'],
  matchesNative: (url) => /^mattermost\./i.test(url.host) && url.segments[0] === 'hooks' && url.segments.length === 2,
  parse(url) {
    const native = url.scheme === 'https' || url.scheme === 'http';
    const segments = native ? url.segments.slice(1) : [...url.segments];
    const token = segments.pop() ?? '';
    const secure = url.scheme === 'mmosts' || url.scheme === 'https';
    const hostPort = url.port !== undefined ? `${url.host}:${url.port}` : url.host;
    const masked = `${secure ? 'mmosts' : 'mmost'}://${url.user ? `${url.user}@` : ''}${hostPort}/${segments.map(encodeURIComponent).join('/')}${segments.length ? '/' : ''}${maskToken(token)}`;
    requireHost(url, masked);
    if (!token || !/^[\w-]+$/.test(token)) throw new NotifyUrlError(`${masked}: the TOKEN is missing (mmost://host/TOKEN)`);
    const o = url.options;
    const team = o.team || (o.mode?.toLowerCase().startsWith('b') ? url.user : undefined);
    const modeText = o.mode?.toLowerCase();
    const mode = modeText ? (['webhook', 'bot'].find((m) => m.startsWith(modeText)) as MattermostConfig['mode'] | undefined) : team ? 'bot' : 'webhook';
    if (!mode) throw new NotifyUrlError(`${masked}: mode=${modeText} must be webhook or bot`);
    const warnings: string[] = [];
    const channels: string[] = [];
    for (const t of [...listOption(o.to), ...listOption(o.channel), ...listOption(o.channels)]) {
      const name = CHANNEL.exec(t)?.[1];
      const id = CHANNEL_ID.exec(t)?.[1];
      if (mode === 'webhook' && (name ?? id)) channels.push(name ?? id!);
      else if (mode === 'bot' && id && !name) channels.push(id);
      else if (mode === 'bot' && name && team) channels.push(`#${name}`);
      else warnings.push(`${masked}: channel "${t}" ${mode === 'bot' && name ? 'needs a team (team=) for its lookup' : 'is not valid'}; ignored`);
    }
    if (mode === 'bot' && !channels.length) throw new NotifyUrlError(`${masked}: bot mode needs a channel id (?to=+CHANNEL_ID)`);
    return {
      config: {
        mode, origin: `${secure ? 'https' : 'http'}://${hostPort}`, prefix: segments.length ? `/${segments.map(encodeURIComponent).join('/')}` : '',
        token, channels, ...(url.user || o.botname ? { botname: o.botname || url.user } : {}), ...(o.icon_url ? { iconUrl: o.icon_url } : {}),
        ...(mode === 'bot' ? { ids: new Map<string, string>(), ...(team ? { team } : {}) } : {}),
      },
      secrets: [token],
      masked,
      warnings: [...warnings, ...(secure ? [] : [`${masked}: Mattermost over plain http`])],
    };
  },
  nativeFormat: (_c, input) => (input === 'html' ? 'markdown' : input),
  limits: () => ({ body: 4000, title: 250, titleInBody: true }),
  rate: { capacity: 2, perMs: 1000 },
  build(config, part, ctx) {
    // endpoints.mattermost redirects every Mattermost target, as gotify/json do.
    const origin = baseUrl(ctx.endpoints, 'mattermost', config.origin);
    const text = part.title ? `${part.title}\r\n${part.body}` : part.body;
    if (config.mode === 'bot') {
      const auth = { Authorization: `Bearer ${config.token}` };
      const post = (id: string): HttpSpec => ({
        method: 'POST', url: `${origin}${config.prefix}/api/v4/posts`,
        headers: { 'Content-Type': 'application/json', ...auth }, body: JSON.stringify({ channel_id: id, message: text }),
      });
      return config.channels.map((channel) => {
        if (!channel.startsWith('#')) return post(channel);
        const known = config.ids?.get(channel);
        if (known) return post(known);
        return {
          method: 'GET', url: `${origin}${config.prefix}/api/v4/teams/name/${encodeURIComponent(config.team ?? '')}/channels/name/${encodeURIComponent(channel.slice(1))}`,
          headers: { Accept: 'application/json', ...auth },
          then: (body) => {
            const id = (JSON.parse(body) as { id?: string }).id;
            if (!id) throw new Error(`Mattermost has no channel ${channel} in team ${config.team}`);
            config.ids?.set(channel, id);
            return post(id);
          },
        };
      });
    }
    const channels: Array<string | undefined> = config.channels.length ? config.channels : [undefined];
    return channels.map((channel) => ({
      method: 'POST', url: `${origin}${config.prefix}/hooks/${config.token}`,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        text, username: config.botname ?? 'secflow', ...(config.iconUrl ? { icon_url: config.iconUrl } : {}), ...(channel ? { channel } : {}),
      }),
    }));
  },
  transport: 'http',
};
