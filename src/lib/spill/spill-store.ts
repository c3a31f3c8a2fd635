// The on-disk spill of a delivery queue (MozDef targets, syslog senders): append-only
// NDJSON segment files, one item per line, plus a small `.ack` file per segment holding
// how many lines from its start were delivered. A segment is deleted once every line is
// acked. A restart replays each segment from its ack offset: at-least-once, never lost.
// Appends go straight to the file descriptor; sync() fsyncs them (a caller that reports
// an item as safe on disk calls it first); close() and persistFirst() fsync too.
// The directory is private (0700) and the files 0600: queued events are sensitive.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface SpillRef {
  seq: number;
  line: number;
}

/** An item handed back from the spill, with where it lives on disk. */
export interface SpillEntry<T> {
  item: T;
  ref?: SpillRef;
}

interface Segment<T> {
  seq: number;
  file: string;
  lines: number;
  bytes: number;
  /** Lines handed to the queue so far. */
  loaded: number;
  /** Lines from the start that are delivered. */
  ackPrefix: number;
  /** Delivered lines beyond the prefix (out-of-order completions). */
  ackedAhead: Set<number>;
  /** No more appends (the write segment is sealed before it is read). */
  sealed: boolean;
  cache?: T[];
  ackDirty?: boolean;
}

const SEGMENT_BYTES = 1024 * 1024;
const DIR_MODE = 0o700;
const FILE_MODE = 0o600;
const FIRST_SEQ = 1_000_000_000_000;

function pad(seq: number): string {
  return String(seq).padStart(16, '0');
}

/**
 * The spill directory of the target `id` under `root`: the id as a directory
 * name when it is a plain one (Node-RED's own ids are hex), otherwise a hash of
 * it, so a crafted id such as `../../x` cannot move the spill outside `root`.
 */
export function spillDirFor(root: string, id: string): string {
  const plain = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(id) && !id.includes('..');
  const dir = path.join(root, plain ? id : `id-${createHash('sha256').update(id).digest('hex').slice(0, 32)}`);
  const rel = path.relative(root, dir);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) throw new Error(`spill directory for ${JSON.stringify(id)} is outside ${root}`);
  return dir;
}

export class SpillStore<T = unknown> {
  private segments: Array<Segment<T>> = [];
  private writer?: { seg: Segment<T>; fd: number; dirty: boolean };
  private ackTimer?: NodeJS.Timeout;
  private totalBytes = 0;
  private closed = false;

  constructor(readonly dir: string, readonly maxBytes: number) {}

  /** Scans the directory; returns the number of undelivered items found. */
  open(): number {
    fs.mkdirSync(this.dir, { recursive: true, mode: DIR_MODE });
    fs.chmodSync(this.dir, DIR_MODE);
    const files = fs.readdirSync(this.dir).filter((f) => /^\d{16}\.ndjson$/.test(f)).sort();
    let found = 0;
    for (const name of files) {
      const seq = Number(name.slice(0, 16));
      const file = path.join(this.dir, name);
      const items = readSegment<T>(file);
      const ackPrefix = Math.min(items.length, readAck(ackFile(file)));
      if (ackPrefix >= items.length) {
        removeSegmentFiles(file);
        continue;
      }
      const bytes = fs.statSync(file).size;
      this.segments.push({ seq, file, lines: items.length, bytes, loaded: ackPrefix, ackPrefix, ackedAhead: new Set(), sealed: true });
      this.totalBytes += bytes;
      found += items.length - ackPrefix;
    }
    return found;
  }

  /** Items on disk not yet handed to the queue. */
  get unloaded(): number {
    let n = 0;
    for (const s of this.segments) n += s.lines - s.loaded;
    return n;
  }

  /** Items on disk not yet delivered (loaded or not). */
  get pending(): number {
    let n = 0;
    for (const s of this.segments) n += s.lines - s.ackPrefix - s.ackedAhead.size;
    return n;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** Appends items; false (nothing written) when the spill is full. */
  append(items: T[]): boolean {
    const text = items.map((i) => `${JSON.stringify(i)}\n`).join('');
    const size = Buffer.byteLength(text);
    if (this.totalBytes + size > this.maxBytes) return false;
    if (!this.writer || this.writer.seg.bytes >= SEGMENT_BYTES) this.startSegment();
    const { seg, fd } = this.writer!;
    fs.writeSync(fd, text);
    this.writer!.dirty = true;
    seg.bytes += size;
    seg.lines += items.length;
    if (seg.cache) seg.cache.push(...items);
    this.totalBytes += size;
    return true;
  }

  /** Makes every append so far durable (fsync); cheap when nothing was appended since. */
  sync(): void {
    if (!this.writer?.dirty) return;
    fs.fsyncSync(this.writer.fd);
    this.writer.dirty = false;
  }

  /** Hands up to `max` items to the queue, oldest segment first. */
  load(max: number): Array<SpillEntry<T>> {
    const out: Array<SpillEntry<T>> = [];
    for (const seg of this.segments) {
      if (out.length >= max) break;
      if (seg.loaded >= seg.lines) continue;
      if (this.writer?.seg === seg) this.sealWriter();
      seg.cache ??= readSegment<T>(seg.file).slice(0, seg.lines);
      while (out.length < max && seg.loaded < seg.lines) {
        const line = seg.loaded++;
        out.push({ item: seg.cache[line], ref: { seq: seg.seq, line } });
      }
      if (seg.loaded >= seg.lines) seg.cache = undefined;
    }
    return out;
  }

  ack(ref: SpillRef): void {
    if (this.closed) return; // a late completion: the next instance replays it
    const seg = this.segments.find((s) => s.seq === ref.seq);
    if (!seg || ref.line < seg.ackPrefix) return;
    if (ref.line === seg.ackPrefix) {
      seg.ackPrefix++;
      while (seg.ackedAhead.delete(seg.ackPrefix)) seg.ackPrefix++;
    } else {
      seg.ackedAhead.add(ref.line);
    }
    if (seg.sealed && seg.ackPrefix >= seg.lines) {
      removeSegmentFiles(seg.file);
      this.totalBytes -= seg.bytes;
      this.segments = this.segments.filter((s) => s !== seg);
      return;
    }
    seg.ackDirty = true;
    // Offsets are written at most 5 times a second: a crash replays a few duplicates.
    this.ackTimer ??= setTimeout(() => {
      this.ackTimer = undefined;
      this.writeAcks();
    }, 200);
    this.ackTimer.unref?.();
  }

  /**
   * Writes items as a segment that replays before every other one (they were queued
   * in memory, so they are older than what is on disk). Close never drops: the cap
   * only limits overflow. Returns 0 (nothing lost).
   */
  persistFirst(items: T[]): number {
    if (items.length === 0) return 0;
    const seq = (this.segments.length ? Math.min(...this.segments.map((s) => s.seq)) : FIRST_SEQ) - 1;
    const file = path.join(this.dir, `${pad(seq)}.ndjson`);
    const text = items.map((i) => `${JSON.stringify(i)}\n`).join('');
    fs.writeFileSync(file, text, { flush: true, mode: FILE_MODE });
    syncDir(this.dir);
    const bytes = Buffer.byteLength(text);
    this.totalBytes += bytes;
    this.segments.unshift({ seq, file, lines: items.length, bytes, loaded: 0, ackPrefix: 0, ackedAhead: new Set(), sealed: true });
    return 0;
  }

  /** Seals the writer (fsync) and writes pending ack offsets. */
  close(): void {
    this.closed = true;
    this.sealWriter();
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    this.writeAcks();
  }

  private startSegment(): void {
    this.sealWriter();
    const last = this.segments.length ? Math.max(...this.segments.map((s) => s.seq)) : FIRST_SEQ - 1;
    const seq = Math.max(last + 1, FIRST_SEQ);
    const file = path.join(this.dir, `${pad(seq)}.ndjson`);
    const seg: Segment<T> = { seq, file, lines: 0, bytes: 0, loaded: 0, ackPrefix: 0, ackedAhead: new Set(), sealed: false };
    this.segments.push(seg);
    this.writer = { seg, fd: fs.openSync(file, 'a', FILE_MODE), dirty: false };
    syncDir(this.dir);
  }

  private sealWriter(): void {
    if (!this.writer) return;
    const { seg, fd } = this.writer;
    this.writer = undefined;
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    seg.sealed = true;
    if (seg.lines === 0 || seg.ackPrefix >= seg.lines) {
      removeSegmentFiles(seg.file);
      this.totalBytes -= seg.bytes;
      this.segments = this.segments.filter((s) => s !== seg);
    }
  }

  private writeAcks(): void {
    for (const seg of this.segments) {
      if (!seg.ackDirty) continue;
      seg.ackDirty = false;
      // Write-then-rename so a crash never leaves a torn offset.
      const target = ackFile(seg.file);
      fs.writeFileSync(`${target}.tmp`, String(seg.ackPrefix), { mode: FILE_MODE });
      fs.renameSync(`${target}.tmp`, target);
    }
  }
}

/** Makes a new file's directory entry durable too. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Not every file system lets a directory be fsync'd; the file itself is.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function ackFile(segmentFile: string): string {
  return segmentFile.replace(/\.ndjson$/, '.ack');
}

function readAck(file: string): number {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n >= 0 ? n : 0;
  } catch {
    return 0;
  }
}

/** The segment's items; a torn last line (crash mid-write) is ignored. */
function readSegment<T>(file: string): T[] {
  const items: T[] = [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  for (const line of lines) {
    if (line === '') continue;
    try {
      items.push(JSON.parse(line) as T);
    } catch {
      break;
    }
  }
  return items;
}

function removeSegmentFiles(file: string): void {
  for (const f of [file, ackFile(file)]) fs.rmSync(f, { force: true });
}
