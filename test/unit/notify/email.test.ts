// E-mail through nodemailer to a real SMTP server (npm smtp-server) on loopback:
// plain, STARTTLS and implicit TLS; envelope, headers, subject and body.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Notifier, parseTarget, type Notification, type NotifyResult } from '../../../src/lib/notify';
import { startSmtp, type SmtpSink } from '../../support/smtp';
import { makeTestCerts, type TestCerts } from '../../support/certs';

let certs: TestCerts;
let plain: SmtpSink;
let starttls: SmtpSink;
let implicit: SmtpSink;
const AUTH = { user: 'alerts', pass: 'Sm7pPassw0rd' };

before(async () => {
  certs = makeTestCerts();
  const tls = { key: certs.server.key, cert: certs.server.cert };
  plain = await startSmtp({ mode: 'plain' });
  starttls = await startSmtp({ mode: 'starttls', auth: AUTH, ...tls });
  implicit = await startSmtp({ mode: 'tls', auth: AUTH, ...tls });
});
after(async () => {
  await Promise.all([plain.close(), starttls.close(), implicit.close()]);
  certs.cleanup();
});

const note = (over: Partial<Notification> = {}): Notification => ({ title: 'Sudo session on web-1', body: 'root ran /bin/id\nsecond line', type: 'warning', format: 'text', ...over });

async function send(url: string, n: Notification = note()): Promise<NotifyResult> {
  const notifier = new Notifier([parseTarget(url)]);
  try {
    return await notifier.notify(n);
  } finally {
    await notifier.close();
  }
}

test('plain SMTP without credentials: envelope, From/To/Subject headers, text/plain body, one message per To', async () => {
  const r = await send(`mailto://127.0.0.1:${plain.port}?from=SecFlow%20%3Csecflow@example.com%3E&to=soc@example.com,ir@example.com&cc=lead@example.com`);
  assert.equal(r.ok, true, JSON.stringify(r));
  assert.equal(r.results[0].status, 250);
  const mails = await plain.waitFor(2);
  assert.deepEqual(mails.map((m) => m.to), [['soc@example.com', 'lead@example.com'], ['ir@example.com', 'lead@example.com']]);
  const m = mails[0];
  assert.equal(m.from, 'secflow@example.com');
  assert.equal(m.secure, false);
  assert.equal(m.headers.from, 'SecFlow <secflow@example.com>');
  assert.equal(m.headers.to, 'soc@example.com');
  assert.equal(m.headers.cc, 'lead@example.com');
  assert.equal(m.headers.subject, 'Sudo session on web-1');
  assert.match(m.headers['content-type'], /^text\/plain/);
  assert.match(m.body, /root ran \/bin\/id\r?\nsecond line/);
  plain.mails.length = 0;
});

test('plain SMTP with credentials: AUTH is never sent in plaintext (requireTLS forced), password masked in the error', async () => {
  const r = await send(`mailto://${AUTH.user}:${AUTH.pass}@127.0.0.1:${plain.port}?to=soc@example.com`);
  assert.equal(r.ok, false);
  assert.ok(!JSON.stringify(r).includes(AUTH.pass), JSON.stringify(r));
  assert.equal(r.results[0].target, `mailto://alerts:****@127.0.0.1:${plain.port}/`);
  assert.match(r.results[0].error ?? '', /STARTTLS/);
  assert.equal(r.results[0].attempts, 1);
  assert.equal(plain.mails.length, 0);
});

test('STARTTLS with AUTH: html goes out as multipart/alternative over an upgraded connection', async () => {
  const r = await send(`mailto://${AUTH.user}:${AUTH.pass}@127.0.0.1:${starttls.port}?to=soc@example.com&from=secflow@example.com&verify=no`, note({ format: 'markdown', body: '**root** ran `id`' }));
  assert.equal(r.ok, true, JSON.stringify(r));
  const [m] = await starttls.waitFor(1);
  assert.equal(m.user, AUTH.user);
  assert.equal(m.secure, true, 'STARTTLS upgraded the session');
  assert.match(m.headers['content-type'], /^multipart\/alternative/);
  assert.match(m.raw, /<b>root<\/b> ran <code>id<\/code>/);
  assert.match(m.raw, /text\/plain/);
  assert.deepEqual(m.to, ['soc@example.com']);
});

test('STARTTLS with verification on refuses a server certificate from an unknown CA', async () => {
  const before = starttls.mails.length;
  const r = await send(`mailto://${AUTH.user}:${AUTH.pass}@127.0.0.1:${starttls.port}?to=soc@example.com&from=secflow@example.com`);
  assert.equal(r.ok, false);
  assert.equal(r.results[0].attempts, 1, 'TLS failures are not retried');
  assert.equal(starttls.mails.length, before);
});

test('implicit TLS (mode=ssl) with AUTH; subject falls back to the first body line', async () => {
  const r = await send(`mailtos://${AUTH.user}:${AUTH.pass}@127.0.0.1:${implicit.port}/soc@example.com?mode=ssl&verify=no&from=secflow@example.com`, note({ title: '', body: `first line ${'x'.repeat(100)}\nsecond` }));
  assert.equal(r.ok, true, JSON.stringify(r));
  const [m] = await implicit.waitFor(1);
  assert.equal(m.secure, true);
  assert.equal(m.user, AUTH.user);
  assert.equal(m.headers.subject.replace(/\s+/g, ' ').length <= 78 + 2, true);
  assert.match(m.headers.subject, /^first line x+/);
});

test('wrong credentials fail with EAUTH, reported once with the password masked', async () => {
  const r = await send(`smtp://${AUTH.user}:WrongPassw0rd@127.0.0.1:${implicit.port}/?encryption=ImplicitTLS&skiptlsverify=yes&fromaddress=secflow@example.com&toaddresses=soc@example.com`);
  assert.equal(r.ok, false);
  assert.equal(r.results[0].attempts, 1);
  assert.match(r.results[0].error ?? '', /EAUTH/);
  assert.ok(!JSON.stringify(r).includes('WrongPassw0rd'));
});
