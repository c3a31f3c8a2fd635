// The allocation-free first walk of nestedDeeperThan answers only "surely not
// deeper"; everything else goes to the exact walk. These cases would fool a walk
// without that fallback: shared sub-objects (exponentially many paths), cycles, and
// values wider than its budget.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nestedDeeperThan } from '../../../src/lib/util/nesting';

test('a DAG with 2^80 paths, 81 levels deep, is answered at once and correctly', () => {
  let node: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < 80; i++) node = { left: node, right: node };
  const started = Date.now();
  assert.equal(nestedDeeperThan(node), false);
  assert.equal(nestedDeeperThan(node, 50), true);
  assert.ok(Date.now() - started < 5000, 'not a walk of every path');
});

test('a cycle within a small object is not too deep; a long chain behind a cycle is', () => {
  const cyclic: Record<string, unknown> = { a: [1, 2, { b: null }] };
  ((cyclic.a as unknown[])[2] as Record<string, unknown>).b = cyclic;
  assert.equal(nestedDeeperThan(cyclic), false);
  let chain: Record<string, unknown> = {};
  const head = chain;
  for (let i = 0; i < 1500; i++) chain = (chain.next = {}) as Record<string, unknown>;
  chain.back = head;
  assert.equal(nestedDeeperThan(head), true);
});

test('wider than the quick budget: 20,000 flat objects are fine, one of them 1,001 deep is not', () => {
  const wide = Array.from({ length: 20_000 }, (_, i) => ({ i }));
  assert.equal(nestedDeeperThan(wide), false);
  let deep: unknown = 1;
  for (let i = 0; i < 1000; i++) deep = [deep];
  (wide as unknown[]).push(deep);
  assert.equal(nestedDeeperThan(wide), true, '1 (the array) + 1000 levels');
});
