// Webex Teams (Apprise wxteams:// / webex://): an incoming-webhook token
// (80–160 letters and digits) posts {text|markdown} to
// https://api.ciscospark.com/v1/webhooks/incoming/TOKEN; a bot access token with
// rooms (wxteams://TOKEN/ROOM…, or mode=bot) posts {roomId, text|markdown} to
// https://webexapis.com/v1/messages with Bearer auth. Native webhook URLs too.
import { maskToken } from '../mask';
import { NotifyUrlError, listOption } from '../url';
import type { HttpSpec, ServiceDef } from '../types';
import { baseUrl } from './http-common';

export interface WebexConfig {
  mode: 'webhook' | 'bot';
  token: string;
  rooms: string[];
}

const WEBHOOK_TOKEN = /^[A-Za-z0-9]{80,160}$/;
const NATIVE = /^\/v[1-9]\d*\/webhooks\/incoming\/([\w-]+)\/?$/;

export const webex: ServiceDef<WebexConfig, HttpSpec> = {
  name: 'webex',
  schemes: ['wxteams', 'webex'],
  matchesNative: (url) => /^(api\.ciscospark\.com|webexapis\.com)$/i.test(url.host) && NATIVE.test(url.path),
  parse(url) {
    const native = url.scheme === 'https';
    const token = native ? NATIVE.exec(url.path)![1] : url.options.token || url.host;
    const rooms = native ? [] : [...url.segments, ...listOption(url.options.to)];
    const modeText = url.options.mode?.toLowerCase();
    const mode = modeText ? (['webhook', 'bot'].find((m) => m.startsWith(modeText)) as WebexConfig['mode'] | undefined) : undefined;
    const masked = `wxteams://${maskToken(token)}/${rooms.map(maskToken).join('/')}`;
    if (modeText && !mode) throw new NotifyUrlError(`${masked}: mode=${modeText} must be webhook or bot`);
    const chosen = mode ?? (rooms.length ? 'bot' : 'webhook');
    if (!token) throw new NotifyUrlError(`${masked}: the token is missing`);
    if (chosen === 'webhook' && !WEBHOOK_TOKEN.test(token)) throw new NotifyUrlError(`${masked}: a webhook token is 80–160 letters and digits`);
    if (chosen === 'bot' && !rooms.length) throw new NotifyUrlError(`${masked}: bot mode needs a room id (wxteams://TOKEN/ROOM_ID)`);
    return { config: { mode: chosen, token, rooms: chosen === 'bot' ? rooms : [] }, secrets: [token, ...rooms], masked };
  },
  nativeFormat: (_c, input) => (input === 'html' ? 'markdown' : input),
  limits: () => ({ body: 7439, title: 250, titleInBody: true }),
  rate: { capacity: 2, perMs: 1000 },
  build(config, part, ctx) {
    const key = part.format === 'markdown' ? 'markdown' : 'text';
    const text = part.title ? `${part.title}\r\n${part.body}` : part.body;
    if (config.mode === 'webhook') {
      return [{
        method: 'POST', url: `${baseUrl(ctx.endpoints, 'webex', 'https://api.ciscospark.com')}/v1/webhooks/incoming/${config.token}`,
        headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ [key]: text }),
      }];
    }
    return config.rooms.map((room) => ({
      method: 'POST', url: `${baseUrl(ctx.endpoints, 'webex', 'https://webexapis.com')}/v1/messages`,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${config.token}` },
      body: JSON.stringify({ roomId: room, [key]: text }),
    }));
  },
  transport: 'http',
};
