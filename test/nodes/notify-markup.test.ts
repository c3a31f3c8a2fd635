// Issue 13 item 4: event data never becomes markup in notifications. Through the
// real runtime: the html part of a SOC e-mail (real SMTP server), Slack mentions
// (loopback emulator) and Discord's allowed_mentions; allowMarkup opts out.
import { afterEach, after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import notifyNode from '../../src/nodes/secflow-notify';
import targetsNode from '../../src/nodes/secflow-notify-targets';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { NotifyEmulator } from '../emulators/notify';
import { startSmtp, type ReceivedMail, type SmtpSink } from '../support/smtp';

let emu: NotifyEmulator;
let base: string;
let smtp: SmtpSink;

before(async () => {
  emu = new NotifyEmulator();
  base = await emu.listen();
  smtp = await startSmtp({ mode: 'plain' });
});
after(async () => {
  await emu.close();
  await smtp.close();
});

const HOSTILE_HTML = '<img src=x onerror=alert(1)>';
const HOSTILE_LINK = '[open the case](javascript:alert(document.cookie))';

async function start(urls: string, props: Record<string, unknown>) {
  emu.log.length = 0;
  emu.discord.length = 0;
  smtp.mails.length = 0;
  const flow: FlowNode[] = [
    { id: 'm-tab', type: 'tab', label: 'markup' },
    { id: 'm-targets', type: 'secflow-notify-targets', name: 'soc', endpoints: JSON.stringify({ discord: `${base}/api`, slack: base, pushover: base }) },
    {
      id: 'm-notify', type: 'secflow-notify', z: 'm-tab', targets: 'm-targets', tag: '', title: '', body: '', notifyType: 'warning', format: 'text',
      aggregateBy: '', aggregateTimeout: 30, aggregateMax: 50, closeWhen: '', allowUrls: false, ...props, wires: [['m-out']],
    },
    { id: 'm-out', type: 'helper', z: 'm-tab' },
  ];
  await loadFlow([targetsNode as NodeModule, notifyNode as NodeModule], flow, { 'm-targets': { urls } });
  return { notify: helper.getNode('m-notify'), out: collect(helper.getNode('m-out')) };
}

/** The decoded text/html part of a received mail. */
function htmlPart(mail: ReceivedMail): string {
  const m = /Content-Type: text\/html[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n--/i.exec(mail.raw);
  assert.ok(m, `no html part in ${mail.raw}`);
  const qp = /Content-Transfer-Encoding: quoted-printable/i.test(mail.raw);
  if (!qp) return m[1];
  const bytes = m[1].replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_x, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

async function mailFor(props: Record<string, unknown>, msg: Record<string, unknown>): Promise<string> {
  const { notify, out } = await start(`mailto://127.0.0.1:${smtp.port}?to=soc@example.com&from=secflow@example.com`, props);
  notify.receive(msg);
  const [done] = await out.waitFor(1);
  assert.equal((done.notify as { ok: boolean }).ok, true, JSON.stringify(done.notify));
  const [mail] = await smtp.waitFor(1);
  return htmlPart(mail);
}

describe('notification markup injection (issue 13.4)', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  it('e-mail: a {{msg.x}} value in an html template is escaped; the template\'s own tags stay', async () => {
    const html = await mailFor({ format: 'html', title: 'Sudo alert', body: '<p><b>User:</b> {{msg.payload.user}}</p>' }, { payload: { user: HOSTILE_HTML } });
    assert.match(html, /<p><b>User:<\/b> /);
    assert.ok(!html.includes('<img'), html);
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), html);
  });

  it('e-mail: an html msg.payload without a body template is sent as text (no html part)', async () => {
    const { notify, out } = await start(`mailto://127.0.0.1:${smtp.port}?to=soc@example.com&from=secflow@example.com`, { title: 'Alert' });
    notify.receive({ payload: `<a href="javascript:alert(1)">x</a>${HOSTILE_HTML}`, format: 'html' });
    await out.waitFor(1);
    const [mail] = await smtp.waitFor(1);
    assert.match(mail.headers['content-type'], /^text\/plain/);
    assert.ok(!/text\/html/i.test(mail.raw), mail.raw);
    assert.ok(mail.body.includes(HOSTILE_HTML), 'shown as the text it is');
  });

  it('e-mail: a javascript: link in markdown event data is dropped, its text kept; https links stay', async () => {
    const html = await mailFor({ format: 'markdown', title: 'Alert', body: '{{msg.payload.note}} [runbook](https://soc.example/rb)' }, { payload: { note: HOSTILE_LINK } });
    assert.ok(!/href=["']?\s*javascript/i.test(html), html);
    assert.match(html, /open the case/);
    assert.match(html, /<a href="https:\/\/soc\.example\/rb">runbook<\/a>/);
  });

  it('e-mail: with allowMarkup the template author\'s html passes, but a javascript: href is still removed', async () => {
    const html = await mailFor({ format: 'html', allowMarkup: true, title: 'Alert', body: '{{msg.payload.html}}' },
      { payload: { html: '<b>bold</b> <a href="jav&#x61;script:alert(1)">bad</a> <a href="mailto:soc@example.com">mail</a>' } });
    assert.match(html, /<b>bold<\/b>/);
    assert.match(html, /<a>bad<\/a>/);
    assert.match(html, /<a href="mailto:soc@example.com">mail<\/a>/);
  });

  it('Slack: event text cannot forge <!channel> or <@U…> mentions, in the bot text nor the attachment', async () => {
    const { notify, out } = await start('slack://xoxb-1234-5678-abcdEFG/#soc', { format: 'markdown' });
    notify.receive({ topic: 'x', payload: '<!channel|everyone> wake up <@U0123> & [boss](!here)' });
    await out.waitFor(1);
    notify.receive({ payload: '<!channel> first line' });
    await out.waitFor(2);
    const bodies = emu.requests('slack:postMessage').map((e) => JSON.parse(e.body) as { text: string; attachments: Array<{ text: string; title?: string }> });
    assert.equal(bodies.length, 2);
    for (const b of bodies) {
      for (const text of [b.text, b.attachments[0].text, b.attachments[0].title ?? '']) assert.ok(!/<[!@]/.test(text), text);
    }
    assert.equal(bodies[0].attachments[0].text, '&lt;!channel|everyone&gt; wake up &lt;@U0123&gt; &amp; [boss](!here)');
    assert.equal(bodies[1].text, '&lt;!channel&gt; first line');
  });

  it('Slack with allowMarkup: the template author\'s <!channel> and <url|label> go out as written', async () => {
    const { notify, out } = await start('slack://xoxb-1234-5678-abcdEFG/#soc', { allowMarkup: true, title: 'Deploy', body: '<!channel> {{msg.payload}} <https://soc.example/run|run>' });
    notify.receive({ payload: 'finished' });
    await out.waitFor(1);
    const [e] = emu.requests('slack:postMessage');
    assert.equal(JSON.parse(e.body).attachments[0].text, '<!channel> finished <https://soc.example/run|run>');
  });

  it('Discord: allowed_mentions stays empty when event data says @everyone or <@&role>', async () => {
    const { notify, out } = await start('discord://424242/Webhook-Token_1', { format: 'markdown', allowMarkup: true });
    notify.receive({ topic: '@everyone', payload: '@here <@&987654321> <@123456>' });
    await out.waitFor(1);
    assert.equal(emu.discord.length, 1);
    assert.deepEqual(emu.discord[0].body.allowed_mentions, { parse: [] });
  });

  it('Pushover html (html=1): a javascript: link from an allowMarkup template is removed too', async () => {
    const { notify, out } = await start('pover://uQiRzpo4DXghDmr9QzzfQu27cmVRsG@aqRL3JYzZmKxCqmsvyuVt8gnXwsLH6', { format: 'html', allowMarkup: true, title: 't', body: '{{msg.payload}}' });
    notify.receive({ payload: '<a href="javascript:alert(1)">x</a> <a href="https://soc.example">ok</a>' });
    await out.waitFor(1);
    const [e] = emu.requests('pushover:messages');
    const form = Object.fromEntries(new URLSearchParams(e.body));
    assert.equal(form.html, '1');
    assert.equal(form.message, '<a>x</a> <a href="https://soc.example">ok</a>');
  });
});
