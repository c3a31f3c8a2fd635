// secflow-notify validates only the settings that apply: with aggregation off
// (no `aggregateBy`), the aggregation timeout and size are not read at all.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import notifyNode from '../../src/nodes/secflow-notify';
import targetsNode from '../../src/nodes/secflow-notify-targets';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { NotifyEmulator } from '../emulators/notify';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');

let emu: NotifyEmulator;
let base: string;
before(async () => {
  emu = new NotifyEmulator();
  base = await emu.listen();
});
after(() => emu.close());

function flow(props: Record<string, unknown>): FlowNode[] {
  return [
    { id: 's-tab', type: 'tab', label: 'notify settings' },
    { id: 's-targets', type: 'secflow-notify-targets', name: 'soc', endpoints: JSON.stringify({ discord: `${base}/api` }) },
    {
      id: 's-notify', type: 'secflow-notify', z: 's-tab', targets: 's-targets', tag: '', title: '', body: '', notifyType: 'info', format: 'text',
      closeWhen: '', allowUrls: false, ...props, wires: [['s-out']],
    },
    { id: 's-out', type: 'helper', z: 's-tab' },
    { id: 's-catch', type: 'catch', z: 's-tab', scope: ['s-notify'], uncaught: false, wires: [['s-caught']] },
    { id: 's-caught', type: 'helper', z: 's-tab' },
  ];
}

describe('secflow-notify settings', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  for (const [label, props] of [
    ['aggregateTimeout 0', { aggregateBy: '', aggregateTimeout: 0, aggregateMax: 50 }],
    ['aggregateMax 0 and an empty timeout', { aggregateBy: '', aggregateTimeout: '', aggregateMax: 0 }],
  ] as const) {
    it(`with aggregation off, ${label} does not stop delivery`, async () => {
      emu.discord.length = 0;
      await loadFlow([targetsNode as NodeModule, notifyNode as NodeModule, catchNode], flow(props), { 's-targets': { urls: 'discord://424242/Webhook-Token_1' } });
      const out = collect(helper.getNode('s-out'));
      const caught = collect(helper.getNode('s-caught'));
      helper.getNode('s-notify').receive({ payload: 'hello', topic: 't' });
      const [msg] = await out.waitFor(1);
      assert.equal((msg.notify as { sent: number }).sent, 1);
      assert.equal(emu.discord.length, 1);
      assert.equal(caught.messages.length, 0);
    });
  }

  it('with aggregation on, aggregateTimeout 0 is still an error that names the field', async () => {
    await loadFlow([targetsNode as NodeModule, notifyNode as NodeModule, catchNode], flow({ aggregateBy: 'topic', aggregateTimeout: 0, aggregateMax: 50 }), { 's-targets': { urls: 'discord://424242/Webhook-Token_1' } });
    const caught = collect(helper.getNode('s-caught'));
    helper.getNode('s-notify').receive({ payload: 'hello', topic: 't' });
    const [msg] = await caught.waitFor(1);
    assert.match((msg.error as { message: string }).message, /aggregateTimeout/);
  });
});
