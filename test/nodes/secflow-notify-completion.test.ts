// secflow-notify completes an input only when every matched target answered; with
// aggregation, when the aggregate that holds it was sent (or with that failure).
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import notifyNode from '../../src/nodes/secflow-notify';
import targetsNode from '../../src/nodes/secflow-notify-targets';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { NotifyEmulator } from '../emulators/notify';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
const completeNode: NodeModule = require('@node-red/nodes/core/common/24-complete.js');

let emu: NotifyEmulator;
let host: string;
before(async () => {
  emu = new NotifyEmulator();
  host = (await emu.listen()).replace('http://', '');
});
after(() => emu.close());

function flow(props: Record<string, unknown>): FlowNode[] {
  return [
    { id: 'c-tab', type: 'tab', label: 'notify completion' },
    { id: 'c-targets', type: 'secflow-notify-targets', name: 'soc', endpoints: '' },
    {
      id: 'c-notify', type: 'secflow-notify', z: 'c-tab', targets: 'c-targets', tag: '', title: '', body: '{{msg.payload.line}}', notifyType: 'info', format: 'text',
      aggregateBy: 'payload.session', aggregateTimeout: 1, aggregateMax: 50, closeWhen: '', allowUrls: false, ...props, wires: [[]],
    },
    { id: 'c-catch', type: 'catch', z: 'c-tab', scope: ['c-notify'], uncaught: false, wires: [['c-caught']] },
    { id: 'c-caught', type: 'helper', z: 'c-tab' },
    { id: 'c-complete', type: 'complete', z: 'c-tab', scope: ['c-notify'], uncaught: false, wires: [['c-completed']] },
    { id: 'c-completed', type: 'helper', z: 'c-tab' },
  ];
}

async function start(props: Record<string, unknown> = {}) {
  emu.clearFaults();
  await loadFlow([targetsNode as NodeModule, notifyNode as NodeModule, catchNode, completeNode], flow(props), { 'c-targets': { urls: `json://${host}/json` } });
  return { notify: helper.getNode('c-notify'), caught: collect(helper.getNode('c-caught')), completed: collect(helper.getNode('c-completed')) };
}

describe('secflow-notify completion', () => {
  afterEach(() => unloadFlow());

  it('aggregated inputs complete when the aggregate is sent, not when buffered', async () => {
    const { notify, completed, caught } = await start();
    const before = emu.requests('json:sink').length;
    for (let i = 0; i < 3; i++) notify.receive({ payload: { session: 's1', line: `line ${i}` }, _msgid: `a${i}` });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(completed.messages.length, 0, 'buffered in the aggregate: not complete yet');
    await completed.waitFor(3, 5000);
    assert.deepEqual(completed.messages.map((m) => m._msgid).sort(), ['a0', 'a1', 'a2']);
    assert.equal(emu.requests('json:sink').length - before, 1, 'one notification for the three');
    assert.equal(caught.messages.length, 0);
  });

  it('an aggregate the target refuses fails each input in it with its own error', async () => {
    const { notify, completed, caught } = await start();
    emu.inject({ route: 'json:sink', fault: { type: 'status', status: 400 } });
    for (let i = 0; i < 3; i++) notify.receive({ payload: { session: 's2', line: `line ${i}` }, _msgid: `b${i}` });
    await caught.waitFor(3, 10_000);
    await new Promise((r) => setTimeout(r, 200));
    const inputs = caught.messages.filter((m) => /^b\d$/.test(String(m._msgid)));
    assert.deepEqual(inputs.map((m) => m._msgid).sort(), ['b0', 'b1', 'b2']);
    for (const m of inputs) assert.match((m.error as { message: string }).message, /the aggregate "s2" was not delivered/);
    assert.equal(completed.messages.length, 0);
  });
});
