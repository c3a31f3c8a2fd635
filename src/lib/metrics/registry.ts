// Pipeline-health counters, one NodeMetrics per running node, in a module-level
// registry keyed by node id. Nodes bump plain number fields (no allocation per
// event); everything derived (lag, rates, the per-minute history) is computed when
// someone looks: a Prometheus scrape or the editor sidebar's once-a-second update.

/** What a node does in a pipeline: decides which counters mean "activity". */
export type NodeRole = 'extractor' | 'transform' | 'sink';

const MINUTE_MS = 60_000;
/** Minutes of history kept for the editor's sparkline. */
export const HISTORY_MINUTES = 60;

export class NodeMetrics {
  role: NodeRole = 'transform';
  /** Messages received on the input. */
  received = 0;
  /** Messages sent on any output. */
  sent = 0;
  /** Input messages completed successfully (for a sink: delivered to its peer). */
  completed = 0;
  /** Input messages completed with an error (for a sink: given up). */
  failed = 0;
  /** Errors the node reported (per message, connection and poll errors). */
  errors = 0;
  lastError = '';
  lastErrorMs = 0;
  lastSuccessMs = 0;
  // Extractors.
  extracted = 0;
  pages = 0;
  runs = 0;
  /** The cursor's event time (ms since the epoch), 0 when there is none yet. */
  cursorMs = 0;
  lastRunSeconds = 0;
  // Sinks.
  bytes = 0;
  /** The number of messages queued in the sink now, read when looked at. */
  queueDepth: () => number = () => 0;
  /** Messages the sink wrote to disk to keep them through an outage, for sinks that spill while running. */
  spilled?: () => number;

  /** The current minute (since the epoch), the activity count at its start, and completed minutes (oldest first). */
  private minute: number;
  private minuteBase = 0;
  private readonly history: number[] = [];

  constructor(
    readonly id: string,
    readonly type: string,
    readonly name: string,
    startedMs = Date.now(),
  ) {
    // The node starts at zero: its first minute's activity counts from here.
    this.minute = Math.floor(startedMs / MINUTE_MS);
  }

  /** The count the sparkline shows: events extracted, delivered, or received. */
  activity(): number {
    if (this.role === 'extractor') return this.extracted;
    if (this.role === 'sink') return this.completed;
    return this.received;
  }

  /** Records an error the node reported. */
  error(message: string, nowMs = Date.now()): void {
    this.errors++;
    this.lastError = message;
    this.lastErrorMs = nowMs;
  }

  /** An extractor delivered a page of `events`; `cursor` is its cursor's event time (ISO 8601), if known. */
  page(events: number, cursor?: string | null): void {
    this.extracted += events;
    this.pages++;
    this.setCursor(cursor);
  }

  /** An extraction run completed without error. */
  run(durationMs: number, cursor?: string | null, nowMs = Date.now()): void {
    this.runs++;
    this.lastRunSeconds = durationMs / 1000;
    this.lastSuccessMs = nowMs;
    this.setCursor(cursor);
  }

  private setCursor(cursor?: string | null): void {
    const ms = cursor ? Date.parse(cursor) : NaN;
    if (ms > 0) this.cursorMs = ms;
  }

  /** Seconds the cursor is behind `nowMs`, or undefined without a cursor. */
  cursorLagSeconds(nowMs = Date.now()): number | undefined {
    return this.cursorMs > 0 ? Math.max(0, (nowMs - this.cursorMs) / 1000) : undefined;
  }

  /**
   * Closes finished minutes into the history. Called when someone looks (at least
   * once a minute for an exact history; a gap is recorded as minutes of 0 after the
   * first, with the whole gap's count in its first minute).
   */
  sample(nowMs = Date.now()): void {
    const minute = Math.floor(nowMs / MINUTE_MS);
    const total = this.activity();
    if (minute <= this.minute) return;
    this.history.push(total - this.minuteBase);
    for (let m = this.minute + 1; m < minute && this.history.length < 2 * HISTORY_MINUTES; m++) this.history.push(0);
    if (this.history.length > HISTORY_MINUTES - 1) this.history.splice(0, this.history.length - (HISTORY_MINUTES - 1));
    this.minute = minute;
    this.minuteBase = total;
  }

  /** Events per minute over the last hour, oldest first; the last entry is the current, partial minute. */
  perMinute(nowMs = Date.now()): number[] {
    this.sample(nowMs);
    return [...this.history, this.activity() - this.minuteBase];
  }
}

const byId = new Map<string, NodeMetrics>();

/** A fresh entry for a node starting now: replaces any entry the id had (a restart resets). */
export function register(id: string, type: string, name: string, nowMs = Date.now()): NodeMetrics {
  const entry = new NodeMetrics(id, type, name, nowMs);
  byId.set(id, entry);
  return entry;
}

/** Drops the entry when its node stops, unless a newer node with the same id already took the slot. */
export function unregister(entry: NodeMetrics): void {
  if (byId.get(entry.id) === entry) byId.delete(entry.id);
}

/** Every running node's entry, in a stable order (by type, then id). */
export function allMetrics(): NodeMetrics[] {
  return [...byId.values()].sort((a, b) => (a.type === b.type ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.type < b.type ? -1 : 1));
}
