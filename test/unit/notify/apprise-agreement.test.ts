// Agreement with Apprise's own URL tables (test/fixtures/notify/apprise-url-tables.json,
// the rows of Apprise v1.13's plugin tests for the 11 services secflow shares with it):
// 1. accepted/refused as Apprise does, except the deliberate differences listed
//    below (and in the node help), each with its reason;
// 2. every row Apprise sends is sent by secflow too, and only to the host the URL
//    names (self-hosted services) or to the `endpoints` entry standing in for the
//    service's cloud host; ntfy's cloud mode never carries the credentials.
// Requests are watched at the HTTP client (test/support/outbound-recorder.ts); any
// request not addressed to the emulator is stopped before it connects.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Notifier, parseTarget } from '../../../src/lib/notify';
import type { EmailConfig } from '../../../src/lib/notify/services/email';
import { NotifyEmulator } from '../../emulators/notify';
import { OutboundRecorder, type Outbound } from '../../support/outbound-recorder';

interface Row { url: string; accepted: boolean; sendable: boolean }
const TABLES = JSON.parse(readFileSync(path.join(__dirname, '../../fixtures/notify/apprise-url-tables.json'), 'utf8')) as { services: Record<string, Row[]>; new: Record<string, Row[]> };

/** Where secflow deliberately differs from Apprise on acceptance (listed in the help). */
const DELIBERATE: Record<string, string> = {
  'discord://iiiiiiiiiiiiiiiiiiiiiiii/tttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttttt?format=markdown&thread=abc123':
    'Discord thread ids are numeric snowflakes: Discord rejects thread_id=abc123',
  'mailto://user:pass@fastmail.com?tz=invalid': 'secflow has no tz= option (the Date header is always UTC), so nothing to refuse',
  'mailtos://user:pass@nuxref.com?to=@': 'no valid recipient: Apprise accepts and then fails every send',
  'tgram://123456789:abcdefg_hijklmnop/%$/': 'no valid chat: Apprise accepts and then fails every send',
  'tgram://bottest@123456789:abcdefg_hijklmnop/id1:invalid/?thread=12345': 'no valid chat: Apprise accepts and then fails every send',
  'ntfy://': 'no topic: Apprise accepts and then fails every send',
  'ntfys://': 'no topic: Apprise accepts and then fails every send',
  'ntfy://:@/': 'no topic: Apprise accepts and then fails every send',
  'ntfy://user:pass@localhost?mode=private': 'no topic: Apprise accepts and then fails every send',
  'ntfy://user:pass@localhost/#/!/@': 'no valid topic: Apprise accepts and then fails every send',
  [`pover://${'u'.repeat(30)}@${'a'.repeat(30)}/${'d'.repeat(30)}/`]: 'no valid device: Apprise accepts and then fails every send',
  [`pover://${'u'.repeat(30)}@${'a'.repeat(30)}/%23invalid-group/`]: 'no valid group: Apprise accepts and then fails every send',
  [`pover://${'u'.repeat(30)}@${'a'.repeat(30)}?key=${'b'.repeat(64)}`]: 'Pushover end-to-end encryption is not implemented: refused rather than sent in clear',
  [`pover://${'u'.repeat(30)}@${'a'.repeat(30)}?key=${'c'.repeat(64)}&e2ee=yes`]: 'Pushover end-to-end encryption is not implemented: refused rather than sent in clear',
  // Services added for issue 15.
  'mmost://team@localhost/3ccdd113474722377935511fc85d3dd4?channel=$!garbag3^&mode=bot': 'no valid channel: Apprise accepts and then fails every send',
  [`wxteams://${'a'.repeat(80)}?mode=bot`]: 'bot mode without a room: Apprise accepts and then fails every send',
  'matrix://localhost?mode=off': 'no credentials: Apprise would register a new account on the server; secflow never creates accounts',
};


function accepts(url: string): boolean {
  try {
    parseTarget(url);
    return true;
  } catch {
    return false;
  }
}

function acceptance(tables: Record<string, Row[]>): { agree: number; total: number; unexpected: string[]; perService: string[] } {
  let total = 0;
  let agree = 0;
  const unexpected: string[] = [];
  const perService: string[] = [];
  for (const [service, rows] of Object.entries(tables)) {
    let a = 0;
    for (const row of rows) {
      total++;
      const ours = accepts(row.url);
      if (ours === row.accepted) {
        a++;
        assert.ok(!(row.url in DELIBERATE), `${row.url} is listed as a deliberate difference but agrees`);
      } else if (!(row.url in DELIBERATE)) {
        unexpected.push(`${service}: Apprise ${row.accepted ? 'accepts' : 'refuses'}, secflow ${ours ? 'accepts' : 'refuses'}: ${row.url}`);
      }
    }
    agree += a;
    perService.push(`${service} ${a}/${rows.length}`);
  }
  return { agree, total, unexpected, perService };
}

test('acceptance agrees with Apprise\'s tables on at least 95% of the URLs; every difference is a listed deliberate one', () => {
  const { agree, total, unexpected, perService } = acceptance(TABLES.services);
  console.log(`# accepted/refused as Apprise: ${agree}/${total} (${(100 * agree / total).toFixed(1)}%): ${perService.join(', ')}`);
  assert.deepEqual(unexpected, []);
  assert.ok(agree / total >= 0.95, `${agree}/${total}`);
});

test('new services (Mattermost, Rocket.Chat, Google Chat, PagerDuty, Opsgenie, Webex, Zulip, Apprise API, Matrix, SNS): acceptance as Apprise\'s tables, differences listed', () => {
  const { agree, total, unexpected, perService } = acceptance(TABLES.new);
  console.log(`# new services accepted/refused as Apprise: ${agree}/${total} (${(100 * agree / total).toFixed(1)}%): ${perService.join(', ')}`);
  assert.deepEqual(unexpected, []);
  assert.ok(agree / total >= 0.95, `${agree}/${total}`);
});

// ---------------------------------------------------------------------------
// Where requests go.

let emu: NotifyEmulator;
let base: string;
let recorder: OutboundRecorder;

before(async () => {
  emu = new NotifyEmulator();
  base = await emu.listen();
  recorder = new OutboundRecorder(() => [emu.port]);
});
after(async () => {
  recorder.close();
  await emu.close();
});

/** Services whose host is implied by the scheme (a cloud API): requests go to `endpoints[service]`. */
const CLOUD = new Set(['discord', 'slack', 'telegram', 'pushover', 'googlechat', 'webex', 'pagerduty', 'opsgenie', 'sns']);

/** The host and port written in a URL's authority (tokens may hold ':', so no WHATWG URL). */
function written(url: string, defaultPort: number): { host: string; port: number } {
  // Rocket.Chat's webhook form writes TOKEN_A/TOKEN_B@host: the '/' belongs to the userinfo.
  url = url.replace(/^(rockets?:\/\/)(?:[^:/@]+:)?[a-z0-9]+(?:\/|%2F)[a-z0-9]+@/i, '$1');
  const authority = /^[a-z0-9+.-]+:\/\/([^/?#]*)/i.exec(url)?.[1] ?? '';
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const m = /^(.*?)(?::(\d+))?$/.exec(hostPort)!;
  return { host: decodeURIComponent(m[1]).toLowerCase(), port: m[2] ? Number(m[2]) : defaultPort };
}

function endpointsFor(): Record<string, string> {
  return {
    discord: `${base}/api`, slack: base, 'slack-gov': base, telegram: base, pushover: base, ntfy: base,
    googlechat: base, webex: base, pagerduty: base, opsgenie: base, zulip: base, matrix: base, sns: base,
  };
}

/** The URL with retries off, so a stopped request fails at once (the form is unchanged). */
function noRetry(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}retry=0`;
}

async function sendRecorded(url: string): Promise<Outbound[]> {
  recorder.take();
  const notifier = new Notifier([parseTarget(noRetry(url))], { endpoints: endpointsFor(), now: () => 1_700_000_000 });
  try {
    await notifier.notify({ title: 'Sudo alert', body: 'root ran id', type: 'warning', format: 'text' });
  } finally {
    await notifier.close();
  }
  return recorder.take();
}

/** The credentials a URL carries, as the user wrote them: userinfo password, token= and key-like path parts. */
function credentialsOf(url: string): string[] {
  const authority = /^[a-z0-9+.-]+:\/\/([^/?#]*)/i.exec(url)?.[1] ?? '';
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : '';
  const out = userinfo.split(':').slice(1).filter((p) => p.length >= 3);
  const token = /[?&]token=([^&]+)/.exec(url)?.[1];
  if (token) out.push(decodeURIComponent(token));
  if (/^ntfys?:/.test(url) && userinfo && !userinfo.includes(':')) out.push(userinfo);
  return out.map(decodeURIComponent);
}

/** Checks one request against the destination rule of its service; returns a problem or undefined. */
function misdirected(service: string, url: string, r: Outbound): string | undefined {
  const emulator = r.host === '127.0.0.1' && r.port === emu.port;
  if (CLOUD.has(service) || /^https:\/\/hooks\.slack/i.test(url)) return emulator ? undefined : `went to ${r.host}:${r.port}, not the ${service} endpoint`;
  // Zulip's cloud is ORG.zulipchat.com (written as zulip://bot@ORG/…); a self-hosted one names its host.
  if (service === 'zulip') {
    const org = written(url, 443).host;
    if (!org.includes('.') || org.endsWith('.zulipchat.com')) return emulator ? undefined : `went to ${r.host}:${r.port}, not the zulip endpoint`;
    return r.host === org && r.port === 443 ? undefined : `went to ${r.host}:${r.port}, not ${org}:443`;
  }
  // Matrix's t2bot webhooks live at webhooks.t2bot.io (a bare token, mode=t2bot or that URL).
  if (service === 'matrix' && (/[?&]mode=t2bot/i.test(url) || /^https:\/\/webhooks\.t2bot\.io\//i.test(url) || /^matrixs?:\/\/[^@/?]+\/?(\?(?!.*mode=)|$)/i.test(url))) {
    return emulator ? undefined : `went to ${r.host}:${r.port}, not the t2bot endpoint`;
  }
  const secure = /^(jsons|forms|xmls|gotifys|ntfys|workflows?|https|mmosts|rockets|apprises|matrixs):/i.test(url);
  const w = written(url, secure ? 443 : 80);
  const toWritten = r.host === w.host && r.port === w.port;
  if (service === 'ntfy') {
    if (toWritten) return undefined;
    if (!emulator) return `went to ${r.host}:${r.port}, neither ${w.host}:${w.port} nor the ntfy.sh endpoint`;
    // A URL that names ntfy.sh itself (private mode) points its credentials there.
    if (w.host === 'ntfy.sh' && !/[?&]mode=cloud/i.test(url)) return undefined;
    const sent = `${r.path}\n${JSON.stringify(r.headers)}\n${r.body}`;
    if (r.headers.authorization) return 'ntfy.sh (cloud mode) got an Authorization header';
    const leaked = credentialsOf(url).find((c) => sent.includes(c));
    return leaked ? `ntfy.sh (cloud mode) got the credential ${leaked}` : undefined;
  }
  return toWritten ? undefined : `went to ${r.host}:${r.port}, not ${w.host}:${w.port} written in the URL`;
}

async function sending(tables: Record<string, Row[]>): Promise<{ sent: number; sendable: number; problems: string[]; perService: string[] }> {
  let sendable = 0;
  let sent = 0;
  const problems: string[] = [];
  const perService: string[] = [];
  for (const [service, rows] of Object.entries(tables)) {
    if (service === 'email') continue; // SMTP: checked below (nodemailer opens its own sockets)
    let s = 0;
    let n = 0;
    for (const row of rows) {
      if (!row.sendable || !accepts(row.url)) {
        if (row.sendable) n++;
        continue;
      }
      n++;
      const requests = await sendRecorded(row.url);
      const wrong = requests.map((r) => misdirected(service, row.url, r)).filter(Boolean);
      if (requests.length && !wrong.length) s++;
      if (!requests.length) problems.push(`${service}: nothing sent for ${row.url}`);
      problems.push(...wrong.map((w) => `${service}: ${row.url} ${w}`));
    }
    sendable += n;
    sent += s;
    perService.push(`${service} ${s}/${n}`);
  }
  return { sent, sendable, problems, perService };
}

test('every URL Apprise sends is sent, only to the host it names or to the endpoint standing in for its cloud host', async () => {
  const { sent, sendable, problems, perService } = await sending(TABLES.services);
  console.log(`# sent as Apprise sends, to the right host: ${sent}/${sendable} (${(100 * sent / sendable).toFixed(1)}%): ${perService.join(', ')}`);
  assert.deepEqual(problems.filter((p) => !/nothing sent/.test(p)), [], 'misdirected requests');
  assert.ok(sent / sendable >= 0.95, `${sent}/${sendable}\n${problems.join('\n')}`);
});

test('new services: every URL Apprise sends goes only to the host it names or to the endpoint of its cloud host', async () => {
  const { sent, sendable, problems, perService } = await sending(TABLES.new);
  console.log(`# new services sent as Apprise sends, to the right host: ${sent}/${sendable} (${(100 * sent / sendable).toFixed(1)}%): ${perService.join(', ')}`);
  assert.deepEqual(problems.filter((p) => !/nothing sent/.test(p)), [], 'misdirected requests');
  assert.ok(sent / sendable >= 0.95, `${sent}/${sendable}\n${problems.join('\n')}`);
});

test('e-mail rows: the SMTP connection goes to the host written (or smtp=), never elsewhere', () => {
  for (const row of TABLES.services.email) {
    if (!accepts(row.url)) continue;
    const config = parseTarget(row.url).config as EmailConfig;
    const smtp = /[?&]smtp=([^&]+)/.exec(row.url)?.[1];
    const w = written(row.url, 0).host;
    assert.equal(config.host.toLowerCase(), (smtp ? decodeURIComponent(smtp) : w).toLowerCase(), row.url);
  }
});

/** Forms beyond Apprise's tables (Shoutrrr, native, contract) with where they must go. */
const MORE: Array<{ url: string; service: string }> = [
  { url: 'discord://SecretWebhookTok3n@123456789012345678', service: 'discord' },
  { url: 'https://discord.com/api/webhooks/123456789012345678/SecretWebhookTok3n', service: 'discord' },
  { url: 'slack://hook:T1ABC-B2DEF-C3ghiJKL@webhook', service: 'slack' },
  { url: 'slack://xoxb:1234-5678-abcdEFG@alerts', service: 'slack' },
  { url: 'https://hooks.slack.com/services/T1ABC/B2DEF/C3ghiJKL', service: 'slack' },
  { url: 'https://hooks.slack-gov.com/services/T1ABC/B2DEF/C3ghiJKL', service: 'slack' },
  { url: 'telegram://123456789:AAHsecret-token_x@telegram?chats=-1001,@soc', service: 'telegram' },
  { url: `pushover://shoutrrr:${'a'.repeat(30)}@${'u'.repeat(30)}/?devices=phone`, service: 'pushover' },
  { url: 'ntfy://user:S3cretPass@ntfy.sh/alerts?mode=cloud', service: 'ntfy' },
  { url: 'ntfys://tk_S3cretTok3n@ntfy.sh/alerts', service: 'ntfy' },
  { url: 'ntfy://user:S3cretPass@topic1/topic2/topic3/?mode=cloud', service: 'ntfy' },
  { url: 'ntfys://user:S3cretPass@localhost?to=topic', service: 'ntfy' },
  { url: 'ntfy://user:S3cretPass@ntfy.internal.example/alerts', service: 'ntfy' },
  { url: 'https://ntfy.sh/alerts', service: 'ntfy' },
  { url: 'json://user:S3cretPass@hooks.internal.example:8443/notify?+Authorization=Bearer%20S3cretTok3n', service: 'json' },
  { url: 'forms://user:S3cretPass@hooks.internal.example/notify?method=GET', service: 'form' },
  { url: 'gotifys://gotify.internal.example/sub/AppT0kenXYZ', service: 'gotify' },
  { url: 'workflows://prod-01.westus.logic.azure.com:443/0fe1abc/S3cretSig?pa=yes', service: 'workflows' },
];

test('Shoutrrr, native and contract forms: credentials go only where the URL (or endpoints) points', async () => {
  const problems: string[] = [];
  for (const { url, service } of MORE) {
    const requests = await sendRecorded(url);
    if (!requests.length) problems.push(`nothing sent for ${url}`);
    for (const r of requests) {
      const p = misdirected(service, url, r);
      if (p) problems.push(`${url} ${p}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('generic:// and teams://?host= go to the host inside the URL', async () => {
  const generic = await sendRecorded('generic://hooks.internal.example/hook/S3cretPathTok3n');
  assert.ok(generic.length > 0);
  for (const r of generic) assert.deepEqual([r.host, r.port], ['hooks.internal.example', 443]);
  const teams = await sendRecorded(`teams://?host=${encodeURIComponent('https://prod-01.westus.logic.azure.com:443/workflows/0fe1abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=S3cretSig')}`);
  assert.ok(teams.length > 0);
  for (const r of teams) assert.deepEqual([r.host, r.port], ['prod-01.westus.logic.azure.com', 443]);
});

// One table test per service: every row of Apprise's table is accepted or refused as
// Apprise does, unless it is a listed deliberate difference (then the opposite holds).
for (const [service, rows] of [...Object.entries(TABLES.services), ...Object.entries(TABLES.new)]) {
  test(`${service}: Apprise's URL table (${rows.length} rows), accepted and refused forms`, () => {
    for (const row of rows) {
      const expected = row.url in DELIBERATE ? !row.accepted : row.accepted;
      assert.equal(accepts(row.url), expected, `${row.url}${row.url in DELIBERATE ? ` (deliberate: ${DELIBERATE[row.url]})` : ''}`);
    }
  });
}
