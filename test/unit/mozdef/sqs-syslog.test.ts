// SQS through the AWS SDK against the loopback SQS emulator, and syslog to a UDP
// listener: bodies, priorities, the reference's size and type errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { MozDefTarget, buildEvent, lineBody, Doc, MozDefError, QueueItem } from '../../../src/lib/mozdef';
import { SqsEmulator } from '../../emulators/sqs';
import { LoginputEmulator } from '../../emulators/mozdef-loginput';
import { udpSink } from './helpers';
import { VULNERABILITY_DOC } from '../../fixtures/mozdef/documents';

const HOST = { hostname: os.hostname(), processname: '/usr/bin/node-red', processid: process.pid };
const event = (summary: string, severity = 'INFO', details: Doc = {}) => buildEvent({ type: 'event', config: { summary }, msg: { severity, details }, host: HOST }).doc;
const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret-example' };

test('sqs: GetQueueUrl once, SendMessage with the one-line JSON body', async (t) => {
  const emu = new SqsEmulator();
  emu.createQueue('mozdef-events', '123456789012');
  const endpoint = await emu.listen(0);
  const target = new MozDefTarget({ url: '', transport: 'sqs', sqs: { region: 'us-east-1', queue: 'mozdef-events', account: '123456789012', endpoint, credentials: creds } });
  const failed: MozDefError[] = [];
  target.on('failed', (_i: QueueItem, err: MozDefError) => failed.push(err));
  target.start();
  t.after(async () => { await target.close(); await emu.close(); });
  const docs = [event('one', 'ERROR', { ü: 'ß' }), event('two')];
  for (const doc of docs) target.enqueue({ kind: 'event', doc });
  assert.equal(await target.drained(10_000), true);
  assert.deepEqual(failed, []);
  assert.deepEqual(emu.messages.map((m) => m.body), docs.map(lineBody));
  assert.equal(emu.requests().filter((r) => r.headers['x-amz-target'] === 'AmazonSQS.GetQueueUrl').length, 1, 'the queue URL is cached');

  // Oversized body and vulnerability: refused before queueing, with the reference texts.
  const big = event('big', 'INFO', { blob: 'x'.repeat(262_144) });
  const size = lineBody(big).length;
  assert.throws(() => target.enqueue({ kind: 'event', doc: big }), (err: MozDefError) => err.code === 'ESIZE'
    && err.message === `message length of ${size} is over the SQS maximum allowed message size of 262144`);
  assert.throws(() => target.enqueue({ kind: 'vulnerability', doc: VULNERABILITY_DOC }), { message: 'message type does not support SQS submission' });
  assert.equal(emu.messages.length, 2);
});

test('sqs: an unknown queue fails without retry', async (t) => {
  const emu = new SqsEmulator();
  const endpoint = await emu.listen(0);
  const target = new MozDefTarget({ url: '', transport: 'sqs', sqs: { region: 'us-east-1', queue: 'nope', endpoint, credentials: creds } });
  const failed: MozDefError[] = [];
  target.on('failed', (_i: QueueItem, err: MozDefError) => failed.push(err));
  target.start();
  t.after(async () => { await target.close(); await emu.close(); });
  target.enqueue({ kind: 'event', doc: event('x') });
  assert.equal(await target.drained(10_000), true);
  assert.equal(failed.length, 1);
  assert.match(failed[0].message, /QueueDoesNotExist/);
  assert.equal(target.stats().retried, 0);
});

test('syslog: RFC 5424, PRI from facility and severity, MSG the one-line JSON; also-syslog beside http', async (t) => {
  const sink = await udpSink();
  const emu = new LoginputEmulator();
  const url = await emu.listen(0);
  const only = new MozDefTarget({ url: '', transport: 'syslog', syslog: { host: '127.0.0.1', port: sink.port, facility: 'local0' } });
  const both = new MozDefTarget({ url, transport: 'http', alsoSyslog: true, syslog: { host: '127.0.0.1', port: sink.port, facility: 'user' } });
  only.start();
  both.start();
  t.after(async () => { await only.close(); await both.close(); await emu.close(); await sink.close(); });

  const warning = event('disk almost full', 'WARNING');
  only.enqueue({ kind: 'event', doc: warning });
  const line = await sink.next();
  // local0 (16) * 8 + WARNING (4) = 132
  assert.match(line, /^<132>1 \S+ \S+ node-red - - - /);
  assert.ok(line.endsWith(lineBody(warning)), 'MSG is the reference one-line JSON');
  assert.throws(() => only.enqueue({ kind: 'vulnerability', doc: VULNERABILITY_DOC }), { message: 'message type does not support syslog submission' });

  const critical = event('intrusion', 'CRITICAL');
  both.enqueue({ kind: 'event', doc: critical });
  const second = await sink.next();
  // user (1) * 8 + CRITICAL (2) = 10 (the reference always sent INFO)
  assert.match(second, /^<10>1 /);
  assert.equal(await both.drained(5000), true);
  assert.equal(emu.messages().length, 1);
});

test('syslog over TCP: RFC 6587 octet counting, priority from facility and severity', async (t) => {
  const net = await import('node:net');
  const chunks: Buffer[] = [];
  const server = net.createServer((socket) => socket.on('data', (d) => chunks.push(d)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as import('node:net').AddressInfo).port;
  const t5424 = new MozDefTarget({ url: '', transport: 'syslog', syslog: { host: '127.0.0.1', port, protocol: 'tcp', facility: 'auth' } });
  t5424.start();
  t.after(async () => {
    await t5424.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const doc = event('tcp event ✓', 'ALERT');
  t5424.enqueue({ kind: 'event', doc });
  assert.equal(await t5424.drained(5000), true);
  for (let i = 0; i < 50 && Buffer.concat(chunks).length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  const text = Buffer.concat(chunks).toString('utf8');
  const m = /^(\d+) (.*)$/s.exec(text);
  assert.ok(m, 'octet-counted frame');
  assert.equal(Number(m[1]), Buffer.byteLength(m[2]));
  // auth (4) * 8 + ALERT (1) = 33
  assert.match(m[2], /^<33>1 /);
  assert.ok(m[2].endsWith(lineBody(doc)));
});
