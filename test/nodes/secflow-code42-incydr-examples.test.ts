// The two Incydr example flows, deployed as shipped (only their fixed loopback
// ports swapped for free ones) against the Incydr demo tenant of the sandbox:
// v2 file events arrive as CEF (the `auto` mapping picks file-event-v2) over TCP
// syslog, every one of them, and sessions come out as `new`.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { collect, helper, loadFlow, unloadFlow, type NodeModule } from '../support/node-harness';
import { startDemo } from '../emulators/incydr';
import { SyslogReceiver } from '../emulators/syslog-receiver';

const EXAMPLES = path.resolve(__dirname, '../../examples/flows');
const OURS = ['secflow-code42', 'secflow-code42-file-events', 'secflow-code42-sessions', 'secflow-cef', 'secflow-syslog'];
const CORE = ['function/10-switch.js', 'common/20-inject.js', 'common/25-catch.js'];

function load(name: string, url: string, syslogPort = 0): Array<Record<string, unknown>> {
  const text = fs.readFileSync(path.join(EXAMPLES, `${name}.json`), 'utf8');
  assert.ok(!/"credentials"\s*:/.test(text), 'no credentials in flow JSON');
  return (JSON.parse(text) as Array<Record<string, unknown>>).map((n) => {
    if (n.type === 'secflow-code42') {
      assert.equal(n.apiVersion, 'incydr');
      assert.equal(n.url, 'http://127.0.0.1:18421', 'the sandbox port');
      return { ...n, url };
    }
    if (n.type === 'secflow-syslog') return { ...n, port: syslogPort };
    // Debug nodes become helper nodes the test can read; no poll timers in a test.
    if (n.type === 'debug') return { ...n, type: 'helper' };
    if (String(n.type).startsWith('secflow-code42-')) return { ...n, interval: 0 };
    return n;
  });
}

describe('Incydr example flows', () => {
  let demo: { url: string; close(): Promise<void> } | undefined;
  after(async () => {
    await unloadFlow();
    await demo?.close();
  });
  const modules = () => [...OURS.map((t) => (require(`../../src/nodes/${t}`) as { default: NodeModule }).default), ...CORE.map((p) => require(`@node-red/nodes/core/${p}`) as NodeModule)];

  it('"Incydr file events to CEF over syslog" sends v2 events as CEF to syslog', async () => {
    demo = await startDemo(0);
    const receiver = new SyslogReceiver({ keep: 100_000 });
    const { port } = await receiver.listen();
    try {
      const flow = load('Incydr file events to CEF over syslog', demo.url, port);
      await loadFlow(modules(), flow as never, { 'secflow-ex-incydrfe-code42': { id: 'demo', secret: 'demo' } });
      const summary = collect(helper.getNode('secflow-ex-incydrfe-summary'));
      const errors = collect(helper.getNode('secflow-ex-incydrfe-errors'));
      helper.getNode('secflow-ex-incydrfe-inject').receive({ payload: Date.now() });
      const [s] = await summary.waitFor(1, 60_000);
      assert.equal((s.payload as Record<string, unknown>).error, undefined, JSON.stringify(s.payload));
      const events = (s.payload as { events: number }).events;
      assert.ok(events > 100, `${events} events`);
      // TCP: every event arrives.
      const deadline = Date.now() + 10_000;
      while (receiver.received.tcp < events && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const received = receiver.lines.map((l) => l.line);
      assert.equal(received.length, events, `${received.length} of ${events} messages`);
      assert.equal(receiver.received.udp, 0);
      assert.ok(received.every((l) => /^CEF:0\|Code42\|Incydr\|2\|C42\d{3}\|[^|]+\|\d+\|/.test(l)), received[0]);
      assert.ok(received.some((l) => /\|C4220[0-7]\|file-/.test(l)));
      assert.equal(errors.messages.length, 0);
    } finally {
      await unloadFlow();
      await receiver.close();
    }
  });

  it('"Incydr sessions" sends the demo sessions as new', async () => {
    demo ??= await startDemo(0);
    const flow = load('Incydr sessions', demo.url);
    await loadFlow(modules(), flow as never, { 'secflow-ex-incydrss-code42': { id: 'demo', secret: 'demo' } });
    const created = collect(helper.getNode('secflow-ex-incydrss-new'));
    const summary = collect(helper.getNode('secflow-ex-incydrss-summary'));
    helper.getNode('secflow-ex-incydrss-inject').receive({ payload: Date.now() });
    const [s] = await summary.waitFor(1, 30_000);
    assert.equal((s.payload as Record<string, unknown>).error, undefined, JSON.stringify(s.payload));
    const sent = (s.payload as { events: number }).events;
    assert.ok(sent >= 12, `${sent} sessions`);
    await created.waitFor(sent, 10_000); // one more hop (the switch) than the summary
    assert.ok(created.messages.every((m) => (m.code42 as { change: string }).change === 'new' && typeof (m.payload as { sessionId: string }).sessionId === 'string'));
  });
});
