// secflow-syslog with protocol RELP through the real Node-RED runtime, to a real rsyslog
// (imrelp): a message completes (Complete node) only after rsyslog acknowledged it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import syslogNode from '../../src/nodes/secflow-syslog';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { HoldProxy } from '../support/hold-proxy';
import { startRsyslog, type RsyslogHandle } from '../support/rsyslog';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
const completeNode: NodeModule = require('@node-red/nodes/core/common/24-complete.js');

function flow(port: number): FlowNode[] {
  return [
    { id: 'r-tab', type: 'tab', label: 'relp' },
    { id: 'r-sender', type: 'secflow-syslog', z: 'r-tab', host: '127.0.0.1', port, protocol: 'relp', format: 'rfc5424', facility: 'local4', severity: 'warning', wires: [] },
    { id: 'r-catch', type: 'catch', z: 'r-tab', scope: ['r-sender'], uncaught: false, wires: [['r-caught']] },
    { id: 'r-caught', type: 'helper', z: 'r-tab' },
    { id: 'r-complete', type: 'complete', z: 'r-tab', scope: ['r-sender'], uncaught: false, wires: [['r-completed']] },
    { id: 'r-completed', type: 'helper', z: 'r-tab' },
  ];
}

describe('secflow-syslog over RELP', () => {
  let rs: RsyslogHandle;
  let proxy: HoldProxy;
  before(async () => {
    rs = await startRsyslog();
    proxy = new HoldProxy(rs.port);
    await proxy.listen();
  });
  after(async () => {
    await unloadFlow();
    await proxy.close();
    await rs.cleanup();
  });

  it('completes a message only once rsyslog acknowledged it; the line arrives with its PRI', async () => {
    await loadFlow([syslogNode as NodeModule, catchNode, completeNode], flow(proxy.port));
    const sender = helper.getNode('r-sender');
    const completed = collect(helper.getNode('r-completed'));
    const caught = collect(helper.getNode('r-caught'));
    sender.receive({ payload: 'CEF:0|Code42|x|1|C42200|first|5|suser=jürgen@example.com', _msgid: 'first' });
    await completed.waitFor(1, 15_000);

    proxy.holding = true;
    sender.receive({ payload: 'CEF:0|Code42|x|1|C42201|held|5|act=hold', _msgid: 'held' });
    await rs.waitForLines(2);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(completed.messages.map((m) => m._msgid), ['first'], 'rsyslog has it, the acknowledgement is held: not complete');
    proxy.release();
    await completed.waitFor(2, 5000);
    assert.deepEqual(completed.messages.map((m) => m._msgid), ['first', 'held']);
    const lines = rs.readLines();
    // local4.warning = 20 × 8 + 4
    assert.match(lines[0], /^<164>1 \S+ \S+ secflow - - - CEF:0\|Code42\|x\|1\|C42200\|first\|5\|suser=jürgen@example\.com$/);
    assert.match(lines[1], /\|held\|5\|act=hold$/);
    assert.equal(caught.messages.length, 0);
  });
});
