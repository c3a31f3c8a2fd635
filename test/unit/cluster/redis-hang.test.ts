// A Redis that takes commands and never answers (a stalled server, a network path
// that drops replies): the real Redis on 127.0.0.1:6379 behind a loopback proxy that
// holds back its replies. A command must fail within the reply timeout instead of
// waiting for TCP to give up (about 15 minutes), the connection must come back once
// Redis answers again, and a cluster member must report the outage and stop fast.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ClusterMember, connectRedis, type RedisConnection } from '../../../src/lib/cluster';
import { HoldProxy } from '../../support/hold-proxy';
import { answersSoon, dropPrefix, freshPrefix } from '../../support/redis';
import { within } from '../../support/within';

const REDIS_PORT = 6379;
const REPLY_TIMEOUT_MS = 400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
describe('Redis that stops answering (real Redis behind a proxy that holds its replies)', () => {
  const proxies: HoldProxy[] = [];
  const connections: RedisConnection[] = [];
  const prefixes: string[] = [];
  after(async () => {
    for (const c of connections) await c.close();
    for (const p of proxies) await p.close();
    for (const p of prefixes) await dropPrefix(p);
  });

  async function throughProxy(): Promise<{ proxy: HoldProxy; redis: RedisConnection }> {
    const proxy = new HoldProxy(REDIS_PORT);
    proxies.push(proxy);
    const port = await proxy.listen();
    const redis = connectRedis({ url: `redis://127.0.0.1:${port}`, replyTimeoutMs: REPLY_TIMEOUT_MS });
    connections.push(redis);
    assert.ok(await answersSoon(redis), 'Redis answers through the proxy');
    return { proxy, redis };
  }

  test('an unanswered command fails within the reply timeout, naming it; the connection answers again once Redis does', async () => {
    const { proxy, redis } = await throughProxy();
    proxy.holding = true;
    const started = Date.now();
    await assert.rejects(within(redis.eval('return 1', { keys: [], arguments: [] }), 5000, 'eval'), /Redis did not answer within 400 ms/);
    const took = Date.now() - started;
    assert.ok(took >= REPLY_TIMEOUT_MS - 20 && took < REPLY_TIMEOUT_MS + 1500, `failed after ${took} ms`);
    // Redis answers again (the held replies go nowhere: their connection was replaced).
    proxy.release();
    assert.ok(await within(answersSoon(redis), 10_000, 'recovery'), 'commands work again');
  });

  test('a cluster member reports the outage within a beat and a reply timeout, and stops within a few reply timeouts', async () => {
    const { proxy, redis } = await throughProxy();
    const prefix = freshPrefix();
    prefixes.push(prefix);
    const online: boolean[] = [];
    const member = new ClusterMember(redis, { prefix, leaseTtlMs: 900, online: (up) => online.push(up) });
    const lease = member.lease('cursor');
    for (let i = 0; i < 100 && lease.state !== 'held'; i++) await sleep(20);
    assert.equal(lease.state, 'held');
    proxy.holding = true;
    for (let i = 0; i < 150 && !online.includes(false); i++) await sleep(20);
    assert.ok(online.includes(false), `the member reported Redis unreachable (reports: ${JSON.stringify(online)})`);
    const started = Date.now();
    await within(member.stop(), 5000, 'stop');
    assert.ok(Date.now() - started < 4 * REPLY_TIMEOUT_MS + 500, `stop took ${Date.now() - started} ms`);
    proxy.release();
  });
});
