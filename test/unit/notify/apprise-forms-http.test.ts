// Request shapes of the Apprise URL forms added for issue 15, against the notify
// emulator: what Apprise sends (method, path, query, body fields) for each form.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { Notifier, parseTarget, type Notification, type NotifyResult } from '../../../src/lib/notify';
import { NotifyEmulator } from '../../emulators/notify';
import { makeTestCerts, type TestCerts } from '../../support/certs';

let emu: NotifyEmulator;
let tlsEmu: NotifyEmulator;
let base: string;
let certs: TestCerts;

before(async () => {
  emu = new NotifyEmulator();
  base = await emu.listen();
  certs = makeTestCerts();
  tlsEmu = new NotifyEmulator({ tls: { key: certs.server.key, cert: certs.server.cert } });
  await tlsEmu.listen();
});
after(async () => {
  await emu.close();
  await tlsEmu.close();
  certs.cleanup();
});
beforeEach(() => {
  emu.log.length = 0;
  tlsEmu.log.length = 0;
});

const note = (over: Partial<Notification> = {}): Notification => ({ title: 'Sudo alert', body: 'root ran id', type: 'warning', format: 'text', ...over });

async function send(url: string, n: Notification = note()): Promise<NotifyResult> {
  const endpoints = { slack: base, 'slack-gov': base, telegram: base, pushover: base };
  const notifier = new Notifier([parseTarget(url)], { endpoints, now: () => 1_700_000_000 });
  try {
    return await notifier.notify(n);
  } finally {
    await notifier.close();
  }
}

test('telegram: chat names without @ and ?to= become @name and id chats', async () => {
  const r = await send('tgram://123456789:abcdefg_hijklmnop/lead2gold/?to=-1001,soc_team:42');
  assert.equal(r.ok, true, JSON.stringify(r));
  const chats = emu.requests('telegram:sendMessage').map((e) => { const b = JSON.parse(e.body); return [b.chat_id, b.message_thread_id]; });
  assert.deepEqual(chats, [['@lead2gold', undefined], ['-1001', undefined], ['@soc_team', 42]]);
});

test('slack: ?token= webhook and xoxe. bot forms, slack-gov, workflow and trigger paths', async () => {
  assert.equal((await send('slack://?token=T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ/&to=#chan')).ok, true);
  const hook = emu.requests('slack:webhook');
  assert.equal(hook[0].path, '/services/T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ');
  assert.equal(JSON.parse(hook[0].body).channel, '#chan');

  assert.equal((await send('slack://username@xoxe.xoxb-1234-1234-abc124/#nuxref:1700000000.0001')).ok, true);
  const bot = emu.requests('slack:postMessage').at(-1)!;
  assert.equal(bot.headers.authorization, 'Bearer xoxe.xoxb-1234-1234-abc124');
  assert.deepEqual([JSON.parse(bot.body).channel, JSON.parse(bot.body).thread_ts], ['nuxref', '1700000000.0001']);

  emu.log.length = 0;
  assert.equal((await send('https://hooks.slack-gov.com/services/AAAAAAAAA/BBBBBBBBB/cccccccccccccccccccccccc')).ok, true);
  assert.equal(emu.requests('slack:webhook')[0].path, '/services/AAAAAAAAA/BBBBBBBBB/cccccccccccccccccccccccc');

  assert.equal((await send('slack://T1JJ3T3L2/Ft07XXXX/XXXXXXXX/YYYYYYYY/?mode=workflow')).ok, true);
  const wf = emu.requests('slack:workflow');
  assert.equal(wf[0].path, '/workflows/T1JJ3T3L2/Ft07XXXX/XXXXXXXX/YYYYYYYY');
  assert.deepEqual(JSON.parse(wf[0].body), { text: 'Sudo alert: root ran id' });
  assert.equal((await send('https://hooks.slack.com/triggers/T1JJ3T3L2/XXXXXXXX/YYYYYYYY')).ok, true);
  assert.equal(emu.requests('slack:trigger')[0].path, '/triggers/T1JJ3T3L2/XXXXXXXX/YYYYYYYY');
  assert.equal(emu.requests('slack:webhook').length, 1, 'workflow modes never post to /services/');
});

test('workflows: powerautomate=yes posts under /powerautomate/automations/direct with the older api-version; ?id=/?workflow=/?signature= forms', async () => {
  const port = tlsEmu.port;
  const r = await send(`workflows://127.0.0.1:${port}/flow1e/S1gnature/?powerautomate=yes&verify=no`);
  assert.equal(r.ok, true, JSON.stringify(r));
  const pa = tlsEmu.requests('workflows:invoke')[0];
  assert.equal(pa.path, '/powerautomate/automations/direct/workflows/flow1e/triggers/manual/paths/invoke');
  const q = new URLSearchParams(pa.query);
  assert.deepEqual([q.get('api-version'), q.get('sig'), q.get('sp'), q.get('sv')], ['2022-03-01-preview', 'S1gnature', '/triggers/manual/run', '1.0']);
  for (const url of [`workflows://127.0.0.1:${port}/S1gnature/?id=flow1c&verify=no`, `workflows://127.0.0.1:${port}/S1gnature/?workflow=flow1c&verify=no`, `workflows://127.0.0.1:${port}/?id=flow1c&signature=S1gnature&verify=no`]) {
    tlsEmu.log.length = 0;
    assert.equal((await send(url)).ok, true, url);
    const e = tlsEmu.requests('workflows:invoke')[0];
    assert.equal(e.path, '/workflows/flow1c/triggers/manual/paths/invoke', url);
    assert.equal(new URLSearchParams(e.query).get('api-version'), '2016-06-01', url);
    assert.equal(new URLSearchParams(e.query).get('sig'), 'S1gnature', url);
  }
});

test('form:// with method=GET puts the fields in the query string and sends no body', async () => {
  const r = await send(`${base.replace('http', 'form')}/form/hook?method=GET&-extra=1`);
  assert.equal(r.ok, true, JSON.stringify(r));
  const e = emu.requests('form:sink')[0];
  assert.equal(e.method, 'GET');
  const q = new URLSearchParams(e.query);
  assert.deepEqual([q.get('version'), q.get('title'), q.get('message'), q.get('type'), q.get('extra')], ['1.0', 'Sudo alert', 'root ran id', 'warning', '1']);
  assert.equal(e.body, '');
});

test('discord: a non-numeric webhook id reaches /webhooks/ID/TOKEN', async () => {
  const notifier = new Notifier([parseTarget('discord://abcdefghijklmnopqrstuvwx/Tok3nTok3n?flags=4')], { endpoints: { discord: `${base}/api` } });
  try {
    const r = await notifier.notify(note());
    assert.equal(r.ok, true, JSON.stringify(r));
  } finally {
    await notifier.close();
  }
  const got = emu.discord.at(-1)!;
  assert.deepEqual([got.id, got.token, got.body.flags], ['abcdefghijklmnopqrstuvwx', 'Tok3nTok3n', 4]);
});

test('pushover: format=markdown is sent as HTML with html=1; #group keys get their own request', async () => {
  const user = 'u'.repeat(30);
  const token = 'a'.repeat(30);
  const r = await send(`pover://${user}@${token}/phone/%23${'g'.repeat(30)}?format=markdown&priority=loud`, note({ body: '**root** ran `id`', format: 'markdown' }));
  assert.equal(r.ok, true, JSON.stringify(r));
  const forms = emu.requests('pushover:messages').map((e) => new URLSearchParams(e.body));
  assert.equal(forms.length, 2);
  assert.match(forms[0].get('message')!, /<(b|strong)>root<\/(b|strong)> ran <code>id<\/code>/);
  assert.deepEqual([forms[0].get('html'), forms[0].get('user'), forms[0].get('device'), forms[0].get('priority')], ['1', user, 'phone', '0']);
  assert.deepEqual([forms[1].get('user'), forms[1].get('device')], ['g'.repeat(30), null]);
});
