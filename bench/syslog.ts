// Syslog sender throughput: 100,000 CEF-sized messages through SyslogSender over
// TCP (LF and octet counting) and TLS to a loopback sink that only counts
// bytes, and over TCP to the real syslog-ng (end to end: until syslog-ng has
// written every line). Sends are windowed (at most WINDOW unsettled) as a flow would be.
import net from 'node:net';
import tls from 'node:tls';
import { SyslogSender, type SyslogOptions } from '../src/lib/syslog';
import { makeTestCerts } from '../test/support/certs';
import { startSyslogNg } from '../test/support/syslog-ng';

const MESSAGES = 100_000;
const WINDOW = 1000;
const CEF = 'CEF:0|Code42|Advanced Exfiltration Detection|1|C42200|Source code|5|end=1580937563851 fname=plan\\=b.docx fileHash=6123bbce7f3937667a368bbb9f3d79ce suser=jürgen@example.com dhost=laptop-17 filePath=C:/Users/ana/Documents/';

type Row = Record<string, string | number>;

async function pump(options: SyslogOptions, waitForArrival?: () => Promise<void>): Promise<{ seconds: number; bytes: number }> {
  const sender = new SyslogSender(options);
  const started = process.hrtime.bigint();
  let bytes = 0;
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < MESSAGES; i++) {
    const text = `${CEF} cnt=${i}`;
    bytes += Buffer.byteLength(text);
    const p: Promise<void> = sender.send(text).finally(() => inFlight.delete(p));
    inFlight.add(p);
    if (inFlight.size >= WINDOW) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (waitForArrival) await waitForArrival();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await sender.close();
  if (sender.state().failed) throw new Error(`${sender.state().failed} sends failed: ${sender.state().lastError}`);
  return { seconds, bytes };
}

function row(label: string, r: { seconds: number; bytes: number }): Row {
  return { case: label, messages: MESSAGES, 'msgs/s': Math.round(MESSAGES / r.seconds), 'MB/s': r.bytes / r.seconds / 1e6, seconds: r.seconds };
}

export async function run(): Promise<Row[]> {
  const certs = makeTestCerts();
  const rows: Row[] = [];
  const sinkBytes = { n: 0 };
  const count = (socket: net.Socket) => socket.on('data', (d) => (sinkBytes.n += d.length));
  const tcpSink = net.createServer(count);
  const tlsSink = tls.createServer({ key: certs.server.key, cert: certs.server.cert }, count);
  await new Promise<void>((r) => tcpSink.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => tlsSink.listen(0, '127.0.0.1', r));
  const tcpPort = (tcpSink.address() as net.AddressInfo).port;
  const tlsPort = (tlsSink.address() as net.AddressInfo).port;
  try {
    rows.push(row('TCP, LF, none → byte sink', await pump({ host: '127.0.0.1', port: tcpPort, protocol: 'tcp' })));
    rows.push(row('TCP, octet, rfc5424 → byte sink', await pump({ host: '127.0.0.1', port: tcpPort, protocol: 'tcp', format: 'rfc5424' })));
    rows.push(row('TLS, octet, rfc5424 → byte sink', await pump({ host: '127.0.0.1', port: tlsPort, protocol: 'tls', format: 'rfc5424', ca: certs.ca.cert })));
    const ng = await startSyslogNg({ sources: [{ protocol: 'tcp', framing: 'octet' }], template: 'message' });
    try {
      const r = await pump({ host: '127.0.0.1', port: ng.ports[0], protocol: 'tcp', format: 'rfc5424' }, async () => {
        await ng.waitForLines(MESSAGES, 60_000);
      });
      rows.push(row('TCP, octet, rfc5424 → syslog-ng file (end to end)', r));
    } finally {
      await ng.stop();
    }
  } finally {
    tcpSink.close();
    tlsSink.close();
    certs.cleanup();
  }
  return rows;
}
