// Every HTTP service against the loopback emulator: method, path, headers and
// body fields as the contract (U) describes; 429 handling; 4xx reported at once.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { Notifier, parseTarget, type Notification, type NotifyResult } from '../../../src/lib/notify';
import { NotifyEmulator, slackRateLimit, telegramRateLimit } from '../../emulators/notify';
import type { LogEntry } from '../../emulators/framework';
import { makeTestCerts, type TestCerts } from '../../support/certs';

let emu: NotifyEmulator;
let tlsEmu: NotifyEmulator;
let base: string;
let host: string;
let tlsPort: number;
let certs: TestCerts;
const FIXED_TS = 1_700_000_000;

before(async () => {
  emu = new NotifyEmulator();
  base = await emu.listen();
  host = base.replace('http://', '');
  // Server certificate from a test CA the notifier does not know: verify=no is needed.
  certs = makeTestCerts();
  tlsEmu = new NotifyEmulator({ tls: { key: certs.server.key, cert: certs.server.cert } });
  await tlsEmu.listen();
  tlsPort = tlsEmu.port;
});
after(async () => {
  await emu.close();
  await tlsEmu.close();
  certs.cleanup();
});
beforeEach(() => {
  emu.clearFaults();
  emu.log.length = 0;
  tlsEmu.log.length = 0;
});

const note = (over: Partial<Notification> = {}): Notification => ({ title: 'Sudo alert', body: 'root ran <id> & more', type: 'failure', format: 'text', ...over });

async function send(url: string, n: Notification = note(), endpoints: Record<string, string> = {}): Promise<NotifyResult> {
  const notifier = new Notifier([parseTarget(url)], { endpoints, now: () => FIXED_TS });
  try {
    return await notifier.notify(n);
  } finally {
    await notifier.close();
  }
}

function only(route: string, e: NotifyEmulator = emu): LogEntry {
  const entries = e.requests(route);
  assert.equal(entries.length, 1, `${route}: ${entries.length} requests (${e.log.map((l) => `${l.method} ${l.path} ${l.status}`).join('; ')})`);
  return entries[0];
}

test('slack webhook (Apprise form via endpoints.slack): POST /services/TA/TB/TC with mrkdwn attachment per channel', async () => {
  const r = await send('slack://SecBot@T1ABC/B2DEF/C3ghiJKL/#soc/#ir?footer=secflow', note(), { slack: base });
  assert.equal(r.ok, true, JSON.stringify(r));
  const entries = emu.requests('slack:webhook');
  assert.equal(entries.length, 2);
  assert.equal(entries[0].path, '/services/T1ABC/B2DEF/C3ghiJKL');
  assert.match(String(entries[0].headers['content-type']), /^application\/json/);
  assert.deepEqual(JSON.parse(entries[0].body), {
    username: 'SecBot', channel: '#soc', mrkdwn: true,
    attachments: [{ title: 'Sudo alert', text: 'root ran &lt;id&gt; &amp; more', color: '#A32037', ts: FIXED_TS, footer: 'secflow' }],
  });
  assert.equal(JSON.parse(entries[1].body).channel, '#ir');
});

test('slack bot: chat.postMessage with Bearer token; HTTP 200 {"ok":false} is a failure', async () => {
  const r = await send('slack://xoxb-1234-5678-abcdEFG/#soc', note({ format: 'markdown', body: '**bold** [link](https://x.example)' }), { slack: base });
  assert.equal(r.ok, true, JSON.stringify(r));
  const e = only('slack:postMessage');
  assert.equal(e.headers.authorization, 'Bearer xoxb-1234-5678-abcdEFG');
  const body = JSON.parse(e.body);
  assert.deepEqual([body.channel, body.text, body.attachments[0].text], ['soc', 'Sudo alert', '*bold* <https://x.example|link>']);
  emu.log.length = 0;
  emu.inject({ route: 'slack:postMessage', fault: { type: 'respond', respond: () => ({ status: 200, body: { ok: false, error: 'channel_not_found' } }) }, times: 1 });
  const failed = await send('slack://xoxb-1234-5678-abcdEFG/#gone', note(), { slack: base });
  assert.equal(failed.ok, false);
  assert.match(failed.results[0].error ?? '', /channel_not_found/);
  assert.ok(!JSON.stringify(failed).includes('abcdEFG'));
});

test('slack 429 with Retry-After: waits, then the message arrives', async () => {
  emu.inject({ route: 'slack:webhook', fault: slackRateLimit(1), times: 1 });
  const started = Date.now();
  const r = await send('https://hooks.slack.com/services/T1ABC/B2DEF/C3ghiJKL', note(), { slack: base });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.ok(Date.now() - started >= 950);
  assert.deepEqual(emu.requests('slack:webhook').map((e) => e.status), [429, 200]);
});

test('telegram: sendMessage per chat with HTML, <b>title</b>, topic; 429 parameters.retry_after honoured', async () => {
  emu.inject({ route: 'telegram:sendMessage', fault: telegramRateLimit(1), times: 1 });
  const started = Date.now();
  const r = await send('tgram://123456789:AAHsecret-token_x/-1001234567890:42/@secflow_alerts?silent=yes', note(), { telegram: base });
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.ok(Date.now() - started >= 950, 'waited for retry_after');
  const ok = emu.requests('telegram:sendMessage').filter((e) => e.status === 200);
  assert.equal(ok.length, 2);
  assert.equal(ok[0].path, '/bot123456789:AAHsecret-token_x/sendMessage');
  assert.deepEqual(JSON.parse(ok[0].body), {
    chat_id: '-1001234567890', text: '<b>Sudo alert</b>\r\nroot ran &lt;id&gt; &amp; more', parse_mode: 'HTML',
    disable_notification: true, disable_web_page_preview: true, message_thread_id: 42,
  });
  assert.equal(JSON.parse(ok[1].body).chat_id, '@secflow_alerts');
});

test('telegram: a 400 is reported at once with the bot token masked', async () => {
  emu.inject({ route: 'telegram:sendMessage', fault: { type: 'respond', respond: () => ({ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } }) }, times: 1 });
  const r = await send('tgram://123456789:AAHsecret-token_x/11', note(), { telegram: base });
  assert.equal(r.ok, false);
  assert.equal(r.results[0].status, 400);
  assert.equal(r.results[0].attempts, 1);
  assert.match(r.results[0].error ?? '', /chat not found/);
  assert.ok(!JSON.stringify(r).includes('AAHsecret-token_x'), JSON.stringify(r));
  assert.equal(emu.requests('telegram:sendMessage').length, 1);
});

test('ntfy: JSON to the server root with topic, title, priority, tags, markdown; Basic auth; type never sets priority', async () => {
  const r = await send(`ntfy://alice:Passw0rd@${host}/alerts?tags=warning,skull&click=https%3A%2F%2Fsoc.example`, note({ format: 'markdown', body: '**x**' }));
  assert.equal(r.ok, true, JSON.stringify(r));
  const e = only('ntfy:publish');
  assert.equal(e.path, '/');
  assert.equal(e.headers.authorization, `Basic ${Buffer.from('alice:Passw0rd').toString('base64')}`);
  assert.deepEqual(JSON.parse(e.body), { topic: 'alerts', message: '**x**', title: 'Sudo alert', tags: ['warning', 'skull'], click: 'https://soc.example', markdown: true });
  emu.log.length = 0;
  const cloud = await send('ntfy://secflow-demo?priority=high', note({ body: 'plain' }), { ntfy: base });
  assert.equal(cloud.ok, true);
  assert.deepEqual(JSON.parse(only('ntfy:publish').body), { topic: 'secflow-demo', message: 'plain', title: 'Sudo alert', priority: 4 });
});

test('ntfy: Bearer tk_ token', async () => {
  const r = await send(`ntfy://tk_abcdefghijk@${host}/t1`);
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(only('ntfy:publish').headers.authorization, 'Bearer tk_abcdefghijk');
});

test('gotify: POST [/sub]/message with X-Gotify-Key; markdown extras; 401 for a bad key', async () => {
  const r = await send(`gotify://${host}/sub/AppT0kenXYZ?priority=high`, note({ format: 'markdown', body: '# h' }));
  assert.equal(r.ok, true, JSON.stringify(r));
  const e = only('gotify:message');
  assert.equal(e.path, '/sub/message');
  assert.equal(e.headers['x-gotify-key'], 'AppT0kenXYZ');
  assert.deepEqual(JSON.parse(e.body), { title: 'Sudo alert', message: '# h', priority: 8, extras: { 'client::display': { contentType: 'text/markdown' } } });
  emu.gotifyTokens.add('OtherT0ken');
  try {
    const bad = await send(`gotify://${host}/AppT0kenXYZ`);
    assert.equal(bad.ok, false);
    assert.equal(bad.results[0].status, 401);
    assert.ok(!JSON.stringify(bad).includes('AppT0kenXYZ'));
  } finally {
    emu.gotifyTokens.clear();
  }
});

test('pushover: form POST /1/messages.json; priority 2 adds retry/expire; html=1 for html; no device field when unset', async () => {
  const user = 'uQiRzpo4DXghDmr9QzzfQu27cmVRsG';
  const token = 'azGDORePK8gMaC0QOYAMyEEuzJnyUi';
  const r = await send(`pover://${user}@${token}?priority=emergency&sound=siren`, note({ format: 'html', body: '<b>x</b>' }), { pushover: base });
  assert.equal(r.ok, true, JSON.stringify(r));
  const e = only('pushover:messages');
  assert.equal(e.headers['content-type'], 'application/x-www-form-urlencoded');
  const form = Object.fromEntries(new URLSearchParams(e.body));
  assert.deepEqual(form, { token, user, message: '<b>x</b>', title: 'Sudo alert', priority: '2', sound: 'siren', html: '1', retry: '30', expire: '600' });
  emu.log.length = 0;
  await send(`pover://${user}@${token}/phone`, note(), { pushover: base });
  assert.equal(new URLSearchParams(only('pushover:messages').body).get('device'), 'phone');
});

test('workflows over HTTPS (verify=no): invoke path, query and the Adaptive Card body', async () => {
  const r = await send(`workflows://127.0.0.1:${tlsPort}/0fe1abc/Sig-ABCdef123?verify=no`, note({ format: 'markdown', body: '**x**' }));
  assert.equal(r.ok, true, JSON.stringify(r));
  const e = only('workflows:invoke', tlsEmu);
  assert.equal(e.status, 202);
  assert.equal(e.path, '/workflows/0fe1abc/triggers/manual/paths/invoke');
  const q = new URLSearchParams(e.query);
  assert.deepEqual(Object.fromEntries(q), { 'api-version': '2016-06-01', sp: '/triggers/manual/run', sv: '1.0', sig: 'Sig-ABCdef123' });
  assert.deepEqual(JSON.parse(e.body), {
    type: 'message',
    attachments: [{
      contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null,
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4',
        body: [{ type: 'TextBlock', text: 'Sudo alert', style: 'heading', weight: 'Bolder', size: 'Large' }, { type: 'TextBlock', text: '**x**', wrap: true }],
        msteams: { width: 'full' },
      },
    }],
  });
  tlsEmu.log.length = 0;
  const pa = await send(`workflows://127.0.0.1:${tlsPort}/0fe1abc/Sig-ABCdef123?verify=no&pa=yes`);
  assert.equal(pa.ok, true);
  const pe = only('workflows:invoke', tlsEmu);
  assert.equal(pe.path, '/powerautomate/automations/direct/workflows/0fe1abc/triggers/manual/paths/invoke');
  assert.equal(new URLSearchParams(pe.query).get('api-version'), '2022-03-01-preview');
});

test('workflows with TLS verification on rejects a server from an unknown CA without retrying', async () => {
  const r = await send(`workflows://127.0.0.1:${tlsPort}/0fe1abc/Sig-ABCdef123`);
  assert.equal(r.ok, false);
  assert.match(r.results[0].error ?? '', /TLS verification failed/);
  assert.equal(tlsEmu.requests('workflows:invoke').length, 0);
});

test('json: Apprise body, Basic auth, +header, -query, :rename/:drop/:add', async () => {
  const r = await send(`json://bob:Pw0rd123@${host}/json?+X-Source=secflow&-sig=abc&:message=text&:attachments=&:env=prod`);
  assert.equal(r.ok, true, JSON.stringify(r));
  const e = only('json:sink');
  assert.equal(e.method, 'POST');
  assert.equal(e.query, '?sig=abc');
  assert.equal(e.headers['content-type'], 'application/json');
  assert.equal(e.headers['x-source'], 'secflow');
  assert.equal(e.headers.authorization, `Basic ${Buffer.from('bob:Pw0rd123').toString('base64')}`);
  assert.deepEqual(JSON.parse(e.body), { version: '1.0', title: 'Sudo alert', text: 'root ran <id> & more', type: 'failure', env: 'prod' });
});

test('form: urlencoded version, title, message, type; method=put', async () => {
  const r = await send(`form://${host}/form/in?method=put`);
  assert.equal(r.ok, true, JSON.stringify(r));
  const e = only('form:sink');
  assert.equal(e.method, 'PUT');
  assert.equal(e.path, '/form/in');
  assert.equal(e.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.deepEqual(Object.fromEntries(new URLSearchParams(e.body)), { version: '1.0', title: 'Sudo alert', message: 'root ran <id> & more', type: 'failure' });
});

test('xml: SOAP Notification with Version 1.1, Subject, MessageType and escaped Message', async () => {
  const r = await send(`xml://${host}/xml`);
  assert.equal(r.ok, true, JSON.stringify(r));
  const e = only('xml:sink');
  assert.equal(e.headers['content-type'], 'application/xml');
  assert.match(e.body, /^<\?xml version="1.0" encoding="utf-8"\?><soapenv:Envelope xmlns:soapenv="http:\/\/schemas.xmlsoap.org\/soap\/envelope\/"/);
  assert.match(e.body, /<soapenv:Body><Notification xmlns:xsi="http:\/\/nuxref.com\/apprise\/NotifyXML-1.1.xsd"><Version>1.1<\/Version><Subject>Sudo alert<\/Subject><MessageType>failure<\/MessageType><Message>root ran &lt;id&gt; &amp; more<\/Message><\/Notification><\/soapenv:Body><\/soapenv:Envelope>$/);
});

test('generic (Shoutrrr): the raw message as application/json; template=json with keys, $field and @header', async () => {
  const raw = await send(`generic://${host}/generic?disabletls=yes`);
  assert.equal(raw.ok, true, JSON.stringify(raw));
  const e = only('generic:sink');
  assert.equal(e.headers['content-type'], 'application/json');
  assert.equal(e.body, 'root ran <id> & more');
  emu.log.length = 0;
  const tpl = await send(`generic://${host}/generic/x?disabletls=yes&template=json&titlekey=subject&$env=prod&@X-Team=soc`);
  assert.equal(tpl.ok, true);
  const t = only('generic:sink');
  assert.equal(t.headers['x-team'], 'soc');
  assert.deepEqual(JSON.parse(t.body), { subject: 'Sudo alert', message: 'root ran <id> & more', env: 'prod' });
});

test('5xx is retried retry=N times through HttpClient, then reported', async () => {
  emu.inject({ route: 'json:sink', fault: { type: 'status', status: 503 }, times: 2 });
  const ok = await send(`json://${host}/json?retry=2&wait=0.05`);
  assert.equal(ok.ok, true, JSON.stringify(ok));
  assert.equal(ok.results[0].attempts, 3);
  emu.log.length = 0;
  emu.inject({ route: 'json:sink', fault: { type: 'status', status: 503 }, times: 5 });
  const failed = await send(`json://${host}/json?retry=1&wait=0.05`);
  assert.equal(failed.ok, false);
  assert.equal(failed.results[0].status, 503);
  assert.equal(emu.requests('json:sink').length, 2);
  emu.clearFaults();
});

test('a 404 is reported at once; after 3 rate-limit waits the target fails "rate limited"', async () => {
  const nf = await send(`json://${host}/nowhere/deeper`);
  assert.equal(nf.ok, false);
  assert.equal(nf.results[0].status, 404);
  assert.equal(nf.results[0].attempts, 1);
  emu.inject({ route: 'json:sink', fault: { type: 'throttle', retryAfterSeconds: 0.3 }, times: 10 });
  const limited = await send(`json://${host}/json`);
  assert.equal(limited.ok, false);
  assert.match(limited.results[0].error ?? '', /rate limited/);
  assert.equal(emu.requests('json:sink').length, 4);
});
