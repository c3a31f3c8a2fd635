// secflow-mozdef page mode in the real Node-RED runtime against the loginput emulator:
// an array in msg.payload is one event per element, queued together (bulk packs
// them into _bulk requests), in order; an element that is not an event is reported
// by its index in one error while the others go; done() once per message.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import senderNode from '../../src/nodes/secflow-mozdef';
import targetNode from '../../src/nodes/secflow-mozdef-target';
import { collect, helper, loadFlow, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { LoginputEmulator } from '../emulators/mozdef-loginput';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const hooks: any = require('@node-red/util').hooks;

async function start(url: string, transport: 'http' | 'bulk') {
  const flow: FlowNode[] = [
    { id: 'mp-tab', type: 'tab', label: 'mozdef pages' },
    { id: 'mp-target', type: 'secflow-mozdef-target', url, transport, spill: false, timeout: 5, backoffBaseMs: 50, backoffMaxMs: 1000, httpRetries: 0, batchSize: 100, flushInterval: 0.05 },
    { id: 'mp-send', type: 'secflow-mozdef', z: 'mp-tab', target: 'mp-target', eventType: 'event', summary: '', summaryType: 'str', severity: 'INFO', severityType: 'str', wires: [] },
    { id: 'mp-catch', type: 'catch', z: 'mp-tab', scope: ['mp-send'], uncaught: false, wires: [['mp-caught']] },
    { id: 'mp-caught', type: 'helper', z: 'mp-tab' },
  ];
  await loadFlow([targetNode as NodeModule, senderNode as NodeModule, catchNode], flow);
  const done: Array<{ id: string; error?: unknown }> = [];
  hooks.add('onComplete.mozdefPagesTest', (e: { msg: { _msgid: string }; node: { id: string }; error?: unknown }) => {
    if (e.node.id === 'mp-send') done.push({ id: e.msg._msgid, error: e.error });
  });
  return { sender: helper.getNode('mp-send'), caught: collect(helper.getNode('mp-caught')), done };
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const numbers = (emu: LoginputEmulator) => (emu.messages() as Array<{ details?: { n?: number } }>).map((m) => m.details?.n);

describe('secflow-mozdef page mode', () => {
  let emu: LoginputEmulator | undefined;
  afterEach(async () => {
    hooks.remove('*.mozdefPagesTest');
    await unloadFlow();
    await emu?.close();
    emu = undefined;
  });

  it('bulk: a page of 50 events goes in one _bulk request, in order; done once when MozDef has them all', async () => {
    emu = new LoginputEmulator({ logBodies: false });
    const { sender, caught, done } = await start(await emu.listen(0), 'bulk');
    sender.receive({ _msgid: 'page-1', payload: Array.from({ length: 50 }, (_, n) => ({ summary: `event ${n}`, details: { n } })) });
    await until(() => done.length === 1, 10_000, 'the completion');
    assert.equal(done[0].error, undefined);
    assert.deepEqual(numbers(emu), Array.from({ length: 50 }, (_, n) => n));
    assert.equal(emu.requests('bulk').length, 1, 'one _bulk request for the page');
    assert.equal(caught.messages.length, 0);
  });

  it('http: a bad element is reported by its index in one error, the others are delivered; done once', async () => {
    emu = new LoginputEmulator({ logBodies: false });
    const { sender, caught, done } = await start(await emu.listen(0), 'http');
    sender.receive({ _msgid: 'page-2', payload: [{ summary: 'a', details: { n: 0 } }, 42, { summary: 'c', details: { n: 2 } }] });
    await until(() => done.length === 1, 10_000, 'the completion');
    const [err] = await caught.waitFor(1);
    assert.match((err.error as { message: string }).message, /^(?:Error: )?1 of 3 events not delivered: \[1\] msg\.payload\[1\] must be an object or a string, got (a )?number/);
    assert.deepEqual((err.mozdefErrors as Array<{ index: number }>).map((e) => e.index), [1]);
    assert.deepEqual(new Set(numbers(emu)), new Set([0, 2]));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(done.length, 1, 'done once for the page');
    assert.notEqual(done[0].error, undefined);
  });
});
