// msg.attachments (issue 15): reading (Buffers with names; paths confined to the
// configured directory, symlinks followed, nothing created) and delivery with the
// right multipart or API shape to the emulated services: Apprise API (file01…),
// Telegram sendDocument, Discord (discord.js files), Matrix media upload + m.file,
// Slack's external upload through a bot token, e-mail (a real SMTP server). Services
// without files, Slack webhooks and files over a limit fail with a clear error.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Notifier, parseTarget, readAttachments, type Attachment, type Notification, type NotifyResult } from '../../../src/lib/notify';
import { NotifyEmulator } from '../../emulators/notify';
import { startSmtp, type SmtpSink } from '../../support/smtp';

let emu: NotifyEmulator;
let base: string;
let host: string;
let smtp: SmtpSink;
let root: string;
let dir: string;

const TREE = Buffer.from('<!doctype html><title>process tree</title><ul><li>bash<ul><li>sudo id</li></ul></li></ul>\n');
const BINARY = Buffer.from([0, 1, 2, 255, 254, 13, 10, 45, 45, 0]);

before(async () => {
  emu = new NotifyEmulator();
  base = await emu.listen();
  host = base.replace('http://', '');
  smtp = await startSmtp({ mode: 'plain' });
  root = mkdtempSync(path.join(tmpdir(), 'secflow-attach-'));
  dir = path.join(root, 'reports');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'tree.html'), TREE);
  writeFileSync(path.join(root, 'secret.txt'), 'outside');
  symlinkSync(path.join(root, 'secret.txt'), path.join(dir, 'escape.txt'));
  mkdirSync(path.join(dir, 'sub'));
});
after(async () => {
  await emu.close();
  await smtp.close();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  emu.log.length = 0;
  emu.files.length = 0;
  emu.discord.length = 0;
});

const files = (): Attachment[] => [
  { name: 'tree.html', data: TREE, mimetype: 'text/html' },
  { name: 'raw.bin', data: BINARY, mimetype: 'application/octet-stream' },
];
const note = (over: Partial<Notification> = {}): Notification => ({ title: 'Sudo alert', body: 'process tree attached', type: 'warning', format: 'text', attachments: files(), ...over });
const endpoints = () => ({ discord: `${base}/api`, telegram: base, slack: base });

async function send(url: string, n: Notification = note()): Promise<NotifyResult> {
  const notifier = new Notifier([parseTarget(url)], { endpoints: endpoints() });
  try {
    return await notifier.notify(n);
  } finally {
    await notifier.close();
  }
}

function sameFiles(got: Array<{ name: string; data: Buffer }>) {
  assert.deepEqual(got.map((f) => f.name), ['tree.html', 'raw.bin']);
  assert.ok(got[0].data.equals(TREE), 'tree.html bytes');
  assert.ok(got[1].data.equals(BINARY), 'raw.bin bytes (binary intact)');
}

test('reading: Buffers with names, paths inside the directory; outside paths, symlink escapes and paths without a directory refused', async () => {
  const read = await readAttachments([{ name: '../../etc/report.html', data: TREE }, 'tree.html', { path: 'sub/../tree.html', name: 'renamed.htm' }], dir);
  assert.deepEqual(read.map((a) => [a.name, a.mimetype, a.data.length]), [['report.html', 'text/html', TREE.length], ['tree.html', 'text/html', TREE.length], ['renamed.htm', 'text/html', TREE.length]]);
  const refused: Array<[unknown, string | undefined, RegExp]> = [
    ['../secret.txt', dir, /msg\.attachments\[0\].*outside the attachment directory/],
    [path.join(root, 'secret.txt'), dir, /outside the attachment directory/],
    ['escape.txt', dir, /outside the attachment directory/],
    ['tree.html', undefined, /attachment directory to be set/],
    ['missing/new.html', dir, /does not exist/],
    ['sub', dir, /is not a file/],
    [[{ name: 'x.txt' }], dir, /needs data \(a Buffer\) with a name, or a path/],
    [[{ data: TREE }], dir, /msg\.attachments\[0\]\.name/],
    [42, dir, /msg\.attachments\[0\] must be/],
  ];
  for (const [value, d, problem] of refused) await assert.rejects(readAttachments(value, d), problem, JSON.stringify(value));
  assert.equal(existsSync(path.join(dir, 'missing')), false, 'no directory is created');
});

test('apprise api: multipart with the fields and file01/file02; json method carries base64', async () => {
  assert.equal((await send(`apprise://${host}/t0ken`)).ok, true);
  const e = emu.requests('apprise:notify')[0];
  assert.match(String(e.headers['content-type']), /^multipart\/form-data; boundary=/);
  assert.deepEqual(emu.files.map((f) => [f.field, f.type]), [['file01', 'text/html'], ['file02', 'application/octet-stream']]);
  sameFiles(emu.files);
  assert.match(e.body, /name="title"\r\n\r\nSudo alert\r\n/);
  emu.log.length = 0;
  assert.equal((await send(`apprise://${host}/t0ken?method=json`)).ok, true);
  const json = JSON.parse(emu.requests('apprise:notify')[0].body);
  assert.deepEqual(json.attachments.map((a: { filename: string; base64: string; mimetype: string }) => [a.filename, Buffer.from(a.base64, 'base64').equals(a.filename === 'tree.html' ? TREE : BINARY), a.mimetype]),
    [['tree.html', true, 'text/html'], ['raw.bin', true, 'application/octet-stream']]);
});

test('telegram: the message, then one sendDocument (multipart document) per file and chat', async () => {
  assert.equal((await send('tgram://123456789:AAHtok3n_x/-1001:7')).ok, true);
  assert.deepEqual(emu.log.map((e) => e.route), ['telegram:sendMessage', 'telegram:sendDocument', 'telegram:sendDocument']);
  sameFiles(emu.files);
  assert.deepEqual(emu.files.map((f) => f.field), ['document', 'document']);
  assert.match(emu.requests('telegram:sendDocument')[0].body, /name="message_thread_id"\r\n\r\n7\r\n/);
  emu.log.length = 0;
  assert.equal((await send('tgram://123456789:AAHtok3n_x/-1001', note({ title: '', body: '' }))).ok, true);
  assert.deepEqual(emu.log.map((e) => e.route), ['telegram:sendDocument', 'telegram:sendDocument'], 'files alone: no empty sendMessage');
});

test('discord: discord.js multipart (payload_json + files) with allowed_mentions kept', async () => {
  assert.equal((await send('discord://424242/Webhook-Token_1')).ok, true);
  const got = emu.discord[0];
  sameFiles(got.files);
  assert.equal(got.body.content, 'Sudo alert\r\nprocess tree attached');
  assert.deepEqual(got.body.allowed_mentions, { parse: [] });
});

test('matrix: each file uploaded once (media/v3/upload) then an m.file event per room', async () => {
  assert.equal((await send(`matrix://syt_T0ken@${host}/!a:localhost/!b:localhost`)).ok, true);
  assert.equal(emu.requests('matrix:upload').length, 2, 'uploaded once for both rooms');
  sameFiles(emu.files);
  const events = emu.requests('matrix:send').map((e) => JSON.parse(e.body));
  assert.equal(events.length, 6);
  assert.deepEqual(events.slice(0, 3).map((e) => e.msgtype), ['m.text', 'm.file', 'm.file']);
  assert.deepEqual(events[1], { msgtype: 'm.file', body: 'tree.html', filename: 'tree.html', url: 'mxc://localhost/m' + events[1].url.split('/m').pop(), info: { mimetype: 'text/html', size: TREE.length } });
  assert.equal(events[4].url, events[1].url, 'the second room reuses the upload');
});

test('slack bot: getUploadURLExternal → bytes to upload_url without the token → completeUploadExternal into the channel id', async () => {
  assert.equal((await send('slack://xoxb-1234-5678-abcdEFG/C0123ABCD')).ok, true);
  assert.deepEqual(emu.log.map((e) => e.route), [
    'slack:postMessage', 'slack:getUploadURL', 'slack:upload', 'slack:completeUpload', 'slack:getUploadURL', 'slack:upload', 'slack:completeUpload',
  ]);
  for (const e of emu.requests('slack:upload')) assert.equal(e.headers.authorization, undefined, 'the upload URL never gets the token');
  assert.deepEqual(new URLSearchParams(emu.requests('slack:getUploadURL')[0].body).get('length'), String(TREE.length));
  sameFiles(emu.files);
  assert.deepEqual(emu.files.map((f) => f.field), ['C0123ABCD', 'C0123ABCD']);
});

test('e-mail: nodemailer attachments reach a real SMTP server as MIME parts', async () => {
  assert.equal((await send(`mailto://127.0.0.1:${smtp.port}?from=secflow@example.com&to=soc@example.com`)).ok, true);
  const mail = smtp.mails.at(-1)!;
  assert.match(mail.raw, /Content-Type: multipart\/mixed/);
  assert.match(mail.raw, /Content-Disposition: attachment; filename=tree\.html/);
  assert.match(mail.raw, /Content-Disposition: attachment; filename=raw\.bin/);
  assert.ok(mail.raw.replace(/\r\n/g, '').includes(BINARY.toString('base64')), 'binary attachment base64-encoded intact');
});

test('refused with a clear error: services without files, Slack webhooks, channel names, files over a limit; other targets still send', async () => {
  const cases: Array<[string, RegExp]> = [
    ['ntfys://ntfy.example/alerts', /attachments refused: ntfy does not take attachments/],
    ['slack://T1ABC/B2DEF/C3ghiJKL', /Slack webhooks cannot take files; use a bot token/],
    ['slack://xoxb-1234-5678-abcdEFG/#general', /channel IDs.*#general/],
    [`matrix://${'a'.repeat(64)}`, /t2bot webhooks cannot take files/],
  ];
  for (const [url, problem] of cases) {
    const r = await send(url);
    assert.equal(r.ok, false, url);
    assert.match(r.results[0].error ?? '', problem, url);
  }
  assert.equal(emu.log.length, 0, 'nothing was sent for a refused target');
  const big = note({ attachments: [{ name: 'huge.bin', data: Buffer.alloc(50 * 1024 * 1024 + 1), mimetype: 'application/octet-stream' }] });
  const notifier = new Notifier([parseTarget('tgram://123456789:AAHtok3n_x/-1001'), parseTarget(`apprise://${host}/t0ken`)], { endpoints: endpoints() });
  try {
    const r = await notifier.notify(big);
    assert.deepEqual(r.results.map((x) => x.ok), [false, true]);
    assert.match(r.results[0].error ?? '', /huge\.bin is 52428801 bytes, over telegram's limit of 52428800 bytes/);
  } finally {
    await notifier.close();
  }
  const many = note({ attachments: Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.txt`, data: Buffer.from('x'), mimetype: 'text/plain' })) });
  assert.match((await send('discord://424242/Webhook-Token_1', many)).results[0].error ?? '', /at most 10 files/);
});
