// Discord through discord.js 14's WebhookClient ({id, token} form; the {url}
// form only accepts discord.com). `rest.api` comes from endpoints.discord so a
// self-hosted proxy or the emulator can be used. REST retries are off (the
// delivery layer retries) and rate limits reject, so a RateLimitError pauses this
// target instead of discord.js waiting (or spinning) on its own.
import { WebhookClient } from 'discord.js';
import type { CommonOptions } from '../types';
import type { DiscordMessage } from '../services/discord';
import { DeliveryError, type Transport } from './types';

export const DISCORD_API = 'https://discord.com/api';

export class DiscordTransport implements Transport<DiscordMessage> {
  private client?: WebhookClient;

  constructor(private readonly api: string, private readonly common: CommonOptions) {}

  async send(message: DiscordMessage): Promise<{ status: number }> {
    this.client ??= new WebhookClient({ id: message.id, token: message.token }, {
      allowedMentions: { parse: [] },
      rest: { api: this.api, timeout: this.common.readTimeoutMs, retries: 0, rejectOnRateLimit: () => true },
    });
    try {
      await this.client.send(message.options);
      return { status: 200 };
    } catch (err) {
      throw classify(err);
    }
  }

  close(): void {
    this.client?.destroy();
    this.client = undefined;
  }
}

function classify(err: unknown): DeliveryError {
  const e = err as { name?: string; message?: string; status?: number; code?: number | string; retryAfter?: number };
  // discord.js names these 'RateLimitError[route]' and 'DiscordAPIError[code]'.
  if (e.name?.startsWith('RateLimitError')) return new DeliveryError(`rate limited by Discord (${e.retryAfter} ms)`, 'throttle', 429, e.retryAfter);
  if (e.name?.startsWith('DiscordAPIError')) {
    // 4xx from Discord (401 bad token, 404 unknown webhook, 400 bad body): never retried.
    return new DeliveryError(`${e.status} ${e.message ?? ''}`.trim(), e.status !== undefined && e.status >= 500 ? 'retry' : 'fatal', e.status);
  }
  if (e.name === 'HTTPError') return new DeliveryError(`${e.status} ${e.message ?? 'server error'}`, e.status !== undefined && e.status >= 500 ? 'retry' : 'fatal', e.status);
  return new DeliveryError(e.message ?? String(err), 'retry');
}
