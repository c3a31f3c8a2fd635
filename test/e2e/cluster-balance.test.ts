// Issue 16, balance in real Node-RED processes: nine extractors (nine cursors) in
// the same flows on three instances, against the real Redis on 127.0.0.1:6379
// with a fresh key prefix. Every extractor has exactly one leader and each
// instance leads two to four; SIGKILL one instance: its leases move to the two
// survivors within two lease periods, and every extractor delivers every event.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startNodeRed, type NodeRedInstance } from '../../scripts/node-red-runner';
import { Code42Emulator } from '../emulators/code42';
import { LineReceiver } from '../support/line-receiver';
import { deployFlow, type FlowNode } from '../support/delivery-pipeline';
import { freePort } from '../support/free-port';
import { SHARED_REDIS, dropPrefix, freshPrefix, testClient } from '../support/redis';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const LEASE_TTL = 10;
const EXTRACTORS = Array.from({ length: 9 }, (_, i) => `fe${i}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Nine file-event extractors; each line at the receiver says which one sent which event (`fe3 <eventId>`). */
function nineFlow(emulatorUrl: string, receiverPort: number, prefix: string): FlowNode[] {
  const z = 'b-tab';
  const flow: FlowNode[] = [
    { id: z, type: 'tab', label: 'nine tenants' },
    { id: 'b-c42', type: 'secflow-code42', name: 'emulated tenant', url: emulatorUrl, authType: 'apiClient', apiVersion: 'v1', verifyTls: true, timeout: 10, retryScale: 0.01, credentials: { id: 'cid', secret: 'csecret' } },
    { id: 'b-redis', type: 'secflow-redis', name: 'cluster', url: SHARED_REDIS, prefix, verifyTls: true, ca: '', leaseTtl: LEASE_TTL },
    { id: 'b-siem', type: 'secflow-syslog', z, name: 'SIEM', host: '127.0.0.1', port: receiverPort, protocol: 'tcp', format: 'none', octetCounting: false, verifyTls: true, ca: '', queueSize: 10000, facility: 'user', severity: 'info', x: 700, y: 40, wires: [] },
  ];
  // x and y: without them the runtime takes a node for a config node.
  EXTRACTORS.forEach((id, i) => {
    flow.push({
      id, type: 'secflow-code42-file-events', z, name: id, tenant: 'b-c42', filters: '', orMode: false, since: '', pageSize: 100, interval: 1, output: 'event',
      cursorStore: '', cursorScope: 'node', cursorKey: 'code42-cursor', lookback: 0, cluster: 'b-redis', confirm: ['b-siem'], confirmTimeout: 60, onFailure: 'stop', x: 150, y: 40 + 60 * i, wires: [[`${id}-tag`], []],
    });
    flow.push({ id: `${id}-tag`, type: 'function', z, name: `tag ${id}`, func: `msg.payload = ${JSON.stringify(id)} + ' ' + msg.payload.eventId;\nreturn msg;`, outputs: 1, x: 400, y: 40 + 60 * i, wires: [['b-siem']] });
  });
  return flow;
}

describe('nine extractors on three Node-RED instances', () => {
  const instances: NodeRedInstance[] = [];
  const emu = new Code42Emulator({ clients: { cid: 'csecret' } });
  const receiver = new LineReceiver();
  const prefix = freshPrefix();

  after(async () => {
    for (const i of instances) await i.stop();
    await receiver.close();
    await emu.close();
    await dropPrefix(prefix);
  });

  test('one leader per extractor, 2–4 per instance; kill one: its leases move within two lease periods, nothing lost', async (t) => {
    const url = await emu.listen();
    const first = emu.addFileEvents({ count: 300, startMs: T0, stepMs: 10 });
    const port = await receiver.listen();
    const flow = nineFlow(url, port, prefix);
    instances.push(...(await Promise.all([0, 1, 2].map(async () => startNodeRed({ userDir: fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-balance-e2e-')), port: await freePort() })))));
    await Promise.all(instances.map((i) => deployFlow(i.url, flow)));

    const redis = await testClient();
    t.after(() => redis.close().catch(() => undefined));
    const leaders = async () => Promise.all(EXTRACTORS.map(async (id) => Number(/:(\d+)#/.exec(String(await redis.get(`${prefix}${id}:code42-cursor:lease`)))?.[1])));
    const perInstance = (pids: number[], live: NodeRedInstance[]) => live.map((i) => pids.filter((p) => p === i.child.pid).length);
    let pids: number[];
    const stableBy = Date.now() + 30_000;
    for (;;) {
      pids = await leaders();
      const counts = perInstance(pids, instances);
      if ((pids.every((p) => instances.some((i) => i.child.pid === p)) && counts.every((c) => c >= 2 && c <= 4)) || Date.now() > stableBy) break;
      await sleep(500);
    }
    const counts = perInstance(pids, instances);
    t.diagnostic(`leases per instance: ${counts.join(', ')}`);
    assert.ok(pids.every((p) => instances.some((i) => i.child.pid === p)), `every extractor has a live leader: ${pids.join(', ')}\n${instances[0].output.filter((l) => /error|warn/i.test(l)).slice(0, 10).join('\n')}`);
    assert.ok(counts.every((c) => c >= 2 && c <= 4), `each instance leads 2–4: ${counts.join(', ')}`);

    // Kill the instance that leads the most.
    const victim = instances[counts.indexOf(Math.max(...counts))];
    victim.child.kill('SIGKILL');
    const killedAt = Date.now();
    await new Promise<void>((resolve) => (victim.child.exitCode !== null || victim.child.signalCode !== null ? resolve() : victim.child.once('exit', () => resolve())));
    instances.splice(instances.indexOf(victim), 1);
    const second = emu.addFileEvents({ count: 300, startMs: T0 + 60_000, stepMs: 10 });
    for (;;) {
      pids = await leaders();
      if (pids.every((p) => instances.some((i) => i.child.pid === p)) || Date.now() - killedAt > 2 * LEASE_TTL * 1000 + 5000) break;
      await sleep(250);
    }
    const moved = Date.now() - killedAt;
    t.diagnostic(`all leases on the survivors ${moved} ms after the kill: ${perInstance(pids, instances).join(', ')}`);
    assert.ok(pids.every((p) => instances.some((i) => i.child.pid === p)), `every extractor has a surviving leader: ${pids.join(', ')}`);
    assert.ok(moved <= 2 * LEASE_TTL * 1000, `moved within two lease periods (${moved} ms)`);

    const expected = EXTRACTORS.flatMap((id) => [...first, ...second].map((e) => `${id} ${e}`));
    const deadline = Date.now() + 60_000;
    const have = () => new Set(receiver.lines.map((l) => l.trim()));
    while (expected.some((l) => !have().has(l)) && Date.now() < deadline) await sleep(500);
    const got = have();
    const missing = expected.filter((l) => !got.has(l));
    assert.equal(missing.length, 0, `${missing.length} of ${expected.length} never arrived, e.g. ${missing[0]}`);
    t.diagnostic(`${receiver.lines.length - got.size} duplicates over ${expected.length} events`);
  });
});
