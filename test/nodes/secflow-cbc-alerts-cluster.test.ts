// secflow-cbc-alerts with `cluster` (a secflow-redis node; the shared extractor
// controller's leases with fencing): the cursor lives in Redis under the node's cursor
// key, not in the context store, and a second run sends nothing twice.
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createClient } from 'redis';
import cbcNode from '../../src/nodes/secflow-cbc';
import alertsNode from '../../src/nodes/secflow-cbc-alerts';
import redisNode from '../../src/nodes/secflow-redis';
import { helper, loadFlow, tempDir, unloadFlow, type NodeModule } from '../support/node-harness';
import { extractorFlow, runOnce, storedValue, wireExtractor } from '../support/code42-flow';
import { CbcEmulator } from '../emulators/carbonblack';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
const NODES = [cbcNode as NodeModule, alertsNode as NodeModule, redisNode as NodeModule, catchNode];
const SECRET = 'cbc-cluster-s3cret';
const PREFIX = `secflow-test-${crypto.randomBytes(4).toString('hex')}:`;

describe('secflow-cbc-alerts with cluster', () => {
  let emu: CbcEmulator | undefined;
  afterEach(async () => {
    await unloadFlow();
    await emu?.close();
    emu = undefined;
  });
  after(async () => {
    const client = createClient({ url: 'redis://127.0.0.1:6379' });
    await client.connect();
    for await (const keys of client.scanIterator({ MATCH: `${PREFIX}*` })) if (keys.length) await client.del(keys);
    await client.quit();
    helper.stopServer?.((): void => undefined);
  });

  it('keeps its cursor in Redis under a lease and sends each alert once across runs', async () => {
    emu = new CbcEmulator({ apiId: 'ALERTID', apiSecret: SECRET });
    await emu.listen(0);
    emu.alerts.add({ count: 1200, startMs: Date.now() - 3_600_000, stepMs: 1000 });
    const flow = extractorFlow('alerts', { id: 'cbc', type: 'secflow-cbc', url: emu.baseUrl, orgKey: emu.orgKey, verifyTls: true, timeout: 10, rateLimit: 0 }, {
      id: 'ex', type: 'secflow-cbc-alerts', tenant: 'cbc', types: '', minimumSeverity: '', filters: '', since: '1d', pageSize: 500, lookback: '', updateWindow: '',
      interval: 0, output: 'event', cursorStore: 'file', cursorScope: 'node', cursorKey: 'alerts-cursor', cluster: 'rds',
    });
    flow.push({ id: 'rds', type: 'secflow-redis', url: 'redis://127.0.0.1:6379', prefix: PREFIX, verifyTls: true, ca: '', leaseTtl: 10 });
    await loadFlow(NODES, flow, { cbc: { apiId: 'ALERTID', apiSecret: SECRET } }, { contextDir: tempDir() });
    const w = wireExtractor('ex');
    const statuses: string[] = [];
    w.node.on('call:status', (c: { args: Array<{ text?: string }> }) => statuses.push(String(c.args[0]?.text)));
    for (let i = 0; i < 100 && !statuses.includes('leader · starting'); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(statuses.includes('leader · starting'), `alone, it leads: ${statuses.join(' | ')}`);
    const first = await runOnce(w, {}, 60_000);
    assert.equal((first.summary.payload as { error?: unknown }).error, undefined, JSON.stringify(first.summary.payload));
    assert.equal(first.messages.length, 1200);
    const second = await runOnce(w, {}, 60_000);
    assert.equal(second.messages.length, 0, 'nothing twice');
    assert.equal(await storedValue('ex', 'alerts-cursor'), undefined, 'no cursor in the context store');
    const client = createClient({ url: 'redis://127.0.0.1:6379' });
    await client.connect();
    const keys: string[] = [];
    for await (const batch of client.scanIterator({ MATCH: `${PREFIX}*` })) keys.push(...([] as string[]).concat(batch));
    await client.quit();
    assert.ok(keys.some((k) => k.includes('alerts-cursor')), `the cursor is in Redis: ${keys.join(', ')}`);
  });
});
