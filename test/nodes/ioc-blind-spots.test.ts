// Issue 13 item 8: the IoC node's blind spots. Text past the per-field cap is
// flagged in msg.ioc.truncated; keys such as *_url and *_host and nesting deeper
// than 4 levels are scanned by default; skipKeys and maxDepth configure it.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import iocNode from '../../src/nodes/secflow-ioc';
import { MAX_TEXT } from '../../src/lib/ioc';
import { collect, helper, loadFlow, unloadFlow, type NodeModule } from '../support/node-harness';
import { caughtText, catchNode, singleNodeFlow } from '../support/single-node-flow';

async function start(props: Record<string, unknown> = {}) {
  await loadFlow([iocNode as NodeModule, catchNode], singleNodeFlow('secflow-ioc', { properties: 'payload', types: '', includePaths: false, strictIpv4: false, split: false, compat: false, ...props }));
  return { node: helper.getNode('n-under-test'), out: collect(helper.getNode('n-out0')), caught: collect(helper.getNode('n-caught')) };
}

function nested(levels: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < levels; i++) v = { next: v };
  return v;
}

describe('IoC blind spots (issue 13.8)', () => {
  afterEach(() => unloadFlow());

  it('text past the per-field cap is flagged in msg.ioc.truncated with the field name', async () => {
    const { node, out } = await start();
    const long = `${'x '.repeat(MAX_TEXT / 2 + 10)} then beacon to 198.51.100.23`;
    node.receive({ payload: { details: { cmd: long, note: 'ok 192.0.2.1' } } });
    node.receive({ payload: 'short 192.0.2.2' });
    const [a, b] = await out.waitFor(2);
    assert.deepEqual((a.ioc as { truncated: string[] }).truncated, ['msg.payload.details.cmd']);
    assert.deepEqual((a.iocs as Record<string, string[]>).ipv4, ['192.0.2.1']);
    assert.equal(b.ioc, undefined, 'nothing cut, no flag');
  });

  it('by default keys such as callback_url, update_url, src_host and deep nesting are scanned; times are not', async () => {
    const { node, out } = await start();
    node.receive({
      payload: {
        update_url: 'http://evil-updates.example.com/p.sh',
        src_host: 'c2.badhost.example.org',
        TimeGenerated: '2026-11-23T05:20:02Z', created_at: '2026-11-23 05:20:02', startTime: '05:20:02',
        deep: nested(10, { callback_url: 'https://exfil.example.net/drop' }),
      },
    });
    const [m] = await out.waitFor(1);
    const iocs = m.iocs as Record<string, string[]>;
    assert.ok(iocs.url?.includes('http://evil-updates.example.com/p.sh'), JSON.stringify(iocs));
    assert.ok(iocs.url?.includes('https://exfil.example.net/drop'), JSON.stringify(iocs));
    assert.ok(iocs.dns?.includes('c2.badhost.example.org'), JSON.stringify(iocs));
    assert.equal(iocs.ipv6, undefined, 'time values are not scanned');
  });

  it('skipKeys and maxDepth are configurable; what lies deeper is listed in msg.ioc.tooDeep', async () => {
    const { node, out } = await start({ skipKeys: 'secret*, *_note', maxDepth: 3 });
    node.receive({ payload: { secretKey: '203.0.113.1', admin_note: '203.0.113.2', host: '203.0.113.3', a: { b: { c: { d: '203.0.113.4' } } } } });
    const [m] = await out.waitFor(1);
    assert.deepEqual(m.iocs, { ipv4: ['203.0.113.3'] });
    assert.deepEqual((m.ioc as { tooDeep: string[] }).tooDeep, ['msg.payload.a.b.c']);
  });

  it('an invalid maxDepth is an error naming the field, sent to Catch with each message', async () => {
    const { node, caught } = await start({ maxDepth: 'deep' });
    node.receive({ payload: 'x' });
    const [c] = await caught.waitFor(1);
    assert.match(caughtText(c), /^maxDepth must be an integer, got "deep"/);
  });
});
