// What every example flow promises a new user, checked on the flow JSON: no
// secrets, no core receiver listening on every interface, syslog over TCP to the
// sandbox's receiver, and error debug nodes that show the error (msg.error).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SANDBOX_PORTS } from '../../scripts/sandbox';

type FlowNode = { id: string; type: string; wires?: string[][]; [k: string]: unknown };
const DIR = path.join(__dirname, '..', '..', 'examples', 'flows');
const EXAMPLES = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).map((f) => ({ name: f, nodes: JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as FlowNode[] }));

test('no example carries credentials', () => {
  for (const { name, nodes } of EXAMPLES) for (const n of nodes) assert.equal(n.credentials, undefined, `${name}: ${n.id}`);
});

test('no example has a core receiver, which would listen on every interface', () => {
  for (const { name, nodes } of EXAMPLES) assert.deepEqual(nodes.filter((n) => /^(udp|tcp) in$/.test(n.type)).map((n) => n.id), [], name);
});

test('every syslog sender in the examples uses TCP to the sandbox receiver', () => {
  const senders = EXAMPLES.flatMap(({ name, nodes }) => nodes.filter((n) => n.type === 'secflow-syslog').map((n) => ({ name, n })));
  assert.ok(senders.length >= 4);
  for (const { name, n } of senders) assert.deepEqual([n.host, n.port, n.protocol], ['127.0.0.1', SANDBOX_PORTS.syslog, 'tcp'], `${name}: ${n.id}`);
  for (const { name, nodes } of EXAMPLES) {
    for (const t of nodes.filter((n) => n.type === 'secflow-mozdef-target')) assert.deepEqual([t.syslogHost, t.syslogPort, t.syslogProtocol], ['127.0.0.1', SANDBOX_PORTS.syslog, 'tcp'], `${name}: ${t.id}`);
  }
});

test("the debug nodes behind every Catch show msg.error, not the payload", () => {
  let checked = 0;
  for (const { name, nodes } of EXAMPLES) {
    for (const c of nodes.filter((n) => n.type === 'catch')) {
      for (const id of (c.wires ?? []).flat()) {
        const d = nodes.find((n) => n.id === id);
        if (d?.type !== 'debug') continue;
        checked++;
        assert.equal(d.targetType, 'msg', `${name}: ${d.id}`);
        assert.match(String(d.complete), /^error(\.|$)/, `${name}: ${d.id} shows msg.${String(d.complete)}`);
      }
    }
  }
  assert.ok(checked >= EXAMPLES.length - 1, `checked ${checked} error debug nodes`);
});
