// secflow-code42-alerts with `details` missing from the flow JSON (a hand-written or
// older flow): the runtime fetches details, as the editor's default (on) promises.
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import configNode from '../../src/nodes/secflow-code42';
import alertsNode from '../../src/nodes/secflow-code42-alerts';
import { helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { extractorFlow, runOnce, wireExtractor } from '../support/code42-flow';
import { Code42Emulator } from '../emulators/code42';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
const NODES = [configNode as NodeModule, alertsNode as NodeModule, catchNode];

describe('secflow-code42-alerts defaults', () => {
  let emu: Code42Emulator | undefined;
  afterEach(async () => {
    await unloadFlow();
    await emu?.close();
    emu = undefined;
  });
  after(() => helper.stopServer?.((): void => undefined));

  it('the editor defaults details to on', () => {
    const html = fs.readFileSync(path.join(__dirname, '..', '..', 'nodes', 'secflow-code42-alerts.html'), 'utf8');
    assert.match(html, /details:\s*\{\s*value:\s*true\s*\}/);
  });

  it('fetches details when the flow JSON has no `details` property', async () => {
    emu = new Code42Emulator({ clients: { cid: 'csecret' } });
    const url = await emu.listen();
    emu.addAlerts({ count: 3, startMs: Date.UTC(2026, 9, 1, 8), stepMs: 1000, observationCount: 1 });
    const node: FlowNode = {
      id: 'al', type: 'secflow-code42-alerts', tenant: 'c42', filters: '', orMode: false, since: '', pageSize: 100,
      interval: 0, output: 'event', cursorStore: '', cursorScope: 'node', cursorKey: '', lookback: 0,
    };
    await loadFlow(NODES, extractorFlow('alerts', { id: 'c42', type: 'secflow-code42', url, authType: 'apiClient', verifyTls: true, timeout: 10 }, node), { c42: { id: 'cid', secret: 'csecret' } });
    const { summary, messages } = await runOnce(wireExtractor('al'));
    assert.equal((summary.payload as { events: number }).events, 3);
    assert.equal(emu.requests('details').length, 1, 'one details request');
    for (const m of messages) assert.ok(Array.isArray((m.payload as { observations?: unknown[] }).observations), 'each alert carries its observations');
  });
});
