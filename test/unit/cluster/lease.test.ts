// Leases and fencing against the real Redis on 127.0.0.1:6379 (a fresh prefix per test).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterMember, FencedCursorStore, Lease, connectRedis, type RedisConnection } from '../../../src/lib/cluster';
import { SHARED_REDIS, answersSoon, dropPrefix, freshPrefix, testClient } from '../../support/redis';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('leases with fencing (real Redis)', () => {
  const connections: RedisConnection[] = [];
  const prefixes: string[] = [];
  function conn(): RedisConnection {
    const c = connectRedis({ url: SHARED_REDIS });
    connections.push(c);
    return c;
  }
  function prefix(): string {
    const p = freshPrefix();
    prefixes.push(p);
    return p;
  }
  after(async () => {
    for (const c of connections) await c.close();
    for (const p of prefixes) await dropPrefix(p);
  });

  test('SET NX: one holder at a time; every acquisition takes a new fencing token from INCR', async () => {
    const redis = conn();
    assert.ok(await answersSoon(redis), 'Redis answers');
    const p = prefix();
    const a = new Lease(redis, p, 'c', 'host-a:1#aa', 5000);
    const b = new Lease(redis, p, 'c', 'host-b:2#bb', 5000);
    assert.equal(await a.acquire(), true);
    assert.equal(await b.acquire(), false);
    assert.equal(b.leader, 'host-a:1', 'the standby sees who leads');
    assert.equal(a.fence, 1);
    await a.release();
    assert.equal(await b.acquire(), true);
    assert.equal(b.fence, 2, 'the next acquisition has a higher fencing token');
    const view = await testClient();
    assert.equal(await view.get(`${p}c:lease`), 'host-b:2#bb');
    assert.equal(await view.get(`${p}c:fence`), '2');
    await view.close();
  });

  test('a holder paused past its lease cannot write its stale cursor (the Lua check, not the local clock)', async () => {
    const redis = conn();
    assert.ok(await answersSoon(redis), 'Redis answers');
    const p = prefix();
    const lost: string[] = [];
    const stale = new Lease(redis, p, 'c', 'stale:1#11', 300, { lost: (_l, e) => lost.push(e.message) });
    assert.equal(await stale.acquire(), true);
    const staleStore = new FencedCursorStore<{ n: number }>(redis, stale);
    await staleStore.save({ n: 1 });
    // The pause: no renewal while the lease expires and another instance takes it.
    stale.dispose(); // the paused process's local timers did not fire either
    await sleep(400);
    const next = new Lease(redis, p, 'c', 'next:2#22', 5000);
    assert.equal(await next.acquire(), true);
    const nextStore = new FencedCursorStore<{ n: number }>(redis, next);
    await nextStore.save({ n: 2 });
    // The paused holder wakes up still believing it leads (state 'held') and writes.
    assert.equal(stale.state, 'held');
    await assert.rejects(staleStore.save({ n: 99 }), /not written: the lease is no longer held/);
    assert.equal(stale.state, 'standby');
    assert.equal(lost.length, 1);
    assert.deepEqual(await nextStore.load(), { n: 2 }, 'the cursor is the new holder\'s');
  });

  test('a write with an older fencing token is refused even with the right lease token', async () => {
    const redis = conn();
    assert.ok(await answersSoon(redis), 'Redis answers');
    const p = prefix();
    const first = new Lease(redis, p, 'c', 'same:1#ab', 5000);
    assert.equal(await first.acquire(), true);
    await first.release();
    const again = new Lease(redis, p, 'c', 'same:1#ab', 5000);
    assert.equal(await again.acquire(), true);
    await new FencedCursorStore(redis, again).save({ n: 2 });
    // `first` holds the same token string but fencing token 1: its state is forced back to held.
    (first as unknown as { state: string }).state = 'held';
    await assert.rejects(new FencedCursorStore(redis, first).save({ n: 1 }), /a newer fencing token was issued/);
    assert.deepEqual(await new FencedCursorStore(redis, again).load(), { n: 2 });
  });

  test('takeover: the previous store\'s cursor is read once, when Redis has none', async () => {
    const redis = conn();
    assert.ok(await answersSoon(redis), 'Redis answers');
    const p = prefix();
    const lease = new Lease(redis, p, 'c', 'x:1#1', 5000);
    await lease.acquire();
    let reads = 0;
    const store = new FencedCursorStore<{ n: number }>(redis, lease, (raw) => raw as { n: number }, async () => {
      reads++;
      return { n: 7 };
    });
    assert.deepEqual(await store.load(), { n: 7 });
    await store.clear();
    assert.equal(await store.load(), undefined, 'a cleared cursor is not taken over again');
    assert.equal(reads, 1);
  });

  test('nine cursors on three members: one leader each, 2–4 per member; a dead member\'s leases move within two lease periods', async () => {
    const p = prefix();
    const ttl = 1500;
    const names = Array.from({ length: 9 }, (_, i) => `tenant-${i}`);
    const members = [0, 1, 2].map((i) => {
      const redis = conn();
      const member = new ClusterMember(redis, { prefix: p, leaseTtlMs: ttl, identity: `inst${i}:${i}` });
      return { redis, member, leases: names.map((n) => member.lease(n)) };
    });
    const counts = () => members.map((m) => m.leases.filter((l) => l.held).length);
    const leadersOf = (live: typeof members) => names.map((_, k) => live.filter((m) => m.leases[k].held).length);
    const deadline = Date.now() + 4 * ttl;
    while (Date.now() < deadline && !(leadersOf(members).every((n) => n === 1) && counts().every((c) => c >= 2 && c <= 4))) await sleep(100);
    assert.deepEqual(leadersOf(members), names.map(() => 1), 'every cursor has exactly one leader');
    assert.ok(counts().every((c) => c >= 2 && c <= 4), `each member leads 2–4: ${counts().join(', ')}`);
    // Kill member 0: its connection goes, no release, no more beats.
    const dead = members[0];
    await dead.redis.close();
    const killed = Date.now();
    const survivors = members.slice(1);
    const survCounts = () => survivors.map((m) => m.leases.filter((l) => l.held).length);
    while (Date.now() - killed < 2 * ttl + 500 && !leadersOf(survivors).every((n) => n === 1)) await sleep(50);
    const moved = Date.now() - killed;
    assert.deepEqual(leadersOf(survivors), names.map(() => 1), 'every cursor has a leader among the survivors');
    assert.ok(moved <= 2 * ttl, `leases moved within two lease periods (${moved} ms)`);
    assert.ok(dead.leases.every((l) => !l.held), 'the dead member holds nothing');
    // Once stable: 3–6 each (⌊9/2⌋−1 … ⌈9/2⌉+1).
    await sleep(ttl);
    assert.ok(survCounts().every((c) => c >= 3 && c <= 6), `survivors lead ${survCounts().join(', ')}`);
    // A returning instance gets its share within two lease periods.
    const back = conn();
    const member = new ClusterMember(back, { prefix: p, leaseTtlMs: ttl, identity: 'inst3:3' });
    const returned = { redis: back, member, leases: names.map((n) => member.lease(n)) };
    const all = [...survivors, returned];
    const joined = Date.now();
    while (Date.now() - joined < 2 * ttl && !(returned.leases.filter((l) => l.held).length >= 2 && leadersOf(all).every((n) => n === 1))) await sleep(50);
    assert.ok(returned.leases.filter((l) => l.held).length >= 2, `the new member leads ${returned.leases.filter((l) => l.held).length} within two lease periods`);
    await sleep(200);
    assert.ok(leadersOf(all).every((n) => n <= 1), 'never two leaders');
    for (const m of [...survivors, returned]) await m.member.stop();
    dead.member.stop().catch(() => undefined);
  });
});
