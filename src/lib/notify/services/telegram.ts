// Telegram (U): tgram://BOTTOKEN/CHAT[:TOPIC][/CHAT…] and Shoutrrr
// telegram://TOKEN@telegram?chats=…; one sendMessage per chat, Telegram HTML,
// title as <b>title</b>. Telegram reports failures as {"ok":false,…}.
import { maskToken } from '../mask';
import { toTelegramHtml, escapeHtml } from '../format';
import { NotifyUrlError, listOption, yesNo } from '../url';
import type { HttpSpec, ServiceDef } from '../types';
import FormData from 'form-data';
import { baseUrl } from './http-common';

export interface TelegramConfig {
  token: string;
  chats: Array<{ id: string; topic?: number }>;
  silent: boolean;
  preview: boolean;
}

const BOT_TOKEN = /^\d+:[\w-]+$/;
// Apprise's chat forms: a numeric id, or a name with or without '@', each with an optional ':TOPIC'.
const CHAT = /^(?:(-?\d{1,32})|(?:@|%40)?([a-z_-][a-z0-9_-]+))(?::(\d+))?$/i;

export const telegram: ServiceDef<TelegramConfig, HttpSpec> = {
  name: 'telegram',
  schemes: ['tgram', 'telegram'],
  parse(url) {
    const shoutrrr = url.scheme === 'telegram';
    const token = shoutrrr ? `${url.user ?? ''}:${url.password ?? ''}` : `${url.host}:${url.portText ?? ''}`;
    const masked = `${url.scheme}://${maskToken(token)}/`;
    if (!BOT_TOKEN.test(token)) throw new NotifyUrlError(`${masked}: the bot token must look like 123456:ABC-… (tgram://BOTTOKEN/CHAT)`);
    const content = url.options.content?.toLowerCase();
    if (content && content !== 'before' && content !== 'after') throw new NotifyUrlError(`${masked}: content=${content} must be before or after`);
    const chatTexts = shoutrrr ? listOption(url.options.chats) : [...url.segments, ...listOption(url.options.to)];
    if (chatTexts.length === 0) throw new NotifyUrlError(`${masked}: at least one chat ID is needed (tgram://BOTTOKEN/CHAT or ?to=CHAT)`);
    const defaultTopic = url.options.topic ?? url.options.thread;
    if (defaultTopic !== undefined && !/^\d+$/.test(defaultTopic)) throw new NotifyUrlError(`${masked}: topic=${defaultTopic} must be numeric`);
    // As Apprise: a chat that is neither an id nor a name is dropped with a warning.
    const warnings: string[] = [];
    const chats: TelegramConfig['chats'] = [];
    for (const text of chatTexts) {
      const m = CHAT.exec(text);
      if (!m) {
        warnings.push(`${masked}: chat "${text}" is neither a numeric ID nor a @name; ignored`);
        continue;
      }
      const topic = m[3] ?? defaultTopic;
      chats.push({ id: m[1] ?? `@${m[2]}`, ...(topic ? { topic: Number(topic) } : {}) });
    }
    if (chats.length === 0) throw new NotifyUrlError(`${masked}: no valid chat (a numeric ID or a @name)`);
    return {
      config: { token, chats, silent: yesNo(url.options.silent, false), preview: yesNo(url.options.preview, false) },
      secrets: [token, token.split(':')[1]],
      masked,
      warnings,
    };
  },
  nativeFormat: () => 'html',
  limits: () => ({ body: 4096, title: 250, titleInBody: true }),
  // Bot API: documents up to 50 MB, one sendDocument per file.
  attachments: () => ({ maxBytes: 50 * 1024 * 1024, maxCount: 10 }),
  rate: { capacity: 1, perMs: 1000 },
  build(config, part, ctx) {
    const body = part.format === 'html' ? toTelegramHtml(part.body, 'html') : part.body;
    const text = part.title ? `<b>${escapeHtml(part.title)}</b>\r\n${body}` : body;
    const api = `${baseUrl(ctx.endpoints, 'telegram', 'https://api.telegram.org')}/bot${config.token}`;
    const url = `${api}/sendMessage`;
    const documents = (part.attachments ?? []).flatMap((file) => config.chats.map((chat): HttpSpec => {
      const form = new FormData();
      form.append('chat_id', chat.id);
      if (chat.topic !== undefined) form.append('message_thread_id', String(chat.topic));
      if (config.silent) form.append('disable_notification', 'true');
      form.append('document', file.data, { filename: file.name, contentType: file.mimetype });
      return { method: 'POST', url: `${api}/sendDocument`, headers: form.getHeaders(), body: form.getBuffer(), check: checkTelegram };
    }));
    // With files and no text, only the documents go.
    const messages = text.trim() || !documents.length ? config.chats : [];
    return [...messages.map((chat) => ({
      method: 'POST', url,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        chat_id: chat.id, text, parse_mode: 'HTML', disable_notification: config.silent,
        disable_web_page_preview: !config.preview, ...(chat.topic !== undefined ? { message_thread_id: chat.topic } : {}),
      }),
      check: checkTelegram,
    })), ...documents];
  },
  transport: 'http',
};

function checkTelegram(body: string): string | undefined {
  try {
    const res = JSON.parse(body) as { ok?: boolean; description?: string; error_code?: number };
    return res.ok === false ? `Telegram error ${res.error_code ?? ''} ${res.description ?? ''}`.trim() : undefined;
  } catch {
    return 'Telegram answered with a body that is not JSON';
  }
}
