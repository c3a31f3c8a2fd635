// SettleTracker, fed by hand with the events Node-RED's hooks report: deliveries
// (preDeliver), completions (onComplete), sends by nodes that never call done().
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SettleTracker } from '../../../src/lib/delivery';

const tick = () => new Promise((r) => setImmediate(r));

describe('SettleTracker', () => {
  it('settles a message once every delivery completed: delivered, dropped or failed', async () => {
    const t = new SettleTracker(new Set(['sink']), 'x#');
    const b = t.batch(3);
    const [a, c, f] = b.tags;
    // a: cef → sink; c: a switch (done-calling here) ends it; f: sink fails it
    t.delivering(a, 'cef');
    t.delivering(c, 'cef');
    t.delivering(f, 'cef');
    b.seal();
    t.delivering(a, 'sink');
    t.completed(a, 'cef', undefined);
    t.completed(c, 'cef', undefined);
    t.delivering(f, 'sink');
    t.completed(f, 'cef', undefined);
    t.completed(f, 'sink', new Error('peer gone'));
    assert.equal(t.size, 1, 'a is still at the sink');
    t.completed(a, 'sink', undefined);
    const r = await b.settled(1000);
    assert.deepEqual(r, { delivered: 1, dropped: 1, failed: [{ index: 2, error: 'peer gone', nodeId: 'sink' }], unsettled: 0 });
    assert.equal(t.size, 0);
  });

  it('counts copies: a fan-out settles only when every copy completed; a completion by a node never delivered to is ignored', async () => {
    const t = new SettleTracker(new Set(['s1']), 'x#');
    const b = t.batch(1);
    const [m] = b.tags;
    t.delivering(m, 's1');
    t.delivering(m, 's2');
    b.seal();
    t.completed(m, 's1', undefined);
    t.completed(m, 'catch', undefined); // a Catch/Complete node gets copies outside the wires
    let settled = false;
    const p = b.settled(1000).then((r) => { settled = true; return r; });
    await tick();
    assert.equal(settled, false);
    t.completed(m, 's2', undefined);
    assert.deepEqual(await p, { delivered: 1, dropped: 0, failed: [], unsettled: 0 });
  });

  it('a message nothing received is dropped at seal', async () => {
    const t = new SettleTracker(new Set(['s']), 'x#');
    const b = t.batch(2);
    t.delivering(b.tags[0], 's');
    b.seal();
    t.completed(b.tags[0], 's', undefined);
    assert.deepEqual(await b.settled(1000), { delivered: 1, dropped: 1, failed: [], unsettled: 0 });
  });

  it('nodes that never call done(): a later message sent on completes the earlier ones; quiet completes the rest', async () => {
    const t = new SettleTracker(new Set(['sink']), 'x#');
    const b = t.batch(4);
    for (const tag of b.tags) t.deliveringToSilent(tag, 'switch');
    b.seal();
    // The switch passes message 1 on, filters 0, 2 and 3.
    t.delivering(b.tags[1], 'sink');
    t.sentBy(b.tags[1], 'switch');
    assert.equal(t.size, 3, 'message 0 was filtered before 1 went on');
    t.completed(b.tags[1], 'sink', undefined);
    const r = await b.settled(5000);
    assert.deepEqual(r, { delivered: 1, dropped: 3, failed: [], unsettled: 0 });
  });

  it('times out: the unsettled ones count as failed; late events are ignored', async () => {
    const t = new SettleTracker(new Set(['s']), 'x#');
    const b = t.batch(2);
    t.delivering(b.tags[0], 's');
    t.delivering(b.tags[1], 's');
    b.seal();
    t.completed(b.tags[0], 's', undefined);
    const r = await b.settled(50);
    assert.deepEqual(r, { delivered: 1, dropped: 0, failed: [{ index: 1, error: 'not settled within 0.05 s' }], unsettled: 1 });
    t.completed(b.tags[1], 's', undefined);
    assert.equal(t.size, 0);
  });

  it('abort rejects the wait; clear() ends a wait at once with its messages unsettled', async () => {
    const t = new SettleTracker(new Set(['s']), 'x#');
    const b1 = t.batch(1);
    t.delivering(b1.tags[0], 's');
    b1.seal();
    const ac = new AbortController();
    const p1 = b1.settled(60_000, ac.signal);
    ac.abort();
    await assert.rejects(p1, /aborted/);
    const b2 = t.batch(1);
    t.delivering(b2.tags[0], 's');
    b2.seal();
    const p2 = b2.settled(60_000);
    t.clear();
    assert.equal((await p2).unsettled, 1);
  });

  it('ignores tags of other trackers', () => {
    const t1 = new SettleTracker(new Set(['s']), 'a#');
    const t2 = new SettleTracker(new Set(['s']), 'b#');
    const b1 = t1.batch(1);
    t2.delivering(b1.tags[0], 's');
    t2.completed(b1.tags[0], 's', new Error('x'));
    assert.equal(t1.size, 1);
    t2.delivering(undefined, 's');
  });
});
