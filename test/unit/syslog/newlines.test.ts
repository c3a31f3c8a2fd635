// Issue 13 item 5: a CR or LF in a payload must not forge a syslog line. Read
// back from the real syslog-ng: without octet counting (UDP, TCP with LF
// framing; formats none, RFC 3164, RFC 5424) line breaks arrive as #015/#012;
// `newlines: 'keep'` and octet counting send them unchanged.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SyslogSender, escapeNewlines, type SyslogOptions } from '../../../src/lib/syslog';
import { startSyslogNg, type SyslogNgHandle } from '../../support/syslog-ng';

const AT = new Date('2024-01-02T03:04:05.678Z');
const FORGED = 'Jan  2 03:04:06 bastion sshd[1]: Accepted password for root from 10.0.0.66';
const HOSTILE = `login failed for bob\r\n${FORGED}`;

let ng: SyslogNgHandle;
let lines = 0;

before(async () => {
  ng = await startSyslogNg({ sources: [{ protocol: 'udp' }, { protocol: 'tcp', framing: 'lf' }, { protocol: 'tcp', framing: 'octet' }] });
});
after(() => ng.stop());

/** Sends the payload and an end marker; returns the lines syslog-ng wrote for them. */
async function received(options: Partial<SyslogOptions>, port: number, payload: string): Promise<string[]> {
  const sender = new SyslogSender({ host: '127.0.0.1', port, hostname: 'testhost', reconnectMinMs: 60_000, ...options });
  try {
    await sender.send(payload, { timestamp: AT });
    await sender.send('end of test', { timestamp: AT });
  } finally {
    await sender.close();
  }
  const start = lines;
  const all = await waitForEnd();
  lines = all.length;
  return all.slice(start, -1);
}

async function waitForEnd(): Promise<string[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const all = ng.readLines();
    if (all.length > lines && all[all.length - 1].endsWith('end of test')) return all;
    if (Date.now() > deadline) throw new Error(`syslog-ng wrote ${JSON.stringify(all.slice(lines))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('line breaks in a payload (issue 13.5)', () => {
  const cases = [
    { name: 'UDP, format none', options: { protocol: 'udp', format: 'none' }, source: 0 },
    { name: 'UDP, RFC 3164', options: { protocol: 'udp', format: 'rfc3164' }, source: 0 },
    { name: 'TCP LF framing, format none', options: { protocol: 'tcp', format: 'none' }, source: 1 },
    { name: 'TCP LF framing, RFC 3164', options: { protocol: 'tcp', format: 'rfc3164' }, source: 1 },
    { name: 'TCP, RFC 5424 without octet counting', options: { protocol: 'tcp', format: 'rfc5424', octetCounting: false }, source: 1 },
  ] as const;
  for (const c of cases) {
    test(`${c.name}: CR/LF become #015/#012 and no forged line reaches syslog-ng`, async () => {
      const got = await received(c.options, ng.ports[c.source], HOSTILE);
      assert.equal(got.length, 1, `one message, no forged line: ${JSON.stringify(got)}`);
      assert.ok(got[0].endsWith(`login failed for bob#015#012${FORGED}`), got[0]);
      assert.ok(!got.some((l) => l.startsWith(FORGED)));
    });
  }

  test("newlines: 'keep' sends line breaks unchanged (the receiver splits them)", async () => {
    const got = await received({ protocol: 'tcp', format: 'none', newlines: 'keep' }, ng.ports[1], 'first\nsecond');
    assert.deepEqual(got, ['first', 'second']);
  });

  test('octet counting (RFC 5424 default) keeps line breaks inside the one framed message', async () => {
    const got = await received({ protocol: 'tcp', format: 'rfc5424' }, ng.ports[2], 'first\nsecond');
    assert.deepEqual(got, ['<14>1 2024-01-02T03:04:05.678Z testhost secflow - - - first', 'second']);
  });

  test('an unknown newlines value is refused, naming the option', () => {
    assert.throws(() => new SyslogSender({ host: '127.0.0.1', newlines: 'strip' as never }), /syslog newlines must be one of escape, keep; got "strip"/);
  });

  test('escapeNewlines: only CR and LF, as rsyslog octal escapes', () => {
    assert.equal(escapeNewlines('a\r\nb\nc\rd\te#'), 'a#015#012b#012c#015d\te#');
  });
});
