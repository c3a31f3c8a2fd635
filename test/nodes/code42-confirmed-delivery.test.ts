// Confirmed commits (issue 20): secflow-code42-file-events with `confirm` saves a
// page's cursor only once the flow has settled every message of it, through real
// core nodes (switch, function, split), secflow-cef and secflow-syslog over TCP to a
// loopback receiver, all in the real Node-RED runtime with its message hooks.
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import configNode from '../../src/nodes/secflow-code42';
import fileEventsNode from '../../src/nodes/secflow-code42-file-events';
import alertsNode from '../../src/nodes/secflow-code42-alerts';
import cefNode from '../../src/nodes/secflow-cef';
import syslogNode from '../../src/nodes/secflow-syslog';
import { helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { storedValue } from '../support/code42-flow';
import { LineReceiver } from '../support/line-receiver';
import { Code42Emulator } from '../emulators/code42';

const core = (file: string): NodeModule => require(`@node-red/nodes/core/${file}`);
const NODES = [configNode as NodeModule, fileEventsNode as NodeModule, alertsNode as NodeModule, cefNode as NodeModule, syslogNode as NodeModule,
  core('common/25-catch.js'), core('function/10-switch.js'), core('function/10-function.js'), core('function/15-change.js'), core('sequence/17-split.js'), core('function/89-delay.js')];
const CREDS = { c42: { id: 'cid', secret: 'csecret' } };
const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);

interface Pipeline {
  /** Where the extractor's output 1 goes. */
  first: string;
  extractor?: Record<string, unknown>;
  /** Further nodes on the tab (ids as wired). */
  nodes: FlowNode[];
}

const cef = (id: string, wires: string[]): FlowNode => ({ id, type: 'secflow-cef', z: 'tab', name: 'formatter', format: 'cef', escaping: 'spec', mapping: 'file-event', customMapping: '', vendor: 'Code42', productName: '', severity: '', wires: [wires] });
const syslog = (id: string, port: number): FlowNode => ({ id, type: 'secflow-syslog', z: 'tab', name: 'siem', host: '127.0.0.1', port, protocol: 'tcp', format: 'none', octetCounting: false, verifyTls: true, ca: '', queueSize: 10000, facility: 'user', severity: 'info', wires: [] });
const fn = (id: string, func: string, wires: string[][] = []): FlowNode => ({ id, type: 'function', z: 'tab', name: id, func, outputs: Math.max(1, wires.length), timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], wires });

/** Flow nodes have a position (without one the runtime takes a node for a config node). */
function flow(url: string, p: Pipeline): FlowNode[] {
  return placed([
    { id: 'tab', type: 'tab', label: 'confirmed' },
    { id: 'c42', type: 'secflow-code42', url, authType: 'apiClient', verifyTls: true, timeout: 10, retryScale: 0.001 },
    {
      id: 'fe', type: 'secflow-code42-file-events', z: 'tab', tenant: 'c42', filters: '', orMode: false, since: '', pageSize: 50,
      interval: 0, output: 'event', cursorStore: 'file', cursorScope: 'node', cursorKey: 'code42-cursor', lookback: 0,
      confirm: ['siem'], confirmTimeout: 10, onFailure: 'stop', ...p.extractor, wires: [[p.first], ['sum']],
    },
    { id: 'sum', type: 'helper', z: 'tab' },
    { id: 'catcher', type: 'catch', z: 'tab', scope: ['fe'], uncaught: false, wires: [['caught']] },
    { id: 'caught', type: 'helper', z: 'tab' },
    ...p.nodes,
  ]);
}

function placed(nodes: FlowNode[]): FlowNode[] {
  return nodes.map((n, i) => (n.z ? { x: 100 + i * 10, y: 100, ...n } : n));
}

/** Runs the extractor once; resolves with the run summary and the dead letters sent before it. */
async function run(timeoutMs = 30_000, kind = 'file-event') {
  const sum = helper.getNode('sum');
  const deadLetters: Array<Record<string, unknown>> = [];
  const summary = new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no run summary')), timeoutMs);
    const onMsg = (msg: Record<string, unknown>) => {
      if (msg.topic === `${kind}-dead-letter`) deadLetters.push(msg);
      if (msg.topic !== `${kind}-run`) return;
      clearTimeout(timer);
      sum.removeListener('input', onMsg);
      resolve(msg);
    };
    sum.on('input', onMsg);
  });
  helper.getNode('fe').receive({});
  const msg = await summary;
  return { summary: msg.payload as Record<string, unknown>, error: msg.error as { message: string } | undefined, deadLetters };
}

const storedCursor = () => storedValue<{ ts: number; ids: string[] }>('fe', 'code42-cursor');

describe('secflow-code42-file-events with confirm', () => {
  let emu: Code42Emulator | undefined;
  let receiver: LineReceiver | undefined;
  let ids: string[] = [];
  let emuUrl = '';

  async function setup(count: number, p: (port: number) => Pipeline) {
    emu = new Code42Emulator({ clients: { cid: 'csecret' } });
    const url = await emu.listen();
    emuUrl = url;
    ids = emu.addFileEvents({ count, startMs: T0, stepMs: 1000 });
    receiver = new LineReceiver();
    const port = await receiver.listen();
    await loadFlow(NODES, flow(url, p(port)), CREDS);
  }

  afterEach(async () => {
    await unloadFlow();
    await emu?.close();
    await receiver?.close();
    emu = undefined;
    receiver = undefined;
  });
  after(() => helper.stopServer?.((): void => undefined));

  it('a switch that filters out half the events (then a change node): the rest are delivered, the filtered ones dropped, the cursor reaches the end', async () => {
    await setup(200, (port) => ({
      first: 'sw',
      nodes: [
        // The first half of each page (50 events) passes, the rest ends at the switch.
        { id: 'sw', type: 'switch', z: 'tab', property: 'code42.index', propertyType: 'msg', rules: [{ t: 'lt', v: '25', vt: 'num' }], checkall: 'true', outputs: 1, wires: [['tidy']] },
        // A change node on the way passes the message on.
        { id: 'tidy', type: 'change', z: 'tab', rules: [{ t: 'set', p: 'cef', pt: 'msg', to: '{"severity":"7"}', tot: 'json' }], wires: [['cef']] },
        cef('cef', ['siem']), syslog('siem', port),
      ],
    }));
    const { summary, error } = await run();
    assert.equal(error, undefined);
    const lines = await receiver!.waitFor(Number(summary.delivered));
    assert.deepEqual({ delivered: summary.delivered, dropped: summary.dropped, deadLetters: summary.deadLetters, events: summary.events }, { delivered: 100, dropped: 100, deadLetters: 0, events: 200 });
    assert.equal(lines.length, 100);
    assert.ok(lines.every((l) => /^CEF:0\|Code42\|[^|]*\|[^|]*\|[^|]*\|[^|]*\|7\|/.test(l)), 'the change node\'s msg.cef reached the formatter');
    assert.equal((await storedCursor())?.ids.at(-1), ids.at(-1));
  });

  /** Marks DELETED events with a msg.cef that secflow-cef rejects (a function that returns msg). */
  const rejectDeleted = (wires: string[]) => fn('mark', "if (msg.payload.eventType === 'DELETED') msg.cef = { bogus: 1 };\nreturn msg;", [wires]);

  it('a CEF rejection with onFailure stop ends the run naming the failures and keeps the cursor; with skip the failed events become dead letters and the cursor moves on', async () => {
    await setup(100, (port) => ({ first: 'mark', nodes: [rejectDeleted(['cef']), cef('cef', ['siem']), syslog('siem', port)] }));
    const caught = waitForCaught();
    const stopped = await run();
    assert.ok(stopped.error, 'the run fails');
    const m = /^delivery not confirmed: page 1, (\d+) failed \(first: secflow-cef "formatter" \(cef\): msg\.cef\.bogus is not an option.*\) of 50 messages; the cursor stays before this page$/.exec(stopped.error.message);
    assert.ok(m, stopped.error.message);
    assert.equal((await caught).error?.message, `Error: ${stopped.error.message}`, 'a Catch node sees the run error');
    assert.equal(await storedCursor(), undefined, 'the cursor did not move');
    assert.equal(stopped.deadLetters.length, 0);

    // The same flow with onFailure skip: the run goes through, failed events come out as dead letters.
    await helper.setFlows(flow(emuUrl, { first: 'mark', extractor: { onFailure: 'skip' }, nodes: [rejectDeleted(['cef']), cef('cef', ['siem']), syslog('siem', receiver!.port)] }), 'full', CREDS);
    const skipped = await run();
    assert.equal(skipped.error, undefined);
    const events = skipped.deadLetters.map((d) => (d.deadLetter as { event: { eventType: string; eventId: string } }).event);
    assert.ok(events.length > 0 && events.every((e) => e.eventType === 'DELETED'), 'exactly the rejected events are dead letters');
    assert.equal(skipped.deadLetters.filter((d) => (d.code42 as { page: number }).page === 1).length, Number(m[1]), 'the stop error counted page 1\'s failures');
    for (const d of skipped.deadLetters) {
      const dl = d.deadLetter as { event: { eventId: string }; error: string; node: string };
      assert.match(dl.error, /msg\.cef\.bogus is not an option/);
      assert.equal(dl.node, 'cef');
      assert.deepEqual(d.payload, dl.event);
    }
    assert.deepEqual({ delivered: skipped.summary.delivered, deadLetters: skipped.summary.deadLetters }, { delivered: 100 - events.length, deadLetters: events.length });
    assert.equal((await storedCursor())?.ids.at(-1), ids.at(-1), 'the cursor moved to the end');
  });

  it('without confirm the cursor moves on after send, whatever the flow does with the messages (today\'s behaviour)', async () => {
    await setup(100, (port) => ({ first: 'mark', extractor: { confirm: [] }, nodes: [rejectDeleted(['cef']), cef('cef', ['siem']), syslog('siem', port)] }));
    const { summary, error } = await run();
    assert.equal(error, undefined);
    assert.equal(summary.delivered, undefined, 'no settling counts without confirm');
    assert.equal((await storedCursor())?.ids.at(-1), ids.at(-1));
  });

  it('a confirm node that is not deployed, or a confirm that is not a list, fails each run with an error naming it', async () => {
    await setup(10, (port) => ({ first: 'cef', extractor: { confirm: ['gone'] }, nodes: [cef('cef', ['siem']), syslog('siem', port)] }));
    assert.equal((await run()).error?.message, 'confirm: node gone not found in the deployed flows');
    await helper.setFlows(flow(emuUrl, { first: 'cef', extractor: { confirm: 'siem' }, nodes: [cef('cef', ['siem']), syslog('siem', receiver!.port)] }), 'full', CREDS);
    assert.equal((await run()).error?.message, 'confirm must be a list of node ids, got "siem"');
    assert.equal(await storedCursor(), undefined);
  });

  it('hooks come off when the node closes: a redeploy without confirm leaves none', async () => {
    const hooks = require('@node-red/util').hooks as { has(id: string): boolean };
    await setup(10, (port) => ({ first: 'cef', nodes: [cef('cef', ['siem']), syslog('siem', port)] }));
    assert.deepEqual(['preDeliver', 'postDeliver', 'onComplete'].map((h) => hooks.has(h)), [true, true, true]);
    await helper.setFlows(flow(emuUrl, { first: 'cef', extractor: { confirm: [] }, nodes: [cef('cef', ['siem']), syslog('siem', receiver!.port)] }), 'full', CREDS);
    assert.deepEqual(['preDeliver', 'postDeliver', 'onComplete'].map((h) => hooks.has(h)), [false, false, false]);
  });

  it('a fan-out to two sinks where one fails: the message failed, the run stops, the cursor stays', async () => {
    await setup(60, (port) => ({
      first: 'cef',
      extractor: { confirm: ['siem', 'other'] },
      nodes: [cef('cef', ['siem', 'other']), syslog('siem', port), fn('other', "throw new Error('peer refused the event');")],
    }));
    const { error } = await run();
    assert.match(error?.message ?? '', /^delivery not confirmed: page 1, 50 failed \(first: function "other" \(other\): .*peer refused the event.*\) of 50 messages/);
    assert.equal(await storedCursor(), undefined);
    // The healthy sink got its copies all the same (page 1, and page 2 in flight).
    await receiver!.waitFor(60);
  });

  it('waits at most confirmTimeout: a page whose messages are held is not settled, the cursor stays after the last settled page, one further page went out', async () => {
    await setup(40, (port) => ({
      first: 'bypage',
      extractor: { pageSize: 10, confirmTimeout: 1 },
      nodes: [
        { id: 'bypage', type: 'switch', z: 'tab', property: 'code42.page', propertyType: 'msg', rules: [{ t: 'eq', v: '2', vt: 'num' }, { t: 'else' }], checkall: 'false', outputs: 2, wires: [['hold'], ['cef']] },
        { id: 'hold', type: 'delay', z: 'tab', pauseType: 'delay', timeout: '60', timeoutUnits: 'seconds', rate: '1', nbRateUnits: '1', rateUnits: 'second', randomFirst: '1', randomLast: '5', randomUnits: 'seconds', drop: false, allowrate: false, outputs: 1, wires: [['cef']] },
        cef('cef', ['siem']), syslog('siem', port),
      ],
    }));
    const started = Date.now();
    const { error } = await run();
    assert.equal(error?.message, 'delivery not confirmed: page 2, 10 not settled within 1 s of 10 messages; the cursor stays before this page');
    assert.ok(Date.now() - started >= 1000);
    assert.equal((await storedCursor())?.ids.at(-1), ids[9], 'the cursor is at the end of page 1');
    // Pages 1 and 3 reached the receiver; page 4 was never sent (one page in flight at most).
    await receiver!.waitFor(20);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(receiver!.lines.length, 20);
  });

  it('page mode: a page through a split node reaches the sink event by event and settles as one message', async () => {
    await setup(100, (port) => ({
      first: 'split',
      extractor: { output: 'page' },
      nodes: [
        { id: 'split', type: 'split', z: 'tab', splt: '\\n', spltType: 'str', arraySplt: 1, arraySpltType: 'len', stream: false, addname: '', wires: [['cef']] },
        cef('cef', ['siem']), syslog('siem', port),
      ],
    }));
    const { summary, error } = await run();
    assert.equal(error, undefined);
    assert.deepEqual({ delivered: summary.delivered, dropped: summary.dropped, events: summary.events }, { delivered: 2, dropped: 0, events: 100 });
    assert.equal((await receiver!.waitFor(100)).length, 100);
    assert.equal((await storedCursor())?.ids.at(-1), ids.at(-1));
  });

  // A page is one message: secflow-cef sends its good lines on and completes it with an
  // error listing the bad events' indexes. The tracker counts the message as failed
  // (its page follows onFailure), and with skip the dead letter holds only those events.
  const spoil = fn('spoil', 'msg.payload[3] = "spoiled"; msg.payload[7] = null; return msg;', [['cef']]);
  it('page mode with skip: the events the formatter rejects become one dead letter per page holding those events only; the rest reach the sink', async () => {
    await setup(100, (port) => ({ first: 'spoil', extractor: { output: 'page', onFailure: 'skip' }, nodes: [spoil, cef('cef', ['siem']), syslog('siem', port)] }));
    const { summary, error, deadLetters } = await run();
    assert.equal(error, undefined);
    assert.equal(deadLetters.length, 2);
    for (const d of deadLetters) {
      const letter = d.deadLetter as { events: unknown[]; indexes: number[]; error: string };
      assert.deepEqual(letter.indexes, [3, 7]);
      assert.deepEqual(letter.events, ['spoiled', null]);
      assert.match(letter.error, /2 of 50 events could not be formatted, the other 48 went on: \[3\] msg\.payload\[3\] must be an event object/);
    }
    assert.equal(summary.deadLetters, 4);
    const lines = await receiver!.waitFor(96);
    assert.equal(lines.length, 96);
    const sent = ids.filter((_, i) => i % 50 !== 3 && i % 50 !== 7);
    assert.deepEqual(lines.map((l) => /externalId=(\S+)/.exec(l)?.[1]), sent, 'the good events of each page, in order');
    assert.equal((await storedCursor())?.ids.at(-1), ids.at(-1));
  });

  it('page mode with stop: a page with a bad event stops the run; the cursor stays before it', async () => {
    await setup(100, (port) => ({ first: 'spoil', extractor: { output: 'page' }, nodes: [spoil, cef('cef', ['siem']), syslog('siem', port)] }));
    const { error } = await run();
    assert.match(error?.message ?? '', /delivery not confirmed: page 1, 1 failed .*secflow-cef.*2 of 50 events could not be formatted/);
    assert.equal(await storedCursor(), undefined);
  });

  it('the alerts extractor settles the same way (event mode, skip): alerts the formatter rejects become dead letters', async () => {
    emu = new Code42Emulator({ clients: { cid: 'csecret' } });
    emuUrl = await emu.listen();
    emu.addAlerts({ count: 120, startMs: T0, stepMs: 1000, observationCount: 1 });
    receiver = new LineReceiver();
    const port = await receiver.listen();
    const alerts = { type: 'secflow-code42-alerts', pageSize: 50, details: true, cursorKey: 'code42-alerts-cursor', onFailure: 'skip' };
    // Every third alert gets a msg.cef the formatter refuses.
    const mark = fn('mark', "if (msg.code42.index % 3 === 0) msg.cef = { bogus: 1 };\nreturn msg;", [['cef']]);
    await loadFlow(NODES, flow(emuUrl, { first: 'mark', extractor: alerts, nodes: [mark, { ...cef('cef', ['siem']), mapping: 'alert' }, syslog('siem', port)] }), CREDS);
    const { summary, error, deadLetters } = await run(30_000, 'alert');
    assert.equal(error, undefined);
    assert.equal(deadLetters.length, 41, '17 + 17 + 7 alerts at index 0, 3, 6… of pages of 50, 50 and 20');
    assert.deepEqual({ delivered: summary.delivered, deadLetters: summary.deadLetters }, { delivered: 79, deadLetters: 41 });
    assert.equal((await receiver!.waitFor(79)).length, 79);
    assert.ok(await storedValue('fe', 'code42-alerts-cursor'), 'the cursor was saved');
  });
});

function waitForCaught(timeoutMs = 5000): Promise<{ error?: { message: string } }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('nothing caught')), timeoutMs);
    helper.getNode('caught').once('input', (msg: { error?: { message: string } }) => {
      clearTimeout(timer);
      resolve(msg);
    });
  });
}
