// AWS SNS through @aws-sdk/client-sns against the loopback SNS emulator (Query
// protocol, SigV4): topics created once then published with the title as Subject,
// SMS with the title folded in, session tokens, Apprise's URL forms, 5xx retried,
// secrets masked.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { Notifier, parseTarget, type Notification } from '../../../src/lib/notify';
import type { SnsConfig } from '../../../src/lib/notify/services/sns';
import { SnsEmulator } from '../../emulators/sns';

let emu: SnsEmulator;
let base: string;

before(async () => {
  emu = new SnsEmulator('us-west-2');
  base = await emu.listen();
});
after(() => emu.close());
beforeEach(() => {
  emu.published.length = 0;
  emu.log.length = 0;
  emu.clearFaults();
});

const note = (over: Partial<Notification> = {}): Notification => ({ title: 'Sudo alert', body: 'root ran id on web-1', type: 'warning', format: 'text', ...over });
const cfg = (url: string) => parseTarget(url).config as SnsConfig;

test('Apprise\'s forms: the region ends a secret holding "/", ?access/?key/?secret/?region/?to/?token, mode auto-detected', () => {
  assert.deepEqual(cfg('sns://AKIDEXAMPLE/wJalr/K7MDENG/bPxRfiCY/us-west-2/12223334444/#alerts'), {
    accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalr/K7MDENG/bPxRfiCY', region: 'us-west-2', mode: 'topic', phones: ['+12223334444'], topics: ['alerts'],
  });
  const q = cfg('sns://?key=AKIDEXAMPLE&secret=wJalr/K7MDENG&region=eu-central-1&to=12223334444&token=SESS10N');
  assert.deepEqual([q.accessKeyId, q.secretAccessKey, q.region, q.sessionToken, q.mode], ['AKIDEXAMPLE', 'wJalr/K7MDENG', 'eu-central-1', 'SESS10N', 'sms']);
  assert.equal(cfg('sns://SESS10N@AKIDEXAMPLE/wJalr/us-west-2/12223334444').sessionToken, 'SESS10N');
  assert.throws(() => parseTarget('sns://AKIDEXAMPLE/wJalrSecretKey/'), (e: Error) => /region/.test(e.message) && !e.message.includes('wJalrSecretKey'));
  assert.throws(() => parseTarget('sns://AKIDEXAMPLE/wJalr/us-west-2/12223334444?mode=pigeon'), /mode=pigeon/);
  assert.throws(() => parseTarget('sns://AKIDEXAMPLE/wJalr/us-west-2/%24%24'), /phone number or #topic/);
});

test('publishes through the SDK: CreateTopic once per topic, Publish with Subject; SMS with the title folded in', async () => {
  const notifier = new Notifier([parseTarget('sns://SESS10N@AKIDEXAMPLE/wJalr/K7MDENG/us-west-2/+1 (222) 333-4444/#alerts')], { endpoints: { sns: base } });
  try {
    assert.equal((await notifier.notify(note())).ok, true);
    assert.equal((await notifier.notify(note({ title: 'Second' }))).ok, true);
  } finally {
    await notifier.close();
  }
  const actions = emu.log.map((e) => new URLSearchParams(e.body).get('Action'));
  assert.deepEqual(actions, ['Publish', 'CreateTopic', 'Publish', 'Publish', 'Publish'], 'the topic ARN is asked for once');
  assert.deepEqual(emu.published.map(({ topicArn, phoneNumber, subject, message }) => ({ topicArn, phoneNumber, subject, message })), [
    { topicArn: undefined, phoneNumber: '+12223334444', subject: undefined, message: 'Sudo alert\r\nroot ran id on web-1' },
    { topicArn: 'arn:aws:sns:us-west-2:000000000000:alerts', phoneNumber: undefined, subject: 'Sudo alert', message: 'root ran id on web-1' },
    { topicArn: undefined, phoneNumber: '+12223334444', subject: undefined, message: 'Second\r\nroot ran id on web-1' },
    { topicArn: 'arn:aws:sns:us-west-2:000000000000:alerts', phoneNumber: undefined, subject: 'Second', message: 'root ran id on web-1' },
  ]);
  assert.deepEqual([emu.published[0].accessKeyId, emu.published[0].sessionToken], ['AKIDEXAMPLE', 'SESS10N']);
  assert.ok(emu.log.every((e) => String(e.headers.authorization).startsWith('AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/')), 'SigV4-signed');
});

test('SMS splits at 160 characters; a 5xx is retried; a 4xx fails with the secret masked', async () => {
  const notifier = new Notifier([parseTarget('sns://AKIDEXAMPLE/wJalrS3cretKey/us-west-2/12223334444?wait=0.01')], { endpoints: { sns: base } });
  try {
    const long = await notifier.notify(note({ title: '', body: `${'a'.repeat(150)}\n${'b'.repeat(100)}` }));
    assert.equal(long.ok, true);
    assert.equal(emu.published.length, 2);
    assert.ok(emu.published.every((p) => p.message.length <= 160));
    assert.equal(emu.published.map((p) => p.message.trim()).join('\n'), `${'a'.repeat(150)}\n${'b'.repeat(100)}`);
    emu.inject({ route: 'sns', fault: { type: 'status', status: 503 }, times: 1 });
    const retried = await notifier.notify(note());
    assert.equal(retried.ok, true, JSON.stringify(retried));
    assert.equal(retried.results[0].attempts, 2);
    emu.inject({ route: 'sns', fault: { type: 'respond', respond: () => ({ status: 403, headers: { 'Content-Type': 'text/xml' }, body: '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>bad key wJalrS3cretKey</Message></Error></ErrorResponse>' }) } });
    const failed = await notifier.notify(note());
    assert.equal(failed.ok, false);
    assert.equal(failed.results[0].attempts, 1, '4xx is not retried');
    assert.ok(!JSON.stringify(failed).includes('wJalrS3cretKey'), JSON.stringify(failed));
    assert.equal(failed.results[0].target, 'sns://A...E/w...y/us-west-2/12223334444');
  } finally {
    await notifier.close();
  }
});
