// secflow-cef with the Incydr mappings through the real Node-RED runtime:
// `file-event-v2` from the node's config, `auto` choosing per message between a
// v2 event, a legacy v1 event and an alert, and an event of no known shape
// reaching a real Catch node while the node keeps formatting.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import cefNode from '../../src/nodes/secflow-cef';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { extensionMap, parseCef } from '../unit/cef/cef-parser';
import { FULL_EVENT, FULL_EVENT_CEF, copy } from '../fixtures/code42/file-events-v1';
import { ALERT_OPEN } from '../fixtures/code42/alerts';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');

function flow(props: Record<string, unknown>): FlowNode[] {
  return [
    { id: 'v-tab', type: 'tab', label: 'cef v2 test' },
    { id: 'v-cef', type: 'secflow-cef', z: 'v-tab', name: 'formatter', format: 'cef', escaping: 'spec', customMapping: '', vendor: 'Code42', productName: '', severity: '', ...props, wires: [['v-out']] },
    { id: 'v-out', type: 'helper', z: 'v-tab' },
    { id: 'v-catch', type: 'catch', z: 'v-tab', scope: ['v-cef'], uncaught: false, wires: [['v-caught']] },
    { id: 'v-caught', type: 'helper', z: 'v-tab' },
  ];
}

async function start(props: Record<string, unknown>) {
  await loadFlow([cefNode as NodeModule, catchNode], flow(props));
  return { cef: helper.getNode('v-cef'), out: collect(helper.getNode('v-out')), caught: collect(helper.getNode('v-caught')) };
}

const V2_EVENT = {
  '@timestamp': '2024-03-01T10:15:30.123Z',
  event: { id: 'ev-1', inserted: '2024-03-01T10:15:51.654321Z', action: 'removable-media-created', observer: 'Endpoint' },
  user: { email: 'alice@example.com', id: 'u-1', deviceUid: 'd-1' },
  file: { name: 'a=b.txt', directory: '/home/alice/', sizeInBytes: 12, hash: { md5: null, sha256: null } },
  destination: { removableMedia: { busType: 'USB', vendor: 'SanDisk', name: 'Cruzer', serialNumber: 'S1', capacity: 1000 } },
  risk: { severity: 'CRITICAL', score: 12, indicators: [] },
};

describe('secflow-cef node, Incydr mappings', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  it('mapping file-event-v2 formats a v2 event from the node config', async () => {
    const { cef, out } = await start({ mapping: 'file-event-v2' });
    cef.receive({ payload: V2_EVENT });
    const [msg] = await out.waitFor(1);
    const p = parseCef(msg.payload as string);
    assert.deepEqual([p.product, p.deviceVersion, p.signatureId, p.name, p.severity], ['Incydr', '2', 'C42210', 'removable-media-created', '10']);
    const ext = extensionMap(p);
    assert.equal(ext.fname, 'a=b.txt');
    assert.equal(ext.cs1, 'USB');
    assert.equal(ext.cn2, '12');
    assert.match(msg.payload as string, / fname=a\\=b\.txt /, 'spec escaping on the wire');
  });

  it('mapping auto picks v2, v1 and alert per message; an unknown shape reaches Catch and the node goes on', async () => {
    const { cef, out, caught } = await start({ mapping: 'auto', escaping: 'none' });
    cef.receive({ payload: V2_EVENT });
    cef.receive({ payload: { hello: 'world' } });
    cef.receive({ payload: copy(FULL_EVENT) });
    cef.receive({ payload: ALERT_OPEN });
    const [err] = await caught.waitFor(1);
    const [v2, v1, alert] = await out.waitFor(3);
    assert.match((err.error as { message: string }).message, /event matches none of the shapes the auto mapping knows/);
    assert.deepEqual(err.payload, { hello: 'world' });
    assert.ok((v2.payload as string).startsWith('CEF:0|Code42|Incydr|2|C42210|removable-media-created|10|externalId=ev-1 '));
    assert.equal(v1.payload, FULL_EVENT_CEF);
    assert.ok((alert.payload as string).startsWith('CEF:0|Code42|Alerts|1|C42301|Files copied to USB|8|'));
  });

  it('msg.cef.mapping accepts file-event-v2 and auto', async () => {
    const { cef, out } = await start({ mapping: 'file-event' });
    cef.receive({ payload: V2_EVENT, cef: { mapping: 'file-event-v2' } });
    cef.receive({ payload: V2_EVENT, cef: { mapping: 'auto' } });
    const [a, b] = await out.waitFor(2);
    assert.equal(a.payload, b.payload);
    assert.equal(parseCef(a.payload as string).signatureId, 'C42210');
  });
});
