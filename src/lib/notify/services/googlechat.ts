// Google Chat incoming webhooks (Apprise gchat://): gchat://WORKSPACE/KEY/TOKEN[/THREAD]
// (also ?workspace= ?key= ?token= ?thread=) and the native
// https://chat.googleapis.com/v1/spaces/WORKSPACE/messages?key=…&token=….
// POSTs {text} (title folded in) to /v1/spaces/WORKSPACE/messages?key&token.
import { maskToken } from '../mask';
import { NotifyUrlError } from '../url';
import type { HttpSpec, ServiceDef } from '../types';
import { baseUrl, withQuery } from './http-common';

export interface GoogleChatConfig {
  workspace: string;
  key: string;
  token: string;
  thread?: string;
}

const PART = /^[\w.=-]+$/;

export const googlechat: ServiceDef<GoogleChatConfig, HttpSpec> = {
  name: 'googlechat',
  schemes: ['gchat'],
  matchesNative: (url) => url.host.toLowerCase() === 'chat.googleapis.com' && /^\/v1\/spaces\/[\w-]+\/messages\/?$/.test(url.path),
  parse(url) {
    const native = url.scheme === 'https';
    const segments = native ? [] : [...url.segments];
    const workspace = url.options.workspace || (native ? url.segments[2] : url.host) || '';
    const key = url.options.key || segments.shift() || '';
    const token = url.options.token || segments.shift() || '';
    const thread = url.options.thread || url.options.threadkey || segments.shift() || undefined;
    const masked = `gchat://${workspace}/${maskToken(key)}/${maskToken(token)}/${thread ?? ''}`;
    if (!workspace || !PART.test(workspace)) throw new NotifyUrlError(`${masked}: the workspace is missing (gchat://WORKSPACE/KEY/TOKEN)`);
    if (!key || !PART.test(key)) throw new NotifyUrlError(`${masked}: the webhook KEY is missing (gchat://WORKSPACE/KEY/TOKEN)`);
    if (!token || !PART.test(token)) throw new NotifyUrlError(`${masked}: the webhook TOKEN is missing (gchat://WORKSPACE/KEY/TOKEN)`);
    return { config: { workspace, key, token, ...(thread ? { thread } : {}) }, secrets: [key, token], masked };
  },
  nativeFormat: (_c, input) => (input === 'html' ? 'markdown' : input),
  limits: () => ({ body: 4000, title: 250, titleInBody: true }),
  rate: { capacity: 1, perMs: 1000 },
  build(config, part, ctx) {
    const url = withQuery(`${baseUrl(ctx.endpoints, 'googlechat', 'https://chat.googleapis.com')}/v1/spaces/${encodeURIComponent(config.workspace)}/messages`, {
      key: config.key, token: config.token,
      ...(config.thread ? { messageReplyOption: 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD' } : {}),
    });
    const text = part.title ? `${part.title}\r\n${part.body}` : part.body;
    return [{
      method: 'POST', url,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ text, ...(config.thread ? { thread: { thread_key: config.thread } } : {}) }),
    }];
  },
  transport: 'http',
};
