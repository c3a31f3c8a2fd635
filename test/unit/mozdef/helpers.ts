// Shared bits of the MozDef tests: vector paths, a UDP syslog sink, pinned host info.
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { vectorPath } from '../../support/vectors';

export const VECTORS = vectorPath('mozdef');

export function vector<T = unknown>(name: string): T {
  return JSON.parse(fs.readFileSync(path.join(VECTORS, name), 'utf8')) as T;
}

/** The pinned host fields of esworker_keymapping.json. */
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
