// Seeded data for the Code42 emulator: file events in the A2 shape (the 40 keys of
// code42cli's AED_EVENT_DICT, plus the email fields on EMAILED events) and alerts
// with ALERT_A's fields and observations. Events are made on demand from a sequence
// number, so a million of them cost only their sort keys.
import { seededRandom } from './framework';

export const EVENT_TYPES = ['CREATED', 'MODIFIED', 'DELETED', 'READ_BY_APP', 'EMAILED'] as const;

const USERS = ['ann.ames@example.com', 'bob.bell@example.com', 'cid.cole@example.com', 'dee.dunn@example.com', 'eve.east@example.com'];
const HOSTS = ["Ann's MacBook Pro", 'BOB-WIN10', 'cid-ubuntu', 'DEE-LAPTOP', 'eve-mbp'];
const FILES = [['Q3 forecast.xlsx', 'SPREADSHEET'], ['customers.csv', 'SPREADSHEET'], ['roadmap.pptx', 'PRESENTATION'], ['source.zip', 'ARCHIVE'], ['InfoPlist.strings', 'UNCATEGORIZED'], ['contract.pdf', 'PDF']];
const EXPOSURES = ['ApplicationRead', 'RemovableMedia', 'CloudStorage', 'IsPublic', 'SharedViaLink', 'OutsideTrustedDomains'];

const HEX_DIGITS = '0123456789abcdef';

function hex(rand: () => number, n: number): string {
  let s = '';
  // A table lookup: the bench makes a million ids, and toString(16) per digit showed in its profile.
  for (let i = 0; i < n; i++) s += HEX_DIGITS[Math.floor(rand() * 16)];
  return s;
}

// The device part only depends on seq % 5 (the sum is above 2^53 and rounds, as it always did).
const DEVICES = Array.from({ length: 5 }, (_, k) => String(900000000000000000 + k * 1000003));

/** The generated eventId of a sequence number; ids of increasing seq sort increasing. */
export function generatedEventId(seq: number, seed: number): string {
  const rand = seededRandom((seed * 7919) ^ (seq * 2654435761));
  return `0_${seq.toString(16).padStart(8, '0')}-${hex(rand, 4)}-4${hex(rand, 3)}-a${hex(rand, 3)}-${hex(rand, 12)}_${DEVICES[seq % 5]}_9182530817${String(seq).padStart(8, '0')}_${seq % 97}`;
}

const HEX_CODES = Buffer.from(HEX_DIGITS, 'latin1');
const DEVICE_BYTES = DEVICES.map((d) => Buffer.from(d, 'latin1'));
const ID_MIDDLE = Buffer.from('_9182530817', 'latin1');

/**
 * Writes generatedEventId(seq, seed) as bytes into `buf` at `off` (room for
 * MAX_ID_BYTES assumed) and returns the new offset: the bench serialises a million
 * ids, and building each as a string first cost more than the rest of the event.
 */
export function writeGeneratedEventId(buf: Buffer, off: number, seq: number, seed: number): number {
  if (!Number.isInteger(seq) || seq < 0 || seq > 0xffffffff) return off + buf.write(generatedEventId(seq, seed), off, 'latin1');
  const rand = seededRandom((seed * 7919) ^ (seq * 2654435761));
  buf[off++] = 0x30; // 0
  buf[off++] = 0x5f; // _
  for (let shift = 28; shift >= 0; shift -= 4) buf[off++] = HEX_CODES[(seq >>> shift) & 15];
  buf[off++] = 0x2d; // -
  off = writeHexRun(buf, off, rand, 4);
  buf[off++] = 0x2d;
  buf[off++] = 0x34; // 4
  off = writeHexRun(buf, off, rand, 3);
  buf[off++] = 0x2d;
  buf[off++] = 0x61; // a
  off = writeHexRun(buf, off, rand, 3);
  buf[off++] = 0x2d;
  off = writeHexRun(buf, off, rand, 12);
  buf[off++] = 0x5f;
  off += copyInto(buf, off, DEVICE_BYTES[seq % 5]);
  off += copyInto(buf, off, ID_MIDDLE);
  off = writeDecimal(buf, off, seq, 8);
  buf[off++] = 0x5f;
  return writeDecimal(buf, off, seq % 97, 1);
}

/** `n` random hex digits, as hex() draws them. */
function writeHexRun(buf: Buffer, off: number, rand: () => number, n: number): number {
  for (let i = 0; i < n; i++) buf[off++] = HEX_CODES[Math.floor(rand() * 16)];
  return off;
}

/** A short byte run copied by hand (cheaper than Buffer#copy for a few bytes). */
function copyInto(buf: Buffer, off: number, bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) buf[off + i] = bytes[i];
  return bytes.length;
}

/** A non-negative integer in decimal, zero-padded to `width` digits. */
function writeDecimal(buf: Buffer, off: number, value: number, width: number): number {
  let digits = 1;
  for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
  const n = Math.max(width, digits);
  let v = value;
  for (let i = n - 1; i >= 0; i--) {
    buf[off + i] = 0x30 + (v % 10);
    v = Math.floor(v / 10);
  }
  return off + n;
}

/** The seq of a generated eventId, or undefined. */
export function seqOfGeneratedId(id: string): number | undefined {
  const m = /^0_([0-9a-f]{8})-/.exec(id);
  return m ? parseInt(m[1], 16) : undefined;
}

/** A file event of the A2 shape for `seq`, inserted at `insertionMs`. */
export function generateFileEvent(seq: number, insertionMs: number, seed: number): Record<string, unknown> {
  const rand = seededRandom((seed * 104729) ^ (seq * 40503));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const type = EVENT_TYPES[seq % EVENT_TYPES.length];
  const u = seq % USERS.length;
  const [fileName, fileCategory] = pick(FILES);
  const eventMs = insertionMs - Math.floor(rand() * 600_000);
  const removable = type === 'CREATED' && seq % 3 === 0;
  const cloud = type === 'MODIFIED' && seq % 4 === 0;
  const exposure = type === 'READ_BY_APP' ? ['ApplicationRead'] : removable ? ['RemovableMedia'] : cloud ? ['IsPublic', 'SharedViaLink'] : seq % 7 === 0 ? [pick(EXPOSURES)] : [];
  const event: Record<string, unknown> = {
    eventId: generatedEventId(seq, seed),
    eventType: type,
    eventTimestamp: new Date(eventMs).toISOString(),
    insertionTimestamp: new Date(insertionMs).toISOString(),
    filePath: `/Users/${USERS[u].split('@')[0]}/Documents/`,
    fileName,
    fileType: 'FILE',
    fileCategory,
    fileSize: 1 + Math.floor(rand() * 5_000_000),
    fileOwner: USERS[u].split('@')[0],
    md5Checksum: hex(rand, 32),
    sha256Checksum: hex(rand, 64),
    createTimestamp: '2020-07-22T02:19:29Z',
    modifyTimestamp: new Date(eventMs - 3_600_000).toISOString(),
    deviceUserName: USERS[u],
    osHostName: HOSTS[u],
    domainName: `10.0.${u}.${(seq % 250) + 1}`,
    publicIpAddress: `71.34.${u}.22`,
    privateIpAddresses: [`10.0.${u}.${(seq % 250) + 1}`, '127.0.0.1'],
    deviceUid: String(900000000000000000 + u * 1000003),
    userUid: String(912338501981077000 + u),
    actor: cloud ? USERS[(u + 1) % USERS.length] : null,
    directoryId: [],
    source: cloud ? 'GoogleDrive' : type === 'EMAILED' ? 'Gmail' : 'Endpoint',
    url: cloud ? `https://drive.example.com/file/${seq}` : null,
    shared: cloud ? 'TRUE' : null,
    sharedWith: cloud ? [{ cloudUsername: 'partner@example.org' }, { cloudUsername: USERS[(u + 2) % USERS.length] }] : [],
    sharingTypeAdded: cloud ? ['SharedViaLink'] : [],
    cloudDriveId: cloud ? `drive-${u}` : null,
    detectionSourceAlias: null,
    fileId: cloud ? `file-${seq}` : null,
    exposure,
    processOwner: type === 'READ_BY_APP' ? USERS[u].split('@')[0] : null,
    processName: type === 'READ_BY_APP' ? '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome' : null,
    removableMediaVendor: removable ? 'SanDisk' : null,
    removableMediaName: removable ? 'Cruzer Blade' : null,
    removableMediaSerialNumber: removable ? `SN${seq}` : null,
    removableMediaCapacity: removable ? 16_000_000_000 : null,
    removableMediaBusType: removable ? 'USB' : null,
    syncDestination: cloud ? 'GoogleBackupAndSync' : null,
  };
  if (type === 'EMAILED') {
    event.emailSender = USERS[u];
    event.emailRecipients = ['outside@example.net', USERS[(u + 3) % USERS.length]];
  }
  return event;
}

export const ALERT_TYPES = ['FedEndpointExfiltration', 'FedCloudSharePermissions', 'FedFileTypeMismatch'] as const;
const ALERT_STATES = ['OPEN', 'RESOLVED', 'PENDING', 'IN_PROGRESS'] as const;
const SEVERITIES = ['HIGH', 'MEDIUM', 'LOW'] as const;

export interface GeneratedAlert {
  id: string;
  createdAt: string;
  [field: string]: unknown;
}

/**
 * An alert with ALERT_A's fields and `observationCount` observations whose `data`
 * is a JSON string (or, with `unparsable`, text that is not JSON).
 */
export function generateAlert(seq: number, createdAt: string, tenantId: string, seed: number, opts: { observationCount?: number; unparsable?: boolean } = {}): GeneratedAlert {
  const rand = seededRandom((seed * 15485863) ^ (seq * 69069));
  const type = ALERT_TYPES[seq % ALERT_TYPES.length];
  const actor = USERS[seq % USERS.length];
  const observations = Array.from({ length: opts.observationCount ?? 1 }, (_, i) => ({
    'type$': 'OBSERVATION',
    id: `obs-${seq}-${i}`,
    observedAt: createdAt,
    type,
    data: opts.unparsable && i === 0 ? '{"invalid_json": ][ }' : JSON.stringify({ type$: 'OBSERVED_ENDPOINT_ACTIVITY', id: `obs-${seq}-${i}`, sendingIpAddresses: ['10.0.0.1'], fileCount: 1 + Math.floor(rand() * 20), totalFileSize: Math.floor(rand() * 1e8), fileCategories: [{ type$: 'OBSERVED_FILE_CATEGORY', category: 'Document', fileCount: 1 }] }),
  }));
  const state = ALERT_STATES[seq % ALERT_STATES.length];
  return {
    id: `alert-${seq.toString(16).padStart(8, '0')}-${hex(rand, 8)}`,
    createdAt,
    actor,
    actorId: String(912338501981077000 + (seq % USERS.length)),
    type,
    name: type === 'FedEndpointExfiltration' ? 'Removable media exfiltration' : type === 'FedCloudSharePermissions' ? 'Public cloud share' : 'File type mismatch',
    description: `Alert ${seq} raised for ${actor}`,
    target: 'N/A',
    severity: SEVERITIES[seq % SEVERITIES.length],
    ruleSource: 'Alerting',
    ruleId: `rule-${seq % 4}`,
    tenantId,
    observations,
    notes: null,
    state,
    stateLastModifiedAt: createdAt,
    stateLastModifiedBy: state === 'OPEN' ? null : 'analyst@example.com',
    lastModifiedTime: createdAt,
    lastModifiedBy: null,
  };
}

/** Variants repeat every 420 events (the lcm of the generator's cycles). */
const VARIANTS = 420;
const ID_MARK = '\u0000ID\u0000';
const INS_MARK = '\u0000INS\u0000';
const EVT_MARK = '\u0000EVT\u0000';
/** Room for one eventId (≈80 bytes for any seq below 2^32). */
const MAX_ID_BYTES = 128;
/** `YYYY-MM-DDTHH:MM:SS.mmmZ`, or up to 27 bytes in the expanded-year form. */
const MAX_ISO_BYTES = 32;

/** A Buffer that grows as needed; the bench writes pages of ≈13 MB into one. */
export class ByteSink {
  /** The bytes; valid up to `length`. Writers may fill it directly after `reserve`. */
  buf: Buffer;
  length = 0;
  constructor(capacity = 1 << 16) {
    this.buf = Buffer.allocUnsafe(Math.max(64, capacity));
  }
  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  /** Writes text as UTF-8. */
  text(s: string): void {
    this.reserve(Buffer.byteLength(s));
    this.length += this.buf.write(s, this.length, 'utf8');
  }
  /** Writes text known to be ASCII without a UTF-8 pass. */
  ascii(s: string): void {
    this.reserve(s.length);
    this.length += this.buf.write(s, this.length, 'latin1');
  }
  /** The bytes written so far (a view, not a copy). */
  result(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

/**
 * ISO times of epoch ms as bytes: the `YYYY-MM-DDT` part is reused while the day is
 * the same, the time of day is written digit by digit. Same output as `toISOString`.
 */
class IsoWriter {
  private day = NaN;
  private readonly prefix = Buffer.alloc(11);

  /** Writes the time at `off` (room for MAX_ISO_BYTES assumed); returns the new offset. */
  write(buf: Buffer, off: number, ms: number): number {
    // Fractional ms and years outside 1970–9999 (expanded form): leave those to toISOString.
    if (!Number.isInteger(ms) || ms < 0 || ms >= 253402300800000) return off + buf.write(new Date(ms).toISOString(), off, 'latin1');
    const day = Math.floor(ms / 86_400_000);
    if (day !== this.day) {
      this.day = day;
      this.prefix.write(new Date(day * 86_400_000).toISOString().slice(0, 11), 0, 'latin1');
    }
    off += copyInto(buf, off, this.prefix);
    let rest = ms - day * 86_400_000;
    const hh = Math.floor(rest / 3_600_000);
    rest -= hh * 3_600_000;
    const mm = Math.floor(rest / 60_000);
    rest -= mm * 60_000;
    const ss = Math.floor(rest / 1000);
    const frac = rest - ss * 1000;
    off = writeDecimal(buf, off, hh, 2);
    buf[off++] = 0x3a; // :
    off = writeDecimal(buf, off, mm, 2);
    buf[off++] = 0x3a;
    off = writeDecimal(buf, off, ss, 2);
    buf[off++] = 0x2e; // .
    off = writeDecimal(buf, off, frac, 3);
    buf[off++] = 0x5a; // Z
    return off;
  }
}

interface Template { parts: Buffer[]; order: string[]; evtOffset: number; maxBytes: number }

/**
 * Serialises generated file events fast: one JSON template per variant (pre-encoded
 * bytes), with the eventId and the two event times written in as bytes.
 * `generateFileEvent`'s output for the variant with these three fields replaced is
 * exactly what comes out (test/unit/code42/emulator-data.test.ts checks it).
 */
export class FileEventJson {
  private readonly templates: Array<Template | undefined> = new Array(VARIANTS);
  private readonly insertion = new IsoWriter();
  private readonly eventTime = new IsoWriter();
  constructor(private readonly seed: number) {}

  /** The event as JSON text. */
  json(seq: number, insertionMs: number): string {
    const sink = new ByteSink(2048);
    this.write(sink, seq, insertionMs);
    return sink.result().toString('utf8');
  }

  /** Appends the event's JSON to `sink` (what a search reply is built from). */
  write(sink: ByteSink, seq: number, insertionMs: number): void {
    const v = seq % VARIANTS;
    const t = this.templates[v] ?? (this.templates[v] = this.build(v));
    sink.reserve(t.maxBytes);
    const buf = sink.buf;
    let off = sink.length;
    for (let i = 0; i < t.order.length; i++) {
      const part = t.parts[i];
      buf.set(part, off);
      off += part.length;
      const mark = t.order[i];
      if (mark === ID_MARK) off = writeGeneratedEventId(buf, off, seq, this.seed);
      else if (mark === INS_MARK) off = this.insertion.write(buf, off, insertionMs);
      else off = this.eventTime.write(buf, off, insertionMs - t.evtOffset);
    }
    const last = t.parts[t.order.length];
    buf.set(last, off);
    sink.length = off + last.length;
  }

  private build(variant: number): Template {
    const base = generateFileEvent(variant, 1_000_000_000_000, this.seed);
    const evtOffset = 1_000_000_000_000 - Date.parse(String(base.eventTimestamp));
    const text = JSON.stringify({ ...base, eventId: ID_MARK, insertionTimestamp: INS_MARK, eventTimestamp: EVT_MARK });
    const parts: Buffer[] = [];
    const order: string[] = [];
    const re = /\\u0000(ID|INS|EVT)\\u0000/g;
    let last = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      parts.push(Buffer.from(text.slice(last, m.index), 'utf8'));
      order.push(`\u0000${m[1]}\u0000`);
      last = m.index + m[0].length;
    }
    parts.push(Buffer.from(text.slice(last), 'utf8'));
    let maxBytes = 0;
    for (const p of parts) maxBytes += p.length;
    for (const mark of order) maxBytes += mark === ID_MARK ? MAX_ID_BYTES : MAX_ISO_BYTES;
    return { parts, order, evtOffset, maxBytes };
  }
}
