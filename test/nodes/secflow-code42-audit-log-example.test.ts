// The example flow "Incydr audit log to CEF over syslog", deployed as shipped (only its
// fixed loopback ports swapped for free ones, and a receiver of the test's own in place of
// the sandbox's) against the Incydr demo tenant of the
// sandbox: every audit event the run sends arrives over TCP syslog as one CEF line of
// the incydr-audit mapping, and parses back with the project's CEF parser.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { collect, helper, loadFlow, unloadFlow, type NodeModule } from '../support/node-harness';
import { startDemo } from '../emulators/incydr';
import { extensionMap, parseCef } from '../unit/cef/cef-parser';

const FILE = path.resolve(__dirname, '../../examples/flows/Incydr audit log to CEF over syslog.json');
const OURS = ['secflow-code42', 'secflow-code42-audit-log', 'secflow-cef', 'secflow-syslog'];
const CORE = ['common/20-inject.js', 'common/25-catch.js'];

describe('example "Incydr audit log to CEF over syslog"', () => {
  let demo: { url: string; close(): Promise<void> } | undefined;
  let server: net.Server | undefined;
  after(async () => {
    await unloadFlow();
    await demo?.close();
    server?.close();
  });

  it('sends the demo audit log as incydr-audit CEF lines over TCP syslog, each once', async () => {
    demo = await startDemo(0);
    const lines: string[] = [];
    server = net.createServer((socket) => {
      let rest = '';
      socket.on('data', (d) => {
        const parts = (rest + d.toString('utf8')).split('\n');
        rest = parts.pop() ?? '';
        lines.push(...parts);
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    const syslogPort = (server.address() as net.AddressInfo).port;
    const text = fs.readFileSync(FILE, 'utf8');
    assert.ok(!/"credentials"\s*:/.test(text), 'no credentials in flow JSON');
    const flow = (JSON.parse(text) as Array<Record<string, unknown>>).map((n) => {
      if (n.type === 'secflow-code42') {
        assert.equal(n.apiVersion, 'incydr');
        assert.equal(n.url, 'http://127.0.0.1:18421', 'the sandbox port');
        return { ...n, url: demo!.url };
      }
      if (n.type === 'secflow-syslog') {
        assert.equal(n.protocol, 'tcp');
        assert.equal(n.port, 15514);
        return { ...n, port: syslogPort };
      }
      if (n.type === 'debug') return { ...n, type: 'helper' };
      if (n.type === 'secflow-code42-audit-log') return { ...n, interval: 0 };
      return n;
    });
    const modules = [...OURS.map((t) => (require(`../../src/nodes/${t}`) as { default: NodeModule }).default), ...CORE.map((p) => require(`@node-red/nodes/core/${p}`) as NodeModule)];
    await loadFlow(modules, flow as never, { 'secflow-ex-incydral-code42': { id: 'demo', secret: 'demo' } });
    const summary = collect(helper.getNode('secflow-ex-incydral-summary'));
    const errors = collect(helper.getNode('secflow-ex-incydral-errors'));
    helper.getNode('secflow-ex-incydral-inject').receive({ payload: Date.now() });
    const [s] = await summary.waitFor(1, 60_000);
    assert.equal((s.payload as Record<string, unknown>).error, undefined, JSON.stringify(s.payload));
    const events = (s.payload as { events: number }).events;
    assert.ok(events >= 300, `${events} events`);
    const deadline = Date.now() + 10_000;
    while (lines.length < events && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(lines.length, events, 'TCP: every event arrived');
    const ids = new Set<string>();
    for (const line of lines) {
      const p = parseCef(line);
      assert.equal(p.product, 'Incydr Audit');
      assert.match(p.signatureId, /^audit_log::\w+\/1$/);
      const x = extensionMap(p);
      assert.ok(x.suser && x.rt && x.externalId, line);
      ids.add(x.externalId);
    }
    assert.equal(ids.size, lines.length, 'no event twice');
    // A second run right away sends nothing new (or only what the demo added since).
    helper.getNode('secflow-ex-incydral-inject').receive({ payload: Date.now() });
    const [, s2] = await summary.waitFor(2, 60_000);
    assert.ok((s2.payload as { events: number }).events <= 2);
    assert.equal(errors.messages.length, 0);
  });
});
