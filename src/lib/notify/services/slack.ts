// Slack (U, S2.2): incoming webhooks slack://[botname@]TA/TB/TC[/#chan…],
// https://hooks.slack.com/services/TA/TB/TC and Shoutrrr slack://hook:TA-TB-TC@webhook;
// bots slack://xoxb-…/#chan and Shoutrrr slack://xoxb:TOKEN@CHANNEL (chat.postMessage,
// which answers HTTP 200 with {"ok":false} on failure).
import { maskToken } from '../mask';
import { NotifyUrlError, type ParsedUrl } from '../url';
import type { HttpSpec, NotifyType, ServiceDef } from '../types';
import { TYPE_COLORS } from './colors';
import { baseUrl } from './http-common';
import { isSafeLink } from '../format';

export interface SlackConfig {
  mode: 'webhook' | 'bot';
  /** TA/TB/TC for webhooks, xoxb-… for bots. */
  token: string;
  channels: string[];
  botname?: string;
  footer?: string;
}

const TOKEN_PART = /^[A-Za-z0-9]+$/;

function read(url: ParsedUrl): { mode: 'webhook' | 'bot'; token: string; channels: string[]; botname?: string } {
  if (url.scheme === 'https') {
    if (url.segments[0] !== 'services' || url.segments.length < 4) throw new NotifyUrlError('a Slack webhook URL needs /services/TA/TB/TC');
    return { mode: 'webhook', token: url.segments.slice(1, 4).join('/'), channels: url.segments.slice(4) };
  }
  const user = url.user?.toLowerCase();
  if (user === 'hook') return { mode: 'webhook', token: (url.password ?? '').split('-').join('/'), channels: url.options.channel ? [url.options.channel] : [] };
  if (user === 'xoxb' || user === 'xoxp') return { mode: 'bot', token: `${user}-${url.password ?? ''}`, channels: [url.host, ...url.segments].filter(Boolean) };
  if (/^xox[bp]-/i.test(url.host)) return { mode: 'bot', token: url.host, channels: url.segments, botname: url.user };
  return { mode: 'webhook', token: [url.host, ...url.segments.slice(0, 2)].join('/'), channels: url.segments.slice(2), botname: url.user };
}

function maskFor(mode: string, token: string): string {
  return mode === 'bot' ? `slack://${maskToken(token)}/` : `slack://${token.split('/').map(maskToken).join('/')}/`;
}

export const slack: ServiceDef<SlackConfig, HttpSpec> = {
  name: 'slack',
  schemes: ['slack'],
  matchesNative: (url) => url.host.toLowerCase() === 'hooks.slack.com',
  parse(url) {
    const { mode, token, channels, botname } = read(url);
    const masked = maskFor(mode, token);
    if (mode === 'webhook') {
      const parts = token.split('/');
      if (parts.length !== 3 || parts.some((p) => !p)) throw new NotifyUrlError(`${masked}: a Slack webhook needs three tokens TA/TB/TC`);
      if (!parts.every((p) => TOKEN_PART.test(p))) throw new NotifyUrlError(`${masked}: Slack webhook tokens are letters and digits only`);
    } else {
      if (!/^xox[bp]-[\w-]+$/.test(token)) throw new NotifyUrlError(`${masked}: the Slack bot token must look like xoxb-…`);
      if (channels.length === 0) throw new NotifyUrlError(`${masked}: a Slack bot needs a channel (slack://xoxb-…/#channel)`);
    }
    return {
      config: { mode, token, channels, botname: url.options.botname || botname || undefined, footer: url.options.footer || undefined },
      secrets: mode === 'webhook' ? [token, ...token.split('/').slice(1)] : [token],
      masked,
    };
  },
  nativeFormat: () => 'markdown',
  limits: () => ({ body: 35000, title: 250 }),
  rate: { capacity: 1, perMs: 1000 },
  build(config, part, ctx) {
    const escape = part.markup ? (text: string) => text : escapeMrkdwn;
    const attachment = (type: NotifyType) => ({
      ...(part.title ? { title: escape(part.title) } : {}), text: toMrkdwn(part.body, part.inputFormat === 'text', escape), color: TYPE_COLORS[type].hex,
      ts: Math.floor(ctx.now()), ...(config.footer ? { footer: config.footer } : {}),
    });
    if (config.mode === 'bot') {
      const url = `${baseUrl(ctx.endpoints, 'slack', 'https://slack.com')}/api/chat.postMessage`;
      return config.channels.map((channel) => ({
        method: 'POST', url,
        headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${config.token}` },
        body: JSON.stringify({ channel: channel.replace(/^#/, ''), text: escape(part.title || firstLine(part.body)), attachments: [attachment(part.type)], ...(config.botname ? { username: config.botname } : {}) }),
        check: checkBot,
      }));
    }
    const url = `${baseUrl(ctx.endpoints, 'slack', 'https://hooks.slack.com')}/services/${config.token}`;
    const channels: Array<string | undefined> = config.channels.length ? config.channels : [undefined];
    return channels.map((channel) => ({
      method: 'POST', url,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ ...(config.botname ? { username: config.botname } : {}), ...(channel ? { channel } : {}), mrkdwn: true, attachments: [attachment(part.type)] }),
    }));
  },
  transport: 'http',
};

function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 150);
}

/**
 * Slack's control characters, escaped as Apprise does: event text can then never
 * form a mention (<!channel>, <@U123>) or a link of its own.
 */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Markdown → Slack mrkdwn (bold, http(s)/mailto links); plain text only has &, <, > escaped (unless it may carry markup). */
function toMrkdwn(body: string, plain: boolean, escape: (text: string) => string): string {
  const escaped = escape(body);
  if (plain) return escaped;
  return escaped.replace(/\*\*([^*]+)\*\*/g, '*$1*')
    .replace(/\[([^\]]+)\]\(([^)\s|]+)\)/g, (whole, label: string, url: string) => (isSafeLink(url) ? `<${url}|${label.replace(/\|/g, '/')}>` : whole));
}

function checkBot(body: string): string | undefined {
  try {
    const res = JSON.parse(body) as { ok?: boolean; error?: string };
    return res.ok === false ? `Slack error ${res.error ?? 'unknown'}` : undefined;
  } catch {
    return 'Slack answered with a body that is not JSON';
  }
}
