// secflow-cbc-alerts → secflow-cef (cbc-alert; LEEF and CEF) → secflow-syslog over TCP
// to a loopback receiver, with `confirm` on the syslog node: every alert arrives once as
// a line that parses back (LEEF and CEF parsers written from the specs), the summary
// counts them delivered, and a formatter failure stops the run with the cursor before
// the failed page.
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import cbcNode from '../../src/nodes/secflow-cbc';
import alertsNode from '../../src/nodes/secflow-cbc-alerts';
import cefNode from '../../src/nodes/secflow-cef';
import syslogNode from '../../src/nodes/secflow-syslog';
import { helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { storedValue } from '../support/code42-flow';
import { LineReceiver } from '../support/line-receiver';
import { CbcEmulator } from '../emulators/carbonblack';
import { parseLeef } from '../unit/cef/leef-parser';
import { parseCef } from '../unit/cef/cef-parser';

const core = (file: string): NodeModule => require(`@node-red/nodes/core/${file}`);
const NODES = [cbcNode as NodeModule, alertsNode as NodeModule, cefNode as NodeModule, syslogNode as NodeModule, core('common/25-catch.js'), core('function/15-change.js')];
const CREDS = { cbc: { apiId: 'PIPEID', apiSecret: 'pipe-secret' } };
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function flow(url: string, port: number, format: 'cef' | 'leef', first = 'fmt', onFailure = 'stop'): FlowNode[] {
  return [
    { id: 'tab', type: 'tab', label: 'cb pipeline' },
    { id: 'cbc', type: 'secflow-cbc', url, orgKey: 'ORGKEY01', verifyTls: true, timeout: 10, rateLimit: 0 },
    {
      id: 'ex', type: 'secflow-cbc-alerts', z: 'tab', x: 100, y: 100, tenant: 'cbc', types: '', minimumSeverity: '', filters: '', since: '1d', pageSize: 100, lookback: '',
      updateWindow: '', interval: 0, output: 'event', cursorStore: 'file', cursorScope: 'node', cursorKey: 'cur', confirm: ['siem'], confirmTimeout: 10, onFailure,
      wires: [[first], ['sum']],
    },
    { id: 'spoil', type: 'change', z: 'tab', x: 150, y: 100, rules: [{ t: 'set', p: 'cef', pt: 'msg', to: '{"format":"leef","mapping":"file-event"}', tot: 'json' }], wires: [['fmt']] },
    { id: 'fmt', type: 'secflow-cef', z: 'tab', x: 200, y: 100, name: 'fmt', format, escaping: 'spec', mapping: 'cbc-alert', customMapping: '', vendor: '', productName: '', severity: '', leefVersion: '2.0', wires: [['siem']] },
    { id: 'siem', type: 'secflow-syslog', z: 'tab', x: 300, y: 100, name: 'siem', host: '127.0.0.1', port, protocol: 'tcp', format: 'none', octetCounting: false, verifyTls: true, ca: '', queueSize: 10000, facility: 'user', severity: 'info', wires: [] },
    { id: 'sum', type: 'helper', z: 'tab', x: 200, y: 200 },
  ];
}

async function run(deadLetters: Json[] = []) {
  const sum = helper.getNode('sum');
  const summary = new Promise<Json>((resolve) => {
    const onMsg = (msg: Json) => {
      if (msg.topic === 'cbc-alert-dead-letter') deadLetters.push(msg);
      if (msg.topic !== 'cbc-alert-run') return;
      sum.removeListener('input', onMsg);
      resolve(msg.payload as Json);
    };
    sum.on('input', onMsg);
  });
  helper.getNode('ex').receive({});
  return summary;
}

describe('secflow-cbc-alerts with confirm, through secflow-cef and secflow-syslog', () => {
  let emu: CbcEmulator | undefined;
  let receiver: LineReceiver | undefined;
  afterEach(async () => {
    await unloadFlow();
    await emu?.close();
    await receiver?.close();
  });
  after(() => helper.stopServer?.((): void => undefined));

  for (const format of ['leef', 'cef'] as const) {
    it(`every alert reaches the receiver once as ${format.toUpperCase()} that parses back; the cursor follows delivery`, async () => {
      emu = new CbcEmulator({ apiId: 'PIPEID', apiSecret: 'pipe-secret' });
      const url = await emu.listen(0);
      const ids = emu.alerts.add({ count: 250, startMs: Date.now() - 600_000, stepMs: 1000 });
      receiver = new LineReceiver();
      const port = await receiver.listen();
      await loadFlow(NODES, flow(url, port, format), CREDS);
      const s = await run();
      assert.equal(s.error, undefined, String(s.error));
      assert.equal(s.events, 250);
      assert.equal(s.delivered, 250);
      const lines = await receiver.waitFor(250);
      assert.equal(lines.length, 250);
      const seen = lines.map((l) => {
        if (format === 'leef') {
          const p = parseLeef(l);
          assert.equal(p.eventId, 'R_NET_SERVER');
          return Object.fromEntries(p.attributes).resource;
        }
        const p = parseCef(l);
        return Object.fromEntries(p.extension).externalId;
      });
      if (format === 'cef') assert.deepEqual(seen, ids);
      else assert.ok(seen.every((name) => /^QA\\HOST-\d+$/.test(name)), 'a backslash in a value comes back');
      const cursor = await storedValue<Json>('ex', 'cur');
      assert.equal(cursor?.ts, emu.alerts.all()[249].updated);
    });
  }

  it('a page the formatter fails stops the run; the cursor stays before it', async () => {
    emu = new CbcEmulator({ apiId: 'PIPEID', apiSecret: 'pipe-secret' });
    const url = await emu.listen(0);
    emu.alerts.add({ count: 50, startMs: Date.now() - 600_000, stepMs: 1000 });
    receiver = new LineReceiver();
    const port = await receiver.listen();
    await loadFlow(NODES, flow(url, port, 'cef', 'spoil'), CREDS);
    const s = await run();
    assert.match(String(s.error), /failed|not settled/);
    assert.equal(await storedValue('ex', 'cur'), undefined);
  });

  it('with onFailure skip, the failed alerts go to output 2 as dead letters (the alert, msg.cbc) and the cursor moves on', async () => {
    emu = new CbcEmulator({ apiId: 'PIPEID', apiSecret: 'pipe-secret' });
    const url = await emu.listen(0);
    const ids = emu.alerts.add({ count: 30, startMs: Date.now() - 600_000, stepMs: 1000 });
    receiver = new LineReceiver();
    const port = await receiver.listen();
    await loadFlow(NODES, flow(url, port, 'cef', 'spoil', 'skip'), CREDS);
    const dead: Json[] = [];
    const s = await run(dead);
    assert.equal(s.error, undefined, String(s.error));
    assert.equal(s.deadLetters, 30);
    assert.deepEqual(dead.map((m) => m.payload.id), ids);
    assert.equal(dead[0].cbc.kind, 'cbc-alert');
    assert.match(String(dead[0].deadLetter.error), /no LEEF form/);
    assert.equal((await storedValue<Json>('ex', 'cur'))?.ts, emu.alerts.all()[29].updated);
  });
});
