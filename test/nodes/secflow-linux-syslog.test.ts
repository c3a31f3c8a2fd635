// secflow-linux-syslog in the Node-RED runtime: raw lines, Sentinel rows,
// batches and several lines per payload; bad input reaches a Catch node.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import linuxSyslog from '../../src/nodes/secflow-linux-syslog';
import { collect, helper, loadFlow, unloadFlow, type NodeModule } from '../support/node-harness';
import { catchNode, caughtText, singleNodeFlow } from '../support/single-node-flow';
import { readFixtureCsv } from '../fixtures/linux/read';

async function start(props: Record<string, unknown> = {}) {
  await loadFlow([linuxSyslog as NodeModule, catchNode], singleNodeFlow('secflow-linux-syslog', { compat: false, ...props }));
  return { node: helper.getNode('n-under-test'), out: collect(helper.getNode('n-out0')), caught: collect(helper.getNode('n-caught')) };
}

describe('secflow-linux-syslog node', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  it('classifies a raw RFC 3164 line and keeps the rest of the message', async () => {
    const { node, out } = await start();
    node.receive({ payload: '<86>Nov 23 05:20:02 web01 sshd[1234]: Failed password for invalid user admin from 198.51.100.4 port 4242 ssh2', topic: 'auth' });
    const [msg] = await out.waitFor(1);
    const p = msg.payload as Record<string, unknown>;
    assert.deepEqual([p.activity, p.LogonResult, p.User, p.SourceIP, p.SourcePort, p.Computer, p.ProcessID], ['logon', 'Failure', 'admin', '198.51.100.4', '4242', 'web01', 1234]);
    assert.equal(msg.topic, 'auth');
  });

  it('classifies Sentinel rows (our sudo-rows.csv); compat keeps "Sucess"; a batch gives one message with the array', async () => {
    const { node, out } = await start({ compat: true });
    const rows = readFixtureCsv('sudo-rows.csv');
    node.receive({ payload: rows[0] });
    node.receive({ payload: rows });
    const [one, batch] = await out.waitFor(2);
    assert.deepEqual([(one.payload as Record<string, unknown>).SudoResult, (one.payload as Record<string, unknown>).CommandCall], ['Sucess', '/usr/bin/apt-get']);
    const list = batch.payload as Array<Record<string, unknown>>;
    assert.equal(list.length, 15);
    assert.ok(list.every((r, i) => r.activity === 'sudo' && r.Command === rows[i].Command && r.SudoResult === rows[i].SudoResult));
  });

  it('several lines in one payload give one message each', async () => {
    const { node, out } = await start();
    node.receive({ payload: Buffer.from('<78>Nov 23 05:17:01 web01 CRON[99]: (root) CMD (run-parts /etc/cron.hourly)\n<86>Nov 23 05:20:02 web01 useradd[5]: new user: name=bob, UID=1001, GID=1001, home=/home/bob\n') });
    const [cron, account] = await out.waitFor(2);
    assert.deepEqual([(cron.payload as Record<string, unknown>).activity, (cron.payload as Record<string, unknown>).CMD], ['cron', 'run-parts /etc/cron.hourly']);
    assert.deepEqual([(account.payload as Record<string, unknown>).UserGroupAction, (account.payload as Record<string, unknown>).User], ['Add', 'bob']);
  });

  it('non-string payloads and truncated lines reach Catch with a clear error, and the node keeps working', async () => {
    const { node, out, caught } = await start();
    node.receive({ payload: 42 });
    node.receive({ payload: '<86>Nov 23 05:20:02 web01' });
    node.receive({ payload: { SyslogMessage: ['not', 'text'] } });
    const errors = await caught.waitFor(3);
    assert.match(caughtText(errors[0]), /msg\.payload must be a syslog line \(string or Buffer\) or a Sentinel Syslog row .*got number 42/);
    assert.match(caughtText(errors[1]), /msg\.payload: truncated syslog line: no host and message after the timestamp/);
    assert.match(caughtText(errors[2]), /msg\.payload\.SyslogMessage must be a string; got an array/);
    node.receive({ payload: '<86>Nov 23 05:20:02 web01 sudo[9]: alice : TTY=pts/0 ; PWD=/ ; USER=root ; COMMAND=/bin/bash' });
    const [msg] = await out.waitFor(1);
    assert.equal((msg.payload as Record<string, unknown>).Command, '/bin/bash');
    assert.equal(out.messages.length, 1);
  });
});
