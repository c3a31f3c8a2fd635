// Redis for tests: a client on the shared 127.0.0.1:6379 with a fresh key prefix
// per test, and a private redis-server the test starts itself (its own port and
// directory, AOF with appendfsync always), which a test may restart.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { freePort } from './free-port';
import type { RedisLike } from '../../src/lib/cluster';

export const SHARED_REDIS = 'redis://127.0.0.1:6379';

export function freshPrefix(): string {
  return `secflow-test:${crypto.randomBytes(6).toString('hex')}:`;
}

/** A plain node-redis client (the test's own view of Redis), connected. */
export async function testClient(url = SHARED_REDIS) {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** Deletes every key under `prefix` on the shared Redis. */
export async function dropPrefix(prefix: string, url = SHARED_REDIS): Promise<void> {
  const client = await testClient(url);
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) if (keys.length > 0) await client.del(keys);
  } finally {
    await client.close();
  }
}

/** True once `redis` runs a command (tries for about 5 s: a connection may still be coming up). */
export async function answersSoon(redis: RedisLike): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await redis.eval('return 1', { keys: [], arguments: [] })) === 1) return true;
    } catch {
      // not connected yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** A redis-server of the test's own, persistent across restarts (AOF, fsync always). */
export class PrivateRedis {
  port = 0;
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-redis-'));
  private child?: ChildProcess;

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dir, '--save', ''], { stdio: 'ignore' });
    this.child = child;
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        const c = await testClient(this.url);
        await c.ping();
        await c.close();
        return;
      } catch {
        if (Date.now() > deadline) throw new Error('redis-server did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }

  /** SIGSTOP: the server keeps its connections and reads nothing, as a stalled Redis does. */
  freeze(): void {
    this.child?.kill('SIGSTOP');
  }

  /** SIGCONT: it answers again, the commands sent meanwhile included. */
  thaw(): void {
    this.child?.kill('SIGCONT');
  }

  async dispose(): Promise<void> {
    this.thaw();
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
