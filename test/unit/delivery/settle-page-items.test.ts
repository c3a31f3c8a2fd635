// SettleTracker with page messages: a node that fails only some items of a page
// (its error lists them in `indexes`, as secflow-cef's does) leaves those indexes on
// the failure; an error without them fails the whole page.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SettleTracker } from '../../../src/lib/delivery';

const partial = (message: string, indexes: number[]) => Object.assign(new Error(message), { indexes });

describe('SettleTracker: pages failed in part', () => {
  it('a page the formatter failed in part, the sink delivered: failed with the indexes of the bad items', async () => {
    const t = new SettleTracker(new Set(['sink']), 'p#');
    const b = t.batch(1);
    const [page] = b.tags;
    t.delivering(page, 'cef');
    b.seal();
    t.delivering(page, 'sink');
    t.completed(page, 'cef', partial('2 bad', [4, 1]));
    t.completed(page, 'sink', undefined);
    const r = await b.settled(1000);
    assert.deepEqual(r.failed, [{ index: 0, error: '2 bad', nodeId: 'cef', indexes: [4, 1] }]);
  });

  it('lists add up; an error without a list makes it a failure of the whole page', async () => {
    const t = new SettleTracker(new Set(['sink']), 'p#');
    const b = t.batch(2);
    const [p1, p2] = b.tags;
    for (const tag of [p1, p2]) {
      t.delivering(tag, 'a');
      t.delivering(tag, 'b');
    }
    b.seal();
    t.completed(p1, 'a', partial('a failed some', [3]));
    t.completed(p1, 'b', partial('b failed some', [1, 3]));
    t.completed(p2, 'a', partial('a failed some', [3]));
    t.completed(p2, 'b', new Error('b failed all'));
    const r = await b.settled(1000);
    assert.deepEqual(r.failed, [
      { index: 0, error: 'a failed some', nodeId: 'a', indexes: [1, 3] },
      { index: 1, error: 'a failed some', nodeId: 'a' },
    ]);
  });

  it('a list that is not of item indexes is no list', async () => {
    const t = new SettleTracker(new Set(['sink']), 'p#');
    const b = t.batch(1);
    t.delivering(b.tags[0], 'x');
    b.seal();
    t.completed(b.tags[0], 'x', Object.assign(new Error('odd'), { indexes: ['1'] }));
    const r = await b.settled(1000);
    assert.deepEqual(r.failed, [{ index: 0, error: 'odd', nodeId: 'x' }]);
  });
});
