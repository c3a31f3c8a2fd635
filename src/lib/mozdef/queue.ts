// The delivery queue of one MozDef target: bounded in memory, with an optional
// on-disk spill (see ../spill) that takes the overflow and, at close, whatever is
// still queued, so that an outage, a redeploy or a restart loses nothing.
import { SpillStore, type SpillRef } from '../spill';
import type { Doc } from './message';

export interface QueueItem {
  id: string;
  /** Vulnerabilities go to /custom/vulnerability; everything else is an event. */
  kind: 'event' | 'vulnerability';
  doc: Doc;
  /** Id of the sender node that queued it (for its outputs and errors). */
  origin?: string;
  msgid?: string;
  /** Delivery attempts so far (survives a spill). */
  attempts: number;
  /** Set once the "also syslog" copy went out, so a retry does not repeat it. */
  syslogDone?: boolean;
}

export interface QueueEntry {
  item: QueueItem;
  /** Where the item lives on disk when it came from the spill. */
  ref?: SpillRef;
  /** Its size in memory, as its JSON's bytes (set by the queue). */
  bytes?: number;
  /** The doc's compact JSON, kept from sizing it (bulk sends exactly this line). */
  json?: string;
}

export type OverflowPolicy = 'drop-oldest' | 'drop-new';

export interface QueueOptions {
  maxQueue: number;
  /** The in-memory queue's bound in bytes (the items' JSON); default 64 MiB. */
  maxQueueBytes?: number;
  overflow: OverflowPolicy;
  /** Directory of the spill; none: memory only. */
  spillDir?: string;
  maxSpillBytes?: number;
}

/** `dropped`: what the overflow policy dropped (the new item, or as many of the oldest as made room). */
export type PushResult = { outcome: 'queued' | 'spilled' } | { outcome: 'dropped'; dropped: QueueItem[] };

/** What an entry costs in memory besides its doc's JSON (the item, the entry, the array slot). */
export const ENTRY_OVERHEAD_BYTES = 200;

/** An entry with its size: the doc's JSON bytes plus the item's own overhead. */
function sized(entry: QueueEntry): QueueEntry {
  const json = JSON.stringify(entry.item.doc);
  return { item: entry.item, ref: entry.ref, json, bytes: Buffer.byteLength(json) + ENTRY_OVERHEAD_BYTES };
}

export class DeliveryQueue {
  private memory: QueueEntry[] = [];
  private head = 0;
  private memoryBytes = 0;
  private readonly maxBytes: number;
  readonly spill?: SpillStore<QueueItem>;
  private readonly options: QueueOptions;

  constructor(options: QueueOptions) {
    this.options = options;
    this.maxBytes = options.maxQueueBytes ?? 64 * 1024 * 1024;
    if (options.spillDir) this.spill = new SpillStore<QueueItem>(options.spillDir, options.maxSpillBytes ?? 100 * 1024 * 1024);
  }

  /** Opens the spill (replaying what a previous run left) ; returns the number of items found. */
  open(): number {
    return this.spill ? this.spill.open() : 0;
  }

  /** Items in memory (not in flight). */
  get memoryLength(): number {
    return this.memory.length - this.head;
  }

  /** Everything waiting: memory plus spilled items not yet loaded. */
  get length(): number {
    return this.memoryLength + (this.spill?.unloaded ?? 0);
  }

  /** Bytes of the items in memory (not in flight). */
  get bytes(): number {
    return this.memoryBytes;
  }

  push(item: QueueItem): PushResult {
    const entry = sized({ item });
    const bytes = entry.bytes!;
    // While anything waits on disk, new items go there too, to keep the order.
    const spillBusy = (this.spill?.unloaded ?? 0) > 0;
    if (!spillBusy && this.fits(bytes)) {
      this.add(entry);
      return { outcome: 'queued' };
    }
    if (this.spill) {
      if (this.spill.append([item])) return { outcome: 'spilled' };
      return { outcome: 'dropped', dropped: [item] };
    }
    if (this.options.overflow === 'drop-new' || bytes > this.maxBytes) return { outcome: 'dropped', dropped: [item] };
    const dropped: QueueItem[] = [];
    while (!this.fits(bytes) && this.memoryLength > 0) dropped.push(this.shiftOne()!.item);
    this.add(entry);
    return { outcome: 'dropped', dropped };
  }

  /** Up to `max` entries from the head, refilling memory from the spill first. */
  take(max: number): QueueEntry[] {
    this.refill();
    const out: QueueEntry[] = [];
    while (out.length < max && this.memoryLength > 0) out.push(this.shiftOne()!);
    return out;
  }

  /** Puts entries back at the head (a retryable failure), in their order. */
  requeue(entries: QueueEntry[]): void {
    if (entries.length === 0) return;
    this.compact();
    this.memory.unshift(...entries);
    for (const entry of entries) this.memoryBytes += entry.bytes ?? 0;
  }

  /** The entry is done with (delivered or failed for good): its spill line may go. */
  ack(entry: QueueEntry): void {
    if (entry.ref) this.spill?.ack(entry.ref);
  }

  /**
   * Persists what is still queued plus `inflight` (entries not delivered) to the spill.
   * Returns how many items are lost (no spill, or spill full).
   */
  close(inflight: QueueEntry[]): number {
    const pending = [...inflight, ...this.memory.slice(this.head)];
    this.memory = [];
    this.head = 0;
    this.memoryBytes = 0;
    if (!this.spill) return pending.length;
    // Entries from the spill are still on disk; only memory-only ones need writing.
    const lost = this.spill.persistFirst(pending.filter((e) => !e.ref).map((e) => e.item));
    this.spill.close();
    return lost;
  }

  private refill(): void {
    if (!this.spill || this.spill.unloaded === 0) return;
    const room = this.options.maxQueue - this.memoryLength;
    if (room <= this.options.maxQueue / 2 || this.memoryBytes > this.maxBytes / 2) return;
    this.compact();
    // Loads may go past the byte bound by what one load brings: at most half the count bound.
    for (const loaded of this.spill.load(room)) this.add(sized(loaded));
  }

  private fits(bytes: number): boolean {
    return this.memoryLength < this.options.maxQueue && this.memoryBytes + bytes <= this.maxBytes;
  }

  private add(entry: QueueEntry): void {
    this.memory.push(entry);
    this.memoryBytes += entry.bytes ?? 0;
  }

  private shiftOne(): QueueEntry | undefined {
    if (this.head >= this.memory.length) return undefined;
    const entry = this.memory[this.head];
    this.memory[this.head] = undefined as unknown as QueueEntry;
    this.head++;
    this.memoryBytes -= entry.bytes ?? 0;
    if (this.head > 1024 && this.head * 2 > this.memory.length) this.compact();
    return entry;
  }

  private compact(): void {
    if (this.head === 0) return;
    this.memory = this.memory.slice(this.head);
    this.head = 0;
  }
}
