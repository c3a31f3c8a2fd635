// AMQP against the real RabbitMQ on 127.0.0.1:5672: messages arrive on exchange
// eventtask / key eventtask, persistent, JSON, equal to what loginput publishes for
// the HTTP documents; an unbound key surfaces as a retryable error, and nothing is
// lost once a queue is bound.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { MozDefTarget, buildEvent, Doc, MozDefError } from '../../../src/lib/mozdef';
import { LoginputEmulator, LOGINPUT_AMQP } from '../../emulators/mozdef-loginput';
import { COMPLIANCE_DETAILS, VULNERABILITY_DOC } from '../../fixtures/mozdef/documents';

const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
const HOST = { hostname: os.hostname(), processname: '/usr/bin/node-red', processid: process.pid };

async function brokerUp(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(5672, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

const NO_BROKER = 'no RabbitMQ on 127.0.0.1:5672 (.ci/run installs and starts rabbitmq-server)';

function docs(): Array<{ kind: 'event' | 'vulnerability'; doc: Doc }> {
  return [
    { kind: 'event', doc: buildEvent({ type: 'event', config: { summary: 'login', category: 'authentication' }, msg: { details: { user: 'ü' }, severity: 'warning' }, host: HOST }).doc },
    { kind: 'event', doc: buildEvent({ type: 'compliance', config: { summary: 'compliance item' }, msg: { details: COMPLIANCE_DETAILS }, host: HOST }).doc },
    { kind: 'vulnerability', doc: buildEvent({ type: 'vulnerability', config: {}, msg: { payload: VULNERABILITY_DOC }, host: HOST }).doc },
  ];
}

test('amqp: persistent JSON on eventtask/eventtask, equal to the HTTP documents as loginput publishes them', async (t) => {
  if (!(await brokerUp())) return t.skip(NO_BROKER);
  const connection = await amqp.connect(AMQP_URL);
  const channel = await connection.createChannel();
  await channel.assertExchange('eventtask', 'direct', { durable: true });
  const { queue } = await channel.assertQueue(`secflow-test-${randomUUID()}`, { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, 'eventtask', 'eventtask');
  const received: amqp.ConsumeMessage[] = [];
  await channel.consume(queue, (m) => { if (m) received.push(m); }, { noAck: true });
  const emu = new LoginputEmulator();
  const url = await emu.listen(0);
  const viaAmqp = new MozDefTarget({ url: 'http://unused', transport: 'amqp', amqp: { url: AMQP_URL } });
  const viaHttp = new MozDefTarget({ url, transport: 'http' });
  t.after(async () => {
    await viaAmqp.close();
    await viaHttp.close();
    await emu.close();
    await connection.close();
  });
  viaAmqp.start();
  viaHttp.start();
  for (const d of docs()) {
    viaAmqp.enqueue(d);
    viaHttp.enqueue(d);
  }
  assert.equal(await viaAmqp.drained(10_000), true);
  assert.equal(await viaHttp.drained(10_000), true);
  for (let i = 0; i < 50 && received.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(received.length, 3);
  // Published as loginput publishes (contract W3).
  for (const m of received) {
    assert.equal(m.fields.exchange, LOGINPUT_AMQP.exchange);
    assert.equal(m.fields.routingKey, LOGINPUT_AMQP.routingKey);
    assert.equal(m.properties.deliveryMode, LOGINPUT_AMQP.deliveryMode);
    assert.equal(m.properties.contentType, LOGINPUT_AMQP.contentType);
    assert.equal(m.properties.contentEncoding, LOGINPUT_AMQP.contentEncoding);
  }
  assert.deepEqual(received.map((m) => JSON.parse(m.content.toString('utf8'))), emu.messages());
  assert.equal(viaAmqp.stats().sent, 3);
});

test('amqp: an unbound routing key is a retryable error, and the events arrive once a queue is bound', async (t) => {
  if (!(await brokerUp())) return t.skip(NO_BROKER);
  const exchange = `secflow-test-${randomUUID()}`;
  const target = new MozDefTarget({ url: 'http://unused', transport: 'amqp', amqp: { url: AMQP_URL, exchange, routingKey: 'eventtask' }, backoff: { baseMs: 20, maxMs: 200 } });
  const outages: MozDefError[] = [];
  target.on('outage', (err: MozDefError) => outages.push(err));
  target.start();
  const connection = await amqp.connect(AMQP_URL);
  const channel = await connection.createChannel();
  t.after(async () => {
    await target.close();
    await channel.deleteExchange(exchange).catch(() => undefined);
    await connection.close();
  });
  for (const d of docs()) target.enqueue(d);
  for (let i = 0; i < 50 && outages.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(outages.length, 1);
  assert.equal(outages[0].message, `unroutable: no queue bound to ${exchange}/eventtask`);
  assert.equal(target.stats().sent, 0);

  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, exchange, 'eventtask');
  assert.equal(await target.drained(10_000), true);
  assert.equal(target.stats().sent, 3);
  assert.equal(target.stats().failed, 0);
  const count = (await channel.checkQueue(queue)).messageCount;
  assert.equal(count, 3);
});

test('amqp: a connection closed by the broker is re-opened and nothing is lost', async (t) => {
  if (!(await brokerUp())) return t.skip(NO_BROKER);
  const { execFileSync } = await import('node:child_process');
  const name = `secflow-test-${randomUUID()}`;
  const connection = await amqp.connect(AMQP_URL);
  const channel = await connection.createChannel();
  await channel.assertExchange('eventtask', 'direct', { durable: true });
  const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
  await channel.bindQueue(queue, 'eventtask', 'eventtask');
  const target = new MozDefTarget({ url: '', transport: 'amqp', amqp: { url: AMQP_URL, connectionName: name }, backoff: { baseMs: 50, maxMs: 500 } });
  target.start();
  t.after(async () => {
    await target.close();
    await connection.close();
  });
  const event = (n: number) => buildEvent({ type: 'event', config: { summary: `e${n}` }, msg: { details: { n } }, host: HOST }).doc;
  for (let n = 0; n < 5; n++) target.enqueue({ kind: 'event', doc: event(n) });
  assert.equal(await target.drained(10_000), true);
  // Close our connection from the broker side, as a broker restart would.
  const listing = execFileSync('rabbitmqctl', ['-q', 'list_connections', 'pid', 'client_properties'], { encoding: 'utf8', timeout: 30_000 });
  const pid = listing.split('\n').find((line) => line.includes(name))?.split('\t')[0];
  assert.ok(pid, 'the target connection is listed by its name');
  execFileSync('rabbitmqctl', ['-q', 'close_connection', pid, 'secflow test: simulated broker restart'], { timeout: 30_000 });
  for (let n = 5; n < 10; n++) target.enqueue({ kind: 'event', doc: event(n) });
  assert.equal(await target.drained(20_000), true);
  assert.equal(target.stats().failed, 0);
  const got = new Set<number>();
  for (;;) {
    const m = await channel.get(queue, { noAck: true });
    if (!m) break;
    got.add((JSON.parse(m.content.toString()).details as { n: number }).n);
  }
  assert.deepEqual([...got].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});
