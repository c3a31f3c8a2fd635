// Issue 13 item 6 through the runtime: a server that echoes request headers in
// its error bodies. Code42 v1 (Basic client credentials, then a Bearer token) and
// Carbon Black (X-Auth-Token SECRET/ID): the credentials reach no Catch message,
// no output 2 summary, no status and no log line.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import configNode from '../../src/nodes/secflow-code42';
import alertsNode from '../../src/nodes/secflow-code42-alerts';
import cbcNode from '../../src/nodes/secflow-cbc';
import exporterNode from '../../src/nodes/secflow-cbc-process-tree';
import { collect, helper, loadFlow, unloadFlow, type NodeModule } from '../support/node-harness';
import { extractorFlow, runOnce, wireExtractor } from '../support/code42-flow';
import { Code42Emulator } from '../emulators/code42';
import { startCbcEmulator } from '../emulators/carbonblack';
import { singleNodeFlow } from '../support/single-node-flow';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
const C42_ID = 'cid-echo';
const C42_SECRET = 'c42-Secret+value/9';
const BASIC = Buffer.from(`${C42_ID}:${C42_SECRET}`).toString('base64');
const CBC_ID = 'ECHOID1234';
const CBC_SECRET = 'CBCSECRETKEY0987654321ABC';

/** Everything the node said: status texts, warn/error/log calls. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function listen(node: any): string[] {
  const said: string[] = [];
  for (const kind of ['status', 'warn', 'error', 'log']) {
    node.on(`call:${kind}`, (call: { args: unknown[] }) => said.push(call.args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : JSON.stringify(a))).join(' ')));
  }
  return said;
}

function assertNoSecret(where: string, text: string, secrets: string[]): void {
  for (const s of secrets) assert.ok(!text.includes(s), `${where} carries "${s}": ${text.slice(0, 600)}`);
}

describe('echoed credentials (issue 13.6)', () => {
  afterEach(() => unloadFlow());

  it('Code42 v1: token endpoint and data endpoint echo headers; Basic (base64 and decoded) and the Bearer token are in no Catch msg, output 2, status or log', async () => {
    const emu = new Code42Emulator({ clients: { [C42_ID]: C42_SECRET } });
    try {
      const url = await emu.listen();
      const flow = extractorFlow('echo', { id: 'c42', type: 'secflow-code42', url, authType: 'apiClient', verifyTls: true, timeout: 10, retryScale: 0.001 }, {
        id: 'al', type: 'secflow-code42-alerts', tenant: 'c42', filters: '', orMode: false, since: '', pageSize: 100, details: false,
        interval: 0, output: 'event', cursorStore: 'memory', cursorScope: 'node', cursorKey: '', lookback: 0,
      });
      await loadFlow([configNode as NodeModule, alertsNode as NodeModule, catchNode], flow, { c42: { id: C42_ID, secret: C42_SECRET } });
      const w = wireExtractor('al');
      const said = listen(w.node);

      emu.inject({ route: 'oauth', times: 1, fault: { type: 'echo-headers', status: 400 } });
      const first = await runOnce(w);
      emu.inject({ route: 'customer', times: 1, fault: { type: 'echo-headers', status: 400, as: 'text' } });
      const second = await runOnce(w);
      const bearer = emu.requests('customer').map((e) => String(e.headers.authorization ?? '').replace(/^Bearer /, '')).find(Boolean);
      assert.ok(bearer, 'a token was issued and used');
      const secrets = [BASIC, C42_SECRET, `${C42_ID}:${C42_SECRET}`, bearer];
      const caught = await w.caught.waitFor(2);
      assert.match(String(first.summary.payload && (first.summary.payload as { error: string }).error), /HTTP 400/);
      assertNoSecret('output 2', JSON.stringify([first.summary, second.summary]), secrets);
      assertNoSecret('Catch', JSON.stringify(caught), secrets);
      assertNoSecret('status/log', said.join('\n'), secrets);
      assert.match(JSON.stringify(second.summary), /authorization/i, 'the echo arrived (scrubbed)');
    } finally {
      await emu.close();
    }
  });

  it('Carbon Black: X-Auth-Token SECRET/ID echoed by the events search is in no Catch msg, output or log', async () => {
    const emu = await startCbcEmulator({ apiId: CBC_ID, apiSecret: CBC_SECRET });
    try {
      const flow = [
        { id: 'n-tenant', type: 'secflow-cbc', url: emu.baseUrl, orgKey: emu.orgKey, verifyTls: true, timeout: 10, rateLimit: 0 },
        ...singleNodeFlow('secflow-cbc-process-tree', {
          name: 'export', tenant: 'n-tenant', guid: '', guidType: 'str', start: '', startType: 'str', end: '', endType: 'str', depth: 1,
          levelMode: 'depth', summaryConfig: '', outputDir: '', concurrency: 1, maxNodes: 10, pollInterval: 5,
        }, 2),
      ];
      await loadFlow([cbcNode as NodeModule, exporterNode as NodeModule, catchNode], flow, { 'n-tenant': { apiId: CBC_ID, apiSecret: CBC_SECRET } });
      const node = helper.getNode('n-under-test');
      const said = listen(node);
      const outs = [collect(helper.getNode('n-out0')), collect(helper.getNode('n-out1'))];
      const caught = collect(helper.getNode('n-caught'));
      emu.inject({ route: '*', fault: { type: 'echo-headers', status: 400 } });
      node.receive({ guid: 'ECHO-00000001-00000001-00000000-1d7c2e3f4a5b6c7d' });
      const [c] = await caught.waitFor(1);
      assert.match(JSON.stringify(c), /400/);
      const secrets = [CBC_SECRET, `${CBC_SECRET}/${CBC_ID}`];
      assertNoSecret('Catch', JSON.stringify(c), secrets);
      assertNoSecret('outputs', JSON.stringify(outs.map((o) => o.messages)), secrets);
      assertNoSecret('status/log', said.join('\n'), secrets);
    } finally {
      emu.clearFaults();
      await emu.close();
    }
  });
});
