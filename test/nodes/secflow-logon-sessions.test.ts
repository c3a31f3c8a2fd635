// secflow-logon-sessions in the Node-RED runtime: streaming pairing, batches
// in both modes, the timeout and errors through Catch.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import sessionsNode from '../../src/nodes/secflow-logon-sessions';
import { classifyRow, type SyslogRow } from '../../src/lib/linux';
import { collect, helper, loadFlow, unloadFlow, type NodeModule } from '../support/node-harness';
import { catchNode, caughtText, singleNodeFlow } from '../support/single-node-flow';

async function start(props: Record<string, unknown> = {}) {
  await loadFlow([sessionsNode as NodeModule, catchNode], singleNodeFlow('secflow-logon-sessions', { mode: 'paired', timeout: 3600, ...props }));
  return { node: helper.getNode('n-under-test'), out: collect(helper.getNode('n-out0')), caught: collect(helper.getNode('n-caught')) };
}

const ev = (sec: number, proc: string, pid: number, msg: string) =>
  classifyRow({ TimeGenerated: `2026-11-23T05:00:${String(sec).padStart(2, '0')}Z`, Facility: 'authpriv', ProcessName: proc, ProcessID: pid, Computer: 'web01', SyslogMessage: msg } as SyslogRow);

describe('secflow-logon-sessions node', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  it('paired: overlapping sessions of two users, each sent when it closes, with alerts inside', async () => {
    const { node, out } = await start();
    node.receive({ payload: ev(0, 'sshd', 10, 'Accepted password for alice from 203.0.113.7 port 1 ssh2') });
    node.receive({ payload: ev(0, 'sshd', 10, 'pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)') });
    node.receive({ payload: ev(2, 'sshd', 20, 'pam_unix(sshd:session): session opened for user bob(uid=1001) by (uid=0)') });
    node.receive({ topic: 'alert', payload: { AlertName: 'Reverse shell', TimeGenerated: '2026-11-23T05:00:03Z', Computer: 'web01' } });
    node.receive({ payload: ev(4, 'sshd', 10, 'pam_unix(sshd:session): session closed for user alice') });
    node.receive({ payload: ev(9, 'sshd', 20, 'pam_unix(sshd:session): session closed for user bob') });
    const [a, b] = await out.waitFor(2);
    const sa = a.payload as Record<string, unknown>;
    const sb = b.payload as Record<string, unknown>;
    assert.equal(a.topic, 'session');
    assert.deepEqual([sa.User, sa.Start, sa.End, sa.Successes, sa.Root], ['alice', '2026-11-23T05:00:00.000Z', '2026-11-23T05:00:04.000Z', 1, false]);
    assert.deepEqual([sb.User, sb.Start, sb.End], ['bob', '2026-11-23T05:00:02.000Z', '2026-11-23T05:00:09.000Z']);
    assert.deepEqual((sa.Alerts as Array<Record<string, unknown>>).map((x) => x.AlertName), ['Reverse shell']);
  });

  it('compat: a batch with a stray close, then an open and a close in one second, gives msticpy\'s session; a single event is an error', async () => {
    const { node, out, caught } = await start({ mode: 'compat' });
    const batch = [
      ev(1, 'sudo', 30, 'pam_unix(sudo:session): session closed for user root'),
      ev(6, 'sudo', 31, 'pam_unix(sudo:session): session opened for user root by dana(uid=0)'),
      ev(6, 'sudo', 31, 'pam_unix(sudo:session): session closed for user root'),
    ];
    node.receive({ payload: batch });
    const [msg] = await out.waitFor(1);
    assert.deepEqual(msg.payload, { User: 'dana', Start: '2026-11-23T05:00:06.000Z', End: '2026-11-23T05:00:06.000Z' });
    node.receive({ payload: batch[0] });
    node.receive({ payload: [] });
    const errors = await caught.waitFor(2);
    assert.match(caughtText(errors[0]), /mode compat pairs a batch/);
    assert.match(caughtText(errors[1]), /There are no logon sessions in the supplied data set/);
  });

  it('timeout: a session that never closes is sent with End null', async () => {
    const { node, out } = await start({ timeout: 1 });
    node.receive({ payload: ev(0, 'sudo', 7, 'pam_unix(sudo:session): session opened for user root by alice(uid=0)') });
    const [msg] = await out.waitFor(1, 5000);
    const s = msg.payload as Record<string, unknown>;
    assert.deepEqual([s.User, s.TargetUser, s.End, s.TimedOut, s.Root], ['alice', 'root', null, true, true]);
  });

  it('bad input reaches Catch naming the field; the node keeps working', async () => {
    const { node, out, caught } = await start();
    node.receive({ payload: 'a string' });
    node.receive({ payload: { SyslogMessage: 3 } });
    const errors = await caught.waitFor(2);
    assert.match(caughtText(errors[0]), /msg\.payload must be a logon\/sudo event object .* got string/);
    assert.match(caughtText(errors[1]), /msg\.payload\.SyslogMessage must be a string/);
    node.receive({ payload: [ev(0, 'sshd', 1, 'pam_unix(sshd:session): session opened for user carol(uid=1) by (uid=0)'), ev(1, 'sshd', 1, 'pam_unix(sshd:session): session closed for user carol')] });
    const [msg] = await out.waitFor(1);
    assert.equal((msg.payload as Record<string, unknown>).User, 'carol');
  });
});
