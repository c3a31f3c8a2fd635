// Issue 13, items 1 and 3, in the Node-RED runtime: one hostile log line or
// one big message never holds the event loop for more than 100 ms. Each test
// measures the longest gap between the ticks of a 5 ms interval while the
// flow works. Before: a 3 KB `COMMAND=/usr/bin/curl curl …` line through
// secflow-linux-syslog → secflow-risky-commands held it about 1.5 s (5 KB:
// 7.6 s), and secflow-ioc scanned every field of a message in one go.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import linuxSyslogNode from '../../src/nodes/secflow-linux-syslog';
import riskyNode from '../../src/nodes/secflow-risky-commands';
import iocNode from '../../src/nodes/secflow-ioc';
import auditdNode from '../../src/nodes/secflow-auditd';
import { collect, helper, loadFlow, unloadFlow, type NodeModule } from '../support/node-harness';
import { catchNode, singleNodeFlow } from '../support/single-node-flow';

const LIMIT_MS = 100;

/**
 * Runs `work` while a 5 ms ticker watches; returns the longest stall (ms beyond
 * the interval). Other processes on a loaded machine only ever lengthen a stall,
 * so `attempts` runs are made until one stays under the limit, and the shortest
 * longest-stall is returned.
 */
async function longestStall(work: () => Promise<unknown>, attempts = 3): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < attempts && best >= LIMIT_MS; i++) best = Math.min(best, await oneStall(work));
  return best;
}

async function oneStall(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let worst = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 5);
    last = now;
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(ticker);
  }
  return Math.max(worst, performance.now() - last - 5);
}

const curlLine = (size: number) => `<86>Dec  6 10:00:00 web sudo:   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=${('/usr/bin/curl curl ' + 'curl '.repeat(size / 5)).slice(0, size)}`;

describe('no synchronous stretch over 100 ms', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  it('secflow-linux-syslog → secflow-risky-commands: the issue line (3 KB, then 1 MB) passes without a stall; the 1 MB command is reported cut', async () => {
    await loadFlow([linuxSyslogNode as NodeModule, riskyNode as NodeModule, catchNode], [
      { id: 'tab', type: 'tab', label: 'chain' },
      { id: 'classify', type: 'secflow-linux-syslog', z: 'tab', compat: false, wires: [['risky']] },
      { id: 'risky', type: 'secflow-risky-commands', z: 'tab', rules: '', commandField: 'Command', speedEvents: 10, speedSeconds: 5, compat: false, maxCommandLength: 65536, wires: [['out'], []] },
      { id: 'out', type: 'helper', z: 'tab' },
      { id: 'caught', type: 'helper', z: 'tab' },
      { id: 'catch', type: 'catch', z: 'tab', scope: null, uncaught: false, wires: [['caught']] },
    ]);
    const out = collect(helper.getNode('out'));
    const classify = helper.getNode('classify');
    const stall = await longestStall(async () => {
      const before = out.messages.length;
      classify.receive({ payload: curlLine(3 * 1024) });
      classify.receive({ payload: `${curlLine(1024 * 1024)} | sh` });
      await out.waitFor(before + 1, 60_000);
    });
    assert.ok(stall < LIMIT_MS, `the event loop stalled ${stall.toFixed(0)} ms (limit ${LIMIT_MS})`);
    const cut = out.messages.slice(0, 1).map((m) => m.payload as Record<string, unknown>);
    assert.deepEqual(cut.map((p) => [p.kind, p.commandLength, p.limit]), [['truncated', 1024 * 1024 + 5, 65536]], 'the 3 KB line matches no rule; the 1 MB one is cut (its `| sh` lies past the limit)');
  });

  it('secflow-risky-commands: a batch of 64 commands of 64 KiB each (hostile) is matched in turns', async () => {
    await loadFlow([riskyNode as NodeModule, catchNode], singleNodeFlow('secflow-risky-commands', { rules: '', commandField: 'Command', speedEvents: 10, speedSeconds: 5, compat: false }, 2));
    const findings = collect(helper.getNode('n-out0'));
    const rows = Array.from({ length: 64 }, (_, i) => ({ TimeGenerated: `2026-12-06T10:00:${String(i % 60).padStart(2, '0')}Z`, Command: `${('curl ' + 'mv /dev/nul curl '.repeat(4096)).slice(0, 65_530)} | sh` }));
    const stall = await longestStall(async () => {
      const before = findings.messages.length;
      helper.getNode('n-under-test').receive({ payload: rows });
      await findings.waitFor(before + 64, 60_000);
    });
    assert.ok(stall < LIMIT_MS, `the event loop stalled ${stall.toFixed(0)} ms (limit ${LIMIT_MS})`);
    assert.deepEqual(new Set(findings.messages.map((m) => `${m.topic} ${(m.payload as { rule: string }).rule}`)), new Set(['risky-command .*(wget|curl).*\\|?.*sh.*']), 'every command is flagged by the curl rule, and only by it');
  });

  it('secflow-ioc: a message with 24 fields of 100,000 hostile characters is scanned in turns', async () => {
    await loadFlow([iocNode as NodeModule, catchNode], singleNodeFlow('secflow-ioc', { properties: 'payload', types: '', includePaths: false, strictIpv4: false, compat: false, split: false }, 1));
    const out = collect(helper.getNode('n-out0'));
    const payload = Object.fromEntries(Array.from({ length: 24 }, (_, i) => [`field${i}`, `${'a.'.repeat(50_000)} evil${i}.example.com`]));
    const stall = await longestStall(async () => {
      const before = out.messages.length;
      helper.getNode('n-under-test').receive({ payload });
      await out.waitFor(before + 1, 60_000);
    });
    assert.ok(stall < LIMIT_MS, `the event loop stalled ${stall.toFixed(0)} ms (limit ${LIMIT_MS})`);
  });

  it('secflow-auditd: 16 MB of log in one payload is parsed in turns (split into one message per event, also in turns)', async () => {
    await loadFlow([auditdNode as NodeModule, catchNode], singleNodeFlow('secflow-auditd', { mode: 'default', split: true }, 1));
    const out = collect(helper.getNode('n-out0'));
    const events = 4000;
    const log = Array.from({ length: events }, (_, i) => `type=SYSCALL msg=audit(1700000000.${i}:${i}): pid=${i} uid=0 comm="sh"\n`).join('') + 'x\n'.repeat(8 * 1024 * 1024);
    const stall = await longestStall(async () => {
      const before = out.messages.length;
      helper.getNode('n-under-test').receive({ payload: log });
      await out.waitFor(before + events, 120_000);
    });
    assert.ok(stall < LIMIT_MS, `the event loop stalled ${stall.toFixed(0)} ms (limit ${LIMIT_MS})`);
  });

  it('secflow-linux-syslog: 20,000 lines in one payload are parsed and sent in turns, in order', async () => {
    await loadFlow([linuxSyslogNode as NodeModule, catchNode], singleNodeFlow('secflow-linux-syslog', { compat: false }, 1));
    const out = collect(helper.getNode('n-out0'));
    const lines = 20_000;
    const text = Array.from({ length: lines }, (_, i) => `<86>Dec  6 10:00:00 web sshd[${i}]: Failed password for invalid user u${i} from 203.0.113.7 port 22 ssh2`).join('\n');
    const stall = await longestStall(async () => {
      const before = out.messages.length;
      helper.getNode('n-under-test').receive({ payload: text });
      helper.getNode('n-under-test').receive({ payload: '<86>Dec  6 10:00:01 web sshd[1]: Accepted password for last from 203.0.113.8 port 22 ssh2' });
      await out.waitFor(before + lines + 1, 120_000);
    });
    assert.ok(stall < LIMIT_MS, `the event loop stalled ${stall.toFixed(0)} ms (limit ${LIMIT_MS})`);
    assert.equal((out.messages[lines].payload as Record<string, unknown>).SourceIP, '203.0.113.8', 'the small message after the big one comes out after it');
  });
});
