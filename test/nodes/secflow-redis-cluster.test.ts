// secflow-code42-file-events with `cluster` (issue 16) in the real runtime, against
// a redis-server this test starts itself (own port and directory, AOF with
// appendfsync always), never the shared 6379, and the Code42 emulator:
// the cursor of the context store is taken over once; Redis restarted mid-run
// pauses the extractor (one error to Catch) and it resumes by itself, losing nothing;
// a stalled Redis (SIGSTOP: connected, never answering) pauses it too, a redeploy
// during the stall does not wait for the stalled commands, and nothing is lost.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import configNode from '../../src/nodes/secflow-code42';
import fileEventsNode from '../../src/nodes/secflow-code42-file-events';
import redisNode from '../../src/nodes/secflow-redis';
import { helper, loadFlow, tempDir, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { extractorFlow, runOnce, wireExtractor } from '../support/code42-flow';
import { Code42Emulator } from '../emulators/code42';
import { PrivateRedis, testClient } from '../support/redis';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
const NODES = [configNode as NodeModule, fileEventsNode as NodeModule, redisNode as NodeModule, catchNode];
const CREDS = { c42: { id: 'cid', secret: 'csecret' } };
const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const PREFIX = 'secflow-node-test:';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function flow(url: string, props: Record<string, unknown>, redisUrl?: string): FlowNode[] {
  const nodes = extractorFlow('code42', { id: 'c42', type: 'secflow-code42', url, authType: 'apiClient', verifyTls: true, timeout: 10, retryScale: 0.001 }, {
    id: 'fe', type: 'secflow-code42-file-events', tenant: 'c42', filters: '', orMode: false, since: '', pageSize: 500,
    interval: 0, output: 'event', cursorStore: 'file', cursorScope: 'global', cursorKey: 'tenant-a', lookback: 0, ...props,
  });
  if (redisUrl) nodes.push({ id: 'rds', type: 'secflow-redis', url: redisUrl, prefix: PREFIX, verifyTls: true, ca: '', leaseTtl: 2 });
  return nodes;
}

describe('secflow-code42-file-events with cluster (own redis-server)', () => {
  const redis = new PrivateRedis();
  const emu = new Code42Emulator({ clients: { cid: 'csecret' } });
  after(async () => {
    await unloadFlow().catch(() => undefined);
    await emu.close();
    await redis.dispose();
    helper.stopServer?.((): void => undefined);
  });

  it('takes over the context store\'s cursor once; Redis restarted mid-run: paused with one error, resumes, nothing lost', async () => {
    await redis.start();
    const url = await emu.listen();
    const first = emu.addFileEvents({ count: 1000, startMs: T0, stepMs: 10 });
    const contextDir = tempDir();

    // One instance, cursor in the file store (global scope: the test helper's unload wipes node contexts).
    await loadFlow(NODES, flow(url, {}), CREDS, { contextDir });
    const single = await runOnce(wireExtractor('fe'));
    assert.equal((single.summary.payload as { events: number }).events, first.length);
    await unloadFlow();

    // `cluster` set: the first leader continues from the stored cursor (runs on input here).
    const second = emu.addFileEvents({ count: 500, startMs: T0 + 30_000, stepMs: 10 });
    await loadFlow(NODES, flow(url, { cluster: 'rds' }, redis.url), CREDS, { contextDir });
    let w = wireExtractor('fe');
    const statuses: string[] = [];
    w.node.on('call:status', (c: { args: Array<{ text?: string }> }) => statuses.push(String(c.args[0]?.text)));
    for (let i = 0; i < 100 && !statuses.includes('leader · starting'); i++) await sleep(50);
    assert.ok(statuses.includes('leader · starting'), `alone, it leads: ${statuses.join(' | ')}`);
    const taken = await runOnce(w);
    assert.deepEqual(taken.messages.map((m) => (m.payload as { eventId: string }).eventId), second, 'only the events after the taken-over cursor');
    await unloadFlow();

    // Runs every second; Redis restarted mid-run.
    const more = emu.addFileEvents({ count: 6000, startMs: T0 + 60_000, stepMs: 10 });
    emu.inject({ route: 'fileevents', fault: { type: 'latency', ms: 100 } });
    await loadFlow(NODES, flow(url, { cluster: 'rds', interval: 1 }, redis.url), CREDS, { contextDir });
    w = wireExtractor('fe');
    const ids = () => w.out.messages.map((m) => (m.payload as { eventId: string }).eventId);
    const errors: string[] = [];
    helper.getNode('caught').on('input', (m: { error?: { message?: string } }) => errors.push(String(m.error?.message)));
    statuses.length = 0;
    w.node.on('call:status', (c: { args: Array<{ text?: string }> }) => statuses.push(String(c.args[0]?.text)));

    await w.out.waitFor(1500, 30_000);
    // Redis goes away mid-run (SIGTERM: the AOF has every write) and comes back 3 s later.
    await redis.stop();
    await sleep(3000);
    assert.ok(statuses.includes('paused · Redis unreachable'), `paused: ${statuses.slice(-5).join(' | ')}`);
    const during = errors.length;
    assert.equal(during, 1, `one error per outage: ${errors.join(' | ')}`);
    assert.match(errors[0], /Redis unreachable/);
    const sentDuringOutage = w.out.messages.length;
    await sleep(1500);
    assert.equal(w.out.messages.length, sentDuringOutage, 'no extraction without Redis');
    await redis.start();

    const deadline = Date.now() + 60_000;
    while (new Set(ids()).size < more.length && Date.now() < deadline) await sleep(200);
    const got = ids();
    const unique = new Set(got);
    const lost = more.filter((id) => !unique.has(id));
    assert.equal(lost.length, 0, `nothing lost: ${lost.length} missing (${lost.slice(0, 3).join(', ')}, index ${more.indexOf(lost[0])}); statuses ${statuses.slice(-6).join(' | ')}; errors ${errors.join(' | ')}`);
    assert.ok(!got.some((id) => first.includes(id) || second.includes(id)), 'nothing of the earlier runs again');
    assert.ok(got.length - unique.size <= 2 * 500, `${got.length - unique.size} duplicates: within the in-flight pages`);
    assert.equal(errors.length, 1, `no further errors after Redis came back: ${errors.join(' | ')}`);
    const view = await testClient(redis.url);
    const stored = JSON.parse(String(await view.hGet(`${PREFIX}tenant-a`, 'v'))) as { ts: number };
    assert.equal(stored.ts, T0 + 60_000 + (more.length - 1) * 10, 'the Redis cursor is at the last event');
    await view.close();
  });

  it('Redis stalled mid-run (SIGSTOP): paused within the reply timeout, a redeploy meanwhile is not held up, nothing lost after SIGCONT', async () => {
    await unloadFlow().catch(() => undefined);
    const stalled = new PrivateRedis();
    const emu2 = new Code42Emulator({ clients: { cid: 'csecret' } });
    try {
      await stalled.start();
      const url = await emu2.listen();
      const events = emu2.addFileEvents({ count: 6000, startMs: T0, stepMs: 10 });
      emu2.inject({ route: 'fileevents', fault: { type: 'latency', ms: 100 } });
      const contextDir = tempDir();
      const props = { cluster: 'rds', interval: 1, cursorKey: 'tenant-stalled' };
      await loadFlow(NODES, flow(url, props, stalled.url), CREDS, { contextDir });
      let w = wireExtractor('fe');
      const received: string[] = [];
      const statuses: string[] = [];
      w.node.on('call:status', (c: { args: Array<{ text?: string }> }) => statuses.push(String(c.args[0]?.text)));
      await w.out.waitFor(1000, 30_000);

      stalled.freeze();
      // node-redis waits for a reply as long as TCP lets it; the reply timeout (5 s) ends that.
      for (let i = 0; i < 100 && !statuses.includes('paused · Redis unreachable'); i++) await sleep(100);
      assert.ok(statuses.includes('paused · Redis unreachable'), `paused while Redis is stalled: ${statuses.slice(-5).join(' | ')}`);
      const started = Date.now();
      await unloadFlow();
      const closing = Date.now() - started;
      // Node-RED gives a closing node 15 s, then reports it; the old client waited for the stalled replies.
      assert.ok(closing < 8000, `the redeploy waited ${closing} ms for the stalled Redis`);
      received.push(...w.out.messages.map((m) => (m.payload as { eventId: string }).eventId));

      stalled.thaw();
      await loadFlow(NODES, flow(url, props, stalled.url), CREDS, { contextDir });
      w = wireExtractor('fe');
      const ids = () => [...received, ...w.out.messages.map((m) => (m.payload as { eventId: string }).eventId)];
      const deadline = Date.now() + 60_000;
      while (new Set(ids()).size < events.length && Date.now() < deadline) await sleep(200);
      const got = ids();
      const unique = new Set(got);
      const lost = events.filter((id) => !unique.has(id));
      assert.equal(lost.length, 0, `nothing lost: ${lost.length} missing`);
      assert.ok(got.length - unique.size <= 2 * 500, `${got.length - unique.size} duplicates: within the in-flight pages`);
    } finally {
      await unloadFlow().catch(() => undefined);
      await stalled.dispose();
      await emu2.close();
    }
  });
});
