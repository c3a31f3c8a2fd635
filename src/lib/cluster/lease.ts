import { ACQUIRE, PEEK, RELEASE, RENEW, type RedisLike } from './scripts';

export type LeaseState = 'standby' | 'held' | 'offline';

/** Redis keys of one cursor name under a prefix. */
export function cursorKeys(prefix: string, name: string): { cursor: string; lease: string; fence: string; handoff: string } {
  return { cursor: `${prefix}${name}`, lease: `${prefix}${name}:lease`, fence: `${prefix}${name}:fence`, handoff: `${prefix}${name}:handoff` };
}

/** `host:pid` of a lease token (`host:pid#random`). */
export function holderOf(token: string): string {
  const i = token.lastIndexOf('#');
  return i > 0 ? token.slice(0, i) : token;
}

export interface LeaseEvents {
  /** The state changed (acquired, lost, released, Redis went away or came back, another leader). */
  changed?(lease: Lease): void;
  /** The lease was lost while held: the run in progress stops, the cursor stays. */
  lost?(lease: Lease, error: Error): void;
}

/**
 * One cursor's lease, as seen by one instance: `SET NX PX` with this instance's
 * token, a fencing token from `INCR` per acquisition, renewal and release only by
 * compare-and-set. `held` is true only while the lease is certainly ours: until the
 * last successful renewal's send time plus the ttl (local clock, a conservative bound).
 */
export class Lease {
  state: LeaseState = 'standby';
  /** `host:pid` of the current holder as last seen (this instance's own when held). */
  leader?: string;
  /** The fencing token of the current holding. */
  fence = 0;
  /** Set while a run uses the lease: a balancing release waits for it. */
  busy = false;
  readonly keys: { cursor: string; lease: string; fence: string; handoff: string };
  private validUntil = 0;
  private expiry?: ReturnType<typeof setTimeout>;
  private abort = new AbortController();
  /** Free when last looked at but not taken (balance): a second sighting takes it. */
  freeSightings = 0;

  constructor(private readonly redis: RedisLike, prefix: string, readonly name: string, readonly token: string, private readonly ttlMs: number, private readonly events: LeaseEvents = {}) {
    this.keys = cursorKeys(prefix, name);
  }

  get held(): boolean {
    return this.state === 'held' && Date.now() < this.validUntil;
  }

  /** Aborted when this holding ends (lost or released). */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  async acquire(): Promise<boolean> {
    const sent = Date.now();
    const [ok, value] = (await this.redis.eval(ACQUIRE, { keys: [this.keys.lease, this.keys.fence], arguments: [this.token, String(this.ttlMs)] })) as [number, number | string];
    if (ok === 1) {
      this.fence = Number(value);
      this.abort = new AbortController();
      this.extend(sent);
      this.set('held', holderOf(this.token));
      return true;
    }
    this.freeSightings = 0;
    this.set('standby', value ? holderOf(String(value)) : undefined);
    return false;
  }

  /** Renews a held lease; a lease found gone or taken is lost. */
  async renew(): Promise<void> {
    if (this.state !== 'held') return;
    if (Date.now() >= this.validUntil) return this.lose('its ttl passed without a renewal');
    const sent = Date.now();
    const ok = await this.redis.eval(RENEW, { keys: [this.keys.lease], arguments: [this.token, String(this.ttlMs)] });
    if (ok === 1) this.extend(sent);
    else this.lose('another instance holds it now');
  }

  /** Who holds it now ('' = nobody) and whether a balancing handoff is pending; updates `leader`. */
  async peek(): Promise<{ holder: string; handoff: boolean }> {
    const [value, handoff] = (await this.redis.eval(PEEK, { keys: [this.keys.lease, this.keys.handoff], arguments: [] })) as [string, number];
    this.set(this.state === 'held' ? 'held' : 'standby', value ? holderOf(String(value)) : undefined);
    return { holder: String(value), handoff: handoff === 1 };
  }

  /** Gives the lease up; `handoffMs` > 0 marks it as handed to an instance below its aim (balance). */
  async release(handoffMs = 0): Promise<void> {
    if (this.state !== 'held') return;
    this.end();
    this.set('standby', undefined);
    await this.redis.eval(RELEASE, { keys: [this.keys.lease, this.keys.handoff], arguments: [this.token, String(handoffMs)] });
  }

  /** Redis cannot be reached: the lease stays held until its local bound passes, then it is lost. */
  offline(): void {
    if (this.state === 'held' && Date.now() < this.validUntil) return;
    if (this.state === 'held') return this.lose('Redis could not be reached to renew it');
    this.set('offline', this.leader);
  }

  /** Called when a fenced write was refused: the holding is over. */
  lose(reason: string): void {
    if (this.state !== 'held') return;
    this.end();
    this.set('standby', undefined);
    this.events.lost?.(this, new Error(`cluster: lease on cursor "${this.name}" lost (${reason}); this instance stopped extracting it and did not move the cursor`));
  }

  /** Stops the local expiry timer (close). */
  dispose(): void {
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = undefined;
  }

  private extend(sent: number): void {
    this.validUntil = sent + this.ttlMs;
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = setTimeout(() => this.lose('its ttl passed without a renewal'), this.ttlMs);
    this.expiry.unref?.();
  }

  private end(): void {
    this.dispose();
    this.validUntil = 0;
    this.abort.abort(new Error(`cluster: lease on cursor "${this.name}" ended`));
  }

  private set(state: LeaseState, leader: string | undefined): void {
    const changed = state !== this.state || leader !== this.leader;
    this.state = state;
    this.leader = leader;
    if (changed) this.events.changed?.(this);
  }
}
