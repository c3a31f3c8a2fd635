// Closing a notifier (a redeploy) while a target waits for its rate limit: the
// queued notifications end as "notifier closed" and nothing throws. It used to
// crash Node-RED (the wait ended, the queue was already emptied by close()).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Notifier, parseTarget } from '../../../src/lib/notify';
import { NotifyEmulator } from '../../emulators/notify';

test('close() during a rate-limit wait fails the queue and throws nothing', async () => {
  const emu = new NotifyEmulator();
  const base = await emu.listen();
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown) => uncaught.push(err);
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  const notifier = new Notifier([parseTarget(`json://${base.replace('http://', '')}/json`)], { rates: { json: { capacity: 1, perMs: 60_000 } }, queueMax: 10 });
  try {
    const results = [1, 2, 3].map((i) => notifier.notify({ title: `t${i}`, body: 'b', type: 'info', format: 'text' }));
    await results[0];
    await new Promise((r) => setTimeout(r, 50));
    await notifier.close();
    const [, second, third] = await Promise.all(results);
    for (const r of [second, third]) assert.match(String(r.results[0].error), /notifier closed/);
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(uncaught.map(String), []);
    assert.equal(emu.requests('json:sink').length, 1);
  } finally {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
    await emu.close();
  }
});
