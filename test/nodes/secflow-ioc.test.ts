// secflow-ioc in the Node-RED runtime: msg.iocs, chosen properties, split
// messages, options, and bad input through Catch.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import iocNode from '../../src/nodes/secflow-ioc';
import { collect, helper, loadFlow, unloadFlow, type NodeModule } from '../support/node-harness';
import { catchNode, caughtText, singleNodeFlow } from '../support/single-node-flow';

async function start(props: Record<string, unknown> = {}) {
  await loadFlow([iocNode as NodeModule, catchNode], singleNodeFlow('secflow-ioc', { properties: 'payload', types: '', includePaths: false, strictIpv4: false, split: false, compat: false, ...props }));
  return { node: helper.getNode('n-under-test'), out: collect(helper.getNode('n-out0')), caught: collect(helper.getNode('n-caught')) };
}

describe('secflow-ioc node', () => {
  afterEach(async () => {
    await unloadFlow();
  });

  it('msg.iocs from the payload text; paths only when asked; time fields of a row are not scanned', async () => {
    const { node, out } = await start();
    node.receive({ payload: "curl 'https://www.virustotal.com/en/ip-address/90.156.201.27/information/' > /tmp/x; md5 00236a2ae558018ed13b5222ef1bd987" });
    node.receive({ payload: { TimeGenerated: '2026-11-23T05:20:02Z', SyslogMessage: 'Accepted password for bob from 203.0.113.7 port 22 ssh2' } });
    const [a, b] = await out.waitFor(2);
    const iocs = a.iocs as Record<string, string[]>;
    assert.deepEqual(Object.keys(iocs).sort(), ['dns', 'ipv4', 'md5_hash', 'url']);
    assert.deepEqual(iocs.ipv4, ['90.156.201.27']);
    assert.deepEqual(b.iocs, { ipv4: ['203.0.113.7'] });
  });

  it('several properties, chosen types, strict IPv4, split into one message per observable', async () => {
    const { node, out } = await start({ properties: 'payload, topic', types: 'ipv4,dns', strictIpv4: true, split: true });
    node.receive({ payload: 'from 999.1.1.1 and 10.0.0.1', topic: 'evil.example.com', keep: 1 });
    const msgs = await out.waitFor(2);
    assert.deepEqual(msgs.map((m) => m.payload), [
      { IoCType: 'ipv4', Observable: '10.0.0.1', Property: 'payload' },
      { IoCType: 'dns', Observable: 'evil.example.com', Property: 'topic' },
    ]);
    assert.equal(msgs[0].keep, 1);
    assert.deepEqual(msgs[1].iocs, { ipv4: ['10.0.0.1'], dns: ['evil.example.com'] });
  });

  it('include paths and defanged input', async () => {
    const { node, out } = await start({ includePaths: true });
    node.receive({ payload: String.raw`run c:\temp\evil.exe from hXXps://bad[.]example[.]com/p and /tmp/x.sh` });
    const [m] = await out.waitFor(1);
    const iocs = m.iocs as Record<string, string[]>;
    assert.deepEqual(iocs.windows_path, [String.raw`c:\temp\evil.exe`]);
    // msticpy's folder part admits spaces: the path runs from the URL's '//' to x.sh.
    assert.ok(iocs.linux_path.some((p) => p.endsWith(' and /tmp/x.sh')), JSON.stringify(iocs.linux_path));
    assert.deepEqual(iocs.url, ['hXXps://bad[.]example[.]com/p']);
  });

  it('compat with include paths adds only windows_path, as msticpy\'s table mode', async () => {
    const { node, out } = await start({ includePaths: true, compat: true });
    node.receive({ payload: String.raw`run c:\temp\evil.exe and /tmp/x.sh` });
    const [m] = await out.waitFor(1);
    const iocs = m.iocs as Record<string, string[]>;
    assert.deepEqual(iocs.windows_path, [String.raw`c:\temp\evil.exe`]);
    assert.equal(iocs.linux_path, undefined);
  });

  it('bad input reaches Catch naming the property; the node keeps working', async () => {
    const { node, out, caught } = await start({ properties: 'payload' });
    node.receive({ payload: 12345 });
    node.receive({ other: 'x' });
    const errors = await caught.waitFor(2);
    assert.match(caughtText(errors[0]), /msg\.payload must be text \(a string or Buffer\) or an object with text values; got number 12345/);
    assert.match(caughtText(errors[1]), /none of msg\.payload holds text/);
    node.receive({ payload: 'nothing here' });
    const [m] = await out.waitFor(1);
    assert.deepEqual(m.iocs, {});
  });
});
