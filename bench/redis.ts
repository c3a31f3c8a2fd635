// Cluster cost per page (issue 16, "Speed"): lease renewal plus the fenced cursor
// write (two Lua scripts, two round trips) against the Redis on 127.0.0.1:6379,
// with a realistic file-event cursor. Target: at most 2 ms per page on loopback.
import crypto from 'node:crypto';
import { FencedCursorStore, Lease, connectRedis } from '../src/lib/cluster';

const PAGES = 2000;
const TARGET_MS = 2;

export async function run(): Promise<Array<Record<string, string | number>>> {
  const redis = connectRedis({ url: 'redis://127.0.0.1:6379' });
  const prefix = `secflow-bench:${crypto.randomBytes(4).toString('hex')}:`;
  for (let i = 0; i < 100 && !redis.ready; i++) await new Promise((r) => setTimeout(r, 50));
  const rows: Array<Record<string, string | number>> = [];
  try {
    for (const recent of [0, 1000]) {
      const lease = new Lease(redis, prefix, `bench-${recent}`, 'bench:1#b', 30_000);
      if (!(await lease.acquire())) throw new Error('bench: lease not acquired');
      const store = new FencedCursorStore(redis, lease);
      const cursor = { v: 1, ts: 1_793_534_409_990, ids: ['0_000003e7-78a4-4c7c-a7df-42a9f469631e_900000000'], recent: Array.from({ length: recent }, (_, i) => [`0_${i.toString(16).padStart(8, '0')}-78a4-4c7c-a7df-42a9f469631e`, 1_793_534_409_990 - i]) };
      for (let i = 0; i < 50; i++) await store.save(cursor); // warm-up
      const started = process.hrtime.bigint();
      for (let i = 0; i < PAGES; i++) {
        await lease.renew();
        cursor.ts++;
        await store.save(cursor);
      }
      const ms = Number(process.hrtime.bigint() - started) / 1e6 / PAGES;
      rows.push({ case: `renew + fenced write, cursor with ${recent} recent ids (${JSON.stringify(cursor).length.toLocaleString('en-US')} B)`, pages: PAGES, 'ms/page': ms, target: `≤ ${TARGET_MS}`, ok: ms <= TARGET_MS ? 'yes' : 'NO' });
      lease.dispose();
      await lease.release();
    }
  } finally {
    await redis.eval(`for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end return 1`, { keys: [], arguments: [`${prefix}*`] }).catch(() => undefined);
    await redis.close();
  }
  return rows;
}
