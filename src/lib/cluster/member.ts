import crypto from 'node:crypto';
import os from 'node:os';
import { Lease, type LeaseEvents } from './lease';
import { HEARTBEAT, LEAVE, type RedisLike } from './scripts';

export interface MemberOptions {
  prefix: string;
  leaseTtlMs: number;
  /** `host:pid` shown to the other instances (default: this process). */
  identity?: string;
  /** Called once when Redis cannot be reached (per outage) and once when it can again. */
  online?(up: boolean, error?: Error): void;
}

/**
 * This instance in a secflow cluster: one per `secflow-redis` config node. Every
 * third of the lease ttl it beats (registers itself and its cursor names, with
 * Redis' clock), renews the leases it holds and balances: with c cursors and i live
 * instances, the instance of rank r (ids sorted) aims at ⌊c/i⌋ leases, +1 if r < c mod i.
 * Above its aim it releases leases that no run is using; below it, it takes free ones.
 * A free lease is taken at once unless a balancing release marked it as handed off
 * (then only by an instance below its aim, or at a second look), so no cursor stays without a holder.
 */
export class ClusterMember {
  readonly id: string;
  private readonly leases = new Map<string, Lease>();
  private timer?: ReturnType<typeof setInterval>;
  private ticking?: Promise<void>;
  private again = false;
  private up?: boolean;
  private stopped = false;
  /** What the last beat saw: live instances and cursor names. */
  view = { instances: 0, cursors: 0, rank: -1, aim: 0 };

  constructor(private readonly redis: RedisLike, private readonly options: MemberOptions) {
    this.id = `${options.identity ?? `${os.hostname()}:${process.pid}`}#${crypto.randomBytes(8).toString('hex')}`;
  }

  /** A beat every third of the lease ttl. */
  private get beatMs(): number {
    return Math.max(50, Math.floor(this.options.leaseTtlMs / 3));
  }

  /** Joins the cluster for `name` (the cursor's Redis name); the first call starts the beat. */
  lease(name: string, events: LeaseEvents = {}): Lease {
    if (this.leases.has(name)) throw new Error(`cluster: cursor "${name}" is already used by another node of this instance`);
    const lease = new Lease(this.redis, this.options.prefix, name, this.id, this.options.leaseTtlMs, events);
    this.leases.set(name, lease);
    if (!this.timer && !this.stopped) {
      this.timer = setInterval(() => void this.tick(), this.beatMs);
    }
    void this.tick();
    return lease;
  }

  /** Leaves `name`: releases it if held (a closing node). */
  async drop(lease: Lease): Promise<void> {
    if (this.leases.get(lease.name) !== lease) return;
    this.leases.delete(lease.name);
    lease.dispose();
    await lease.release().catch(() => undefined);
  }

  /** One beat now (and another after it, if one is running); resolves when done. */
  tick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.ticking) {
      this.again = true;
      return this.ticking;
    }
    this.ticking = this.beat().finally(() => {
      this.ticking = undefined;
      if (this.again) {
        this.again = false;
        void this.tick();
      }
    });
    return this.ticking;
  }

  /** Stops beating, releases every held lease and leaves the member list. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.ticking;
    const leases = [...this.leases.values()];
    this.leases.clear();
    for (const lease of leases) lease.dispose();
    await Promise.all(leases.map((l) => l.release().catch(() => undefined)));
    await this.redis.eval(LEAVE, { keys: [this.key('instances')], arguments: [this.id] }).catch(() => undefined);
  }

  private key(name: string): string {
    return `${this.options.prefix}_${name}`;
  }

  private setOnline(up: boolean, error?: Error): void {
    if (this.up === up) return;
    this.up = up;
    this.options.online?.(up, error);
  }

  private async beat(): Promise<void> {
    const leases = [...this.leases.values()];
    try {
      const ttl = this.options.leaseTtlMs;
      const [ids, cursors] = (await this.redis.eval(HEARTBEAT, {
        keys: [this.key('instances'), this.key('cursors')],
        arguments: [this.id, String(ttl), ...leases.map((l) => l.name)],
      })) as [string[], number];
      this.setOnline(true);
      const instances = Math.max(1, ids.length);
      const rank = ids.indexOf(this.id);
      const aim = Math.floor(cursors / instances) + ((rank < 0 ? instances - 1 : rank) < cursors % instances ? 1 : 0);
      this.view = { instances, cursors, rank, aim };
      for (const lease of leases) await lease.renew();
      let held = leases.filter((l) => l.held);
      // Above the aim: hand back idle leases, most recently taken first.
      for (let i = held.length - 1; i >= 0 && held.length > aim; i--) {
        if (held[i].busy) continue;
        await held[i].release(2 * this.beatMs);
        // Not taken back by this instance for two looks: it is for one below its aim.
        held[i].freeSightings = -2;
        held = held.filter((l) => l !== held[i]);
      }
      for (const lease of leases) {
        if (lease.held || !this.leases.has(lease.name)) continue;
        const { holder, handoff } = await lease.peek();
        if (holder) {
          lease.freeSightings = 0;
          continue;
        }
        // Free without a handoff mark: its holder stopped or died; take it now. A
        // handoff goes to an instance below its aim (or, if none took it, at a second look).
        if (!handoff || held.length < aim || lease.freeSightings >= 1) {
          if (await lease.acquire()) held.push(lease);
        } else {
          lease.freeSightings++;
        }
      }
    } catch (err) {
      this.setOnline(false, err instanceof Error ? err : new Error(String(err)));
      for (const lease of leases) lease.offline();
    }
  }
}
