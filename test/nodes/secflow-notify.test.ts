// secflow-notify + secflow-notify-targets through the real Node-RED runtime:
// delivery to the loopback emulator (Discord through discord.js, generic JSON),
// msg.notify, templates, tags, errors reaching a Catch node with masked URLs,
// aggregation (close and timeout) and the masked admin listing.
import { afterEach, after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import notifyNode from '../../src/nodes/secflow-notify';
import targetsNode from '../../src/nodes/secflow-notify-targets';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { NotifyEmulator } from '../emulators/notify';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');

let emu: NotifyEmulator;
let base: string;
let host: string;

before(async () => {
  emu = new NotifyEmulator();
  base = await emu.listen();
  host = base.replace('http://', '');
});
after(() => emu.close());

function flow(props: Record<string, unknown> = {}, endpoints = ''): FlowNode[] {
  return [
    { id: 'n-tab', type: 'tab', label: 'notify test' },
    { id: 'n-targets', type: 'secflow-notify-targets', name: 'soc', endpoints: endpoints || JSON.stringify({ discord: `${base}/api` }) },
    {
      id: 'n-notify', type: 'secflow-notify', z: 'n-tab', name: 'alert', targets: 'n-targets', tag: '', title: '', body: '',
      notifyType: 'info', format: 'text', aggregateBy: '', aggregateTimeout: 30, aggregateMax: 50, closeWhen: '', allowUrls: false, ...props, wires: [['n-out']],
    },
    { id: 'n-out', type: 'helper', z: 'n-tab' },
    { id: 'n-catch', type: 'catch', z: 'n-tab', scope: ['n-notify'], uncaught: false, wires: [['n-caught']] },
    { id: 'n-caught', type: 'helper', z: 'n-tab' },
  ];
}

async function start(urls: string, props: Record<string, unknown> = {}, endpoints = '') {
  emu.log.length = 0;
  emu.discord.length = 0;
  emu.clearFaults();
  await loadFlow([targetsNode as NodeModule, notifyNode as NodeModule, catchNode], flow(props, endpoints), { 'n-targets': { urls } });
  return { notify: helper.getNode('n-notify'), out: collect(helper.getNode('n-out')), caught: collect(helper.getNode('n-caught')) };
}

function caughtText(msg: Record<string, unknown>): string {
  return (msg.error as { message: string }).message.replace(/^Error: /, '');
}

describe('secflow-notify node', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  it('sends msg.payload/msg.topic to Discord through discord.js and outputs msg.notify with the masked target', async () => {
    const { notify, out } = await start('discord://424242/Webhook-Token_1');
    notify.receive({ payload: { user: 'alice', action: 'sudo' }, topic: 'Code42 alert @everyone', notifyType: 'warning', keep: 1 });
    const [msg] = await out.waitFor(1);
    assert.equal(msg.keep, 1);
    const result = msg.notify as { ok: boolean; matched: number; sent: number; results: Array<Record<string, unknown>> };
    assert.deepEqual({ ok: result.ok, matched: result.matched, sent: result.sent }, { ok: true, matched: 1, sent: 1 });
    assert.equal(result.results[0].target, 'discord://4...2/W...1/');
    assert.equal(emu.discord.length, 1);
    assert.equal(emu.discord[0].body.content, 'Code42 alert @everyone\r\n{\n  "user": "alice",\n  "action": "sudo"\n}');
    assert.deepEqual(emu.discord[0].body.allowed_mentions, { parse: [] });
    assert.ok(!JSON.stringify(msg).includes('Webhook-Token_1'));
  });

  it('renders {{msg.x}} templates, honours msg.tag (comma = AND) and the apprise-api payload', async () => {
    const urls = [`prod,json=json://${host}/json/prod`, `dev,json=json://${host}/json/dev`, `json://${host}/json/untagged`].join('\n');
    const { notify, out } = await start(urls, { title: 'Alert on {{msg.payload.host}}', body: '{{msg.payload.user}} ran {{msg.payload.cmd}}' });
    notify.receive({ payload: { host: 'web-1', user: 'bob', cmd: 'id' }, tag: 'prod,json' });
    const [first] = await out.waitFor(1);
    assert.equal((first.notify as { matched: number }).matched, 1);
    const sent = emu.requests('json:sink');
    assert.equal(sent.length, 1);
    assert.equal(sent[0].path, '/json/prod');
    assert.deepEqual([JSON.parse(sent[0].body).title, JSON.parse(sent[0].body).message], ['Alert on web-1', 'bob ran id']);
    emu.log.length = 0;
    notify.receive({ payload: { body: 'x', title: 'y', tag: ['dev', 'prod'], type: 'failure' } });
    const [, second] = await out.waitFor(2);
    assert.equal((second.notify as { matched: number }).matched, 2);
    assert.deepEqual(emu.requests('json:sink').map((e) => e.path).sort(), ['/json/dev', '/json/prod']);
  });

  it('no tag uses only untagged targets; no match is a warning with ok=false, not an error', async () => {
    const { notify, out, caught } = await start(`prod=json://${host}/json/prod`);
    notify.receive({ payload: 'hello' });
    const [msg] = await out.waitFor(1);
    assert.deepEqual(msg.notify, { ok: false, matched: 0, sent: 0, failed: 0, suppressed: 0, results: [] });
    assert.equal(caught.messages.length, 0);
    assert.equal(emu.requests('json:sink').length, 0);
  });

  it('a failing target: the msg still comes out, and a Catch node gets "1 of 2 targets failed" with the URL masked; the node keeps working', async () => {
    emu.unknownWebhooks.add('404404');
    try {
      const { notify, out, caught } = await start(`discord://404404/Secret-Token-XY\njson://${host}/json`);
      notify.receive({ payload: 'first' });
      const [c] = await caught.waitFor(1);
      assert.equal(caughtText(c), '1 of 2 targets failed: discord://4...4/S...Y/ (404 Unknown Webhook)');
      const [msg] = await out.waitFor(1);
      assert.equal((msg.notify as { failed: number }).failed, 1);
      assert.ok(!JSON.stringify([c, msg]).includes('Secret-Token-XY'));
      notify.receive({ payload: '' });
      const [, nothing] = await caught.waitFor(2);
      assert.match(caughtText(nothing), /^nothing to send/);
      notify.receive({ payload: 'again', format: 'rtf' });
      const [, , bad] = await caught.waitFor(3);
      assert.match(caughtText(bad), /msg.format must be text, markdown or html/);
      notify.receive({ payload: 'third' });
      await out.waitFor(2);
      assert.equal(emu.requests('json:sink').length, 2);
    } finally {
      emu.unknownWebhooks.clear();
    }
  });

  it('aggregates a sudo session by msg.topic into one notification at "Finished"', async () => {
    const { notify, out } = await start(`json://${host}/json`, { aggregateBy: 'topic', closeWhen: 'Finished', title: 'sudo session {{msg.topic}}' });
    const lines = ['session opened for root by alice', 'COMMAND=/usr/bin/id', 'COMMAND=/bin/cat /etc/shadow', 'Finished'];
    for (const [i, line] of lines.entries()) notify.receive({ topic: 'sess-7', payload: line, notifyType: i === 2 ? 'failure' : 'info' });
    const [msg] = await out.waitFor(1);
    const n = msg.notify as { ok: boolean; aggregate: Record<string, unknown> };
    assert.equal(n.ok, true);
    assert.deepEqual(n.aggregate, { key: 'sess-7', lines: 4, reason: 'close' });
    const sent = emu.requests('json:sink');
    assert.equal(sent.length, 1);
    const body = JSON.parse(sent[0].body);
    assert.deepEqual([body.title, body.message, body.type], ['sudo session sess-7 (4 lines)', lines.join('\n'), 'failure']);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(out.messages.length, 1, 'buffered lines produce no output');
  });

  it('an unfinished aggregate is flushed by the timeout as a new message', async () => {
    const { notify, out } = await start(`json://${host}/json`, { aggregateBy: 'payload.session', aggregateTimeout: 0.3, body: '{{msg.payload.line}}' });
    notify.receive({ payload: { session: 's1', line: 'opened' } });
    notify.receive({ payload: { session: 's1', line: 'COMMAND=/bin/ls' } });
    const [msg] = await out.waitFor(1, 5000);
    assert.equal(msg.payload, 'opened\nCOMMAND=/bin/ls');
    assert.deepEqual((msg.notify as { aggregate: unknown }).aggregate, { key: 's1', lines: 2, reason: 'timeout' });
    assert.equal(emu.requests('json:sink').length, 1);
  });

  it('apprise-api urls replace the targets only when "allow URLs in messages" is on; a bad one fails masked', async () => {
    const { notify, out, caught } = await start(`json://${host}/json/configured`, { allowUrls: true });
    notify.receive({ payload: { urls: [`json://${host}/json/adhoc`, 'tgram://abc:Very-Secret-Bot/5'], body: 'from the message', title: 'T' } });
    const [c] = await caught.waitFor(1);
    assert.match(caughtText(c), /^1 of 2 targets failed: tgram:\/\/a\.\.\.t\/ \(the bot token must look like/);
    assert.ok(!caughtText(c).includes('Very-Secret-Bot'));
    const [msg] = await out.waitFor(1);
    assert.equal((msg.notify as { sent: number }).sent, 1);
    assert.deepEqual(emu.requests('json:sink').map((e) => e.path), ['/json/adhoc']);
    await unloadFlow();
    const off = await start(`json://${host}/json/configured`);
    off.notify.receive({ payload: { urls: `json://${host}/json/adhoc`, body: 'from the message' } });
    await off.out.waitFor(1);
    assert.deepEqual(emu.requests('json:sink').map((e) => e.path), ['/json/configured']);
  });

  it('stopping the flow flushes an unfinished aggregate (reason shutdown) before the targets close', async () => {
    const { notify } = await start(`json://${host}/json`, { aggregateBy: 'topic', aggregateTimeout: 600 });
    notify.receive({ topic: 'sess-9', payload: 'opened' });
    notify.receive({ topic: 'sess-9', payload: 'COMMAND=/bin/ls' });
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(emu.requests('json:sink').length, 0);
    await unloadFlow();
    const sent = emu.requests('json:sink');
    assert.equal(sent.length, 1);
    assert.deepEqual([JSON.parse(sent[0].body).title, JSON.parse(sent[0].body).message], ['sess-9 (2 lines)', 'opened\nCOMMAND=/bin/ls']);
  });

  it('bad URLs are reported at deploy (masked) while good ones work; the admin listing shows only masked forms', async () => {
    const { notify, out } = await start(`discord://123/Good-Token-AB\nmsteams://Bad-Token-CD/x/y\nfoo://Other-Secret-EF@host`);
    const targets = helper.getNode('n-targets');
    assert.deepEqual(targets.notify.targets, [{ target: 'discord://****/G...B/', service: 'discord', tags: [] }]);
    assert.equal(targets.notify.errors.length, 2);
    assert.match(targets.notify.errors[0], /line 2: msteams:\/\/ is retired/);
    const res = await helper.request().get('/secflow-notify-targets/n-targets/targets').expect(200);
    const text = JSON.stringify(res.body);
    assert.ok(text.includes('discord://****/G...B/'));
    for (const secret of ['Good-Token-AB', 'Bad-Token-CD', 'Other-Secret-EF']) assert.ok(!text.includes(secret), `${secret} in ${text}`);
    notify.receive({ payload: 'still works' });
    const [msg] = await out.waitFor(1);
    assert.equal((msg.notify as { sent: number }).sent, 1);
  });

  it('without a config node every input errors clearly', async () => {
    await loadFlow([targetsNode as NodeModule, notifyNode as NodeModule, catchNode], [
      { id: 'n-tab', type: 'tab', label: 't' },
      { id: 'n-notify', type: 'secflow-notify', z: 'n-tab', targets: '', wires: [[]] },
      { id: 'n-catch', type: 'catch', z: 'n-tab', scope: ['n-notify'], uncaught: false, wires: [['n-caught']] },
      { id: 'n-caught', type: 'helper', z: 'n-tab' },
    ]);
    const caught = collect(helper.getNode('n-caught'));
    helper.getNode('n-notify').receive({ payload: 'x' });
    const [c] = await caught.waitFor(1);
    assert.match(caughtText(c), /^targets: select a secflow-notify-targets config node/);
  });
});
