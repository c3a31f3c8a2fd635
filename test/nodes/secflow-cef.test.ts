// secflow-cef through the real Node-RED runtime (node-red-node-test-helper):
// formatting fixtures, errors reaching a real Catch node with a message that
// names the problem, the node working again afterwards, and msg.cef overrides.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import cefNode from '../../src/nodes/secflow-cef';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { extensionMap, parseCef } from '../unit/cef/cef-parser';
import { FULL_EVENT, FULL_EVENT_CEF, copy } from '../fixtures/code42/file-events-v1';
import { ALERT_OPEN, ALERT_OPEN_RT } from '../fixtures/code42/alerts';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');

const EXPECTED = FULL_EVENT_CEF;

/** inject-less flow: cef → out, plus a Catch node scoped to the cef node → caught. */
function flow(props: Record<string, unknown> = {}): FlowNode[] {
  return [
    // Ids differ from every type and property value: Node-RED takes a property equal to a node id as a reference to it.
    { id: 'n-tab', type: 'tab', label: 'cef test' },
    { id: 'n-cef', type: 'secflow-cef', z: 'n-tab', name: 'formatter', format: 'cef', escaping: 'spec', mapping: 'file-event', customMapping: '', vendor: 'Code42', productName: '', severity: '', ...props, wires: [['n-out']] },
    { id: 'n-out', type: 'helper', z: 'n-tab' },
    { id: 'n-catch', type: 'catch', z: 'n-tab', scope: ['n-cef'], uncaught: false, wires: [['n-caught']] },
    { id: 'n-caught', type: 'helper', z: 'n-tab' },
  ];
}

/** The text a Catch node gets: Node-RED reports `err.toString()`, so "Error: " comes first. */
function caughtText(msg: Record<string, unknown>): string {
  return (msg.error as { message: string }).message.replace(/^Error: /, '');
}

async function start(props: Record<string, unknown> = {}) {
  await loadFlow([cefNode as NodeModule, catchNode], flow(props));
  const cef = helper.getNode('n-cef');
  return { cef, out: collect(helper.getNode('n-out')), caught: collect(helper.getNode('n-caught')) };
}

describe('secflow-cef node', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  it('formats a full v1 event to its hand-worked CEF line and keeps the rest of the message', async () => {
    const { cef, out } = await start({ escaping: 'none' });
    cef.receive({ payload: copy(FULL_EVENT), topic: 'READ_BY_APP', code42: { page: 1 } });
    const [msg] = await out.waitFor(1);
    assert.equal(msg.payload, EXPECTED);
    assert.equal(msg.topic, 'READ_BY_APP');
    assert.deepEqual(msg.code42, { page: 1 });
  });

  it('formats alerts, JSON and RAW as configured', async () => {
    const { cef, out } = await start({ mapping: 'alert', productName: 'Risk', severity: '7' });
    cef.receive({ payload: ALERT_OPEN });
    cef.receive({ payload: copy(FULL_EVENT), cef: { format: 'json' } });
    cef.receive({ payload: copy(FULL_EVENT), cef: { format: 'raw', escaping: 'none' } });
    const [a, j, r] = await out.waitFor(3);
    assert.ok((a.payload as string).startsWith(`CEF:0|Code42|Risk|1|C42301|Files copied to USB|7|externalId=${ALERT_OPEN.id} rt=${ALERT_OPEN_RT} `), a.payload as string);
    assert.equal(Object.keys(JSON.parse(j.payload as string)).length, 25);
    assert.ok((r.payload as string).startsWith('{"eventId": "0_6f1c2a3b'), 'RAW with none is json.dumps bytes');
    assert.equal(Object.keys(JSON.parse(r.payload as string)).length, 40);
  });

  it('msg.cef overrides vendor, product, severity, mapping and escaping for one message only', async () => {
    const { cef, out } = await start();
    const event = { eventType: 'CREATED', fileName: 'a=b' };
    cef.receive({ payload: event, cef: { vendor: 'Acme', productName: 'DLP', severity: 9, escaping: 'none' } });
    cef.receive({ payload: event });
    cef.receive({ payload: { id: 'x', type: 'FedEndpointExfiltration', severity: 'HIGH' }, cef: { mapping: 'alert' } });
    const [o, plain, alert] = await out.waitFor(3);
    assert.equal(o.payload, 'CEF:0|Acme|DLP|1|C42200|CREATED|9|fname=a=b');
    assert.equal(plain.payload, 'CEF:0|Code42|Advanced Exfiltration Detection|1|C42200|CREATED|5|fname=a\\=b');
    assert.equal(alert.payload, 'CEF:0|Code42|Alerts|1|C42301|FedEndpointExfiltration|8|externalId=x cat=FedEndpointExfiltration cs5=HIGH cs5Label=Code42AlertSeverity');
  });

  it('bad input reaches Catch naming the problem, and the next good message still works', async () => {
    const { cef, out, caught } = await start();
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ payload: 'just text' }, /^msg\.payload must be an event object; got a string \("just text"\)$/],
      [{ payload: [1, 2] }, /^2 of 2 events could not be formatted, the other 0 went on: \[0\] msg\.payload\[0\] must be an event object; got a number \(1\); \[1\] msg\.payload\[1\] must be an event object; got a number \(2\)$/],
      [{ payload: { eventType: 'CREATED', eventTimestamp: 'yesterday' } }, /^eventTimestamp: "yesterday" is not a timestamp of the form YYYY-MM-DDTHH:MM:SS\(\.f\{1,6\}\)Z$/],
      [{ payload: { eventId: 'e', insertionTimestamp: 1568069262724 } }, /^insertionTimestamp: 1568069262724 is not a timestamp/],
      [{ payload: { hello: 'world' } }, /none of the fields of a Code42 file event/],
      [{ payload: { eventType: 'CREATED' }, cef: { format: 'xml' } }, /^msg\.cef\.format must be one of cef, leef, json, raw; got "xml"$/],
      [{ payload: { eventType: 'CREATED' }, cef: { colour: 'red' } }, /^msg\.cef\.colour is not an option/],
    ];
    for (const [msg] of bad) cef.receive(msg);
    cef.receive({ payload: copy(FULL_EVENT) });
    const errors = await caught.waitFor(bad.length);
    const good = await out.waitFor(1);
    assert.equal(good.length, 1, 'only the good message is sent on');
    assert.equal(good[0].payload, EXPECTED);
    bad.forEach(([, expected], i) => {
      assert.match(caughtText(errors[i]), expected);
      assert.equal((errors[i].error as { source: { id: string } }).source.id, 'n-cef');
    });
    // The caught message is the one that failed, unchanged.
    assert.equal(errors[0].payload, 'just text');
  });

  it('a custom mapping formats any event; a missing required timestamp reaches Catch', async () => {
    const mapping = { product: 'Door', signatureId: { field: 'kind', map: { open: '100' }, default: '199' }, name: { field: 'kind' }, extension: [{ key: 'suser', from: 'who' }, { key: 'rt', from: 'at', type: 'timestamp', required: true }] };
    const { cef, out, caught } = await start({ mapping: 'custom', customMapping: JSON.stringify(mapping) });
    cef.receive({ payload: { kind: 'open', who: 'ann' } });
    cef.receive({ payload: { kind: 'open', who: 'ann', at: '2024-01-02T03:04:05Z' } });
    const [err] = await caught.waitFor(1);
    const [msg] = await out.waitFor(1);
    assert.match(caughtText(err), /^at: missing; the mapping requires it for rt$/);
    assert.equal(msg.payload, `CEF:0|Code42|Door|1|100|open|5|suser=ann rt=${Date.parse('2024-01-02T03:04:05Z')}`);
  });

  it('an invalid custom mapping is reported at deploy (red status) and on each message; other mappings via msg.cef still work', async () => {
    const { cef, out, caught } = await start({ mapping: 'custom', customMapping: '{"extension": [{"key": "cs1", "from": "a"}]}' });
    const statuses: Array<Record<string, unknown>> = [];
    cef.on('call:status', (call: { args: Array<Record<string, unknown>> }) => statuses.push(call.args[0]));
    cef.receive({ payload: { a: 1 } });
    cef.receive({ payload: { a: 2 } });
    cef.receive({ payload: { eventType: 'DELETED' }, cef: { mapping: 'file-event' } });
    const errors = await caught.waitFor(2);
    const [ok] = await out.waitFor(1);
    for (const e of errors) assert.match(caughtText(e), /^customMapping\.extension\[0\]\.label: cs1 is a CEF custom key and needs a label$/);
    assert.equal(ok.payload, 'CEF:0|Code42|Advanced Exfiltration Detection|1|C42202|DELETED|5|');
    assert.ok(statuses.some((s) => s.fill === 'red' && s.shape === 'ring'), 'red ring status');
    assert.ok(!statuses.some((s) => Object.keys(s).length === 0), 'the config error stays visible after a good message');
  });

  it('reports the invalid custom mapping at deploy through node.error', async () => {
    const errors: string[] = [];
    await loadFlow([cefNode as NodeModule, catchNode], flow({ mapping: 'custom', customMapping: 'not json' }));
    const log = helper.log(); // the helper's log spy, renewed by each load
    const logged = log.args.filter((a: Array<{ type?: string; level?: number; id?: string }>) => a[0]?.type === 'secflow-cef' && a[0]?.id === 'n-cef' && a[0]?.level === 20).map((a: Array<{ msg: unknown }>) => String(a[0].msg));
    errors.push(...logged);
    assert.ok(errors.some((m) => m.includes('customMapping: is not valid JSON')), JSON.stringify(errors));
    assert.equal(helper.getNode('n-cef').type, 'secflow-cef', 'the node still exists');
  });

  it('clears the red status after a good message when the configuration is fine', async () => {
    const { cef, out, caught } = await start();
    const statuses: Array<Record<string, unknown>> = [];
    cef.on('call:status', (call: { args: Array<Record<string, unknown>> }) => statuses.push(call.args[0]));
    cef.receive({ payload: 42 });
    await caught.waitFor(1);
    cef.receive({ payload: { eventType: 'CREATED' } });
    await out.waitFor(1);
    assert.equal(statuses[0].fill, 'red');
    assert.deepEqual(statuses.at(-1), {});
  });
});

describe('secflow-cef example flow', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  it('"Format a custom event as CEF" deploys and produces CEF, JSON, RAW and a caught error', async () => {
    const file = require('node:path').resolve(__dirname, '../../examples/flows/Format a custom event as CEF.json');
    const example: FlowNode[] = JSON.parse(require('node:fs').readFileSync(file, 'utf8'));
    assert.ok(!example.some((n) => 'credentials' in n), 'no credentials in example flows');
    const core = ['20-inject.js', '21-debug.js', '25-catch.js', '90-comment.js'].map((f) => require(`@node-red/nodes/core/common/${f}`) as NodeModule);
    await loadFlow([cefNode as NodeModule, ...core], example);
    const byName = (name: string) => helper.getNode(example.find((n) => n.name === name)!.id);
    const seen = Object.fromEntries(['CEF line', 'error', 'CEF', 'JSON', 'RAW'].map((name) => [name, collect(byName(name))]));
    byName('door event').receive({});
    byName('door event without time').receive({});
    byName('Code42 file event').receive({});
    const [door] = await seen['CEF line'].waitFor(1);
    const [error] = await seen.error.waitFor(1);
    const [cef] = await seen.CEF.waitFor(1);
    const [json] = await seen.JSON.waitFor(1);
    const [raw] = await seen.RAW.waitFor(1);
    const doorLine = parseCef(door.payload as string);
    assert.deepEqual([doorLine.vendor, doorLine.product, doorLine.signatureId, doorLine.name, doorLine.severity], ['ACME', 'Door Access', '101', 'forced', '9']);
    assert.equal(extensionMap(doorLine).suser, 'night=shift|guard');
    assert.match(caughtText(error), /^time: missing/);
    assert.match(cef.payload as string, /^CEF:0\|Code42\|Advanced Exfiltration Detection\|1\|C42200\|CREATED\|5\|externalId=0_demo_1 /);
    assert.equal('actor' in JSON.parse(json.payload as string), false);
    assert.equal(JSON.parse(raw.payload as string).actor, null);
  });
});
