// Loopback emulator of the notification services (contract notify.md E1/E3):
// Discord webhooks as discord.js 14 calls them (POST /api/v10/webhooks/:id/:token
// ?wait=true, with X-RateLimit-* headers and a 5 per 2 s window per webhook),
// Slack webhooks and chat.postMessage, Telegram sendMessage, ntfy, Gotify,
// Pushover, Teams Workflows and generic json/form/xml/generic sinks. Faults come
// from the framework; discordRateLimit/telegramRateLimit/slackRateLimit build
// the service-specific 429 answers.
import { createHash } from 'node:crypto';
import { Emulator, type EmuRequest, type EmuResponse, type Fault } from './framework';

export interface NotifyEmulatorOptions {
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Discord window: `limit` requests per `windowMs` per webhook (default 5 per 2000 ms). */
  discordLimit?: number;
  discordWindowMs?: number;
  /** Print a line per accepted notification (demo sandbox). */
  log?: (line: string) => void;
}

export interface DiscordReceived {
  id: string;
  token: string;
  query: URLSearchParams;
  body: Record<string, unknown>;
  files: ReceivedFile[];
}

/** A file received in a multipart upload (or a raw upload body). */
export interface ReceivedFile {
  route: string;
  field: string;
  name: string;
  type: string;
  data: Buffer;
}

/** Parses a multipart/form-data body with the platform's own parser (undici). */
export async function readMultipart(req: EmuRequest, route: string): Promise<{ fields: Record<string, string>; files: ReceivedFile[] } | undefined> {
  const type = String(req.headers['content-type'] ?? '');
  if (!type.startsWith('multipart/form-data')) return undefined;
  const form = await new Response(req.raw, { headers: { 'content-type': type } }).formData();
  const fields: Record<string, string> = {};
  const files: ReceivedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') fields[field] = value;
    else files.push({ route, field, name: value.name, type: value.type, data: Buffer.from(await value.arrayBuffer()) });
  }
  return { fields, files };
}

const DISCORD_LIMITS = { content: 2000, embeds: 10, title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, footer: 2048, author: 256, total: 6000 };

function discordError(status: number, code: number, message: string): EmuResponse {
  return { status, body: { code, message, ...(code === 50035 ? { errors: {} } : {}) } };
}

/** The 429 Discord sends: JSON retry_after plus Retry-After and X-RateLimit-Scope headers. */
export function discordRateLimit(retryAfterSeconds: number, global = false): Fault {
  return {
    type: 'respond',
    respond: () => ({
      status: 429,
      headers: {
        'Retry-After': String(retryAfterSeconds), 'X-RateLimit-Scope': global ? 'global' : 'user',
        ...(global ? { 'X-RateLimit-Global': 'true' } : {}),
      },
      body: { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global },
    }),
  };
}

/** Telegram's 429: the wait is only in parameters.retry_after. */
export function telegramRateLimit(retryAfterSeconds: number): Fault {
  return {
    type: 'respond',
    respond: () => ({ status: 429, body: { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfterSeconds}`, parameters: { retry_after: retryAfterSeconds } } }),
  };
}

/** Slack's 429: Retry-After header, body "rate_limited". */
export function slackRateLimit(retryAfterSeconds: number): Fault {
  return { type: 'respond', respond: () => ({ status: 429, headers: { 'Retry-After': String(retryAfterSeconds) }, body: 'rate_limited' }) };
}

export class NotifyEmulator extends Emulator {
  readonly discord: DiscordReceived[] = [];
  /** Files received by any route (Telegram documents, Apprise API, Matrix media, Slack uploads). */
  readonly files: ReceivedFile[] = [];
  private readonly slackUploads = new Map<string, { name: string; length: number; data?: Buffer }>();
  /** Webhook ids that answer 404 Unknown Webhook. */
  readonly unknownWebhooks = new Set<string>();
  /** id → the only token accepted (others get 401 Invalid Webhook Token). */
  readonly webhookTokens = new Map<string, string>();
  /** Gotify application tokens; empty = any token. */
  readonly gotifyTokens = new Set<string>();
  private readonly windows = new Map<string, { start: number; count: number }>();
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly print?: (line: string) => void;
  private messageId = 1000;

  constructor(options: NotifyEmulatorOptions = {}) {
    super({ name: 'notify', tls: options.tls });
    this.limit = options.discordLimit ?? 5;
    this.windowMs = options.discordWindowMs ?? 2000;
    this.print = options.log;
    this.route('POST', '/api/v10/webhooks/:id/:token', 'discord:execute', async (req) => this.discordExecute(req, await readMultipart(req, 'discord:execute')));
    this.route('POST', '/services/:a/:b/:c', 'slack:webhook', (req) => this.accepted('slack webhook', req, { body: 'ok', headers: { 'Content-Type': 'text/plain' } }));
    // Workflow Builder webhooks: /workflows/T/F/X/Y and /triggers/T/X/Y take {text}.
    this.route('POST', '/workflows/:t/:f/:x/:y', 'slack:workflow', (req) => this.accepted('slack workflow', req, { body: { ok: true } }));
    this.route('POST', '/triggers/:t/:x/:y', 'slack:trigger', (req) => this.accepted('slack trigger', req, { body: { ok: true } }));
    this.route('POST', '/api/chat.postMessage', 'slack:postMessage', (req) => {
      if (!/^Bearer (xoxe\.)?xox[abp]-/.test(String(req.headers.authorization ?? ''))) return { body: { ok: false, error: 'not_authed' } };
      const channel = (req.json as { channel?: string } | undefined)?.channel;
      if (!channel) return { body: { ok: false, error: 'channel_not_found' } };
      return this.accepted('slack bot', req, { body: { ok: true, channel, ts: '1.0' } });
    });
    this.route('POST', '/:bot/sendDocument', 'telegram:sendDocument', async (req) => {
      const form = await readMultipart(req, 'telegram:sendDocument');
      const document = form?.files.find((f) => f.field === 'document');
      if (!form?.fields.chat_id || !document) return { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: there is no document in the request' } };
      if (document.data.length > 50 * 1024 * 1024) return { status: 413, body: { ok: false, error_code: 413, description: 'Request Entity Too Large' } };
      this.files.push(document);
      return this.accepted('telegram document', req, { body: { ok: true, result: { message_id: this.messageId++, document: { file_name: document.name, file_size: document.data.length } } } });
    });
    // Slack's external upload: get a URL, send the bytes there, complete into a channel.
    this.route('POST', '/api/files.getUploadURLExternal', 'slack:getUploadURL', (req) => {
      if (!/^Bearer (xoxe\.)?xox[abp]-/.test(String(req.headers.authorization ?? ''))) return { body: { ok: false, error: 'not_authed' } };
      const form = new URLSearchParams(req.body);
      const id = `F${this.messageId++}`;
      this.slackUploads.set(id, { name: form.get('filename') ?? '', length: Number(form.get('length')) });
      return { body: { ok: true, upload_url: `${this.baseUrl}/slack-upload/${id}`, file_id: id } };
    });
    this.route('POST', '/slack-upload/:id', 'slack:upload', (req) => {
      const upload = this.slackUploads.get(req.params.id);
      if (!upload || upload.length !== req.raw.length) return { status: 400, body: 'bad upload' };
      upload.data = req.raw;
      return { body: `OK - ${req.raw.length}` };
    });
    this.route('POST', '/api/files.completeUploadExternal', 'slack:completeUpload', (req) => {
      if (!/^Bearer (xoxe\.)?xox[abp]-/.test(String(req.headers.authorization ?? ''))) return { body: { ok: false, error: 'not_authed' } };
      const body = req.json as { files?: Array<{ id: string; title?: string }>; channel_id?: string } | undefined;
      const done = (body?.files ?? []).map((f) => ({ f, upload: this.slackUploads.get(f.id) }));
      if (!done.length || done.some((d) => !d.upload?.data)) return { body: { ok: false, error: 'file_not_found' } };
      for (const { upload } of done) this.files.push({ route: 'slack:completeUpload', field: body!.channel_id ?? '', name: upload!.name, type: '', data: upload!.data! });
      return this.accepted('slack file', req, { body: { ok: true, files: done.map((d) => ({ id: d.f.id, title: d.f.title })) } });
    });
    this.route('POST', '/:bot/sendMessage', 'telegram:sendMessage', (req) => {
      if (!/^bot\d+:[\w-]+$/.test(req.params.bot)) return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found' } };
      const body = req.json as { chat_id?: string; text?: string } | undefined;
      if (!body?.chat_id || !body.text) return { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: message text is empty' } };
      if (body.text.length > 4096) return { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: message is too long' } };
      return this.accepted('telegram', req, { body: { ok: true, result: { message_id: this.messageId++, text: body.text } } });
    });
    this.route('POST', '/', 'ntfy:publish', (req) => {
      const body = req.json as { topic?: string; message?: string } | undefined;
      if (!body?.topic) return { status: 400, body: { code: 40001, http: 400, error: 'topic missing' } };
      return this.accepted('ntfy', req, { body: { id: `m${this.messageId++}`, time: Math.floor(Date.now() / 1000), event: 'message', topic: body.topic, message: body.message } });
    });
    const gotify = (req: EmuRequest) => {
      const key = String(req.headers['x-gotify-key'] ?? '');
      if (!key || (this.gotifyTokens.size > 0 && !this.gotifyTokens.has(key))) return { status: 401, body: { error: 'Unauthorized', errorCode: 401, errorDescription: 'you need to provide a valid access token' } };
      return this.accepted('gotify', req, { body: { id: this.messageId++, appid: 1, ...(req.json as object) } });
    };
    this.route('POST', '/message', 'gotify:message', gotify);
    this.route('POST', '/:sub/message', 'gotify:message', gotify);
    this.route('POST', '/1/messages.json', 'pushover:messages', (req) => {
      const form = new URLSearchParams(req.body);
      const errors: string[] = [];
      if (!/^[A-Za-z0-9]{30}$/.test(form.get('token') ?? '')) errors.push('application token is invalid');
      if (!/^[A-Za-z0-9]{30}$/.test(form.get('user') ?? '')) errors.push('user identifier is not a valid user, group, or subscribed user key');
      if (!form.get('message')) errors.push('message cannot be blank');
      if ((form.get('message') ?? '').length > 1024) errors.push('message is too long');
      if (errors.length) return { status: 400, body: { status: 0, errors, request: 'r' } };
      return this.accepted('pushover', req, { body: { status: 1, request: 'r' } });
    });
    const workflow = (req: EmuRequest) => (req.query.get('sig') ? this.accepted('workflows', req, { status: 202 }) : { status: 401, body: { error: { code: 'DirectApiAuthorizationRequired' } } });
    this.route('POST', '/workflows/:flow/triggers/manual/paths/invoke', 'workflows:invoke', workflow);
    this.route('POST', '/powerautomate/automations/direct/workflows/:flow/triggers/manual/paths/invoke', 'workflows:invoke', workflow);
    // Services added for issue 15: each answers as the real API does on success and
    // refuses a request without its credential.
    const needs = (header: string, pattern: RegExp, req: EmuRequest) => pattern.test(String(req.headers[header] ?? ''));
    this.route('POST', '/api/v1/messages', 'zulip:messages', (req) => (needs('authorization', /^Basic /, req)
      ? this.accepted('zulip', req, { body: { result: 'success', msg: '', id: this.messageId++ } })
      : { status: 401, body: { result: 'error', msg: 'Unauthorized' } }));
    this.route('POST', '/v1/spaces/:space/messages', 'googlechat:messages', (req) => (req.query.get('key') && req.query.get('token')
      ? this.accepted('googlechat', req, { body: { name: `spaces/${req.params.space}/messages/${this.messageId++}` } })
      : { status: 401, body: { error: { code: 401 } } }));
    this.route('POST', '/v1/webhooks/incoming/:token', 'webex:webhook', (req) => this.accepted('webex webhook', req, { status: 204 }));
    this.route('POST', '/v1/messages', 'webex:messages', (req) => (needs('authorization', /^Bearer \S+/, req)
      ? this.accepted('webex bot', req, { body: { id: `m${this.messageId++}` } })
      : { status: 401, body: { message: 'The request requires a valid access token' } }));
    this.route('POST', '/hooks/:a/:b', 'rocketchat:webhook', (req) => this.accepted('rocketchat webhook', req, { body: { success: true } }));
    this.route('POST', '/api/v1/login', 'rocketchat:login', (req) => {
      const form = new URLSearchParams(req.body);
      if (!form.get('username') || !form.get('password')) return { status: 401, body: { status: 'error', error: 'Unauthorized' } };
      return this.accepted('rocketchat login', req, { body: { status: 'success', data: { userId: `u-${form.get('username')}`, authToken: `rc-session-${this.messageId++}` } } });
    });
    this.route('POST', '/api/v1/chat.postMessage', 'rocketchat:postMessage', (req) => (needs('x-auth-token', /\S/, req) && needs('x-user-id', /\S/, req)
      ? this.accepted('rocketchat', req, { body: { success: true } })
      : { status: 401, body: { status: 'error', message: 'You must be logged in to do this.' } }));
    this.route('POST', '/v2/enqueue', 'pagerduty:enqueue', (req) => {
      const body = req.json as { routing_key?: string; payload?: { summary?: string; severity?: string; source?: string } } | undefined;
      if (!body?.routing_key || !body.payload?.summary || !body.payload.severity || !body.payload.source) return { status: 400, body: { status: 'invalid event', message: 'Event object is invalid' } };
      return this.accepted('pagerduty', req, { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: `d${this.messageId++}` } });
    });
    this.route('POST', '/v2/alerts', 'opsgenie:alerts', (req) => (needs('authorization', /^GenieKey \S+/, req)
      ? this.accepted('opsgenie', req, { status: 202, body: { result: 'Request will be processed', took: 0.1, requestId: `r${this.messageId++}` } })
      : { status: 401, body: { message: 'Could not authenticate', took: 0 } }));
    const opsgenieAction = (what: string) => (req: EmuRequest) => (needs('authorization', /^GenieKey \S+/, req) && req.query.get('identifierType')
      ? this.accepted(`opsgenie ${what}`, req, { status: 202, body: { result: 'Request will be processed', took: 0.1, requestId: `r${this.messageId++}` } })
      : { status: 422, body: { message: 'identifierType missing' } });
    this.route('POST', '/v2/alerts/:id/close', 'opsgenie:close', opsgenieAction('close'));
    this.route('POST', '/v2/alerts/:id/acknowledge', 'opsgenie:acknowledge', opsgenieAction('acknowledge'));
    this.route('POST', '/v2/alerts/:id/notes', 'opsgenie:note', opsgenieAction('note'));
    this.route('DELETE', '/v2/alerts/:id', 'opsgenie:delete', opsgenieAction('delete'));
    const mattermostHook = (req: EmuRequest) => this.accepted('mattermost webhook', req, { body: 'ok', headers: { 'Content-Type': 'text/plain' } });
    this.route('POST', '/hooks/:token', 'mattermost:webhook', mattermostHook);
    this.route('POST', '/:prefix/hooks/:token', 'mattermost:webhook', mattermostHook);
    this.route('GET', '/api/v4/teams/name/:team/channels/name/:name', 'mattermost:channel', (req) => (needs('authorization', /^Bearer \S+/, req)
      ? { body: { id: `ch${req.params.team}${req.params.name}`.replace(/\W/g, ''), name: req.params.name } }
      : { status: 401, body: { id: 'api.context.session_expired.app_error' } }));
    this.route('POST', '/api/v4/posts', 'mattermost:posts', (req) => (needs('authorization', /^Bearer \S+/, req)
      ? this.accepted('mattermost bot', req, { status: 201, body: { id: `p${this.messageId++}` } })
      : { status: 401, body: { id: 'api.context.session_expired.app_error' } }));
    const appriseNotify = async (req: EmuRequest) => {
      const form = await readMultipart(req, 'apprise:notify');
      if (form) this.files.push(...form.files);
      return this.accepted('apprise', req, { body: { success: true } });
    };
    this.route('POST', '/notify/:token', 'apprise:notify', appriseNotify);
    this.route('POST', '/:prefix/notify/:token', 'apprise:notify', appriseNotify);
    // Matrix Client-Server API (login, join, send) and the webhook bridges.
    this.route('POST', '/_matrix/client/v3/login', 'matrix:login', (req) => {
      const body = req.json as { password?: string; identifier?: { user?: string } } | undefined;
      if (!body?.password || !body.identifier?.user) return { status: 403, body: { errcode: 'M_FORBIDDEN', error: 'Invalid username or password' } };
      return this.accepted('matrix login', req, { body: { access_token: `syt_${body.identifier.user}_session`, user_id: `@${body.identifier.user}:localhost`, device_id: 'DEV' } });
    });
    const matrixAuth = (req: EmuRequest) => needs('authorization', /^Bearer \S+/, req);
    this.route('POST', '/_matrix/client/v3/join/:room', 'matrix:join', (req) => (matrixAuth(req)
      ? this.accepted('matrix join', req, { body: { room_id: req.params.room.startsWith('!') ? req.params.room : `!joined${this.messageId++}:localhost` } })
      : { status: 401, body: { errcode: 'M_MISSING_TOKEN' } }));
    this.route('PUT', '/_matrix/client/v3/rooms/:room/send/m.room.message/:txn', 'matrix:send', (req) => (matrixAuth(req)
      ? this.accepted('matrix', req, { body: { event_id: `$e${this.messageId++}` } })
      : { status: 401, body: { errcode: 'M_UNKNOWN_TOKEN', error: 'Invalid access token' } }));
    this.route('POST', '/_matrix/media/v3/upload', 'matrix:upload', (req) => {
      if (!matrixAuth(req)) return { status: 401, body: { errcode: 'M_MISSING_TOKEN' } };
      const id = `m${this.messageId++}`;
      this.files.push({ route: 'matrix:upload', field: id, name: req.query.get('filename') ?? '', type: String(req.headers['content-type'] ?? ''), data: req.raw });
      return { body: { content_uri: `mxc://localhost/${id}` } };
    });
    this.route('POST', '/api/v1/matrix/hook/:token', 'matrix:hook', (req) => this.accepted('matrix webhook', req, { body: { success: true } }));
    this.route('POST', '/webhook/:token', 'matrix:hookshot', (req) => this.accepted('matrix hookshot', req, { body: { ok: true } }));
    for (const sink of ['json', 'form', 'xml', 'generic']) {
      this.route('*', `/${sink}`, `${sink}:sink`, (req) => this.accepted(sink, req, { body: { ok: true } }));
      this.route('*', `/${sink}/:rest`, `${sink}:sink`, (req) => this.accepted(sink, req, { body: { ok: true } }));
    }
  }

  private accepted(what: string, req: EmuRequest, res: EmuResponse): EmuResponse {
    this.print?.(`notify demo: ${what} ${req.method} ${req.path.replace(/\/bot[^/]+/, '/bot…')} (${req.body.length} bytes)`);
    return res;
  }

  private rateHeaders(id: string): { headers: Record<string, string>; limited: boolean; resetAfter: number } {
    const now = this.clock.now();
    let w = this.windows.get(id);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(id, w);
    }
    const limited = w.count >= this.limit;
    if (!limited) w.count++;
    const resetAfter = Math.max(0, (w.start + this.windowMs - now) / 1000);
    return {
      limited, resetAfter,
      headers: {
        'X-RateLimit-Limit': String(this.limit),
        'X-RateLimit-Remaining': String(Math.max(0, this.limit - w.count)),
        'X-RateLimit-Reset': ((w.start + this.windowMs) / 1000).toFixed(3),
        'X-RateLimit-Reset-After': resetAfter.toFixed(3),
        'X-RateLimit-Bucket': createHash('sha1').update(id).digest('hex').slice(0, 16),
      },
    };
  }

  private discordExecute(req: EmuRequest, form?: { fields: Record<string, string>; files: ReceivedFile[] }): EmuResponse {
    const { id, token } = req.params;
    if (this.unknownWebhooks.has(id)) return discordError(404, 10015, 'Unknown Webhook');
    const expected = this.webhookTokens.get(id);
    if (expected !== undefined && expected !== token) return discordError(401, 50027, 'Invalid Webhook Token');
    const rate = this.rateHeaders(id);
    if (rate.limited) {
      return {
        status: 429,
        headers: { ...rate.headers, 'Retry-After': rate.resetAfter.toFixed(3), 'X-RateLimit-Scope': 'user' },
        body: { message: 'You are being rate limited.', retry_after: rate.resetAfter, global: false },
      };
    }
    // discord.js sends files as multipart: payload_json plus files[n].
    const body = (form ? JSON.parse(form.fields.payload_json ?? '{}') : req.json ?? {}) as { content?: string; embeds?: Array<Record<string, unknown>> };
    const files = form?.files ?? [];
    if (files.reduce((n, f) => n + f.data.length, 0) > 25 * 1024 * 1024) return { ...discordError(413, 40005, 'Request entity too large'), headers: rate.headers };
    const invalid = files.length ? undefined : validateDiscord(body);
    if (invalid) return { ...invalid, headers: rate.headers };
    this.discord.push({ id, token, query: req.query, body: body as Record<string, unknown>, files });
    this.files.push(...files);
    this.print?.(`notify demo: discord webhook ${id}: ${(body.content ?? String(body.embeds?.[0]?.title ?? '')).split('\n')[0].slice(0, 100)}`);
    if (req.query.get('wait') !== 'true') return { status: 204, headers: rate.headers };
    return {
      headers: rate.headers,
      body: {
        id: String(this.messageId++), type: 0, channel_id: '900000000000000001', webhook_id: id,
        content: body.content ?? '', embeds: body.embeds ?? [], timestamp: new Date(this.clock.now()).toISOString(),
        author: { id, username: (body as { username?: string }).username ?? 'secflow', bot: true },
      },
    };
  }
}

function validateDiscord(body: { content?: string; embeds?: Array<Record<string, unknown>> }): EmuResponse | undefined {
  const embeds = body.embeds ?? [];
  if (!body.content && embeds.length === 0) return discordError(400, 50006, 'Cannot send an empty message');
  if ((body.content ?? '').length > DISCORD_LIMITS.content || embeds.length > DISCORD_LIMITS.embeds) return discordError(400, 50035, 'Invalid Form Body');
  let total = 0;
  for (const e of embeds) {
    const title = String(e.title ?? '');
    const description = String(e.description ?? '');
    const fields = (e.fields ?? []) as Array<{ name?: string; value?: string }>;
    total += title.length + description.length + fields.reduce((n, f) => n + String(f.name ?? '').length + String(f.value ?? '').length, 0);
    if (title.length > DISCORD_LIMITS.title || description.length > DISCORD_LIMITS.description || fields.length > DISCORD_LIMITS.fields
      || fields.some((f) => String(f.name ?? '').length > DISCORD_LIMITS.fieldName || String(f.value ?? '').length > DISCORD_LIMITS.fieldValue)) {
      return discordError(400, 50035, 'Invalid Form Body');
    }
  }
  if (total > DISCORD_LIMITS.total) return discordError(400, 50035, 'Invalid Form Body');
  return undefined;
}

/** Demo sandbox: every route accepts (any webhook, any token) and prints a line per notification. */
export async function startDemo(port: number): Promise<{ url: string; close(): Promise<void> }> {
  const emulator = new NotifyEmulator({ log: (line) => console.log(`  ${line}`) });
  const url = await emulator.listen(port);
  return { url, close: () => emulator.close() };
}
