// Slack (U, S2.2): incoming webhooks slack://[botname@]TA/TB/TC[/#chan…],
// https://hooks.slack.com/services/TA/TB/TC and Shoutrrr slack://hook:TA-TB-TC@webhook;
// bots slack://xoxb-…/#chan and Shoutrrr slack://xoxb:TOKEN@CHANNEL (chat.postMessage,
// which answers HTTP 200 with {"ok":false} on failure).
import { maskToken } from '../mask';
import { NotifyUrlError, type ParsedUrl } from '../url';
import type { HttpSpec, NotifyType, ServiceDef } from '../types';
import { TYPE_COLORS } from './colors';
import { baseUrl, formEncode } from './http-common';
import { isSafeLink } from '../format';

export type SlackMode = 'webhook' | 'bot' | 'workflow' | 'trigger';


export interface SlackConfig {
  mode: SlackMode;
  /** TA/TB/TC for webhooks, xoxb-… for bots, the path segments for workflows/triggers. */
  token: string;
  /** Government cloud webhook (hooks.slack-gov.com). */
  gov?: boolean;
  channels: string[];
  botname?: string;
  footer?: string;
}

const TOKEN_PART = /^[A-Za-z0-9]+$/;
const BOT_TOKEN = /^(?:xoxe\.)?xox[abp]-[A-Za-z0-9-]+$/i;
// Apprise's channel form: #chan, @user, +id or a plain name, optional :thread_ts.
const CHANNEL = /^[+#@]?[A-Za-z0-9_-]{1,32}(?::[0-9.]+)?$/;
const LIST_DELIM = /[\s,#\\/]+/;
/** Apprise's mode names (a prefix is enough, as in Apprise) → ours. */
const MODES: Array<[string, SlackMode | 'gov']> = [['hook', 'webhook'], ['gov-hook', 'gov'], ['bot', 'bot'], ['workflow', 'workflow'], ['trigger', 'trigger']];

interface Read { mode: SlackMode; token: string; gov?: boolean; channels: string[]; botname?: string; explicit?: boolean }

function nativeRead(url: ParsedUrl): Read {
  const host = url.host.toLowerCase();
  const [kind, ...rest] = url.segments;
  if (kind === 'services' && rest.length >= 3) return { mode: 'webhook', token: rest.slice(0, 3).join('/'), gov: host === 'hooks.slack-gov.com', channels: rest.slice(3) };
  if (host === 'hooks.slack.com' && kind === 'workflows') return { mode: 'workflow', token: rest.join('/'), channels: [], explicit: true };
  if (host === 'hooks.slack.com' && kind === 'triggers') return { mode: 'trigger', token: rest.join('/'), channels: [], explicit: true };
  throw new NotifyUrlError('a Slack webhook URL needs /services/TA/TB/TC, /workflows/… or /triggers/…');
}

function read(url: ParsedUrl): Read {
  if (url.scheme === 'https') return nativeRead(url);
  const user = url.user?.toLowerCase();
  if (user === 'hook') return { mode: 'webhook', token: (url.password ?? '').split('-').join('/'), channels: url.options.channel ? [url.options.channel] : [] };
  if (user === 'xoxb' || user === 'xoxp') return { mode: 'bot', token: `${user}-${url.password ?? ''}`, channels: [url.host, ...url.segments].filter(Boolean) };
  const modeText = url.options.mode?.toLowerCase();
  const found = modeText ? MODES.find(([name]) => name.startsWith(modeText)) : undefined;
  if (modeText && !found) throw new NotifyUrlError(`mode=${modeText} must be hook, gov-hook, bot, workflow or trigger`);
  const explicit = found ? (found[1] === 'gov' ? 'webhook' : found[1]) : undefined;
  const gov = found?.[1] === 'gov';
  const botname = url.user || url.options.user || undefined;
  if (explicit === 'workflow' || explicit === 'trigger') return { mode: explicit, token: [url.host, ...url.segments].filter(Boolean).join('/'), channels: [], botname, explicit: true };
  let r: Read;
  const tokenOption = url.options.token ? url.options.token.split(LIST_DELIM).filter(Boolean) : undefined;
  if (tokenOption?.length) {
    // ?token= replaces whatever the host and path held; the path then lists channels.
    r = tokenOption[0].toLowerCase().startsWith('xo')
      ? { mode: 'bot', token: tokenOption[0], channels: [...url.segments] }
      : { mode: 'webhook', token: tokenOption.slice(0, 3).join('/'), channels: [...url.segments] };
  } else if (url.host.toLowerCase().startsWith('xo')) {
    r = { mode: 'bot', token: url.host, channels: [...url.segments] };
  } else {
    r = { mode: 'webhook', token: [url.host, ...url.segments.slice(0, 2)].join('/'), channels: url.segments.slice(2) };
  }
  if (explicit && explicit !== r.mode) throw new NotifyUrlError(`mode=${modeText} does not fit the token given`);
  const to = (url.options.to ?? '').split(LIST_DELIM).filter(Boolean).map((c) => (/^[+@]/.test(c) ? c : `#${c}`));
  return { ...r, gov, botname, channels: [...r.channels, ...to] };
}

function maskFor(r: Read): string {
  if (r.mode === 'bot') return `slack://${maskToken(r.token)}/`;
  const masked = `slack://${r.token.split('/').map(maskToken).join('/')}/`;
  return r.mode === 'webhook' ? (r.gov ? `${masked}?mode=gov-hook` : masked) : `${masked}?mode=${r.mode}`;
}

export const slack: ServiceDef<SlackConfig, HttpSpec> = {
  name: 'slack',
  schemes: ['slack'],
  matchesNative: (url) => /^hooks\.slack(-gov)?\.com$/i.test(url.host),
  parse(url) {
    const r = read(url);
    const { mode, token } = r;
    const masked = maskFor(r);
    const parts = token.split('/').filter(Boolean);
    const warnings: string[] = [];
    if (mode === 'webhook') {
      if (parts.length !== 3) throw new NotifyUrlError(`${masked}: a Slack webhook needs three tokens TA/TB/TC`);
      if (!parts.every((p) => TOKEN_PART.test(p))) throw new NotifyUrlError(`${masked}: Slack webhook tokens are letters and digits only`);
    } else if (mode === 'bot') {
      if (!BOT_TOKEN.test(token)) throw new NotifyUrlError(`${masked}: the Slack bot token must look like xoxb-… (or xoxe.xoxb-…)`);
    } else {
      // Workflow Builder webhooks: /workflows/T/F/X/Y (4 segments), triggers /triggers/T/X/Y (3).
      const expected = mode === 'workflow' ? 4 : 3;
      if (parts.length !== expected || !parts.every((p) => TOKEN_PART.test(p))) throw new NotifyUrlError(`${masked}: a Slack ${mode} URL needs exactly ${expected} path segments of letters and digits`);
    }
    // As Apprise: channels that are no channel, user or id are dropped with a warning.
    const channels = r.channels.filter((c) => {
      if (CHANNEL.test(c)) return true;
      warnings.push(`${masked}: "${c}" is not a Slack channel (#name, @user, +id); ignored`);
      return false;
    });
    // A bot needs a channel: Apprise's default is #general.
    if (mode === 'bot' && channels.length === 0) {
      if (r.channels.length) throw new NotifyUrlError(`${masked}: no valid channel`);
      channels.push('#general');
    }
    return {
      config: { mode, token: parts.join('/') || token, ...(r.gov ? { gov: true } : {}), channels, botname: url.options.botname || r.botname || undefined, footer: url.options.footer || undefined },
      secrets: mode === 'bot' ? [token] : [parts.join('/'), ...parts.slice(1)],
      masked,
      warnings,
    };
  },
  nativeFormat: () => 'markdown',
  limits: () => ({ body: 35000, title: 250 }),
  // Files need the Web API (a bot token): webhooks cannot take them. Uploads go to
  // channel IDs (C…/G…/D…), as files.completeUploadExternal requires.
  attachments: (c) => {
    if (c.mode !== 'bot') return { refused: 'Slack webhooks cannot take files; use a bot token (slack://xoxb-…/#channel)' };
    const named = c.channels.find((ch) => !/^[CGD][A-Z0-9]{6,}$/.test(ch.replace(/^#/, '').split(':')[0]));
    if (named) return { refused: `Slack file uploads need channel IDs (C0123ABCD), not ${named}` };
    return { maxBytes: 1024 * 1024 * 1024, maxCount: 10 };
  },
  rate: { capacity: 1, perMs: 1000 },
  build(config, part, ctx) {
    const escape = part.markup ? (text: string) => text : escapeMrkdwn;
    if (config.mode === 'workflow' || config.mode === 'trigger') {
      // Workflow Builder takes the variables its workflow declares: Apprise sends `text`.
      const url = `${baseUrl(ctx.endpoints, 'slack', 'https://hooks.slack.com')}/${config.mode === 'workflow' ? 'workflows' : 'triggers'}/${config.token}`;
      return [{ method: 'POST', url, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify({ text: escape(part.title ? `${part.title}: ${part.body}` : part.body) }) }];
    }
    const attachment = (type: NotifyType) => ({
      ...(part.title ? { title: escape(part.title) } : {}), text: toMrkdwn(part.body, part.inputFormat === 'text', escape), color: TYPE_COLORS[type].hex,
      ts: Math.floor(ctx.now()), ...(config.footer ? { footer: config.footer } : {}),
    });
    if (config.mode === 'bot') {
      const api = `${baseUrl(ctx.endpoints, 'slack', 'https://slack.com')}/api`;
      const url = `${api}/chat.postMessage`;
      const bearer = { Authorization: `Bearer ${config.token}` };
      // Each file: files.getUploadURLExternal → the bytes to its upload_url (no token) → files.completeUploadExternal.
      const uploads = (part.attachments ?? []).flatMap((file) => config.channels.map((written): HttpSpec => ({
        method: 'POST', url: `${api}/files.getUploadURLExternal`,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...bearer },
        body: formEncode({ filename: file.name, length: file.data.length }),
        check: checkBot,
        then: (body) => {
          const { upload_url: uploadUrl, file_id: fileId } = JSON.parse(body) as { upload_url?: string; file_id?: string };
          if (!uploadUrl || !fileId) throw new Error('Slack returned no upload_url');
          return {
            method: 'POST', url: uploadUrl, headers: { 'Content-Type': file.mimetype }, body: file.data,
            then: () => ({
              method: 'POST', url: `${api}/files.completeUploadExternal`,
              headers: { 'Content-Type': 'application/json; charset=utf-8', ...bearer },
              body: JSON.stringify({ files: [{ id: fileId, title: file.name }], channel_id: written.replace(/^#/, '').split(':')[0] }),
              check: checkBot,
            }),
          };
        },
      })));
      return [...config.channels.map((written): HttpSpec => {
        // `#chan:1700000000.0001` replies in that thread.
        const [channel, threadTs] = written.split(':');
        return {
        method: 'POST', url,
        headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${config.token}` },
        body: JSON.stringify({ channel: channel.replace(/^#/, ''), ...(threadTs ? { thread_ts: threadTs } : {}), text: escape(part.title || firstLine(part.body)), attachments: [attachment(part.type)], ...(config.botname ? { username: config.botname } : {}) }),
        check: checkBot,
        };
      }), ...uploads];
    }
    const url = config.gov
      ? `${baseUrl(ctx.endpoints, 'slack-gov', 'https://hooks.slack-gov.com')}/services/${config.token}`
      : `${baseUrl(ctx.endpoints, 'slack', 'https://hooks.slack.com')}/services/${config.token}`;
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
