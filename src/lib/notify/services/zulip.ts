// Zulip (Apprise zulip://): zulip://BOTNAME@ORG[.HOSTNAME]/TOKEN[/STREAM|/EMAIL…]
// (token also ?token=, targets also ?to=). POSTs a form to
// https://ORG.HOSTNAME/api/v1/messages (HOSTNAME defaults to zulipchat.com) with
// Basic auth BOTNAME-bot@ORG.HOSTNAME:TOKEN; one message per stream or address,
// the title as the topic. endpoints.zulip stands in for *.zulipchat.com only.
import { maskToken } from '../mask';
import { NotifyUrlError, listOption } from '../url';
import type { HttpSpec, ServiceDef } from '../types';
import { basicAuth, baseUrl, formEncode } from './http-common';

export interface ZulipConfig {
  bot: string;
  org: string;
  hostname: string;
  token: string;
  targets: string[];
}

const NAME = /^[A-Za-z0-9_-]{1,32}$/;
const ORG = /^([A-Za-z0-9_-]{1,32})(?:\.(\S+))?$/;
const TOKEN = /^[A-Za-z0-9]{32}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const zulip: ServiceDef<ZulipConfig, HttpSpec> = {
  name: 'zulip',
  schemes: ['zulip'],
  parse(url) {
    const segments = [...url.segments];
    const token = url.options.token || segments.shift() || '';
    const targets = [...segments, ...listOption(url.options.to)];
    const bot = (url.user ?? '').trim().replace(/-bot$/, '');
    const org = ORG.exec(url.host);
    const masked = `zulip://${bot}@${url.host}/${maskToken(token)}/${targets.join('/')}`;
    if (!NAME.test(bot)) throw new NotifyUrlError(`${masked}: the bot name is missing or invalid (zulip://BOTNAME@ORG/TOKEN)`);
    if (!org) throw new NotifyUrlError(`${masked}: the organization is missing or invalid (zulip://BOTNAME@ORG/TOKEN)`);
    if (!TOKEN.test(token)) throw new NotifyUrlError(`${masked}: the bot token must be 32 letters and digits`);
    return {
      config: { bot, org: org[1], hostname: org[2] ?? 'zulipchat.com', token, targets: targets.length ? targets : ['general'] },
      secrets: [token],
      masked,
    };
  },
  nativeFormat: (_c, input) => (input === 'html' ? 'markdown' : input),
  limits: () => ({ body: 10000, title: 60 }),
  rate: { capacity: 2, perMs: 1000 },
  build(config, part, ctx) {
    const origin = `https://${config.org}.${config.hostname}`;
    const base = config.hostname === 'zulipchat.com' ? baseUrl(ctx.endpoints, 'zulip', origin) : origin;
    const auth = basicAuth(`${config.bot}-bot@${config.org}.${config.hostname}`, config.token);
    return config.targets.map((target) => ({
      method: 'POST', url: `${base}/api/v1/messages`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', Authorization: auth },
      body: formEncode({ type: EMAIL.test(target) ? 'private' : 'stream', to: target, subject: part.title, content: part.body }),
    }));
  },
  transport: 'http',
};
