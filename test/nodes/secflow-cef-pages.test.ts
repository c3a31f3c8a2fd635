// secflow-cef page mode in the real Node-RED runtime: an array of events in, an
// array of lines out in the same order, in every format; a bad event does not drop
// its page, it reaches Catch in one error naming its index; done() once per message.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import cefNode from '../../src/nodes/secflow-cef';
import { compileFormatter } from '../../src/lib/cef';
import { collect, loadFlow, unloadFlow, helper, type FlowNode, type NodeModule } from '../support/node-harness';
import { FULL_EVENT, REMOVABLE_MEDIA_EVENT, CLOUD_EVENT, EMAIL_EVENT, copy } from '../fixtures/code42/file-events-v1';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const hooks: any = require('@node-red/util').hooks;

function flow(props: Record<string, unknown> = {}): FlowNode[] {
  return [
    { id: 'pg-tab', type: 'tab', label: 'cef pages' },
    { id: 'pg-cef', type: 'secflow-cef', z: 'pg-tab', name: 'formatter', format: 'cef', escaping: 'spec', mapping: 'file-event', customMapping: '', vendor: 'Code42', productName: '', severity: '', ...props, wires: [['pg-out']] },
    { id: 'pg-out', type: 'helper', z: 'pg-tab' },
    { id: 'pg-catch', type: 'catch', z: 'pg-tab', scope: ['pg-cef'], uncaught: false, wires: [['pg-caught']] },
    { id: 'pg-caught', type: 'helper', z: 'pg-tab' },
  ];
}

/** Every completion the runtime reports for the CEF node, by message id. */
function completions(): { byMsg: Map<string, number>; errors: unknown[]; remove(): void } {
  const byMsg = new Map<string, number>();
  const errors: unknown[] = [];
  hooks.add('onComplete.pagesTest', (event: { msg: { _msgid: string }; node: { id: string }; error?: unknown }) => {
    if (event.node.id !== 'pg-cef') return;
    byMsg.set(event.msg._msgid, (byMsg.get(event.msg._msgid) ?? 0) + 1);
    if (event.error) errors.push(event.error);
  });
  return { byMsg, errors, remove: () => hooks.remove('*.pagesTest') };
}

async function start(props: Record<string, unknown> = {}) {
  await loadFlow([cefNode as NodeModule, catchNode], flow(props));
  return { cef: helper.getNode('pg-cef'), out: collect(helper.getNode('pg-out')), caught: collect(helper.getNode('pg-caught')) };
}

const EVENTS = [FULL_EVENT, REMOVABLE_MEDIA_EVENT, CLOUD_EVENT, EMAIL_EVENT];
const settle = () => new Promise((r) => setTimeout(r, 50));

describe('secflow-cef page mode', () => {
  let done: ReturnType<typeof completions> | undefined;
  afterEach(async () => {
    done?.remove();
    done = undefined;
    await unloadFlow();
  });

  for (const format of ['cef', 'json', 'raw'] as const) {
    it(`${format}: an array of events becomes an array of lines in the same order, each as the event alone would be`, async () => {
      const { cef, out } = await start({ format });
      done = completions();
      const page = EVENTS.map(copy);
      cef.receive({ payload: page, topic: 'page 1' });
      const [msg] = await out.waitFor(1);
      const one = compileFormatter({ format, escaping: 'spec', mapping: 'file-event', vendor: 'Code42', productName: '', severity: '' });
      assert.deepEqual(msg.payload, EVENTS.map((e) => one(copy(e))));
      assert.equal(msg.topic, 'page 1');
      await settle();
      assert.deepEqual([...done.byMsg.values()], [1], 'done once for the page');
      assert.equal(done.errors.length, 0);
    });
  }

  it('a bad event does not drop its page: the good ones go on in order, the bad ones reach Catch in one error with their indexes (msg.cefErrors)', async () => {
    const { cef, out, caught } = await start();
    done = completions();
    const page = [copy(FULL_EVENT), 'not an event', copy(CLOUD_EVENT), { eventType: 'CREATED', eventTimestamp: 'yesterday' }, copy(EMAIL_EVENT)];
    cef.receive({ payload: page });
    const [sent] = await out.waitFor(1);
    const [err] = await caught.waitFor(1);
    const one = compileFormatter({ format: 'cef', escaping: 'spec', mapping: 'file-event', vendor: 'Code42' });
    assert.deepEqual(sent.payload, [FULL_EVENT, CLOUD_EVENT, EMAIL_EVENT].map((e) => one(copy(e))));
    const cefErrors = err.cefErrors as Array<{ index: number; error: string }>;
    assert.deepEqual(cefErrors.map((e) => e.index), [1, 3]);
    assert.match(cefErrors[0].error, /^msg\.payload\[1\] must be an event object; got a string/);
    assert.match(cefErrors[1].error, /eventTimestamp: "yesterday" is not a timestamp/);
    const text = (err.error as { message: string }).message;
    assert.match(text, /2 of 5 events could not be formatted, the other 3 went on: \[1\] .*; \[3\] /);
    assert.equal((err.payload as unknown[]).length, 5, 'Catch sees the page as it came, to pick the bad events out');
    assert.equal(sent.cefErrors, undefined, 'the lines sent on carry no error list');
    await settle();
    assert.equal(caught.messages.length, 1, 'one error for the page');
    assert.deepEqual([...done.byMsg.values()], [1], 'done once for the page');
    assert.deepEqual((done.errors[0] as { indexes: number[] }).indexes, [1, 3], 'the completion error lists the indexes (confirmed delivery dead-letters those)');
  });

  it('a page of only bad events sends nothing; an empty page sends an empty array; each message completes once', async () => {
    const { cef, out, caught } = await start();
    done = completions();
    cef.receive({ payload: [null, 7] });
    cef.receive({ payload: [] });
    const [err] = await caught.waitFor(1);
    const [empty] = await out.waitFor(1);
    assert.deepEqual(empty.payload, []);
    assert.deepEqual((err.cefErrors as Array<{ index: number }>).map((e) => e.index), [0, 1]);
    await settle();
    assert.equal(out.messages.length, 1);
    assert.deepEqual([...done.byMsg.values()], [1, 1]);
  });

  it('msg.cef overrides apply to every event of the page', async () => {
    const { cef, out } = await start();
    cef.receive({ payload: [{ eventType: 'CREATED' }, { eventType: 'DELETED' }], cef: { vendor: 'Acme', severity: 9 } });
    const [msg] = await out.waitFor(1);
    assert.deepEqual(msg.payload, ['CEF:0|Acme|Advanced Exfiltration Detection|1|C42200|CREATED|9|', 'CEF:0|Acme|Advanced Exfiltration Detection|1|C42202|DELETED|9|']);
  });
});
