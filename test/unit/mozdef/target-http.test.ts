// The target delivering over HTTP and bulk to the loginput emulator: reference
// fields and types for every type and severity, byte-identical bodies, routing of
// vulnerabilities, retry/no-retry rules, bulk batching, TLS verification.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { LoginputEmulator, esworkerKeyMapping } from '../../emulators/mozdef-loginput';
import { MozDefTarget, TargetOptions, buildEvent, httpBody, EventType, SEVERITIES, Doc, MozDefError, QueueItem } from '../../../src/lib/mozdef';
import { makeTestCerts } from '../../support/certs';
import { PINNED_HOST } from './helpers';
import { COMPLIANCE_DETAILS, VULNERABILITY_DOC } from '../../fixtures/mozdef/documents';
import { ESWORKER_RECORDS } from '../../fixtures/mozdef/esworker-records';

const HOST = { hostname: os.hostname(), processname: '/usr/bin/node-red', processid: process.pid };
const FAST = { backoff: { baseMs: 20, maxMs: 200 }, httpRetry: { retries: 1, baseDelayMs: 10, maxDelayMs: 50, throttleBaseMs: 10 } };

function makeTarget(options: Partial<TargetOptions> & { url: string }) {
  const target = new MozDefTarget({ transport: 'http', ...FAST, ...options });
  const delivered: QueueItem[] = [];
  const failed: Array<{ item: QueueItem; err: MozDefError }> = [];
  target.on('delivered', (item: QueueItem) => delivered.push(item));
  target.on('failed', (item: QueueItem, err: MozDefError) => failed.push({ item, err }));
  target.start();
  return { target, delivered, failed };
}

function eventFor(type: EventType, severity: string, i: number): Doc {
  const details: Record<EventType, Doc> = {
    event: { sourceipaddress: '10.0.0.1', n: i },
    compliance: COMPLIANCE_DETAILS,
    vulnerability: {},
    assethint: { hostname: `host${i}`, ipv4address: '10.1.1.1' },
    rra: { metadata: { service: `svc${i}` } },
  };
  if (type === 'vulnerability') return buildEvent({ type, config: {}, msg: { payload: { ...VULNERABILITY_DOC, n: i } }, host: HOST }).doc;
  return buildEvent({ type, config: { summary: `${type} ${severity}`, tags: 'a, b' }, msg: { details: details[type], severity }, host: HOST }).doc;
}

const CATEGORY: Record<string, string> = { event: 'event', compliance: 'complianceitems', assethint: 'asset_hint', rra: 'rra_data' };

test('http: every type and severity arrives with the reference fields, types and body', async (t) => {
  const emu = new LoginputEmulator();
  const url = await emu.listen(0);
  const { target, failed } = makeTarget({ url });
  t.after(async () => { await target.close(); await emu.close(); });
  const sent: Array<{ type: EventType; doc: Doc }> = [];
  for (const type of ['event', 'compliance', 'vulnerability', 'assethint', 'rra'] as EventType[]) {
    for (const severity of SEVERITIES) {
      const doc = eventFor(type, severity, sent.length);
      sent.push({ type, doc });
      target.enqueue({ kind: type === 'vulnerability' ? 'vulnerability' : 'event', doc });
    }
  }
  assert.equal(await target.drained(10_000), true);
  assert.deepEqual(failed, []);
  assert.equal(target.stats().sent, sent.length);
  const requests = emu.requests().filter((r) => r.method === 'POST');
  assert.equal(requests.length, sent.length);
  for (const { type, doc } of sent) {
    const body = httpBody(doc);
    const req = requests.find((r) => r.body === body);
    assert.ok(req, `a request with the byte-identical body of ${type}`);
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.path, type === 'vulnerability' ? '/custom/vulnerability' : '/events');
    if (type === 'vulnerability') {
      assert.deepEqual(Object.keys(doc).sort(), [...Object.keys(VULNERABILITY_DOC), 'n'].sort());
      continue;
    }
    assert.deepEqual(Object.keys(doc), ['timestamp', 'processid', 'processname', 'hostname', 'category', 'source', 'details', 'summary', 'tags', 'severity']);
    assert.match(doc.timestamp as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    assert.equal(doc.processid, process.pid);
    assert.equal(typeof doc.processname, 'string');
    assert.equal(doc.hostname, os.hostname());
    assert.equal(doc.category, CATEGORY[type]);
    assert.equal(doc.source, null);
    assert.deepEqual(doc.tags, ['a', 'b']);
    assert.ok((SEVERITIES as readonly string[]).includes(doc.severity as string));
  }
  // What loginput publishes: the document plus its endpoint.
  const published = emu.messages() as Doc[];
  const vulns = published.filter((m) => m.endpoint === 'vulnerability');
  assert.equal(vulns.length, 8);
  assert.ok(vulns.every((m) => m.customendpoint === true));
  assert.deepEqual(new Set(published.filter((m) => m.endpoint === 'events').map((m) => m.severity)), new Set(SEVERITIES));
  // Downstream, esworker keeps every field secflow sends (processid as a string).
  for (const m of published.filter((p) => p.endpoint === 'events')) {
    const mapped = esworkerKeyMapping(m, { mozdefhostname: 'mozdef.example' });
    for (const key of ['summary', 'category', 'severity', 'tags', 'details', 'hostname', 'processname', 'source']) assert.deepEqual(mapped[key], m[key], key);
    assert.equal(mapped.processid, String(process.pid));
    assert.equal((mapped.utctimestamp as string).slice(0, 19), (m.timestamp as string).slice(0, 19));
  }
});

test('esworker record inputs: with the pinned host fields, loginput publishes exactly those documents', async (t) => {
  const records = ESWORKER_RECORDS;
  const emu = new LoginputEmulator();
  const url = await emu.listen(0);
  const { target } = makeTarget({ url });
  t.after(async () => { await target.close(); await emu.close(); });
  for (const { input } of records) {
    const { endpoint: _e, customendpoint: _c, ...fields } = input;
    const isVuln = input.endpoint === 'vulnerability';
    const built = isVuln
      ? buildEvent({ type: 'vulnerability', config: {}, msg: { payload: fields }, host: PINNED_HOST })
      : buildEvent({ type: fields.category === 'complianceitems' ? 'compliance' : fields.category === 'asset_hint' ? 'assethint' : 'event', config: {}, msg: { event: fields }, host: PINNED_HOST });
    target.enqueue({ kind: isVuln ? 'vulnerability' : 'event', doc: built.doc });
  }
  assert.equal(await target.drained(10_000), true);
  assert.deepEqual(emu.messages(), records.map((r) => r.input));
});

test('retries 5xx and 429 (with Retry-After), reports other 4xx at once', async (t) => {
  const emu = new LoginputEmulator();
  const url = await emu.listen(0);
  const { target, delivered, failed } = makeTarget({ url, concurrency: 1 });
  t.after(async () => { await target.close(); await emu.close(); });
  emu.inject({ route: 'events', fault: { type: 'status', status: 503 }, times: 4 });
  emu.inject({ route: 'events', fault: { type: 'throttle', retryAfterSeconds: 0 }, times: 1 });
  target.enqueue({ kind: 'event', doc: eventFor('event', 'INFO', 1) });
  assert.equal(await target.drained(10_000), true);
  assert.equal(delivered.length, 1);
  assert.equal(emu.messages().length, 1);
  assert.equal(emu.requests('events').length, 6);
  assert.ok(target.stats().retried >= 4);

  emu.inject({ route: 'events', fault: { type: 'status', status: 400, body: 'bad request' }, times: 1 });
  const before = emu.requests('events').length;
  target.enqueue({ kind: 'event', doc: eventFor('event', 'INFO', 2) });
  assert.equal(await target.drained(10_000), true);
  assert.equal(emu.requests('events').length - before, 1, 'a 400 is not retried');
  assert.equal(failed.length, 1);
  assert.equal(failed[0].err.message, 'POST failed with code 400 msg bad request');
  assert.equal(failed[0].err.code, 'EHTTP');
  assert.equal(target.stats().failed, 1);
});

test('http: slow requests hold back no other delivery slot', async (t) => {
  // Three of the four slots answer after 3 s; the fourth must carry the rest meanwhile
  // (freed slots are refilled every turn of the event loop, not once half are free).
  const emu = new LoginputEmulator();
  const url = await emu.listen(0);
  emu.inject({ route: 'events', fault: { type: 'latency', ms: 3000 }, nth: [1, 2, 3] });
  const { target, delivered, failed } = makeTarget({ url, concurrency: 4 });
  t.after(async () => { await target.close(); await emu.close(); });
  for (let i = 0; i < 50; i++) target.enqueue({ kind: 'event', doc: eventFor('event', 'INFO', i) });
  const deadline = Date.now() + 2000;
  while (delivered.length < 47 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(delivered.length, 47, 'the 47 quick events are delivered while the 3 slow ones are pending');
  assert.equal(await target.drained(10_000), true);
  assert.equal(delivered.length, 50);
  assert.deepEqual(failed, []);
});

test('bulk: NDJSON batches by count and interval, vulnerabilities over http, 500 retried without loss, 413 split', async (t) => {
  const emu = new LoginputEmulator();
  const url = await emu.listen(0);
  const { target, failed } = makeTarget({ url, transport: 'bulk', batchSize: 10, flushIntervalMs: 100 });
  t.after(async () => { await target.close(); await emu.close(); });
  const docs = Array.from({ length: 25 }, (_, i) => eventFor('event', 'NOTICE', i));
  emu.inject({ route: 'bulk', fault: { type: 'status', status: 500 }, nth: [2] });
  for (const doc of docs) target.enqueue({ kind: 'event', doc });
  target.enqueue({ kind: 'vulnerability', doc: eventFor('vulnerability', 'INFO', 99) });
  assert.equal(await target.drained(10_000), true);
  assert.deepEqual(failed, []);
  const bulkRequests = emu.requests('bulk');
  assert.ok(bulkRequests.length >= 3, 'batches of at most 10');
  for (const r of bulkRequests) {
    assert.equal(r.headers['content-type'], 'application/json', 'the contract: application/json on every request');
    assert.ok(r.body.endsWith('\n'));
    for (const line of r.body.split('\n').filter(Boolean)) assert.equal(typeof JSON.parse(line), 'object', 'each line a compact JSON object, not a JSON-encoded string');
    assert.ok(r.body.split('\n').filter(Boolean).length <= 10);
  }
  const published = emu.messages() as Doc[];
  const events = published.filter((m) => m.endpoint === undefined);
  for (const doc of docs) assert.ok(events.some((m) => JSON.stringify(m) === JSON.stringify(doc)), 'every event published (at least once)');
  assert.equal(published.filter((m) => m.endpoint === 'vulnerability').length, 1);

  // One event alone: the batch starts with an index line, so loginput does not publish its keys.
  emu.published.length = 0;
  target.enqueue({ kind: 'event', doc: docs[0] });
  assert.equal(await target.drained(5000), true);
  assert.deepEqual(emu.messages(), [docs[0]]);

  // 413 (nginx): the batch is split and delivered in smaller parts.
  emu.published.length = 0;
  emu.inject({ route: 'bulk', fault: { type: 'status', status: 413 }, times: 1 });
  for (const doc of docs.slice(0, 10)) target.enqueue({ kind: 'event', doc });
  assert.equal(await target.drained(5000), true);
  assert.equal(emu.messages().length, 10);
  assert.deepEqual(failed, []);
});

test('overflow without spill: drop-oldest and drop-new are counted', async (t) => {
  const emu = new LoginputEmulator();
  emu.brokerDown = true;
  const url = await emu.listen(0);
  t.after(() => emu.close());
  for (const overflow of ['drop-oldest', 'drop-new'] as const) {
    const { target } = makeTarget({ url, maxQueue: 5, overflow, concurrency: 1, closeGraceMs: 10 });
    const dropped: QueueItem[] = [];
    target.on('dropped', (item: QueueItem) => dropped.push(item));
    const docs = Array.from({ length: 9 }, (_, i) => eventFor('event', 'INFO', i));
    for (const doc of docs) target.enqueue({ kind: 'event', doc });
    // one is in flight, five wait, three are dropped
    assert.equal(target.stats().dropped, 3);
    assert.equal(dropped.length, 3);
    const droppedIds = dropped.map((d) => (d.doc.details as Doc).n);
    assert.deepEqual(droppedIds, overflow === 'drop-new' ? [6, 7, 8] : [1, 2, 3]);
    await target.close();
  }
});

test('TLS: a self-signed MozDef is refused by default and accepted with its CA', async (t) => {
  const certs = makeTestCerts();
  const emu = new LoginputEmulator({ tls: { key: certs.server.key, cert: certs.server.cert } });
  const url = await emu.listen(0);
  t.after(async () => { await emu.close(); certs.cleanup(); });
  const strict = makeTarget({ url });
  strict.target.enqueue({ kind: 'event', doc: eventFor('event', 'INFO', 1) });
  assert.equal(await strict.target.drained(5000), true);
  assert.equal(strict.failed.length, 1);
  assert.match(strict.failed[0].err.message, /TLS verification failed/);
  assert.equal(emu.messages().length, 0);
  await strict.target.close();

  const trusting = makeTarget({ url, ca: certs.ca.cert });
  trusting.target.enqueue({ kind: 'event', doc: eventFor('event', 'INFO', 2) });
  assert.equal(await trusting.target.drained(5000), true);
  assert.deepEqual(trusting.failed, []);
  assert.equal(emu.messages().length, 1);
  await trusting.target.close();
});
