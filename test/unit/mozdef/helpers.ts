// Shared bits of the MozDef tests: a UDP syslog sink and the contract's pinned host fields.
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

/** The pinned host fields of the MozDef contract (hostname, processname, processid). */
export const PINNED_HOST = { hostname: 'host.example.com', processname: '/usr/bin/myapp.py', processid: 4242 };

export interface UdpSink {
  port: number;
  lines: string[];
  next(timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

/** A UDP listener on 127.0.0.1 that collects datagrams as text. */
export async function udpSink(): Promise<UdpSink> {
  const socket = dgram.createSocket('udp4');
  const lines: string[] = [];
  const waiters: Array<(line: string) => void> = [];
  let read = 0;
  socket.on('message', (buf) => {
    lines.push(buf.toString('utf8'));
    const w = waiters.shift();
    if (w) w(lines[read++]);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: (socket.address() as AddressInfo).port,
    lines,
    next(timeoutMs = 5000) {
      if (read < lines.length) return Promise.resolve(lines[read++]);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no syslog datagram received')), timeoutMs);
        waiters.push((line) => { clearTimeout(timer); resolve(line); });
      });
    },
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}
