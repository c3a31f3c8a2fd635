import type { Cursors } from '../cursor';
import type { Lease } from './lease';
import { LOAD, WRITE, type RedisLike } from './scripts';

/**
 * A cursor in Redis whose every write is fenced (scripts.WRITE): only the current
 * lease holder with the newest fencing token can move it. A refused write ends the
 * holding (`lease.lose`) and rejects, so the run stops with the cursor where the
 * new holder has it. `takeover` supplies the cursor of the context store the node
 * used before `cluster` was set: read once, when Redis has no cursor yet, and
 * written to Redis at once so every instance continues from the same place.
 */
export class FencedCursorStore<T> implements Cursors<T> {
  constructor(
    private readonly redis: RedisLike,
    private readonly lease: Lease,
    private readonly revive: (raw: unknown) => T | undefined = (raw) => raw as T,
    private readonly takeover?: () => Promise<T | undefined>,
  ) {}

  async load(): Promise<T | undefined> {
    const [exists, raw] = (await this.redis.eval(LOAD, { keys: [this.lease.keys.cursor], arguments: [] })) as [number, string];
    if (exists === 0) {
      const taken = this.takeover ? await this.takeover() : undefined;
      await this.write(taken);
      return taken;
    }
    if (raw === '') return undefined;
    try {
      return this.revive(JSON.parse(raw));
    } catch (e) {
      throw new Error(`cursor "${this.lease.name}" in Redis is unreadable: ${(e as Error).message}`, { cause: e });
    }
  }

  save(value: T): Promise<void> {
    return this.write(value);
  }

  clear(): Promise<void> {
    return this.write(undefined);
  }

  private async write(value: T | undefined): Promise<void> {
    const result = await this.redis.eval(WRITE, {
      keys: [this.lease.keys.lease, this.lease.keys.fence, this.lease.keys.cursor],
      arguments: [this.lease.token, String(this.lease.fence), value === undefined ? '' : JSON.stringify(value)],
    });
    if (result === 'ok') return;
    const reason = result === 'lease' ? 'the lease is no longer held by this instance' : 'a newer fencing token was issued';
    this.lease.lose(`cursor write refused: ${reason}`);
    throw new Error(`cluster: cursor "${this.lease.name}" not written: ${reason}; the run stopped without moving the cursor`);
  }
}
