// Telegram (U): tgram://BOTTOKEN/CHAT[:TOPIC][/CHAT…] and Shoutrrr
// telegram://TOKEN@telegram?chats=…; one sendMessage per chat, Telegram HTML,
// title as <b>title</b>. Telegram reports failures as {"ok":false,…}.
import { maskToken } from '../mask';
import { toTelegramHtml, escapeHtml } from '../format';
import { NotifyUrlError, listOption, yesNo } from '../url';
import type { HttpSpec, ServiceDef } from '../types';
import { baseUrl } from './http-common';

export interface TelegramConfig {
  token: string;
  chats: Array<{ id: string; topic?: number }>;
  silent: boolean;
  preview: boolean;
}

const BOT_TOKEN = /^\d+:[\w-]+$/;
const CHAT = /^(-?\d+|@[A-Za-z][\w]{3,})(?::(\d+))?$/;

export const telegram: ServiceDef<TelegramConfig, HttpSpec> = {
  name: 'telegram',
  schemes: ['tgram', 'telegram'],
  parse(url) {
    const shoutrrr = url.scheme === 'telegram';
    const token = shoutrrr ? `${url.user ?? ''}:${url.password ?? ''}` : `${url.host}:${url.portText ?? ''}`;
    const masked = `${url.scheme}://${maskToken(token)}/`;
    if (!BOT_TOKEN.test(token)) throw new NotifyUrlError(`${masked}: the bot token must look like 123456:ABC-… (tgram://BOTTOKEN/CHAT)`);
    const chatTexts = shoutrrr ? listOption(url.options.chats) : url.segments;
    if (chatTexts.length === 0) throw new NotifyUrlError(`${masked}: at least one chat ID is needed (tgram://BOTTOKEN/CHAT)`);
    const defaultTopic = url.options.topic ?? url.options.thread;
    if (defaultTopic !== undefined && !/^\d+$/.test(defaultTopic)) throw new NotifyUrlError(`${masked}: topic=${defaultTopic} must be numeric`);
    const chats = chatTexts.map((text) => {
      const m = CHAT.exec(text);
      if (!m) throw new NotifyUrlError(`${masked}: chat "${text}" must be a numeric ID or @channel`);
      const topic = m[2] ?? defaultTopic;
      return { id: m[1], ...(topic ? { topic: Number(topic) } : {}) };
    });
    return {
      config: { token, chats, silent: yesNo(url.options.silent, false), preview: yesNo(url.options.preview, false) },
      secrets: [token, token.split(':')[1]],
      masked,
    };
  },
  nativeFormat: () => 'html',
  limits: () => ({ body: 4096, title: 250, titleInBody: true }),
  rate: { capacity: 1, perMs: 1000 },
  build(config, part, ctx) {
    const body = part.format === 'html' ? toTelegramHtml(part.body, 'html') : part.body;
    const text = part.title ? `<b>${escapeHtml(part.title)}</b>\r\n${body}` : body;
    const url = `${baseUrl(ctx.endpoints, 'telegram', 'https://api.telegram.org')}/bot${config.token}/sendMessage`;
    return config.chats.map((chat) => ({
      method: 'POST', url,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        chat_id: chat.id, text, parse_mode: 'HTML', disable_notification: config.silent,
        disable_web_page_preview: !config.preview, ...(chat.topic !== undefined ? { message_thread_id: chat.topic } : {}),
      }),
      check: checkTelegram,
    }));
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
