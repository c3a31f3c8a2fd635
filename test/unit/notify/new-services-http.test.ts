// Request shapes of the services added for issue 15 against the notify emulator:
// Mattermost, Rocket.Chat, Google Chat, PagerDuty, Opsgenie, Webex Teams, Zulip and
// an Apprise API server (method, path, auth, body fields as Apprise sends them), plus
// retries on 5xx and secret masking in errors.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { Notifier, parseTarget, type Notification, type NotifyResult } from '../../../src/lib/notify';
import { NotifyEmulator } from '../../emulators/notify';
import type { LogEntry } from '../../emulators/framework';

let emu: NotifyEmulator;
let base: string;
let host: string;

before(async () => {
  emu = new NotifyEmulator();
  base = await emu.listen();
  host = base.replace('http://', '');
});
after(() => emu.close());
beforeEach(() => {
  emu.clearFaults();
  emu.log.length = 0;
});

const note = (over: Partial<Notification> = {}): Notification => ({ title: 'Sudo alert', body: 'root ran id', type: 'failure', format: 'text', ...over });
const endpoints = () => ({ googlechat: base, webex: base, pagerduty: base, opsgenie: base, zulip: base });

async function send(url: string, n: Notification = note()): Promise<NotifyResult> {
  const notifier = new Notifier([parseTarget(url)], { endpoints: endpoints(), now: () => 1_700_000_000 });
  try {
    return await notifier.notify(n);
  } finally {
    await notifier.close();
  }
}

function only(route: string): LogEntry {
  const entries = emu.requests(route);
  assert.equal(entries.length, 1, `${route}: ${emu.log.map((l) => `${l.method} ${l.path} ${l.status}`).join('; ')}`);
  return entries[0];
}

test('mattermost: webhook posts {text, username, channel} per channel under the path prefix; bot mode posts to /api/v4/posts', async () => {
  const r = await send(`mmost://secbot@${host}/mm/3ccdd113474722377935511fc85d3dd4?to=#soc,ir`);
  assert.equal(r.ok, true, JSON.stringify(r));
  const hooks = emu.requests('mattermost:webhook');
  assert.deepEqual(hooks.map((e) => e.path), ['/mm/hooks/3ccdd113474722377935511fc85d3dd4', '/mm/hooks/3ccdd113474722377935511fc85d3dd4']);
  assert.deepEqual(JSON.parse(hooks[0].body), { text: 'Sudo alert\r\nroot ran id', username: 'secbot', channel: 'soc' });
  assert.equal(JSON.parse(hooks[1].body).channel, 'ir');
  assert.equal((await send(`mmost://${host}/b0tT0ken?mode=bot&to=+chan1d`)).ok, true);
  const post = only('mattermost:posts');
  assert.equal(post.headers.authorization, 'Bearer b0tT0ken');
  assert.deepEqual(JSON.parse(post.body), { channel_id: 'chan1d', message: 'Sudo alert\r\nroot ran id' });
  // A #name in bot mode is looked up once in the team, then posted to by id.
  emu.log.length = 0;
  const notifier = new Notifier([parseTarget(`mmost://${host}/b0tT0ken?team=soc&to=#alerts`)]);
  try {
    assert.equal((await notifier.notify(note())).ok, true);
    assert.equal((await notifier.notify(note())).ok, true);
  } finally {
    await notifier.close();
  }
  assert.deepEqual(emu.log.map((e) => `${e.method} ${e.path}`), ['GET /api/v4/teams/name/soc/channels/name/alerts', 'POST /api/v4/posts', 'POST /api/v4/posts']);
  assert.equal(JSON.parse(emu.log[2].body).channel_id, 'chsocalerts');
});

test('rocket.chat: webhook TA/TB@host per target; personal access token with X-User-Id/X-Auth-Token; user:password logs in once', async () => {
  assert.equal((await send(`rocket://web/t0ken@${host}/#soc/@alice`)).ok, true);
  const hooks = emu.requests('rocketchat:webhook');
  assert.deepEqual(hooks.map((e) => [e.path, JSON.parse(e.body).channel]), [['/hooks/web/t0ken', '#soc'], ['/hooks/web/t0ken', '@alice']]);
  assert.equal(JSON.parse(hooks[0].body).text, 'Sudo alert\r\nroot ran id');
  const pat = 'p'.repeat(43);
  assert.equal((await send(`rocket://uid42:${pat}@${host}/#soc/r00mId`)).ok, true);
  const posts = emu.requests('rocketchat:postMessage');
  assert.deepEqual(posts.map((e) => [e.headers['x-user-id'], e.headers['x-auth-token']]), [['uid42', pat], ['uid42', pat]]);
  assert.deepEqual(posts.map((e) => JSON.parse(e.body)), [{ text: 'Sudo alert\r\nroot ran id', channel: '#soc' }, { text: 'Sudo alert\r\nroot ran id', roomId: 'r00mId' }]);
  emu.log.length = 0;
  const notifier = new Notifier([parseTarget(`rocket://soc:S3cretPassw0rd@${host}/#soc/@bob`)]);
  try {
    assert.equal((await notifier.notify(note())).ok, true);
    assert.equal((await notifier.notify(note())).ok, true);
  } finally {
    await notifier.close();
  }
  assert.deepEqual(emu.log.map((e) => e.route), ['rocketchat:login', 'rocketchat:postMessage', 'rocketchat:postMessage', 'rocketchat:postMessage', 'rocketchat:postMessage'], 'one login, kept for later notifications');
  assert.deepEqual(Object.fromEntries(new URLSearchParams(emu.log[0].body)), { username: 'soc', password: 'S3cretPassw0rd' });
  assert.deepEqual([emu.log[1].headers['x-user-id'], String(emu.log[1].headers['x-auth-token']).startsWith('rc-session-')], ['u-soc', true]);
  // A 401 forgets the session; the next notification logs in again.
  emu.log.length = 0;
  const again = new Notifier([parseTarget(`rocket://soc:S3cretPassw0rd@${host}/#soc?retry=0`)]);
  try {
    assert.equal((await again.notify(note())).ok, true);
    emu.inject({ route: 'rocketchat:postMessage', fault: { type: 'status', status: 401 }, times: 1 });
    assert.equal((await again.notify(note())).ok, false);
    assert.equal((await again.notify(note())).ok, true);
  } finally {
    await again.close();
  }
  assert.deepEqual(emu.log.map((e) => e.route), ['rocketchat:login', 'rocketchat:postMessage', 'rocketchat:postMessage', 'rocketchat:login', 'rocketchat:postMessage']);
  assert.throws(() => parseTarget(`rocket://soc:S3cretPassw0rd@${host}`), (err: Error) => /a #channel, @user or room id is needed/.test(err.message) && !err.message.includes('S3cretPassw0rd'));
});

test('google chat: {text} to /v1/spaces/WORKSPACE/messages?key&token; thread key adds the reply option', async () => {
  assert.equal((await send('gchat://AAAAw0rk/K3yK3y/T0kT0k/thread1')).ok, true);
  const e = only('googlechat:messages');
  assert.equal(e.path, '/v1/spaces/AAAAw0rk/messages');
  const q = new URLSearchParams(e.query);
  assert.deepEqual([q.get('key'), q.get('token'), q.get('messageReplyOption')], ['K3yK3y', 'T0kT0k', 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD']);
  assert.deepEqual(JSON.parse(e.body), { text: 'Sudo alert\r\nroot ran id', thread: { thread_key: 'thread1' } });
  emu.log.length = 0;
  assert.equal((await send('https://chat.googleapis.com/v1/spaces/AAAAw0rk/messages?key=K3yK3y&token=T0kT0k')).ok, true);
  assert.equal(only('googlechat:messages').path, '/v1/spaces/AAAAw0rk/messages');
});

test('pagerduty: a trigger event with the type as severity, Token auth, source/component from the path, +details', async () => {
  assert.equal((await send('pagerduty://R0utingKey@Ap1Key/sudo-watch/linux?group=soc&class=sudo&+host=web-1&click=https://x.example')).ok, true);
  const e = only('pagerduty:enqueue');
  assert.equal(e.headers.authorization, 'Token token=Ap1Key');
  assert.deepEqual(JSON.parse(e.body), {
    routing_key: 'R0utingKey', client: 'secflow', event_action: 'trigger', links: [{ href: 'https://x.example' }],
    payload: { summary: 'Sudo alert: root ran id', severity: 'critical', source: 'sudo-watch', component: 'linux', group: 'soc', class: 'sudo', custom_details: { host: 'web-1' } },
  });
  emu.log.length = 0;
  assert.equal((await send('pagerduty://R0utingKey@Ap1Key?severity=warn', note({ type: 'info' }))).ok, true);
  assert.equal(JSON.parse(only('pagerduty:enqueue').body).payload.severity, 'warning');
});

test('opsgenie: one alert per responder (batch=yes: one), GenieKey auth, priority, tags, details', async () => {
  assert.equal((await send('opsgenie://Ap1K3y/@alice/#soc-team/*oncall/^escalate?priority=high&tags=sudo,linux&+host=web-1')).ok, true);
  const alerts = emu.requests('opsgenie:alerts');
  assert.equal(alerts.length, 4);
  assert.equal(alerts[0].headers.authorization, 'GenieKey Ap1K3y');
  assert.deepEqual(JSON.parse(alerts[0].body), {
    source: 'secflow', message: 'Sudo alert', description: 'root ran id', details: { type: 'failure', host: 'web-1' }, priority: 'P4',
    tags: ['sudo', 'linux'], responders: [{ type: 'user', username: 'alice' }], alias: JSON.parse(alerts[0].body).alias,
  });
  assert.match(JSON.parse(alerts[0].body).alias, /^secflow-[0-9a-f]{10}$/);
  assert.deepEqual(alerts.slice(1).map((e) => JSON.parse(e.body).responders[0]), [{ type: 'team', name: 'soc-team' }, { type: 'schedule', name: 'oncall' }, { type: 'escalation', name: 'escalate' }]);
  emu.log.length = 0;
  assert.equal((await send('opsgenie://Ap1K3y/@alice/@bob?batch=yes')).ok, true);
  assert.equal(JSON.parse(only('opsgenie:alerts').body).responders.length, 2);
});

test('opsgenie actions (Apprise\'s default map): info adds a note, success closes, by alias; action=/:type= override', async () => {
  const url = 'opsgenie://ops@Ap1K3y/@alice?alias=web-1-sudo';
  assert.equal((await send(url, note({ type: 'failure' }))).ok, true);
  assert.equal((await send(url, note({ type: 'info', body: 'still running' }))).ok, true);
  assert.equal((await send(url, note({ type: 'success', body: 'resolved' }))).ok, true);
  assert.deepEqual(emu.log.map((e) => `${e.method} ${e.path}${e.query}`), [
    'POST /v2/alerts', 'POST /v2/alerts/web-1-sudo/notes?identifierType=alias', 'POST /v2/alerts/web-1-sudo/close?identifierType=alias',
  ]);
  assert.equal(JSON.parse(emu.log[0].body).alias, 'web-1-sudo');
  assert.deepEqual(JSON.parse(emu.log[1].body), { source: 'secflow', note: 'still running', user: 'ops' });
  emu.log.length = 0;
  assert.equal((await send('opsgenie://Ap1K3y?alias=web-1-sudo&action=delete', note({ type: 'failure' }))).ok, true);
  assert.equal((await send('opsgenie://Ap1K3y?alias=web-1-sudo&:warning=acknowledge', note({ type: 'warning' }))).ok, true);
  assert.deepEqual(emu.log.map((e) => `${e.method} ${e.path}`), ['DELETE /v2/alerts/web-1-sudo', 'POST /v2/alerts/web-1-sudo/acknowledge']);
  assert.throws(() => parseTarget('opsgenie://Ap1K3y?action=explode'), /action=explode/);
});

test('webex: a webhook token posts {text|markdown} to /v1/webhooks/incoming/TOKEN; a bot posts {roomId} with Bearer', async () => {
  const token = 'a'.repeat(80);
  assert.equal((await send(`wxteams://${token}`, note({ format: 'markdown', body: '**root** ran id' }))).ok, true);
  const hook = only('webex:webhook');
  assert.equal(hook.path, `/v1/webhooks/incoming/${token}`);
  assert.deepEqual(JSON.parse(hook.body), { markdown: 'Sudo alert\r\n**root** ran id' });
  assert.equal((await send('webex://B0tAccessT0ken/R00mA?to=R00mB')).ok, true);
  const posts = emu.requests('webex:messages');
  assert.deepEqual(posts.map((e) => [e.headers.authorization, JSON.parse(e.body).roomId]), [['Bearer B0tAccessT0ken', 'R00mA'], ['Bearer B0tAccessT0ken', 'R00mB']]);
});

test('zulip: a form per stream/address with Basic BOT-bot@ORG.zulipchat.com, the title as subject', async () => {
  const token = 'Z'.repeat(32);
  assert.equal((await send(`zulip://sec-bot@acme/${token}/alerts?to=lead@acme.example`)).ok, true);
  const msgs = emu.requests('zulip:messages');
  assert.equal(msgs.length, 2);
  assert.equal(msgs[0].headers.authorization, `Basic ${Buffer.from(`sec-bot@acme.zulipchat.com:${token}`).toString('base64')}`);
  assert.deepEqual(Object.fromEntries(new URLSearchParams(msgs[0].body)), { type: 'stream', to: 'alerts', subject: 'Sudo alert', content: 'root ran id' });
  assert.deepEqual([...new URLSearchParams(msgs[1].body).entries()].slice(0, 2), [['type', 'private'], ['to', 'lead@acme.example']]);
  assert.deepEqual(parseTarget(`zulip://sec@acme/${token}`).config, { bot: 'sec', org: 'acme', hostname: 'zulipchat.com', token, targets: ['general'] });
});

test('apprise api: form (default) or json to /notify/TOKEN with title, body, type, format and tag; Basic auth and path prefix', async () => {
  assert.equal((await send(`apprise://u:S3cret@${host}/api/t0ken?tags=soc,linux`)).ok, true);
  const e = only('apprise:notify');
  assert.equal(e.path, '/api/notify/t0ken');
  assert.equal(e.headers.authorization, `Basic ${Buffer.from('u:S3cret').toString('base64')}`);
  assert.deepEqual(Object.fromEntries(new URLSearchParams(e.body)), { title: 'Sudo alert', body: 'root ran id', type: 'failure', format: 'text', tag: 'soc,linux' });
  emu.log.length = 0;
  assert.equal((await send(`apprise://${host}/t0ken?method=json`, note({ format: 'markdown' }))).ok, true);
  const j = only('apprise:notify');
  assert.match(String(j.headers['content-type']), /application\/json/);
  assert.deepEqual(JSON.parse(j.body), { title: 'Sudo alert', body: 'root ran id', type: 'failure', format: 'markdown' });
  emu.log.length = 0;
  assert.equal((await send(`http://${host}/notify/t0ken`)).ok, true, 'the API\'s own URL works too');
  assert.equal(only('apprise:notify').path, '/notify/t0ken');
});

test('new services retry a 5xx as the others do and keep their credentials out of errors', async () => {
  emu.inject({ route: 'opsgenie:alerts', fault: { type: 'status', status: 503 }, times: 1 });
  const ok = await send('opsgenie://Ap1K3ySecret/@alice?wait=0.01', note({ type: 'failure' }));
  assert.equal(ok.ok, true, JSON.stringify(ok));
  assert.equal(ok.results[0].attempts, 2);
  emu.inject({ route: 'pagerduty:enqueue', fault: { type: 'respond', respond: () => ({ status: 400, body: { message: 'bad key R0utingS3cret' } }) } });
  const failed = await send('pagerduty://R0utingS3cret@Ap1S3cretKey?retry=0');
  assert.equal(failed.ok, false);
  const text = JSON.stringify(failed);
  for (const secret of ['R0utingS3cret', 'Ap1S3cretKey']) assert.ok(!text.includes(secret), `${secret} in ${text}`);
  assert.equal(failed.results[0].target, 'pagerduty://R...t@A...y/');
});
