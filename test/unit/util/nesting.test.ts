// Issue 13 item 9: the depth check every node relies on is iterative (a
// 100,000-level value is measured without a stack overflow), stops at the
// limit, and is not fooled by cycles or Buffers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_NESTING, assertNesting, nestedDeeperThan } from '../../../src/lib/util/nesting';

const deep = (levels: number): unknown => JSON.parse(`${'['.repeat(levels)}1${']'.repeat(levels)}`);

test('exact limit: N levels are fine, N+1 are too deep; scalars and Buffers are flat', () => {
  assert.equal(nestedDeeperThan(deep(MAX_NESTING)), false);
  assert.equal(nestedDeeperThan(deep(MAX_NESTING + 1)), true);
  assert.equal(nestedDeeperThan({ a: { b: 1 } }, 2), false);
  assert.equal(nestedDeeperThan({ a: { b: {} } }, 2), true);
  assert.equal(nestedDeeperThan('text'), false);
  assert.equal(nestedDeeperThan(Buffer.alloc(10_000)), false);
});

test('100,000 levels are measured without a stack overflow; a cycle is not infinite depth', () => {
  assert.equal(nestedDeeperThan(deep(100_000)), true);
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  assert.equal(nestedDeeperThan(cyclic), false);
});

test('assertNesting names the field', () => {
  assert.throws(() => assertNesting(deep(5000), 'msg.payload.details'), /^Error: msg\.payload\.details is nested more than 1000 levels deep/);
  assert.doesNotThrow(() => assertNesting({ ok: true }, 'msg.payload'));
});
