// Discord through the real discord.js WebhookClient against the loopback emulator.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { Notifier, parseTarget, type Notification } from '../../../src/lib/notify';
import { NotifyEmulator, discordRateLimit } from '../../emulators/notify';

let emu: NotifyEmulator;
let api: string;

before(async () => {
  emu = new NotifyEmulator();
  api = `${await emu.listen()}/api`;
});
after(() => emu.close());
beforeEach(() => {
  emu.clearFaults();
  emu.discord.length = 0;
  emu.log.length = 0;
});

const note = (over: Partial<Notification> = {}): Notification => ({ title: 'Alert', body: 'Disk full on host-1', type: 'warning', format: 'text', ...over });

test('text notification arrives as content "title\\r\\nbody" with allowed_mentions parse [] on the v10 route with wait=true', async () => {
  const notifier = new Notifier([parseTarget('discord://SecBot@112233445566/tok-EN_abc9')], { endpoints: { discord: api } });
  try {
    const r = await notifier.notify(note({ body: 'ping @everyone and @here' }));
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.sent, 1);
    assert.equal(emu.discord.length, 1);
    const got = emu.discord[0];
    assert.equal(got.id, '112233445566');
    assert.equal(got.token, 'tok-EN_abc9');
    assert.equal(got.query.get('wait'), 'true');
    assert.equal(got.body.content, 'Alert\r\nping @everyone and @here');
    assert.deepEqual(got.body.allowed_mentions, { parse: [] });
    assert.equal(got.body.username, 'SecBot');
    assert.equal(got.body.tts, false);
    const entry = emu.requests('discord:execute')[0];
    assert.equal(entry.path, '/api/v10/webhooks/112233445566/tok-EN_abc9');
    assert.equal(entry.headers.authorization, undefined);
    assert.deepEqual(r.results[0], { target: 'discord://1...6/t...9/', service: 'discord', tags: [], ok: true, status: 200, attempts: 1, parts: 1 });
  } finally {
    await notifier.close();
  }
});

test('markdown goes out as an embed with the type colour; ping= adds explicit users while parse stays []', async () => {
  const notifier = new Notifier([parseTarget('https://discord.com/api/webhooks/42/abcDEF123?ping=777,%26888&thread=99')], { endpoints: { discord: api } });
  try {
    const r = await notifier.notify(note({ format: 'markdown', type: 'failure', body: '**root** login @everyone' }));
    assert.equal(r.ok, true, JSON.stringify(r));
    const body = emu.discord[0].body;
    assert.deepEqual(body.embeds, [{ title: 'Alert', description: '**root** login @everyone', color: 10690615 }]);
    assert.deepEqual(body.allowed_mentions, { parse: [], users: ['777'], roles: ['888'] });
    assert.equal(body.content, '<@777> <@&888>');
    assert.equal(emu.discord[0].query.get('thread_id'), '99');
  } finally {
    await notifier.close();
  }
});

test('a body over 2000 characters is split at line ends into parts that each fit, title on part 1 only', async () => {
  const notifier = new Notifier([parseTarget('discord://5/tokenX1')], { endpoints: { discord: api } });
  try {
    const lines = Array.from({ length: 120 }, (_, i) => `line ${i} ${'x'.repeat(30)}`);
    const r = await notifier.notify(note({ body: lines.join('\n') }));
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.ok(emu.discord.length >= 3, `parts: ${emu.discord.length}`);
    assert.equal(r.results[0].parts, emu.discord.length);
    const contents = emu.discord.map((d) => String(d.body.content));
    assert.ok(contents.every((c) => c.length <= 2000));
    assert.ok(contents[0].startsWith('Alert\r\nline 0 '));
    assert.ok(!contents[1].startsWith('Alert'));
    assert.equal(contents.join('').replace('Alert\r\n', ''), `${lines.join('\n')}`);
  } finally {
    await notifier.close();
  }
});

test('a 429 with retry_after: the message arrives after the wait, without spending a retry', async () => {
  emu.inject({ route: 'discord:execute', fault: discordRateLimit(0.8), times: 1 });
  const notifier = new Notifier([parseTarget('discord://6/tokenY1?retry=0')], { endpoints: { discord: api } });
  try {
    const started = Date.now();
    const r = await notifier.notify(note());
    const elapsed = Date.now() - started;
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(emu.requests('discord:execute').length, 2);
    assert.equal(emu.requests('discord:execute')[0].status, 429);
    assert.equal(emu.discord.length, 1);
    assert.ok(elapsed >= 750, `waited only ${elapsed} ms`);
    assert.equal(r.results[0].attempts, 2);
  } finally {
    await notifier.close();
  }
});

test('404 Unknown Webhook fails at once (no retry) with the token masked in the error', async () => {
  emu.unknownWebhooks.add('404404');
  const notifier = new Notifier([parseTarget('discord://404404/SecretTokenZ9')], { endpoints: { discord: api } });
  try {
    const r = await notifier.notify(note());
    assert.equal(r.ok, false);
    assert.equal(r.failed, 1);
    assert.equal(r.results[0].status, 404);
    assert.equal(r.results[0].attempts, 1);
    assert.match(r.results[0].error ?? '', /Unknown Webhook/);
    assert.ok(!JSON.stringify(r).includes('SecretTokenZ9'), JSON.stringify(r));
    assert.equal(emu.requests('discord:execute').length, 1);
  } finally {
    emu.unknownWebhooks.clear();
    await notifier.close();
  }
});

test('a 5xx is retried with backoff and then succeeds', async () => {
  emu.inject({ route: 'discord:execute', fault: { type: 'status', status: 502 }, times: 1 });
  const notifier = new Notifier([parseTarget('discord://7/tokenZ1?wait=0.1')], { endpoints: { discord: api } });
  try {
    const r = await notifier.notify(note());
    assert.equal(r.ok, true, JSON.stringify(r));
    assert.equal(r.results[0].attempts, 2);
    assert.equal(emu.discord.length, 1);
  } finally {
    await notifier.close();
  }
});

test('50 alerts in one second to one webhook: throttled to 5 per 2 s, the rest folded into "N more suppressed" without losing the count', { timeout: 60_000 }, async () => {
  const summaries: Array<{ ok: boolean; title: string; body: string }> = [];
  let resolveSummary!: () => void;
  const summarySent = new Promise<void>((r) => { resolveSummary = r; });
  const notifier = new Notifier([parseTarget('discord://8/tokenQ1')], {
    endpoints: { discord: api },
    onSummary: (result, n) => { summaries.push({ ok: result.ok, title: n.title, body: n.body, error: result.error } as never); resolveSummary(); },
  });
  try {
    const pending: Array<Promise<{ sent: number; suppressed: number; failed: number }>> = [];
    for (let i = 0; i < 50; i++) {
      pending.push(notifier.notify(note({ title: `alert ${i}`, body: `event ${i}`, type: i === 40 ? 'failure' : 'warning' })));
      await new Promise((r) => setTimeout(r, 20));
    }
    const results = await Promise.all(pending);
    await summarySent;
    const sent = results.reduce((n, r) => n + r.sent, 0);
    const suppressed = results.reduce((n, r) => n + r.suppressed, 0);
    assert.equal(results.reduce((n, r) => n + r.failed, 0), 0, JSON.stringify(results.filter((r) => r.failed)));
    assert.equal(sent + suppressed, 50);
    assert.ok(suppressed >= 20, `suppressed ${suppressed}`);
    assert.equal(summaries.length, 1);
    assert.equal(summaries[0].ok, true, JSON.stringify(summaries));
    assert.equal(summaries[0].title, `${suppressed} more suppressed`);
    // Every sent alert and the summary arrived; no 5-per-2-s window was exceeded.
    assert.equal(emu.discord.length, sent + 1);
    const last = emu.discord[emu.discord.length - 1].body.content as string;
    assert.match(last, new RegExp(`^${suppressed} more suppressed\\r\\n${suppressed} more notifications were suppressed`));
    assert.match(last, /Titles:\n- alert \d+/);
    const times = emu.requests('discord:execute').filter((e) => e.status === 200).map((e) => e.at);
    // The bucket starts at most 5 sends per 2 s; arrivals jitter by the request latency.
    for (let i = 5; i < times.length; i++) assert.ok(times[i] - times[i - 5] >= 1500, `6 sends within ${times[i] - times[i - 5]} ms`);
  } finally {
    await notifier.close();
  }
});
