// The metrics registry: one entry per running node id, a restart starts from zero,
// a stopped node's entry goes, and derived figures (lag, per-minute history).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allMetrics, HISTORY_MINUTES, register, unregister } from '../../../src/lib/metrics';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const MIN = 60_000;

describe('metrics registry', () => {
  it('keeps one entry per node id; a restart replaces it with zeros and the old node closing late does not remove the new one', () => {
    const first = register('reg-a', 'secflow-cef', 'fmt');
    first.received = 5;
    assert.equal(allMetrics().find((m) => m.id === 'reg-a'), first);
    const second = register('reg-a', 'secflow-cef', 'fmt');
    assert.equal(second.received, 0);
    unregister(first);
    assert.equal(allMetrics().find((m) => m.id === 'reg-a'), second);
    unregister(second);
    assert.equal(allMetrics().find((m) => m.id === 'reg-a'), undefined);
  });

  it('lists entries by type, then id', () => {
    const made = [register('reg-z', 'secflow-cef', ''), register('reg-b', 'secflow-syslog', ''), register('reg-c', 'secflow-cef', '')];
    const ids = allMetrics().map((m) => m.id).filter((id) => id.startsWith('reg-'));
    assert.deepEqual(ids, ['reg-c', 'reg-z', 'reg-b']);
    made.forEach(unregister);
  });

  it('tracks an extractor: pages, events, runs, the cursor and its lag', () => {
    const m = register('reg-x', 'secflow-code42-alerts', '');
    m.role = 'extractor';
    assert.equal(m.cursorLagSeconds(T0), undefined);
    m.page(3, '2025-12-31T23:50:00.000Z');
    m.page(2, null);
    m.run(1500, '2025-12-31T23:55:00Z', T0);
    assert.equal(m.extracted, 5);
    assert.equal(m.pages, 2);
    assert.equal(m.runs, 1);
    assert.equal(m.lastRunSeconds, 1.5);
    assert.equal(m.lastSuccessMs, T0);
    assert.equal(m.cursorLagSeconds(T0), 300);
    assert.equal(m.activity(), 5);
    unregister(m);
  });

  it('records errors with the last message and its time', () => {
    const m = register('reg-e', 'secflow-syslog', '');
    m.error('first', T0);
    m.error('second', T0 + 1000);
    assert.deepEqual([m.errors, m.lastError, m.lastErrorMs], [2, 'second', T0 + 1000]);
    unregister(m);
  });

  it('keeps activity per minute for the last hour, the current minute last', () => {
    const m = register('reg-h', 'secflow-syslog', '', T0 + 10_000);
    m.role = 'sink';
    // Counted from the start: what came before the first look is in the first minute.
    m.completed = 7;
    assert.deepEqual(m.perMinute(T0 + 20_000), [7]);
    m.completed = 10;
    assert.deepEqual(m.perMinute(T0 + MIN + 1), [10, 0]);
    m.completed = 14;
    // Two quiet minutes go by unobserved: the count lands in the first, zeros after.
    assert.deepEqual(m.perMinute(T0 + 4 * MIN), [10, 4, 0, 0, 0]);
    const long = m.perMinute(T0 + 200 * MIN);
    assert.equal(long.length, HISTORY_MINUTES);
    assert.ok(long.every((v) => v === 0));
    unregister(m);
  });
});
