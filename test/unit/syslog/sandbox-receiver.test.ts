// The sandbox's syslog receiver (test/emulators/syslog-receiver.ts), which the
// examples and the e2e suite rely on: both TCP framings, split anywhere, and UDP,
// all counted and listed on its HTTP side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import net from 'node:net';
import { SyslogFramer, SyslogReceiver } from '../../emulators/syslog-receiver';

test('the framer splits octet-counted and LF-framed messages, whatever the chunking', () => {
  const stream = Buffer.from('CEF:0|a|b|1|x|y|5|k=v\n18 <14>1 ü - - - - x6 <13>hi<13>bsd line\n', 'utf8');
  for (let cut = 1; cut < stream.length; cut++) {
    const framer = new SyslogFramer();
    const got = [...framer.push(stream.subarray(0, cut)), ...framer.push(stream.subarray(cut))];
    assert.deepEqual(got, ['CEF:0|a|b|1|x|y|5|k=v', '<14>1 ü - - - - x', '<13>hi', '<13>bsd line'], `cut at ${cut}`);
  }
});

test('the receiver counts TCP and UDP messages and lists them over HTTP', async () => {
  const receiver = new SyslogReceiver();
  const { port, url } = await receiver.listen();
  try {
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end('one\n3 two', () => resolve()));
      socket.on('error', reject);
    });
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => udp.send('three\n', port, '127.0.0.1', () => resolve()));
    udp.close();
    const deadline = Date.now() + 5000;
    while (receiver.received.tcp + receiver.received.udp < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const res = await fetch(url);
    const body = (await res.json()) as { received: Record<string, number>; lines: Array<{ transport: string; line: string }> };
    assert.deepEqual(body.received, { tcp: 2, udp: 1, total: 3 });
    assert.deepEqual(body.lines.map((l) => `${l.transport}:${l.line}`).sort(), ['tcp:one', 'tcp:two', 'udp:three']);
    assert.equal((await fetch(url, { method: 'DELETE' })).status, 204);
    assert.deepEqual(((await (await fetch(url)).json()) as { received: Record<string, number> }).received, { tcp: 0, udp: 0, total: 0 });
  } finally {
    await receiver.close();
  }
});
