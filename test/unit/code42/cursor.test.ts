// Cursor maths (S-a): ties, overlap, the recent cap, legacy float cursors, alert
// cursors at 7 digits; and the time helpers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { advanceAlertCursor, advanceFileEventCursor, knownFileEventIds, reviveAlertCursor, reviveFileEventCursor } from '../../../src/lib/code42/cursor';
import { floorToMicros, parseIsoMs, parseSince, toSevenDigits } from '../../../src/lib/code42/time';

describe('file-event cursor', () => {
  it('ts is the page maximum counting skipped events; ids are all ids at ts', () => {
    const c = advanceFileEventCursor(undefined, [{ id: 'a', ms: 1 }, { id: 'b', ms: 5 }, { id: 'c', ms: 5 }], 0);
    assert.deepEqual(c, { v: 1, ts: 5, ids: ['b', 'c'], recent: [['b', 5], ['c', 5]] });
  });
  it('an unchanged ts keeps the old ids (a tie spread over pages)', () => {
    const c1 = advanceFileEventCursor(undefined, [{ id: 'a', ms: 5 }], 0);
    const c2 = advanceFileEventCursor(c1, [{ id: 'b', ms: 5 }], 0);
    assert.deepEqual(c2.ids.sort(), ['a', 'b']);
    const c3 = advanceFileEventCursor(c2, [{ id: 'c', ms: 6 }], 0);
    assert.deepEqual(c3.ids, ['c']);
  });
  it('never moves backwards and an empty page keeps the cursor', () => {
    const c1 = advanceFileEventCursor(undefined, [{ id: 'a', ms: 10 }], 0);
    assert.equal(advanceFileEventCursor(c1, [{ id: 'late', ms: 3 }], 0).ts, 10);
    assert.equal(advanceFileEventCursor(c1, [], 0), c1);
  });
  it('recent keeps ids at or after ts − overlap', () => {
    const c = advanceFileEventCursor(undefined, [{ id: 'a', ms: 1000 }, { id: 'b', ms: 7000 }, { id: 'c', ms: 9000 }], 3000);
    assert.deepEqual(c.recent, [['b', 7000], ['c', 9000]]);
    assert.deepEqual([...knownFileEventIds(c)].sort(), ['b', 'c']);
    const c2 = advanceFileEventCursor(c, [{ id: 'd', ms: 11_000 }], 3000);
    assert.deepEqual(c2.recent, [['c', 9000], ['d', 11_000]]);
  });
  it('recent is capped, evicting the oldest', () => {
    const seen = Array.from({ length: 10 }, (_, i) => ({ id: `e${i}`, ms: 100 + i }));
    const c = advanceFileEventCursor(undefined, seen, 1000, 4);
    assert.deepEqual(c.recent.map(([id]) => id), ['e6', 'e7', 'e8', 'e9']);
  });
  it('revives a legacy float cursor: ts = floor(round(v·1e6)/1000)', () => {
    assert.deepEqual(reviveFileEventCursor(1577836800.2), { v: 1, ts: 1577836800200, ids: [], recent: [] });
    assert.equal(reviveFileEventCursor(1577836800.0005)!.ts, 1577836800000);
    assert.equal(reviveFileEventCursor(1577836800.9999)!.ts, 1577836800999);
    assert.equal(reviveFileEventCursor('1577836800.2')!.ts, 1577836800200);
    assert.equal(reviveFileEventCursor(undefined), undefined);
    assert.throws(() => reviveFileEventCursor({ v: 2 }), /not a file-event cursor/);
  });
});

describe('alert cursor and times', () => {
  it('compares createdAt at 7 digits', () => {
    const c = advanceAlertCursor(undefined, [{ id: 'A', createdAt: '2021-01-01T09:40:05.2837100Z' }, { id: 'B', createdAt: '2021-01-01T09:40:05.2837101Z' }]);
    assert.deepEqual(c, { v: 1, createdAt: '2021-01-01T09:40:05.2837101Z', ids: ['B'] });
    const c2 = advanceAlertCursor(c, [{ id: 'C', createdAt: '2021-01-01T09:40:05.2837101Z' }]);
    assert.deepEqual(c2!.ids, ['B', 'C']);
    assert.deepEqual(reviveAlertCursor({ v: 1, createdAt: '2021-01-01T09:40:05.28371Z', ids: ['x'] }), { v: 1, createdAt: '2021-01-01T09:40:05.2837100Z', ids: ['x'] });
  });
  it('parses 7-digit alert times without losing digits and floors to µs for the query', () => {
    assert.equal(toSevenDigits('2021-02-02T18:24:15.528476Z'), '2021-02-02T18:24:15.5284760Z');
    assert.equal(toSevenDigits('2021-02-02T18:24:15Z'), '2021-02-02T18:24:15.0000000Z');
    assert.equal(floorToMicros('2021-02-02T18:24:15.5284769Z'), '2021-02-02T18:24:15.528476Z');
    assert.equal(parseIsoMs('2021-01-01T09:40:05.2837100Z'), Date.parse('2021-01-01T09:40:05.283Z'));
    assert.equal(parseIsoMs('2019-09-09T22:47:42.724Z'), Date.parse('2019-09-09T22:47:42.724Z'));
    assert.throws(() => toSevenDigits('yesterday'), /not an ISO-8601 UTC time/);
  });
  it('since: durations, ISO dates, at most 90 days back', () => {
    const now = Date.parse('2026-11-23T00:00:00Z');
    assert.equal(parseSince('24h', now), now - 86_400_000);
    assert.equal(parseSince('7d', now), now - 7 * 86_400_000);
    assert.equal(parseSince('2026-11-01', now), Date.parse('2026-11-01T00:00:00Z'));
    assert.equal(parseSince('2026-11-01T10:00:00', now), Date.parse('2026-11-01T10:00:00Z'));
    assert.equal(parseSince('', now), undefined);
    assert.throws(() => parseSince('91d', now), /since may go back at most 90 days/);
    assert.throws(() => parseSince('soon', now), /since must be a duration/);
  });
});
