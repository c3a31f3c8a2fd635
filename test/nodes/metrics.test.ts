// metricsFor(node) through the real Node-RED runtime (node-red-node-test-helper):
// what secflow-cef counts for good and bad input (in, out, failed, errors, the last
// error), a sink's delivered count and queue (secflow-syslog over TCP to a loopback
// receiver), and the registry emptied when the flow stops (a restart starts at zero).
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import cefNode from '../../src/nodes/secflow-cef';
import syslogNode from '../../src/nodes/secflow-syslog';
import { allMetrics } from '../../src/lib/metrics';
import { collect, helper, loadFlow, nextError, unloadFlow, type NodeModule } from '../support/node-harness';
import { TcpReceiver } from '../support/tcp-receiver';
import { FULL_EVENT, copy } from '../fixtures/code42/file-events-v1';

const byId = (id: string) => allMetrics().find((m) => m.id === id);

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('node metrics', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  it('secflow-cef counts messages in and out, failures and the last error; the entry goes when the flow stops', async () => {
    await loadFlow([cefNode as NodeModule], [
      { id: 'mt-tab', type: 'tab', label: 'metrics' },
      { id: 'mt-cef', type: 'secflow-cef', z: 'mt-tab', name: 'fmt', format: 'cef', escaping: 'spec', mapping: 'file-event', customMapping: '', vendor: 'Code42', productName: '', severity: '', wires: [['mt-out']] },
      { id: 'mt-out', type: 'helper', z: 'mt-tab' },
    ]);
    const cef = helper.getNode('mt-cef');
    const out = collect(helper.getNode('mt-out'));
    const m = byId('mt-cef');
    assert.ok(m, 'registered at start');
    assert.deepEqual([m.type, m.name, m.role], ['secflow-cef', 'fmt', 'transform']);
    for (let i = 0; i < 3; i++) cef.receive({ payload: copy(FULL_EVENT) });
    await out.waitFor(3);
    const failed = nextError(cef);
    cef.receive({ payload: 'not an event' });
    await failed;
    await until(() => m.failed === 1, 'the failure counted');
    assert.deepEqual([m.received, m.sent, m.completed, m.failed, m.errors], [4, 3, 3, 1, 1]);
    assert.match(m.lastError, /msg\.payload must be an event object/);
    assert.ok(Date.now() - m.lastErrorMs < 10_000);
    await unloadFlow();
    assert.equal(byId('mt-cef'), undefined, 'dropped when the node stops');
    // Started again (a restart): a fresh entry from zero.
    await loadFlow([cefNode as NodeModule], [
      { id: 'mt-tab', type: 'tab', label: 'metrics' },
      { id: 'mt-cef', type: 'secflow-cef', z: 'mt-tab', name: 'fmt', format: 'cef', escaping: 'spec', mapping: 'file-event', customMapping: '', vendor: 'Code42', productName: '', severity: '', wires: [[]] },
    ]);
    const fresh = byId('mt-cef');
    assert.ok(fresh && fresh !== m);
    assert.deepEqual([fresh.received, fresh.sent, fresh.failed, fresh.errors], [0, 0, 0, 0]);
  });

  it('secflow-syslog is a sink: delivered once the receiver has each line, bytes, queue depth, last success', async () => {
    const receiver = new TcpReceiver();
    await receiver.listen(0);
    try {
      await loadFlow([syslogNode as NodeModule], [
        { id: 'mt-tab', type: 'tab', label: 'metrics' },
        { id: 'mt-syslog', type: 'secflow-syslog', z: 'mt-tab', name: 'out', host: '127.0.0.1', port: receiver.port, protocol: 'tcp', format: 'none', octetCounting: false, queueSize: 100, wires: [] },
      ]);
      const node = helper.getNode('mt-syslog');
      const m = byId('mt-syslog');
      assert.ok(m);
      assert.equal(m.role, 'sink');
      const lines = ['first line', 'second ünïcode line'];
      for (const payload of lines) node.receive({ payload });
      await until(() => m.completed === 2, 'two delivered');
      await until(() => receiver.lines().length === 2, 'two lines at the receiver');
      assert.equal(m.bytes, lines.reduce((n, l) => n + Buffer.byteLength(l), 0));
      assert.equal(m.queueDepth(), 0);
      assert.equal(m.failed, 0);
      assert.ok(Date.now() - m.lastSuccessMs < 10_000);
    } finally {
      await receiver.close();
    }
  });
});
