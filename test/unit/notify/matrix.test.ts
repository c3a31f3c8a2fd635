// Matrix against the notify emulator: user:password logs in once and joins each room
// once (aliases resolved to room ids), then sends m.room.message; an access token
// skips the login; a rejected token is forgotten; t2bot/matrix/slack/hookshot webhooks.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { Notifier, parseTarget, type Notification } from '../../../src/lib/notify';
import { NotifyEmulator } from '../../emulators/notify';

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

const note = (over: Partial<Notification> = {}): Notification => ({ title: 'Sudo alert', body: 'root ran <id>', type: 'warning', format: 'text', ...over });
const paths = () => emu.log.map((e) => `${e.method} ${decodeURIComponent(e.path).replace(/[0-9a-f-]{36}$/, 'TXN')}`);

test('user:password: login once, join each room once (alias → room id), then send; later notifications reuse both', async () => {
  const notifier = new Notifier([parseTarget(`matrix://soc:S3cretPass@${host}/#alerts/!abc:localhost`)], { endpoints: {} });
  try {
    assert.equal((await notifier.notify(note())).ok, true);
    assert.deepEqual(paths(), [
      'POST /_matrix/client/v3/login', `POST /_matrix/client/v3/join/#alerts:${host.split(':')[0]}`, 'PUT /_matrix/client/v3/rooms/!joined1000:localhost/send/m.room.message/TXN',
      'POST /_matrix/client/v3/join/!abc:localhost', 'PUT /_matrix/client/v3/rooms/!abc:localhost/send/m.room.message/TXN',
    ]);
    const login = JSON.parse(emu.requests('matrix:login')[0].body);
    assert.deepEqual([login.type, login.identifier, login.password], ['m.login.password', { type: 'm.id.user', user: 'soc' }, 'S3cretPass']);
    const sent = emu.requests('matrix:send')[0];
    assert.equal(sent.headers.authorization, 'Bearer syt_soc_session');
    assert.deepEqual(JSON.parse(sent.body), { msgtype: 'm.text', body: 'Sudo alert\r\nroot ran <id>' });
    emu.log.length = 0;
    assert.equal((await notifier.notify(note({ format: 'markdown', body: '**root**' }))).ok, true);
    assert.deepEqual(paths().map((p) => p.split(' ')[0]), ['PUT', 'PUT'], 'no second login or join');
    const md = JSON.parse(emu.requests('matrix:send')[0].body);
    assert.equal(md.format, 'org.matrix.custom.html');
    assert.match(md.formatted_body, /^<h1>Sudo alert<\/h1>.*<(b|strong)>root<\/(b|strong)>/);
    // A rejected session is forgotten: the next notification logs in again.
    emu.log.length = 0;
    emu.inject({ route: 'matrix:send', fault: { type: 'status', status: 401, body: { errcode: 'M_UNKNOWN_TOKEN' } }, times: 1 });
    const failed = await notifier.notify(note());
    assert.equal(failed.ok, false);
    assert.ok(!JSON.stringify(failed).includes('S3cretPass'));
    emu.log.length = 0;
    assert.equal((await notifier.notify(note())).ok, true);
    assert.equal(emu.requests('matrix:login').length, 1, 'logged in again after the 401');
  } finally {
    await notifier.close();
  }
});

test('an access token (matrixs://TOKEN@host or ?token=) skips the login; msgtype=notice', async () => {
  const notifier = new Notifier([parseTarget(`matrix://syt_T0ken@${host}/!room:localhost?msgtype=notice`)]);
  try {
    assert.equal((await notifier.notify(note())).ok, true);
  } finally {
    await notifier.close();
  }
  assert.equal(emu.requests('matrix:login').length, 0);
  const sent = emu.requests('matrix:send')[0];
  assert.equal(sent.headers.authorization, 'Bearer syt_T0ken');
  assert.equal(JSON.parse(sent.body).msgtype, 'm.notice');
});

test('webhook modes: t2bot (through endpoints.matrix), matrix, slack and hookshot payloads', async () => {
  const t2 = 'a'.repeat(64);
  const send = async (url: string) => {
    const n = new Notifier([parseTarget(url)], { endpoints: { matrix: base }, now: () => 1_700_000_000 });
    try {
      return await n.notify(note());
    } finally {
      await n.close();
    }
  };
  assert.equal((await send(`matrix://${t2}`)).ok, true);
  assert.equal((await send(`matrix://bridge:hookT0ken@${host}?mode=matrix`)).ok, true);
  const hooks = emu.requests('matrix:hook');
  assert.deepEqual(hooks.map((e) => e.path), [`/api/v1/matrix/hook/${t2}`, '/api/v1/matrix/hook/hookT0ken']);
  assert.deepEqual(JSON.parse(hooks[0].body), { displayName: 'secflow', format: 'plain', text: 'Sudo alert\r\nroot ran <id>' });
  assert.equal((await send(`matrix://bridge:hookT0ken@${host}?mode=slack`)).ok, true);
  const slack = JSON.parse(emu.requests('matrix:hook')[2].body);
  assert.deepEqual([slack.username, slack.attachments[0].title, slack.attachments[0].ts], ['bridge', 'Sudo alert', 1_700_000_000]);
  assert.equal((await send(`matrix://hookuser:hookT0ken@${host}?mode=hookshot`)).ok, true);
  const hs = emu.requests('matrix:hookshot')[0];
  assert.equal(hs.path, '/webhook/hookT0ken');
  assert.deepEqual(JSON.parse(hs.body), { username: 'hookuser', text: 'Sudo alert\r\nroot ran <id>', html: '<h1>Sudo alert</h1>root ran &lt;id&gt;' });
});

test('refused: no credentials, no room, e2ee, unknown modes; secrets masked', () => {
  assert.throws(() => parseTarget(`matrix://${host}/#room`), /access TOKEN|user:password/);
  assert.throws(() => parseTarget(`matrix://u:S3cretPass@${host}`), (e: Error) => /a room is needed/.test(e.message) && !e.message.includes('S3cretPass'));
  assert.throws(() => parseTarget(`matrix://u:S3cretPass@${host}/#r?e2ee=yes`), /end-to-end encryption/);
  assert.throws(() => parseTarget(`matrix://u:S3cretPass@${host}/#r?mode=carrier-pigeon`), /mode=carrier-pigeon/);
});

test('the access token learnt from /login is masked like the password when a server echoes it', async () => {
  const notifier = new Notifier([parseTarget(`matrix://ops:S3cretPass@${host}/!room:localhost?retry=0`)]);
  try {
    emu.inject({ route: 'matrix:send', fault: { type: 'respond', respond: () => ({ status: 400, body: { errcode: 'M_BAD_JSON', error: 'bad event from session syt_ops_session' } }) }, times: 1 });
    const failed = await notifier.notify(note());
    assert.equal(failed.ok, false);
    const text = JSON.stringify(failed);
    assert.ok(text.includes('M_BAD_JSON') || text.includes('400'), text);
    assert.ok(!text.includes('syt_ops_session'), text);
  } finally {
    await notifier.close();
  }
});
