// secflow-mozdef and secflow-mozdef-target through the real Node-RED runtime: the form
// and per-message overrides build the documents loginput receives, delivered events
// come out of output 1 with their delivery info, counters on the optional second
// output, and bad input reaches a real Catch node while the node keeps working.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import senderNode from '../../src/nodes/secflow-mozdef';
import targetNode from '../../src/nodes/secflow-mozdef-target';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { LoginputEmulator } from '../emulators/mozdef-loginput';
import { SqsEmulator } from '../emulators/sqs';
import { makeTestCerts } from '../support/certs';
import { COMPLIANCE_DETAILS, VULNERABILITY_DOC } from '../fixtures/mozdef/documents';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
type Doc = Record<string, unknown>;

function flow(target: Record<string, unknown>, sender: Record<string, unknown> = {}): FlowNode[] {
  return [
    { id: 'm-tab', type: 'tab', label: 'mozdef test' },
    { id: 'm-target', type: 'secflow-mozdef-target', transport: 'http', backoffBaseMs: 20, backoffMaxMs: 200, httpRetries: 0, ...target },
    {
      id: 'm-send', type: 'secflow-mozdef', z: 'm-tab', target: 'm-target', eventType: 'event',
      summary: 'default summary', summaryType: 'str', category: '', categoryType: 'str', severity: 'NOTICE', severityType: 'str',
      tags: 'secflow, test', tagsType: 'str', source: '', sourceType: 'str', details: '', detailsType: 'json',
      outputs: 2, ...sender, wires: [['m-out'], ['m-stats']],
    },
    { id: 'm-out', type: 'helper', z: 'm-tab' },
    { id: 'm-stats', type: 'helper', z: 'm-tab' },
    { id: 'm-catch', type: 'catch', z: 'm-tab', scope: ['m-send'], uncaught: false, wires: [['m-caught']] },
    { id: 'm-caught', type: 'helper', z: 'm-tab' },
  ];
}

async function start(target: Record<string, unknown>, sender: Record<string, unknown> = {}, credentials: Record<string, unknown> = {}) {
  await loadFlow([targetNode as NodeModule, senderNode as NodeModule, catchNode], flow(target, sender), credentials);
  return {
    send: helper.getNode('m-send'),
    out: collect(helper.getNode('m-out')),
    stats: collect(helper.getNode('m-stats')),
    caught: collect(helper.getNode('m-caught')),
  };
}

function caughtText(msg: Record<string, unknown>): string {
  return (msg.error as { message: string }).message.replace(/^(Mozdef)?Error: /i, '');
}

describe('secflow-mozdef node', () => {
  let emu: LoginputEmulator | undefined;
  afterEach(async () => {
    await unloadFlow();
    await emu?.close();
    emu = undefined;
  });

  it('builds documents from the form and msg overrides; output 1 reports each delivery', async () => {
    emu = new LoginputEmulator();
    const url = await emu.listen(0);
    const { send, out, stats } = await start({ url: `${url}/events/` }, { summaryType: 'msg', summary: 'alert.name', hostname: 'sensor-1' });
    send.receive({ _msgid: 'a1', alert: { name: 'from msg.alert.name' }, payload: { user: 'bob' } });
    send.receive({ _msgid: 'a2', payload: 'payload is the summary', alert: {}, summary: undefined, severity: 'critical', tags: ['x'], category: 'authentication', source: 'idp', details: { ip: '1.2.3.4' } });
    send.receive({ _msgid: 'a3', alert: { name: 'ignored' }, summary: 'msg.summary wins', event: { summary: 'event summary', details: { a: 1 }, dept: 'it', hostname: 'h2' } });
    send.receive({ _msgid: 'a4', alert: {}, mozdefType: 'compliance', summary: 'compliance item', details: COMPLIANCE_DETAILS });
    send.receive({ _msgid: 'a5', alert: {}, mozdefType: 'vulnerability', payload: VULNERABILITY_DOC });
    const delivered = await out.waitFor(5);
    const byId = Object.fromEntries(delivered.map((m) => [m._msgid as string, m]));
    const published = emu.messages() as Doc[];
    const find = (summary: string) => published.find((p) => p.summary === summary)!;

    const one = find('from msg.alert.name');
    assert.deepEqual(one.details, { user: 'bob' }, 'an object payload without summary/details is the details');
    assert.equal(one.severity, 'NOTICE');
    assert.deepEqual(one.tags, ['secflow', 'test']);
    assert.equal(one.hostname, 'sensor-1');
    assert.equal(one.category, 'event');
    assert.equal(one.source, null);
    assert.equal(one.processid, process.pid);
    assert.equal(one.endpoint, 'events');

    const two = find('payload is the summary');
    assert.equal(two.severity, 'CRITICAL');
    assert.deepEqual(two.tags, ['x']);
    assert.equal(two.category, 'authentication');
    assert.equal(two.source, 'idp');
    assert.deepEqual(two.details, { ip: '1.2.3.4' });

    const three = find('msg.summary wins');
    assert.deepEqual(three.details, { a: 1 });
    assert.equal(three.dept, 'it', 'unknown msg.event keys become top-level fields');
    assert.equal(three.hostname, 'h2');

    assert.equal(find('compliance item').category, 'complianceitems');
    const vuln = published.find((p) => p.endpoint === 'vulnerability')!;
    assert.equal(vuln.customendpoint, true);
    assert.equal(vuln.description, VULNERABILITY_DOC.description);

    assert.deepEqual(byId.a1.mozdef, { transport: 'http', endpoint: '/events', status: 200, attempts: 1 });
    assert.equal((byId.a5.mozdef as Doc).endpoint, '/custom/vulnerability');
    assert.equal((byId.a1.payload as Doc).summary, 'from msg.alert.name');
    const last = (await stats.waitFor(1)).at(-1)!;
    assert.equal(typeof (last.payload as Doc).sent, 'number');
    assert.equal(send.type, 'secflow-mozdef');
    assert.equal(os.hostname().length > 0, true);
  });

  it('typed inputs: JSONata summary, number severity, JSON tags and details, env source', async () => {
    emu = new LoginputEmulator();
    const url = await emu.listen(0);
    process.env.SECFLOW_TEST_MOZDEF_SOURCE = 'from-env';
    const { send, out } = await start({ url }, {
      summary: '"alert " & payload.id', summaryType: 'jsonata', severity: '5', severityType: 'num',
      tags: '["x","y"]', tagsType: 'json', details: '{"k":1}', detailsType: 'json', source: 'SECFLOW_TEST_MOZDEF_SOURCE', sourceType: 'env',
    });
    send.receive({ payload: 'ignored: the form summary is a JSONata expression of msg', id: 'A-1' });
    send.receive({ payload: { id: 'B-2' } });
    await out.waitFor(2);
    const [first, second] = emu.messages() as Doc[];
    assert.equal(first.summary, 'ignored: the form summary is a JSONata expression of msg', 'a string payload outranks the form');
    assert.equal(second.summary, 'alert B-2');
    assert.equal(second.severity, 'CRITICAL');
    assert.deepEqual(second.tags, ['x', 'y']);
    assert.deepEqual(second.details, { id: 'B-2' }, 'an object payload outranks the form details');
    assert.deepEqual(first.details, { k: 1 });
    assert.equal(first.source, 'from-env');
    delete process.env.SECFLOW_TEST_MOZDEF_SOURCE;
  });

  it('bad input reaches Catch with a clear error, nothing is sent, and the node keeps working', async () => {
    emu = new LoginputEmulator();
    const url = await emu.listen(0);
    const { send, out, caught } = await start({ url }, { summary: '' });
    const bad: Array<[Doc, RegExp]> = [
      [{ payload: { user: 'x' } }, /^message failed validation \(missing or empty: summary\)$/],
      [{ summary: 'c', mozdefType: 'compliance', details: { target: 'x', policy: {} } }, /^message failed post construct validation \(missing or empty: details\.check, details\.compliance, details\.link, details\.utctimestamp, details\.policy\.level, details\.policy\.name, details\.policy\.url\)$/],
      [{ payload: 42 }, /^msg\.payload must be an object or a string, got a number$/],
      [{ summary: 's', details: 'not an object' }, /^msg\.details must be a JSON object$/],
      [{ summary: 's', tags: 5 }, /^msg\.tags must be an array or a comma-separated string, got a number$/],
      [{ summary: 's', mozdefType: 'bogus' }, /^msg\.mozdefType must be one of event, compliance, vulnerability, assethint, rra; got "bogus"$/],
    ];
    for (const [msg] of bad) send.receive(msg);
    const errors = await caught.waitFor(bad.length);
    bad.forEach(([, re], i) => assert.match(caughtText(errors[i]), re));
    send.receive({ summary: 'still working' });
    const [ok] = await out.waitFor(1);
    assert.equal((ok.payload as Doc).summary, 'still working');
    assert.deepEqual((emu.messages() as Doc[]).map((m) => m.summary), ['still working']);
  });

  it('a 4xx from MozDef is reported through Catch with the reference text', async () => {
    emu = new LoginputEmulator();
    const url = await emu.listen(0);
    emu.inject({ route: 'events', fault: { type: 'status', status: 403, body: 'forbidden' }, times: 1 });
    const { send, caught, out } = await start({ url });
    send.receive({ _msgid: 'x1', summary: 'refused' });
    const [err] = await caught.waitFor(1);
    assert.equal(caughtText(err), 'POST failed with code 403 msg forbidden');
    assert.equal(err._msgid, 'x1');
    send.receive({ summary: 'accepted' });
    await out.waitFor(1);
  });

  it('an oversized SQS body is refused through Catch with the reference text; SQS credentials stay credentials', async () => {
    const sqs = new SqsEmulator();
    sqs.createQueue('mozdef');
    const endpoint = await sqs.listen(0);
    try {
      const { send, caught, out } = await start(
        { transport: 'sqs', sqsRegion: 'eu-west-1', sqsQueue: 'mozdef', sqsEndpoint: endpoint },
        {},
        { 'm-target': { awsAccessKeyId: 'AKIDTEST', awsSecretAccessKey: 'not-in-any-message' } },
      );
      send.receive({ summary: 'huge', details: { blob: 'z'.repeat(300_000) } });
      const [err] = await caught.waitFor(1);
      assert.match(caughtText(err), /^message length of \d+ is over the SQS maximum allowed message size of 262144$/);
      send.receive({ summary: 'small' });
      const [ok] = await out.waitFor(1);
      assert.equal((ok.mozdef as Doc).transport, 'sqs');
      assert.equal(JSON.parse(sqs.messages[0].body).summary, 'small');
      assert.ok(!JSON.stringify(ok).includes('not-in-any-message'));
      assert.match(String(sqs.requests()[0].headers.authorization), /Credential=AKIDTEST\//);
    } finally {
      await unloadFlow();
      await sqs.close();
    }
  });

  it('TLS: a self-signed MozDef is refused by default (through Catch) and accepted with the CA file', async () => {
    const certs = makeTestCerts();
    emu = new LoginputEmulator({ tls: { key: certs.server.key, cert: certs.server.cert } });
    const url = await emu.listen(0);
    try {
      const strict = await start({ url });
      strict.send.receive({ summary: 'refused' });
      const [err] = await strict.caught.waitFor(1);
      assert.match(caughtText(err), /TLS verification failed/);
      assert.equal(emu.messages().length, 0);
      await unloadFlow();

      const trusting = await start({ url, ca: certs.ca.certFile });
      trusting.send.receive({ summary: 'accepted' });
      const [ok] = await trusting.out.waitFor(1);
      assert.equal((ok.mozdef as Doc).status, 200);
      assert.deepEqual((emu.messages() as Doc[]).map((m) => m.summary), ['accepted']);
      assert.deepEqual(trusting.caught.messages, []);
    } finally {
      certs.cleanup();
    }
  });

  it('a target without a URL reports a configuration error naming the field', async () => {
    const { send, caught } = await start({ url: '' });
    send.receive({ summary: 'x' });
    const [err] = await caught.waitFor(1);
    assert.match(caughtText(err), /^target: url: the MozDef event endpoint URL is required/);
  });
});
