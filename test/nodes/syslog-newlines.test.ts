// Issue 13 item 5 through the runtime: secflow-syslog's `newlines` property
// (default escape) decides whether a payload's line break reaches the real
// syslog-ng as a second, forged line.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import syslogNode from '../../src/nodes/secflow-syslog';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { startSyslogNg, type SyslogNgHandle } from '../support/syslog-ng';

const completeNode: NodeModule = require('@node-red/nodes/core/common/24-complete.js');

let ng: SyslogNgHandle;
before(async () => {
  ng = await startSyslogNg({ sources: [{ protocol: 'tcp', framing: 'lf' }] });
});
after(() => ng.stop());

async function start(props: Record<string, unknown>) {
  const flow: FlowNode[] = [
    { id: 'l-tab', type: 'tab', label: 'newlines' },
    { id: 'l-syslog', type: 'secflow-syslog', z: 'l-tab', host: '127.0.0.1', port: ng.ports[0], protocol: 'tcp', format: 'rfc3164', octetCounting: false, verifyTls: true, ca: '', queueSize: 100, facility: 'auth', severity: 'info', ...props, wires: [] },
    { id: 'l-complete', type: 'complete', z: 'l-tab', scope: ['l-syslog'], uncaught: false, wires: [['l-done']] },
    { id: 'l-done', type: 'helper', z: 'l-tab' },
  ];
  await loadFlow([syslogNode as NodeModule, completeNode], flow);
  return { node: helper.getNode('l-syslog'), done: collect(helper.getNode('l-done')) };
}

describe('secflow-syslog newlines (issue 13.5)', () => {
  afterEach(() => unloadFlow());

  it('default: a payload with CR LF arrives as one line with #015#012', async () => {
    const before = ng.readLines().length;
    const { node, done } = await start({});
    node.receive({ payload: 'sudo: bob : 3 incorrect password attempts\r\nJan  1 00:00:00 web-1 sudo: bob : TTY=pts/0 ; USER=root ; COMMAND=/bin/true' });
    await done.waitFor(1);
    const lines = (await ng.waitForLines(before + 1)).slice(before);
    assert.equal(lines.length, 1, JSON.stringify(lines));
    assert.match(lines[0], /attempts#015#012Jan {2}1 00:00:00 web-1 sudo: bob/);
  });

  it("newlines: 'keep' passes the line break on", async () => {
    const before = ng.readLines().length;
    const { node, done } = await start({ newlines: 'keep' });
    node.receive({ payload: 'one\ntwo' });
    await done.waitFor(1);
    const lines = (await ng.waitForLines(before + 2)).slice(before);
    assert.equal(lines[1], 'two');
  });
});
