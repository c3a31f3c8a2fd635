// Every example flow on its own, as a new user runs it: a fresh Node-RED with the
// demo sandbox (`npm start`), the example fetched from Node-RED's example library
// and deployed alone (replacing the one before), its inject buttons pressed, and
// then its expected output: what its debug nodes send to the editor (the comms
// websocket) and what reached the sandbox (syslog receiver, MozDef, Discord).
// Nothing may be logged at [error] and no Catch may fire.
//
// Some examples need one documented step first (paste notification URLs into a
// config node, as their notes say): the test does that step, through the
// credentials a deploy carries. Every example here runs against the sandbox; one
// that needs a server the sandbox cannot start (e.g. Redis) declares it in
// `needs` and is skipped, saying so, only where that server is absent.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { PROJECT_ROOT, startNodeRed, type NodeRedInstance } from '../../scripts/node-red-runner';
import { SANDBOX_PORTS, startSandbox } from '../../scripts/sandbox';
import { freePort } from '../support/free-port';

const MODULE = 'node-red-contrib-secflow';
const EXAMPLES_DIR = path.join(PROJECT_ROOT, 'examples', 'flows');
const EXAMPLES = fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
const SYSLOG = `http://127.0.0.1:${SANDBOX_PORTS.syslogReceived}/__emulator/syslog`;
const MOZDEF = `http://127.0.0.1:${SANDBOX_PORTS.mozdef}/__emulator/published`;
const NOTIFY_LOG = `http://127.0.0.1:${SANDBOX_PORTS.notify}/__emulator/log`;

type FlowNode = { id: string; type: string; wires?: string[][]; [k: string]: unknown };
interface DebugMessage { id: string; name?: string; msg: string; format?: string }

interface Run {
  /** The debug messages so far, by debug node id. */
  debug(id: string): DebugMessage[];
  /** Waits until `check` returns a truthy value (polled), or fails with `what`. */
  until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs?: number): Promise<T>;
}

interface ExampleSpec {
  /** Inject nodes to press, in order. */
  press: string[];
  /** The documented one-time step: credentials pasted into config nodes. */
  credentials?: Record<string, Record<string, string>>;
  /** Servers beyond the sandbox, as host:port: skipped (saying so) when absent. */
  needs?: Array<{ name: string; port: number }>;
  expect(run: Run): Promise<void>;
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  assert.equal(res.status, 200, `GET ${url}`);
  return (await res.json()) as T;
}

async function syslogLines(): Promise<string[]> {
  return (await getJson<{ lines: Array<{ line: string }> }>(SYSLOG)).lines.map((l) => l.line);
}

const discordPosts = async () => (await getJson<Array<{ route: string }>>(NOTIFY_LOG)).filter((e) => e.route === 'discord:execute').length;

const SPECS: Record<string, ExampleSpec> = {
  'Code42 alerts to CEF over syslog': {
    press: ['secflow-ex-c42al-inject'],
    async expect(run) {
      await run.until('a run summary', () => run.debug('secflow-ex-c42al-summary').length > 0);
      await run.until('CEF alerts at the syslog receiver', async () => (await syslogLines()).some((l) => l.startsWith('CEF:0|Code42|Alerts|')));
    },
  },
  'Code42 alerts to MozDef': {
    press: ['secflow-ex-mozdef-poll', 'secflow-ex-mozdef-test'],
    async expect(run) {
      await run.until('MozDef delivery reported', () => run.debug('secflow-ex-mozdef-delivered').length > 0);
      const published = await run.until('the test event at MozDef', async () => {
        const events = await getJson<Array<Record<string, unknown>>>(MOZDEF);
        return events.some((e) => JSON.stringify(e).includes('secflow test event')) && events;
      });
      assert.ok(published.some((e) => JSON.stringify(e).includes('Code42 alert: ')), 'alerts reach MozDef too');
    },
  },
  'Code42 file events on a Redis cluster': {
    // Alone, this instance takes the lease and runs at once; a cursor left in Redis by an earlier run may leave nothing new.
    press: [],
    needs: [{ name: 'Redis', port: 6379 }],
    async expect(run) {
      const [summary] = await run.until('a run summary from the leader', () => run.debug('secflow-ex-c42cl-summary').length > 0 && run.debug('secflow-ex-c42cl-summary'), 30_000);
      assert.match(summary.msg, /^\d+$|"events"/);
    },
  },
  'Code42 file events to CEF over syslog': {
    press: ['secflow-ex-c42fe-inject'],
    async expect(run) {
      await run.until('a run summary', () => run.debug('secflow-ex-c42fe-summary').length > 0);
      await run.until('CEF file events at the syslog receiver', async () => (await syslogLines()).some((l) => l.startsWith('CEF:0|Code42|Advanced Exfiltration Detection|')));
    },
  },
  'CB alerts to CEF over syslog': {
    press: ['secflow-ex-cbal-inject'],
    async expect(run) {
      await run.until('two run summaries', () => run.debug('secflow-ex-cbal-summary').length >= 2);
      await run.until('CB alerts as CEF and audit logs as LEEF at the syslog receiver', async () => {
        const lines = await syslogLines();
        return lines.some((l) => /^CEF:1\|CarbonBlack\|CBCSyslog\|[^|]*\|R_NET_SERVER\|/.test(l)) && lines.some((l) => /^LEEF:2\.0\|CarbonBlack\|CBCSyslog\|[^|]*\|Audit\|x09\|devTime=/.test(l));
      });
    },
  },
  'Export a CB process tree to CSV': {
    press: ['secflow-ex-cbc-i1'],
    async expect(run) {
      await run.until('process CSVs', () => run.debug('secflow-ex-cbc-d1').some((m) => m.msg.startsWith('event_timestamp,event_type,event_description,summary,details')));
      const [text] = await run.until('the text tree', () => run.debug('secflow-ex-cbc-d3').length > 0 && run.debug('secflow-ex-cbc-d3'));
      assert.match(text.msg, /^\+ {2}Process: /);
      assert.doesNotMatch(text.msg, /1970-01-01/);
    },
  },
  'Format a custom event as CEF': {
    press: ['secflow-ex-cef-i1', 'secflow-ex-cef-i3'],
    async expect(run) {
      const [door] = await run.until('the door event as CEF', () => run.debug('secflow-ex-cef-d1').length > 0 && run.debug('secflow-ex-cef-d1'));
      assert.match(door.msg, /^CEF:0\|ACME\|Door Access\|[^|]*\|101\|forced\|9\|/);
      assert.ok(door.msg.includes('suser=night\\=shift|guard'), door.msg);
      for (const id of ['secflow-ex-cef-d3', 'secflow-ex-cef-d4', 'secflow-ex-cef-d5']) await run.until(`output on ${id}`, () => run.debug(id).length > 0);
      assert.match(run.debug('secflow-ex-cef-d3')[0].msg, /^CEF:0\|Code42\|/);
    },
  },
  'Hunt a Linux host from syslog': {
    press: ['secflow-ex-lxhunt-inj'],
    credentials: { 'secflow-ex-lxhunt-targets': { urls: 'discord://123/demo-token' } },
    async expect(run) {
      await run.until('3 risky sessions', () => run.debug('secflow-ex-lxhunt-dbg-risky-sessions').length >= 3, 20_000);
      await run.until('2 risky-command findings and IoCs at the syslog receiver', async () => {
        const cef = (await syslogLines()).filter((l) => l.includes('CEF:0|secflow|Linux host hunting|'));
        return cef.filter((l) => l.includes('|LX100|')).length === 2 && cef.some((l) => l.includes('|LX200|URL|'));
      });
      const notified = await run.until('notifications sent', () => run.debug('secflow-ex-lxhunt-dbg-notify').length >= 3 && run.debug('secflow-ex-lxhunt-dbg-notify'));
      for (const m of notified) assert.equal((JSON.parse(m.msg) as { sent: number }).sent, 1, m.msg);
      assert.ok((await discordPosts()) >= 3, 'Discord got the risky sudo sessions');
    },
  },
  'Incydr audit log to CEF over syslog': {
    press: ['secflow-ex-incydral-inject'],
    async expect(run) {
      await run.until('a run summary', () => run.debug('secflow-ex-incydral-summary').length > 0);
      await run.until('CEF audit events at the syslog receiver', async () => (await syslogLines()).some((l) => /^CEF:0\|Code42\|[^|]*\|[^|]*\|audit_log::/.test(l)));
    },
  },
  'Incydr file events to CEF over syslog': {
    press: ['secflow-ex-incydrfe-inject'],
    async expect(run) {
      await run.until('a run summary', () => run.debug('secflow-ex-incydrfe-summary').length > 0);
      await run.until('CEF file events at the syslog receiver', async () => (await syslogLines()).some((l) => l.startsWith('CEF:0|Code42|')));
    },
  },
  'Incydr sessions': {
    press: ['secflow-ex-incydrss-inject'],
    async expect(run) {
      await run.until('a new session', () => run.debug('secflow-ex-incydrss-new').length > 0);
      await run.until('a run summary', () => run.debug('secflow-ex-incydrss-summary').length > 0);
    },
  },
  'Notify on Code42 alerts': {
    press: ['secflow-ex-notify-i1'],
    credentials: {
      'secflow-ex-notify-targets': { urls: 'discord://123/demo-token\nmailto://user:pass@127.0.0.1:18425?to=soc@example.com&from=secflow@example.com&verify=no' },
    },
    async expect(run) {
      const [first] = await run.until('msg.notify', () => run.debug('secflow-ex-notify-d1').length > 0 && run.debug('secflow-ex-notify-d1'));
      const notify = JSON.parse(first.msg) as { ok: boolean; matched: number; sent: number; failed: number };
      assert.deepEqual([notify.ok, notify.matched, notify.sent, notify.failed], [true, 2, 2, 0]);
      assert.ok((await discordPosts()) > 0);
    },
  },
  'Send a test message to syslog': {
    press: ['secflow-ex-syslog-i1', 'secflow-ex-syslog-i2'],
    async expect(run) {
      const lines = await run.until('both lines at the syslog receiver', async () => {
        const got = await syslogLines();
        return got.length >= 2 && got;
      });
      assert.equal(lines.length, 2);
      assert.ok(lines.includes('CEF:0|Code42|Advanced Exfiltration Detection|1|C42200|Source code|5|fname=plan\\=b.docx suser=jürgen@example.com fileHash=6123bbce7f3937667a368bbb9f3d79ce'), lines.join('\n'));
      assert.ok(lines.some((l) => /^<14>1 \S+ \S+ secflow - - - CEF:0\|Code42\|/.test(l)), lines.join('\n'));
    },
  },
  'auditd log to process tree': {
    press: ['secflow-ex-auditd-i1'],
    async expect(run) {
      const [text] = await run.until('the text tree', () => run.debug('secflow-ex-auditd-d3').length > 0 && run.debug('secflow-ex-auditd-d3'));
      for (const exe of ['sshd', 'bash', 'curl', 'crontab']) assert.ok(text.msg.includes(exe), `${exe} in the tree`);
      assert.doesNotMatch(text.msg, /1970-01-01/);
      await run.until('the tree summary', () => run.debug('secflow-ex-auditd-d2').length > 0);
    },
  },
};

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

let nodeRed: NodeRedInstance;
let sandbox: { stop(): Promise<void> };
let comms: WebSocket;
const debugMessages: DebugMessage[] = [];

before(async () => {
  sandbox = await startSandbox(() => undefined);
  nodeRed = await startNodeRed({ userDir: fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-examples-')), port: await freePort() });
  // The editor's comms channel: debug nodes send their output here.
  comms = new WebSocket(`${nodeRed.url.replace(/^http/, 'ws')}/comms`);
  await new Promise<void>((resolve, reject) => {
    comms.once('open', () => resolve());
    comms.once('error', reject);
  });
  comms.send(JSON.stringify({ subscribe: 'debug' }));
  comms.on('message', (data) => {
    const batch = JSON.parse(String(data)) as Array<{ topic: string; data: DebugMessage }> | { topic: string; data: DebugMessage };
    for (const m of Array.isArray(batch) ? batch : [batch]) if (m.topic === 'debug') debugMessages.push(m.data);
  });
});

after(async () => {
  comms?.close();
  await nodeRed?.stop();
  await sandbox?.stop();
});

describe('each example alone, in the demo sandbox', () => {
  test('every example has a spec here', () => {
    assert.deepEqual(Object.keys(SPECS).sort(), EXAMPLES);
  });

  for (const name of EXAMPLES) {
    const spec = SPECS[name];
    if (!spec) continue;
    test(`"${name}" deploys alone, produces its output and logs no error`, async (t) => {
      for (const server of spec.needs ?? []) {
        if (!(await listening(server.port))) {
          t.skip(`needs ${server.name} on 127.0.0.1:${server.port}, which is not running`);
          return;
        }
      }
      const res = await fetch(`${nodeRed.url}/library/examples/flows/${MODULE}/flows/${encodeURIComponent(name)}`, { headers: { Accept: 'application/json' } });
      assert.equal(res.status, 200);
      const flow = (await res.json()) as FlowNode[];
      for (const n of flow) assert.equal(n.credentials, undefined, `example node ${n.id} carries credentials`);
      const deployed = flow.map((n) => (spec.credentials?.[n.id] ? { ...n, credentials: spec.credentials[n.id] } : n));
      assert.equal((await fetch(SYSLOG, { method: 'DELETE' })).status, 204);
      debugMessages.length = 0;
      const mark = nodeRed.output.length;
      const dep = await fetch(`${nodeRed.url}/flows`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full' },
        body: JSON.stringify(deployed),
      }).catch((err: unknown) => {
        throw new Error(`deploy failed (Node-RED ${nodeRed.child.exitCode === null ? 'running' : 'exited'}):\n${nodeRed.output.slice(-30).join('\n')}`, { cause: err });
      });
      assert.equal(dep.status, 204, await dep.text());
      await new Promise((r) => setTimeout(r, 1000));
      for (const id of spec.press) {
        const pressed = await fetch(`${nodeRed.url}/inject/${id}`, { method: 'POST' });
        assert.equal(pressed.status, 200, `press ${id}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const errorDebugIds = new Set(flow.filter((n) => n.type === 'catch').flatMap((n) => (n.wires ?? []).flat()));
      const problems = () => [
        ...nodeRed.output.slice(mark).filter((l) => /\[error\]|missing types|Waiting for missing|unknown type/i.test(l)),
        ...debugMessages.filter((m) => errorDebugIds.has(m.id)).map((m) => `caught: ${m.msg}`),
      ];
      const run: Run = {
        debug: (id) => debugMessages.filter((m) => m.id === id),
        async until(what, check, timeoutMs = 15_000) {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            const value = await check();
            if (value) return value as never;
            assert.deepEqual(problems(), [], `"${name}" reported problems while waiting for ${what}`);
            assert.ok(Date.now() < deadline, `"${name}": no ${what} within ${timeoutMs} ms`);
            await new Promise((r) => setTimeout(r, 100));
          }
        },
      };
      await spec.expect(run);
      // Anything late (an error after the expected output) counts too.
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(problems(), [], `"${name}" reported problems`);
    });
  }
});
