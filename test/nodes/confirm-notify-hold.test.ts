// An extractor whose confirm node is a secflow-notify that aggregates for as long as
// confirmTimeout or longer would time every page out: it warns, once, when it first runs.
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import configNode from '../../src/nodes/secflow-code42';
import fileEventsNode from '../../src/nodes/secflow-code42-file-events';
import targetsNode from '../../src/nodes/secflow-notify-targets';
import notifyNode from '../../src/nodes/secflow-notify';
import { helper, loadFlow, tempDir, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { Code42Emulator } from '../emulators/code42';

const NODES = [configNode as NodeModule, fileEventsNode as NodeModule, targetsNode as NodeModule, notifyNode as NodeModule];

function flow(url: string, aggregateTimeout: number): FlowNode[] {
  const nodes: FlowNode[] = [
    { id: 'tab', type: 'tab', label: 'confirm notify' },
    { id: 'c42', type: 'secflow-code42', url, authType: 'apiClient', apiVersion: 'v1', verifyTls: true, timeout: 10, retryScale: 0.001 },
    {
      id: 'fe', type: 'secflow-code42-file-events', z: 'tab', tenant: 'c42', filters: '', orMode: false, since: '', pageSize: 50,
      interval: 0, output: 'event', cursorStore: 'file', cursorScope: 'node', cursorKey: 'cursor', lookback: 0,
      confirm: ['notify'], confirmTimeout: 5, onFailure: 'stop', wires: [['notify'], ['sum']],
    },
    { id: 'targets', type: 'secflow-notify-targets', name: 'soc', endpoints: '' },
    {
      id: 'notify', type: 'secflow-notify', z: 'tab', targets: 'targets', tag: '', title: '', body: '{{msg.payload.eventId}}', notifyType: 'info', format: 'text',
      aggregateBy: 'topic', aggregateTimeout, aggregateMax: 50, closeWhen: '', allowUrls: false, wires: [[]],
    },
    { id: 'sum', type: 'helper', z: 'tab' },
  ];
  return nodes.map((n, i) => (n.z ? { x: 100 + i * 10, y: 100, ...n } : n));
}

const warnings = () => (helper.log().args as Array<Array<{ id?: string; level?: number; msg?: unknown }>>)
  .filter((a) => a[0]?.id === 'fe' && a[0]?.level === 30).map((a) => String(a[0].msg));

describe('confirm on an aggregating secflow-notify', () => {
  let emu: Code42Emulator | undefined;
  afterEach(async () => {
    await unloadFlow();
    await emu?.close();
    emu = undefined;
  });
  after(() => helper.stopServer?.((): void => undefined));

  for (const [aggregateTimeout, warned] of [[600, true], [1, false]] as const) {
    it(`aggregation of ${aggregateTimeout} s against confirmTimeout 5 s: ${warned ? 'one warning' : 'no warning'}`, async () => {
      emu = new Code42Emulator({ clients: { cid: 'csecret' } });
      const url = await emu.listen();
      await loadFlow(NODES, flow(url, aggregateTimeout), { c42: { id: 'cid', secret: 'csecret' }, targets: { urls: 'json://127.0.0.1:9/x' } }, { contextDir: tempDir() });
      const sum = helper.getNode('sum');
      const done = new Promise((resolve) => sum.on('input', resolve));
      helper.getNode('fe').receive({});
      await done;
      const held = warnings().filter((w) => w.includes('holds messages up to'));
      assert.equal(held.length, warned ? 1 : 0, JSON.stringify(warnings()));
      if (warned) assert.match(held[0], /secflow-notify .*600 s .*confirmTimeout 5 s/);
    });
  }
});
