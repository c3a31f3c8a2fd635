// Issue 16: a holder paused past its lease (SIGSTOP, then SIGCONT) cannot write its
// stale cursor. Two real Node-RED processes run the same flow (Code42 file events with
// `cluster` → secflow-cef → secflow-syslog TCP, confirm at the sink) against the real
// Redis on 127.0.0.1:6379 with a fresh key prefix. The leader is stopped longer than
// the lease, the other takes over; once the old leader runs again, the cursor is never
// written under its old fencing token, and every event arrives.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startNodeRed, type NodeRedInstance } from '../../scripts/node-red-runner';
import { Code42Emulator } from '../emulators/code42';
import { LineReceiver } from '../support/line-receiver';
import { deployFlow, eventIds, pipelineFlow } from '../support/delivery-pipeline';
import { freePort } from '../support/free-port';
import { SHARED_REDIS, dropPrefix, freshPrefix, testClient } from '../support/redis';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const PAGE = 500;
const LEASE_TTL = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a leader paused past its lease', () => {
  const nodeReds: NodeRedInstance[] = [];
  const emu = new Code42Emulator({ clients: { cid: 'csecret' } });
  const receiver = new LineReceiver();
  const prefix = freshPrefix();

  after(async () => {
    for (const n of nodeReds) {
      try { process.kill(n.child.pid!, 'SIGCONT'); } catch { /* gone */ }
      await n.stop();
    }
    await receiver.close();
    await emu.close();
    await dropPrefix(prefix);
  });

  test('SIGSTOP the leader past its lease, SIGCONT it: its stale cursor is never written, 0 lost', async (t) => {
    const url = await emu.listen();
    const events = emu.addFileEvents({ count: 8000, startMs: T0, stepMs: 10 });
    emu.inject({ route: 'fileevents', fault: { type: 'latency', ms: 150 } });
    const port = await receiver.listen();
    const flow = pipelineFlow({ emulatorUrl: url, receiverPort: port, pageSize: PAGE, interval: 1 });
    flow.find((n) => n.id === 'p-fe')!.cluster = 'p-redis';
    flow.push({ id: 'p-redis', type: 'secflow-redis', name: 'cluster', url: SHARED_REDIS, prefix, verifyTls: true, ca: '', leaseTtl: LEASE_TTL });
    for (let i = 0; i < 2; i++) nodeReds.push(await startNodeRed({ userDir: fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-pause-e2e-')), port: await freePort() }));
    await Promise.all(nodeReds.map((n) => deployFlow(n.url, flow)));

    await receiver.waitFor(1000, 60_000);
    const redis = await testClient();
    t.after(() => redis.close().catch(() => undefined));
    const leaseKey = `${prefix}p-fe:code42-cursor:lease`;
    const cursorKey = `${prefix}p-fe:code42-cursor`;
    const holder = String(await redis.get(leaseKey));
    const leader = nodeReds.find((n) => holder.includes(`:${n.child.pid}#`));
    assert.ok(leader, `the lease holder ${holder} is one of the two instances`);
    const staleFence = Number(await redis.get(`${prefix}p-fe:code42-cursor:fence`));

    // Paused longer than the lease: the other instance takes it over with a newer fencing token.
    process.kill(leader.child.pid!, 'SIGSTOP');
    const stoppedAt = Date.now();
    let newHolder = '';
    while (Date.now() - stoppedAt < (LEASE_TTL * 2 + 5) * 1000) {
      newHolder = String((await redis.get(leaseKey)) ?? '');
      if (newHolder && !newHolder.includes(`:${leader.child.pid}#`)) break;
      await sleep(200);
    }
    assert.ok(newHolder && !newHolder.includes(`:${leader.child.pid}#`), `the other instance took the lease (${newHolder})`);
    const newFence = Number(await redis.get(`${prefix}p-fe:code42-cursor:fence`));
    assert.ok(newFence > staleFence, `a newer fencing token (${newFence} > ${staleFence})`);
    // Let the new leader write its cursor, then wake the old one.
    await sleep(3000);
    process.kill(leader.child.pid!, 'SIGCONT');

    // From now on, every cursor write carries a token newer than the stale one.
    const writers = new Set<number>();
    const deadline = Date.now() + 120_000;
    while (new Set(eventIds(receiver.lines)).size < events.length && Date.now() < deadline) {
      writers.add(Number(await redis.hGet(cursorKey, 'f')));
      await sleep(100);
    }
    for (let i = 0; i < 20; i++) {
      writers.add(Number(await redis.hGet(cursorKey, 'f')));
      await sleep(100);
    }
    assert.ok(![...writers].some((f) => f <= staleFence), `the cursor was never written under the stale token ${staleFence}: ${[...writers].join(', ')}`);
    const got = eventIds(receiver.lines);
    const unique = new Set(got);
    const missing = events.filter((id) => !unique.has(id));
    assert.equal(missing.length, 0, `${missing.length} events never arrived, e.g. ${missing[0]}`);
    t.diagnostic(`takeover ${Date.now() - stoppedAt} ms; fencing ${staleFence} → ${newFence}; ${got.length - unique.size} duplicates`);
  });
});
