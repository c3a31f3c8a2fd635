// Matrix (Apprise matrix:// / matrixs://):
// - Client-Server API: matrix[s]://[user:password@|TOKEN@]host[:port]/ROOM… where ROOM is
//   !room_id, #alias[:server] or a bare alias (targets also ?to=, token also ?token=).
//   A password logs in once (POST /login; the access token is kept for this target),
//   each room is joined once (POST /join/ROOM gives its room_id, aliases resolved), then
//   PUT /rooms/ROOM_ID/send/m.room.message/TXN {msgtype, body, format, formatted_body}.
// - Webhooks: mode=t2bot (matrix://TOKEN, also without a room and password) posts to
//   https://webhooks.t2bot.io/api/v1/matrix/hook/TOKEN; mode=matrix posts to
//   host/api/v1/matrix/hook/TOKEN; both {displayName, format, text}.
// - mode=slack posts a Slack-style {username, mrkdwn, attachments} to host/api/v1/matrix/hook/TOKEN;
//   mode=hookshot posts {username, text, html} to host/PATH/TOKEN (path=, default /webhook).
// End-to-end encryption is not implemented.
import { TYPE_COLORS } from './colors';
import { randomUUID } from 'node:crypto';
import { escapeHtml } from '../format';
import { maskPassword, maskToken } from '../mask';
import { NotifyUrlError, listOption, yesNo } from '../url';
import type { HttpSpec, ServiceDef } from '../types';
import { baseUrl, requireHost } from './http-common';

export interface MatrixConfig {
  mode: 'server' | 't2bot' | 'matrix' | 'slack' | 'hookshot';
  /** hookshot: the public webhook path. */
  path?: string;
  origin: string;
  token?: string;
  user?: string;
  password?: string;
  rooms: string[];
  msgtype: 'm.text' | 'm.notice';
  displayName: string;
  /** Session state of this target: the access token from /login and joined room ids. */
  session: { token?: string; rooms: Map<string, string>; secrets?: string[] };
}

const API = '/_matrix/client/v3';

/** `#alias` without a server gets the homeserver's; ids and full aliases stay as written. */
function roomRef(room: string, host: string): string {
  if (room.startsWith('!')) return room;
  const alias = room.startsWith('#') ? room : `#${room}`;
  return alias.includes(':') ? alias : `${alias}:${host}`;
}

export const matrix: ServiceDef<MatrixConfig, HttpSpec> = {
  name: 'matrix',
  schemes: ['matrix', 'matrixs'],
  matchesNative: (url) => url.host.toLowerCase() === 'webhooks.t2bot.io' && /^\/api\/v\d+\/matrix\/hook\/[\w-]+\/?$/.test(url.path),
  parse(written) {
    // The t2bot webhook URL itself is mode=t2bot with its token.
    const url = written.scheme === 'https' || written.scheme === 'http'
      ? { ...written, scheme: 'matrix', host: written.segments[written.segments.length - 1], segments: [], port: undefined, options: { ...written.options, mode: 't2bot' } }
      : written;
    const o = url.options;
    const rooms = [...url.segments, ...listOption(o.to)];
    const secure = url.scheme === 'matrixs';
    const modeText = o.mode?.toLowerCase() ?? (url.password === undefined && !rooms.length && !o.token ? 't2bot' : 'off');
    if (!url.host) throw new NotifyUrlError('matrix: the host is missing');
    const hostPort = url.port !== undefined ? `${url.host}:${url.port}` : url.host;
    if (modeText === 't2bot') {
      const token = o.token || url.host;
      const masked = `matrix://${maskToken(token)}/?mode=t2bot`;
      if (!/^[a-z0-9]{64}$/i.test(token)) throw new NotifyUrlError(`${masked}: the t2bot webhook token must be 64 letters and digits`);
      return {
        config: { mode: 't2bot', origin: 'https://webhooks.t2bot.io', token, rooms: [], msgtype: 'm.text', displayName: url.user || 'secflow', session: { rooms: new Map() } },
        secrets: [token], masked,
      };
    }
    const token = o.token || (url.password === undefined ? url.user : undefined);
    const user = token ? undefined : url.user;
    const password = token ? undefined : url.password;
    const masked = `${url.scheme}://${token ? `${maskToken(token)}@` : user ? `${user}:${maskPassword(password) || '****'}@` : ''}${hostPort}/${rooms.join('/')}`;
    requireHost(url, masked);
    if (url.port !== undefined && (url.port < 1 || url.port > 65535)) throw new NotifyUrlError(`${masked}: port ${url.port} is out of range`);
    const version = o.version ?? o.v;
    if (version !== undefined && version !== '2' && version !== '3') throw new NotifyUrlError(`${masked}: version=${version} must be 2 or 3`);
    if (!['off', 'matrix', 'slack', 'hookshot'].includes(modeText)) throw new NotifyUrlError(`${masked}: mode=${modeText} must be off, matrix, slack, hookshot or t2bot`);
    if (yesNo(o.e2ee, false)) throw new NotifyUrlError(`${masked}: end-to-end encryption (e2ee=yes) is not supported`);
    const origin = `${secure ? 'https' : 'http'}://${hostPort}`;
    const msgtype = (o.msgtype ?? 'text').toLowerCase() === 'notice' ? 'm.notice' : 'm.text';
    if (modeText !== 'off') {
      const hook = token ?? password;
      if (!hook) throw new NotifyUrlError(`${masked}: mode=${modeText} needs the webhook TOKEN (matrix://TOKEN@host?mode=${modeText})`);
      const path = `/${(o.path ?? '/webhook').trim().replace(/^\/+|\/+$/g, '')}`.replace(/^\/$/, '');
      return {
        config: { mode: modeText as MatrixConfig['mode'], origin, token: hook, rooms: [], msgtype, displayName: user ?? 'secflow', ...(modeText === 'hookshot' ? { path } : {}), session: { rooms: new Map() } },
        secrets: [hook], masked,
      };
    }
    if (!token && !(user && password)) throw new NotifyUrlError(`${masked}: an access TOKEN (matrix://TOKEN@host/#room) or user:password is needed`);
    if (!rooms.length) throw new NotifyUrlError(`${masked}: a room is needed (!room_id or #alias)`);
    // The target's secrets list: a token from /login joins it, so it is masked too.
    const secrets = [...(token ? [token] : []), ...(password ? [password] : [])];
    return {
      config: {
        mode: 'server', origin, token, user, password, rooms: rooms.map((r) => roomRef(r, url.host)), msgtype,
        displayName: user ?? 'secflow', session: { rooms: new Map(), secrets },
      },
      secrets,
      masked,
      warnings: secure ? [] : [`${masked}: Matrix over plain http`],
    };
  },
  nativeFormat: (_c, input) => (input === 'text' ? 'text' : 'html'),
  // Synapse's default max_upload_size is 50 MB; webhooks take no files.
  attachments: (c) => (c.mode === 'server' ? { maxBytes: 50 * 1024 * 1024, maxCount: 10 } : { refused: `Matrix ${c.mode} webhooks cannot take files (use the Client-Server API)` }),
  limits: (c) => (c.mode === 'server' ? { body: 32768, title: 250 } : { body: 65000, title: 250 }),
  rate: { capacity: 2, perMs: 1000 },
  build(config, part, ctx) {
    const html = part.format === 'html';
    if (config.mode === 'slack') {
      return [{
        method: 'POST', url: `${config.origin}/api/v1/matrix/hook/${encodeURIComponent(config.token!)}`,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          username: config.displayName, mrkdwn: part.format === 'markdown',
          attachments: [{ title: part.title, text: part.body, color: TYPE_COLORS[part.type].hex, ts: Math.floor(ctx.now()), footer: 'secflow' }],
        }),
      }];
    }
    if (config.mode === 'hookshot') {
      const text = part.title ? `${part.title}\r\n${html ? part.body.replace(/<[^>]*>/g, '') : part.body}` : html ? part.body.replace(/<[^>]*>/g, '') : part.body;
      const rich = `${part.title ? `<h1>${escapeHtml(part.title)}</h1>` : ''}${html ? part.body : escapeHtml(part.body).replace(/\n/g, '<br/>')}`;
      return [{
        method: 'POST', url: `${config.origin}${config.path}/${encodeURIComponent(config.token!)}`,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: config.displayName, text, html: rich }),
      }];
    }
    if (config.mode !== 'server') {
      const text = html ? `${part.title ? `<h1>${escapeHtml(part.title)}</h1>` : ''}${part.body}` : part.title ? `${part.title}\r\n${part.body}` : part.body;
      const origin = config.mode === 't2bot' ? baseUrl(ctx.endpoints, 'matrix', config.origin) : config.origin;
      return [{
        method: 'POST', url: `${origin}/api/v1/matrix/hook/${encodeURIComponent(config.token!)}`,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ displayName: config.displayName, format: html ? 'html' : 'plain', text }),
      }];
    }
    const session = config.session;
    const forget = (status?: number) => {
      // A rejected token (401/403) is forgotten so the next send logs in again.
      if (status === 401 || status === 403) session.token = undefined;
    };
    const plain = html ? `${part.title ? `${part.title}\r\n` : ''}${part.body.replace(/<[^>]*>/g, '')}` : part.title ? `${part.title}\r\n${part.body}` : part.body;
    const content = {
      msgtype: config.msgtype, body: plain,
      ...(html ? { format: 'org.matrix.custom.html', formatted_body: `${part.title ? `<h1>${escapeHtml(part.title)}</h1>` : ''}${part.body}` } : {}),
    };
    const json = { 'Content-Type': 'application/json' };
    // Each room: join once (which also resolves an alias), then send. With a login, one
    // chain does login → room 1 → room 2 …, so the session exists before any room needs it.
    // Files: uploaded once per notification (POST /_matrix/media/v3/upload), then an
    // m.file event per room pointing at the mxc:// URI.
    const files = part.attachments ?? [];
    const uploaded = new Map<number, string>();
    const event = (token: string, roomId: string, body: unknown, next?: () => HttpSpec | undefined): HttpSpec => ({
      method: 'PUT', url: `${config.origin}${API}/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${randomUUID()}`,
      headers: { ...json, Authorization: `Bearer ${token}` }, body: JSON.stringify(body), onFailure: forget,
      ...(next ? { then: () => next() } : {}),
    });
    const fileEvent = (token: string, roomId: string, i: number, uri: string, next?: () => HttpSpec | undefined): HttpSpec => event(token, roomId, {
      msgtype: 'm.file', body: files[i].name, filename: files[i].name, url: uri, info: { mimetype: files[i].mimetype, size: files[i].data.length },
    }, () => fileSteps(token, roomId, i + 1, next));
    const fileSteps = (token: string, roomId: string, i: number, next?: () => HttpSpec | undefined): HttpSpec | undefined => {
      if (i >= files.length) return next?.();
      const known = uploaded.get(i);
      if (known) return fileEvent(token, roomId, i, known, next);
      return {
        method: 'POST', url: `${config.origin}/_matrix/media/v3/upload?filename=${encodeURIComponent(files[i].name)}`,
        headers: { 'Content-Type': files[i].mimetype, Authorization: `Bearer ${token}` }, body: files[i].data, onFailure: forget,
        then: (body) => {
          const uri = (JSON.parse(body) as { content_uri?: string }).content_uri;
          if (!uri) throw new Error(`Matrix did not return a content_uri for ${files[i].name}`);
          uploaded.set(i, uri);
          return fileEvent(token, roomId, i, uri, next);
        },
      };
    };
    const hasText = Boolean(part.title.trim() || part.body.trim()) || !files.length;
    const sendTo = (token: string, roomId: string, next?: () => HttpSpec | undefined): HttpSpec =>
      (hasText ? event(token, roomId, content, () => fileSteps(token, roomId, 0, next)) : fileSteps(token, roomId, 0, next)!);
    const room = (token: string, written: string, next?: () => HttpSpec | undefined): HttpSpec => {
      const known = session.rooms.get(written);
      if (known) return sendTo(token, known, next);
      return {
        method: 'POST', url: `${config.origin}${API}/join/${encodeURIComponent(written)}`,
        headers: { ...json, Authorization: `Bearer ${token}` }, body: '{}', onFailure: forget,
        then: (body) => {
          const roomId = (JSON.parse(body) as { room_id?: string }).room_id;
          if (!roomId) throw new Error(`Matrix did not return a room id for ${written}`);
          session.rooms.set(written, roomId);
          return sendTo(token, roomId, next);
        },
      };
    };
    const chain = (token: string, i: number): HttpSpec | undefined => (i < config.rooms.length ? room(token, config.rooms[i], () => chain(token, i + 1)) : undefined);
    const token = config.token ?? session.token;
    if (token) return config.rooms.map((r) => room(token, r));
    return [{
      method: 'POST', url: `${config.origin}${API}/login`, headers: json,
      body: JSON.stringify({ type: 'm.login.password', identifier: { type: 'm.id.user', user: config.user }, password: config.password, initial_device_display_name: 'secflow' }),
      then: (body) => {
        const accessToken = (JSON.parse(body) as { access_token?: string }).access_token;
        if (!accessToken) throw new Error('Matrix login returned no access token');
        session.token = accessToken;
        if (!session.secrets?.includes(accessToken)) session.secrets?.push(accessToken);
        return chain(accessToken, 0);
      },
    }];
  },
  transport: 'http',
};
