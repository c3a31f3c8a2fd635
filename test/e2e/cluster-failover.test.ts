// Issue 16 in real Node-RED processes: three instances run the same flow (Code42
// file events with `cluster` → secflow-cef → secflow-syslog TCP → one loopback
// receiver, confirm at the sink), against the real Redis on 127.0.0.1:6379 with a
// fresh key prefix. Exactly one instance extracts and the others show standby; the
// leader is SIGKILLed mid-run, a survivor takes over and finishes: nothing lost,
// duplicates within the pages that were in flight.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { startNodeRed, type NodeRedInstance } from '../../scripts/node-red-runner';
import { Code42Emulator } from '../emulators/code42';
import { LineReceiver } from '../support/line-receiver';
import { deployFlow, eventIds, pipelineFlow } from '../support/delivery-pipeline';
import { freePort } from '../support/free-port';
import { SHARED_REDIS, dropPrefix, freshPrefix, testClient } from '../support/redis';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const PAGE = 500;
const LEASE_TTL = 10;

interface Instance {
  nodeRed: NodeRedInstance;
  comms: WebSocket;
  /** Every status text the extractor showed, in order. */
  statuses: string[];
}

async function startInstance(): Promise<Instance> {
  const nodeRed = await startNodeRed({ userDir: fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-cluster-e2e-')), port: await freePort() });
  const comms = new WebSocket(`${nodeRed.url.replace(/^http/, 'ws')}/comms`);
  await new Promise<void>((resolve, reject) => {
    comms.once('open', () => resolve());
    comms.once('error', reject);
  });
  comms.send(JSON.stringify({ subscribe: 'status/#' }));
  const statuses: string[] = [];
  comms.on('message', (data) => {
    const batch = JSON.parse(String(data)) as Array<{ topic: string; data: { text?: string } }> | { topic: string; data: { text?: string } };
    for (const m of Array.isArray(batch) ? batch : [batch]) if (m.topic === 'status/p-fe' && m.data?.text) statuses.push(m.data.text);
  });
  comms.on('error', () => undefined);
  return { nodeRed, comms, statuses };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('three Node-RED instances share the extraction through Redis leases', () => {
  const instances: Instance[] = [];
  const emu = new Code42Emulator({ clients: { cid: 'csecret' } });
  const receiver = new LineReceiver();
  const prefix = freshPrefix();

  after(async () => {
    for (const i of instances) {
      i.comms.close();
      await i.nodeRed.stop();
    }
    await receiver.close();
    await emu.close();
    await dropPrefix(prefix);
  });

  test('one leader extracts, two stand by; SIGKILL the leader mid-run: a survivor finishes, 0 lost', async (t) => {
    const url = await emu.listen();
    const events = emu.addFileEvents({ count: 12_000, startMs: T0, stepMs: 10 });
    // Slow pages, so that the kill lands mid-run.
    emu.inject({ route: 'fileevents', fault: { type: 'latency', ms: 150 } });
    const port = await receiver.listen();
    const flow = pipelineFlow({ emulatorUrl: url, receiverPort: port, pageSize: PAGE, interval: 1 });
    const fe = flow.find((n) => n.id === 'p-fe')!;
    fe.cluster = 'p-redis';
    flow.push({ id: 'p-redis', type: 'secflow-redis', name: 'cluster', url: SHARED_REDIS, prefix, verifyTls: true, ca: '', leaseTtl: LEASE_TTL });

    instances.push(...(await Promise.all([startInstance(), startInstance(), startInstance()])));
    await Promise.all(instances.map((i) => deployFlow(i.nodeRed.url, flow)));

    await receiver.waitFor(2000, 60_000);
    const redis = await testClient();
    t.after(() => redis.close().catch(() => undefined));
    const leaseKey = `${prefix}p-fe:code42-cursor:lease`;
    const holder = String(await redis.get(leaseKey));
    const leaderPid = Number(/:(\d+)#/.exec(holder)?.[1]);
    const leader = instances.find((i) => i.nodeRed.child.pid === leaderPid);
    assert.ok(leader, `the lease holder ${holder} is one of the three instances`);
    const others = instances.filter((i) => i !== leader);
    // Exactly one extracts: only the leader ever showed `running`; the others show standby naming it.
    await sleep(500);
    assert.ok(leader.statuses.some((s) => s.startsWith('running')), `the leader runs: ${leader.statuses.slice(-3).join(' | ')}`);
    for (const o of others) {
      assert.ok(!o.statuses.some((s) => s.startsWith('running')), `a standby never ran: ${o.statuses.join(' | ')}`);
      assert.match(o.statuses.at(-1) ?? '', new RegExp(`^standby · leader .*:${leaderPid}$`));
    }

    // SIGKILL the leader mid-run.
    const beforeKill = receiver.lines.length;
    assert.ok(beforeKill < events.length, `the kill comes mid-run (${beforeKill} of ${events.length})`);
    leader.nodeRed.child.kill('SIGKILL');
    const killedAt = Date.now();
    await new Promise<void>((resolve) => (leader.nodeRed.child.exitCode !== null || leader.nodeRed.child.signalCode !== null ? resolve() : leader.nodeRed.child.once('exit', () => resolve())));
    instances.splice(instances.indexOf(leader), 1);
    leader.comms.close();

    // A survivor takes the lease within the ttl plus a beat (a third of the ttl) and a poll.
    let newHolder = '';
    while (Date.now() - killedAt < (LEASE_TTL * 4 / 3 + 2) * 1000) {
      newHolder = String((await redis.get(leaseKey)) ?? '');
      if (newHolder && !newHolder.includes(`:${leaderPid}#`)) break;
      await sleep(200);
    }
    const takeover = Date.now() - killedAt;
    const survivor = others.find((i) => newHolder.includes(`:${i.nodeRed.child.pid}#`));
    assert.ok(survivor, `a survivor holds the lease (${newHolder}) ${takeover} ms after the kill`);

    const deadline = Date.now() + 120_000;
    while (new Set(eventIds(receiver.lines)).size < events.length && Date.now() < deadline) await sleep(250);
    const got = eventIds(receiver.lines);
    const unique = new Set(got);
    const missing = events.filter((id) => !unique.has(id));
    assert.equal(missing.length, 0, `${missing.length} events never arrived, e.g. ${missing[0]}`);
    assert.equal(unique.size, events.length, 'nothing but the events arrived');
    const duplicates = got.length - unique.size;
    // With confirm, at most the page being confirmed and the one after it were in flight at the kill.
    assert.ok(duplicates <= 2 * PAGE, `${duplicates} duplicates: more than the two in-flight pages`);
    t.diagnostic(`takeover ${takeover} ms after the kill; ${duplicates} duplicates; ${beforeKill} lines before the kill`);
    const other = others.find((i) => i !== survivor)!;
    assert.ok(!other.statuses.some((s) => s.startsWith('running')), 'the third instance never extracted');
    const cursor = await redis.hGet(`${prefix}p-fe:code42-cursor`, 'f');
    assert.ok(Number(cursor) >= 2, `the cursor was last written under the survivor's fencing token (${cursor})`);
  });
});
