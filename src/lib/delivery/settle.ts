// Settling: which of the messages an extractor sent did the flow finish, and how.
// Fed by the runtime's message events (a delivery to a node; a node completing a
// message, with or without an error); knows nothing of Node-RED itself.

/** How one message ended. */
export type Outcome = 'delivered' | 'dropped' | 'failed';

export interface Failure {
  /** The message's index within its batch. */
  index: number;
  /** The first error a node completed the message (or a copy of it) with. */
  error: string;
  /** The node that reported it; undefined when the message was not settled in time. */
  nodeId?: string;
  /**
   * A message carrying many items (a page) that only some of them failed: their
   * indexes, when every error it completed with listed them (`error.indexes`, as
   * secflow-cef's does). Undefined: the message failed as a whole.
   */
  indexes?: number[];
}

export interface BatchResult {
  delivered: number;
  dropped: number;
  /** Failed messages, and with a timeout also those not settled in time, in index order. */
  failed: Failure[];
  /** How many of `failed` were not settled in time (rather than failed by a node). */
  unsettled: number;
}

interface Entry {
  batch: Batch;
  index: number;
  /** Deliveries not yet completed, per destination node id. */
  pending: Map<string, number>;
  open: number;
  confirmed: boolean;
  error?: { message: string; nodeId: string; indexes?: number[] };
}

/**
 * Tracks the messages of batches (one per page). A message is settled when every
 * node it (or a copy of it) was delivered to has completed it:
 * - delivered: at least one confirm node completed it without error, none with one;
 * - dropped: settled without error, but no confirm node completed it (a switch filtered it);
 * - failed: some node completed it with an error.
 * A completion by a node it was never delivered to (Catch, Complete and Status nodes
 * receive copies outside the wires) is ignored: it was not counted as a delivery.
 */
export class SettleTracker {
  private readonly entries = new Map<string, Entry>();
  private seq = 0;
  /**
   * Nodes that never call done() (the core switch and filter nodes): the runtime
   * reports no completion for them. They handle messages in arrival order, so the
   * messages delivered to one of them are queued here; a message it sends on
   * completes it and every message it received before (those it filtered out),
   * and once it has been quiet for as many event-loop turns as it has messages
   * waiting (plus two), it has filtered out the rest.
   */
  private readonly silent = new Map<string, { tags: string[]; active: boolean; watching: boolean }>();

  /**
   * @param confirm the ids of the nodes whose completion proves delivery
   * @param prefix makes this tracker's tags unique among every tracker in the process
   */
  constructor(private readonly confirm: ReadonlySet<string>, private readonly prefix: string) {}

  /** Starts a batch of `count` messages; put `batch.tags[i]` on message i before sending it. */
  batch(count: number): Batch {
    const batch = new Batch(this, count);
    for (let i = 0; i < count; i++) {
      const tag = `${this.prefix}${++this.seq}`;
      batch.tags.push(tag);
      this.entries.set(tag, { batch, index: i, pending: new Map(), open: 0, confirmed: false });
    }
    return batch;
  }

  /** A message tagged `tag` is being delivered to node `destinationId`. */
  delivering(tag: unknown, destinationId: string): void {
    if (typeof tag !== 'string') return;
    const entry = this.entries.get(tag);
    if (!entry) return;
    entry.pending.set(destinationId, (entry.pending.get(destinationId) ?? 0) + 1);
    entry.open++;
  }

  /** A message tagged `tag` is being delivered to `destinationId`, a node that never calls done(). */
  deliveringToSilent(tag: unknown, destinationId: string): void {
    if (typeof tag !== 'string' || !this.entries.has(tag)) return;
    this.delivering(tag, destinationId);
    let node = this.silent.get(destinationId);
    if (!node) {
      node = { tags: [], active: true, watching: false };
      this.silent.set(destinationId, node);
    }
    node.tags.push(tag);
    node.active = true;
    this.watch(destinationId, node);
  }

  /**
   * Node `sourceId` sent on a message tagged `tag` (call this after its deliveries
   * were counted): if it is a node that never calls done(), it has now completed
   * that message and every one it received before.
   */
  sentBy(tag: unknown, sourceId: string): void {
    const node = this.silent.get(sourceId);
    if (!node || typeof tag !== 'string') return;
    const at = node.tags.indexOf(tag);
    if (at < 0) return;
    node.active = true;
    for (const done of node.tags.splice(0, at + 1)) this.completed(done, sourceId, undefined);
  }

  private watch(nodeId: string, node: { tags: string[]; active: boolean; watching: boolean }): void {
    if (node.watching) return;
    node.watching = true;
    let quietTurns = 0;
    const turn = () => {
      if (this.silent.get(nodeId) !== node) return;
      if (node.active) {
        node.active = false;
        quietTurns = 0;
      } else {
        quietTurns++;
      }
      if (node.tags.length === 0) {
        node.watching = false;
        this.silent.delete(nodeId);
        return;
      }
      if (quietTurns > node.tags.length + 2) {
        for (const done of node.tags.splice(0)) this.completed(done, nodeId, undefined);
        node.watching = false;
        this.silent.delete(nodeId);
        return;
      }
      setImmediate(turn);
    };
    setImmediate(turn);
  }

  /** Node `nodeId` completed a message tagged `tag`, with `error` if it failed it. */
  completed(tag: unknown, nodeId: string, error: unknown): void {
    if (typeof tag !== 'string') return;
    const entry = this.entries.get(tag);
    if (!entry) return;
    const pending = entry.pending.get(nodeId);
    if (!pending) return;
    if (pending === 1) entry.pending.delete(nodeId);
    else entry.pending.set(nodeId, pending - 1);
    entry.open--;
    if (error !== undefined && error !== null && error !== false) {
      const indexes = itemIndexes(error);
      if (!entry.error) entry.error = { message: errorText(error), nodeId, indexes };
      // Any error without indexes fails the whole message; lists of indexes add up.
      else if (entry.error.indexes) entry.error.indexes = indexes && [...new Set([...entry.error.indexes, ...indexes])].sort((a, b) => a - b);
    } else if (this.confirm.has(nodeId)) {
      entry.confirmed = true;
    }
    if (entry.open === 0 && entry.batch.sealed) this.settle(tag, entry);
  }

  /** Messages still tracked (for tests and status). */
  get size(): number {
    return this.entries.size;
  }

  /** Forgets every message: a run ended; late events are ignored. */
  clear(): void {
    const batches = new Set<Batch>();
    for (const entry of this.entries.values()) batches.add(entry.batch);
    for (const batch of batches) batch.cancel();
    this.entries.clear();
    this.silent.clear();
  }

  /** @internal called by Batch.seal for messages that nothing received, and for those already complete. */
  settleOpen(batch: Batch): void {
    for (const tag of batch.tags) {
      const entry = this.entries.get(tag);
      if (entry && entry.open === 0) this.settle(tag, entry);
    }
  }

  /** @internal drops a batch's unsettled messages (timeout) and returns their indexes. */
  expire(batch: Batch): number[] {
    const indexes: number[] = [];
    for (const tag of batch.tags) {
      const entry = this.entries.get(tag);
      if (!entry) continue;
      this.entries.delete(tag);
      indexes.push(entry.index);
    }
    return indexes;
  }

  private settle(tag: string, entry: Entry): void {
    this.entries.delete(tag);
    if (entry.error) entry.batch.record('failed', entry.index, entry.error);
    else entry.batch.record(entry.confirmed ? 'delivered' : 'dropped', entry.index);
  }
}

/** One page's messages. */
export class Batch {
  readonly tags: string[] = [];
  sealed = false;
  private delivered = 0;
  private dropped = 0;
  private readonly failed: Failure[] = [];
  private remaining: number;
  private finish?: () => void;
  private expireNow?: () => void;

  constructor(private readonly tracker: SettleTracker, readonly count: number) {
    this.remaining = count;
  }

  /**
   * Every message was sent (their deliveries were counted as they were sent):
   * from here, a message whose deliveries all completed is settled.
   */
  seal(): void {
    this.sealed = true;
    this.tracker.settleOpen(this);
  }

  /**
   * Resolves once every message is settled, or after `timeoutMs` with the unsettled
   * ones counted as failed; rejects if `signal` aborts first.
   */
  settled(timeoutMs: number, signal?: AbortSignal): Promise<BatchResult> {
    return new Promise((resolve, reject) => {
      const stop = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.finish = undefined;
        this.expireNow = undefined;
      };
      const done = (expired: number[]) => {
        stop();
        for (const index of expired) this.failed.push({ index, error: `not settled within ${timeoutMs / 1000} s` });
        this.failed.sort((a, b) => a.index - b.index);
        resolve({ delivered: this.delivered, dropped: this.dropped, failed: this.failed, unsettled: expired.length });
      };
      const onAbort = () => {
        stop();
        this.tracker.expire(this);
        reject(new Error('aborted while waiting for delivery confirmations'));
      };
      const expireNow = () => done(this.tracker.expire(this));
      const timer = setTimeout(expireNow, timeoutMs);
      if (signal?.aborted) return onAbort();
      if (this.remaining === 0) return done([]);
      this.finish = () => done([]);
      this.expireNow = expireNow;
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** @internal the tracker was cleared: a wait in progress ends now, its open messages unsettled. */
  cancel(): void {
    this.expireNow?.();
  }

  /** @internal */
  record(outcome: Outcome, index: number, error?: { message: string; nodeId: string; indexes?: number[] }): void {
    if (outcome === 'delivered') this.delivered++;
    else if (outcome === 'dropped') this.dropped++;
    else this.failed.push({ index, error: error?.message ?? 'failed', nodeId: error?.nodeId, ...(error?.indexes ? { indexes: error.indexes } : {}) });
    this.remaining--;
    if (this.remaining === 0) this.finish?.();
  }
}

/** The item indexes an error lists (`error.indexes`), if it lists them. */
function itemIndexes(error: unknown): number[] | undefined {
  const indexes = typeof error === 'object' && error !== null ? (error as { indexes?: unknown }).indexes : undefined;
  return Array.isArray(indexes) && indexes.every((i) => Number.isInteger(i) && i >= 0) ? [...(indexes as number[])] : undefined;
}

function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') return (error as { message: string }).message;
  return String(error);
}
