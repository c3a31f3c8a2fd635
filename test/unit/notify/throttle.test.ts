// Throttling (S10): the token bucket never lets more than `capacity` sends into
// any `perMs` window; a full queue suppresses (counts) instead of queueing, and
// one "N more suppressed" notification follows when the queue drains.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Notifier, TokenBucket, parseTarget, type Notification } from '../../../src/lib/notify';
import { NotifyEmulator } from '../../emulators/notify';

test('token bucket: capacity per window on an injected clock; pause() holds it', () => {
  let now = 0;
  const bucket = new TokenBucket(5, 2000, () => now);
  for (let i = 0; i < 5; i++, now += 100) assert.equal(bucket.tryTake(), 0);
  now = 500;
  assert.equal(bucket.tryTake(), 1500, 'the first token comes back 2000 ms after it was spent');
  now = 1999;
  assert.equal(bucket.tryTake(), 1);
  now = 2000;
  assert.equal(bucket.tryTake(), 0, 'the first token came back');
  assert.equal(bucket.tryTake(), 100, 'the others return one by one, 2000 ms after each was spent');
  now = 2100;
  assert.equal(bucket.tryTake(), 0);
  now = 5000;
  bucket.pause(700);
  assert.equal(bucket.tryTake(), 700);
  now = 5700;
  assert.equal(bucket.tryTake(), 0);
});

test('a burst beyond the queue is suppressed and folded into one summary with the count, the most severe type and titles', async () => {
  const emu = new NotifyEmulator();
  const base = await emu.listen();
  let summary: { n: Notification; ok: boolean } | undefined;
  let summarized!: () => void;
  const arrived = new Promise<void>((r) => { summarized = r; });
  const notifier = new Notifier([parseTarget(`json://${base.replace('http://', '')}/json`)], {
    rates: { json: { capacity: 1, perMs: 200 } },
    queueMax: 2,
    onSummary: (result, n) => { summary = { n, ok: result.ok }; summarized(); },
  });
  try {
    const types = ['info', 'warning', 'failure', 'info', 'success', 'info', 'info', 'info'] as const;
    const results = await Promise.all(types.map((type, i) => notifier.notify({ title: `t${i}`, body: `b${i}`, type, format: 'text' })));
    await arrived;
    const sent = results.filter((r) => r.sent === 1).length;
    const suppressed = results.filter((r) => r.suppressed === 1).length;
    assert.equal(sent + suppressed, types.length);
    assert.equal(sent, 2, 'the queue held two');
    assert.ok(results.filter((r) => r.suppressed).every((r) => r.ok && r.results[0].suppressed === true));
    assert.equal(summary?.ok, true);
    assert.equal(summary?.n.title, `${suppressed} more suppressed`);
    assert.equal(summary?.n.type, 'failure', 'most severe suppressed type');
    assert.match(summary!.n.body, /^6 more notifications were suppressed by throttling between \S+Z and \S+Z\.\n\nTitles:\n- t2\n- t3\n- t4\n- t5\n- t6\n- … and 1 more$/);
    const entries = emu.requests('json:sink');
    assert.equal(entries.length, sent + 1);
    assert.equal(JSON.parse(entries[entries.length - 1].body).title, '6 more suppressed');
    // Sends start 200 ms apart; arrival times jitter by the request latency.
    for (let i = 1; i < entries.length; i++) assert.ok(entries[i].at - entries[i - 1].at >= 100, `sends ${entries[i].at - entries[i - 1].at} ms apart`);
  } finally {
    await notifier.close();
    await emu.close();
  }
});
