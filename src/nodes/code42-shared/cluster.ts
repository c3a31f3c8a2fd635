import { FencedCursorStore, type ClusterMember, type Lease } from '../../lib/cluster';
import type { CursorStore, Cursors } from '../../lib/cursor';
import { str } from '../shared/config';
import { asError } from '../shared/input';
import type { Node, NodeAPI, NodeDef } from '../shared/red';
import { isRedisCluster, type RedisClusterNode } from '../secflow-redis';
import { readCommonSettings } from './settings';

/**
 * An extractor's part in a cluster (`cluster` = a secflow-redis node): the lease on
 * its cursor, the fenced cursor store in Redis, and what the node shows: `standby ·
 * leader host:pid`, `paused · Redis unreachable` (one error per outage), a lost lease
 * (one error). `acquired` is called when this instance becomes the leader.
 */
export class ExtractorCluster {
  private readonly lease: Lease;
  private readonly unsubscribe: () => void;
  private outage = false;
  private readonly member: ClusterMember;

  private constructor(private readonly node: Node, private readonly redis: RedisClusterNode, name: string, private readonly acquired: () => void) {
    this.member = redis.member();
    this.lease = this.member.lease(name, {
      changed: (lease) => {
        if (lease.state === 'held') {
          this.node.status({ fill: 'green', shape: 'dot', text: 'leader · starting' });
          this.acquired();
        } else if (!this.outage) {
          this.showStandby();
        }
      },
      // A run in progress reports the loss itself (its cursor write is refused).
      lost: (_lease, error) => {
        if (!this.lease.busy && !this.paused) this.node.error(error, { topic: 'cluster', payload: { cluster: 'lease-lost', error: error.message } });
      },
    });
    this.unsubscribe = redis.onOnline((up, error) => {
      this.outage = !up;
      if (up) {
        this.node.status({ fill: 'yellow', shape: 'ring', text: 'Redis reachable again · waiting for the lease' });
        return;
      }
      this.node.status({ fill: 'red', shape: 'ring', text: 'paused · Redis unreachable' });
      const text = `cluster: Redis unreachable (${error?.message ?? 'no connection'}); extraction paused until it is back`;
      // With a message, so that Catch nodes see it.
      this.node.error(new Error(text), { topic: 'cluster', payload: { cluster: 'redis-unreachable', error: text } });
    });
  }

  /** Undefined when `cluster` is empty (one instance, cursor in the context store). */
  static fromConfig(RED: NodeAPI, node: Node, config: NodeDef, defaultCursorKey: string, acquired: () => void): ExtractorCluster | undefined {
    const id = str(config.cluster);
    if (!id) return undefined;
    const redis = RED.nodes.getNode(id);
    if (!isRedisCluster(redis)) throw new Error('cluster: select a secflow-redis config node (or leave it empty for a single instance)');
    const { scope, key } = readCommonSettings(config, defaultCursorKey).cursor;
    // The same flows run on every instance, so node and flow ids name the same cursor everywhere.
    const name = scope === 'global' ? key : `${scope === 'node' ? node.id : node.z ?? ''}:${key}`;
    return new ExtractorCluster(node, redis, name, acquired);
  }

  /** True only while this instance certainly holds the lease and Redis is reachable. */
  get leader(): boolean {
    return this.lease.held && !this.paused;
  }

  /** Redis is unreachable: extraction pauses (the outage was reported once). */
  get paused(): boolean {
    return this.outage || !this.redis.connection().ready;
  }

  /** A run that failed because Redis went away: no error of its own (the outage is reported once); the next beat notices the outage now. */
  failedOffline(): boolean {
    if (!this.paused) return false;
    void this.member.tick();
    this.node.status({ fill: 'red', shape: 'ring', text: 'paused · Redis unreachable' });
    return true;
  }

  /** Ends when the holding ends: a run stops at once. */
  get signal(): AbortSignal {
    return this.lease.signal;
  }

  /** The cursor in Redis; `previous` (the context store) is taken over once, when Redis has none. */
  store<C>(previous: CursorStore<C>, revive: (raw: unknown) => C | undefined): Cursors<C> {
    return new FencedCursorStore<C>(this.redis.connection(), this.lease, revive, () => previous.load());
  }

  /** Runs `fn` as the leader (a balancing release waits for it); refuses on standby (`what` is refused). */
  async asLeader<R>(fn: () => Promise<R>, what = 'extraction'): Promise<R> {
    if (!this.lease.held) throw new Error(`cluster: ${what} refused: this instance is on ${this.standbyText()}; the leader does it`);
    this.lease.busy = true;
    try {
      return await fn();
    } catch (err) {
      // A run cut short by the lost lease reports the loss, not the abort.
      if (this.lease.signal.aborted && !this.lease.held) throw new Error(`${asError(err).message} (cluster: the lease on this cursor was lost; the new leader continues from the last fenced cursor)`, { cause: err });
      throw err;
    } finally {
      this.lease.busy = false;
    }
  }

  showStandby(): void {
    if (this.outage) return;
    this.node.status({ fill: 'grey', shape: 'ring', text: this.standbyText() });
  }

  private standbyText(): string {
    return `standby · leader ${this.lease.leader ?? 'none yet'}`;
  }

  async close(): Promise<void> {
    this.unsubscribe();
    await this.member.drop(this.lease).catch(() => undefined);
  }
}
