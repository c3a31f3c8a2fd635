// Seeded data for the Incydr emulator (contract incydr-v2 5.2 item 6): file events
// in the full SDK 2.3 shape (every object present, unused leaves null or []),
// alerts (4.1) and sessions (4.2).
//
// File events are made on demand from a sequence number: `VARIANT_COUNT` complete
// events are built once per seed, stringified with placeholders for the id and the
// three times, and split into fragments; an event's JSON is then a handful of
// string concatenations, fast enough to serve a million events at well over
// 100,000 events/s. Variants cover every action of the contract's CEF table,
// every observer, endpoint and cloud ids, USB writes in `destination`, email,
// print, sync and browser events, `@timestamp` from seconds to days before
// `event.inserted`, and a few fields the SDK model lacks (kept by clients).
import { seededRandom } from './framework';

export const ACTIONS = [
  'file-created', 'file-modified', 'file-deleted', 'application-read', 'file-emailed', 'file-printed', 'file-downloaded', 'file-shared',
  'removable-media-created', 'removable-media-modified', 'removable-media-deleted', 'sync-app-created', 'sync-app-modified', 'sync-app-deleted',
] as const;
export const OBSERVERS = ['Endpoint', 'GoogleDrive', 'OneDrive', 'Box', 'Gmail', 'Office365', 'Salesforce'] as const;
export const RISK_SEVERITIES = ['CRITICAL', 'HIGH', 'MODERATE', 'LOW', 'NO_RISK_INDICATED'] as const;

/** Number of prebuilt event variants (a multiple of ACTIONS.length, so each action appears equally). */
export const VARIANT_COUNT = ACTIONS.length * 16;

const USERS = [
  { email: 'ann.ames@example.com', id: '1011000000000000001', device: '1022000000000000001', host: 'ANN-MBP', os: 'Mac OS X 14.4', ip: '203.0.113.11' },
  { email: 'bob.bell@example.com', id: '1011000000000000002', device: '1022000000000000002', host: 'BOB-WIN11', os: 'Windows 11', ip: '203.0.113.12' },
  { email: 'cid.cole@example.com', id: '1011000000000000003', device: '1022000000000000003', host: 'cid-ubuntu', os: 'Linux 6.5', ip: '198.51.100.13' },
  { email: 'dee.dunn@example.com', id: '1011000000000000004', device: '1022000000000000004', host: 'DEE-LAPTOP', os: 'Windows 10', ip: '198.51.100.14' },
  { email: 'eve.east@example.com', id: '1011000000000000005', device: '1022000000000000005', host: 'eve-mbp', os: 'Mac OS X 13.6', ip: '192.0.2.15' },
];
const FILES: Array<[string, string, string]> = [
  ['Q3 forecast.xlsx', 'Spreadsheet', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
  ['customers.csv', 'Spreadsheet', 'text/csv'],
  ['roadmap.pptx', 'Presentation', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
  ['source.zip', 'Archive', 'application/zip'],
  ['contract.pdf', 'Pdf', 'application/pdf'],
  ['design.sketch', 'Image', 'application/octet-stream'],
  ['notes.txt', 'Document', 'text/plain'],
];
const INDICATORS = [['File mismatch', 'FileMismatch'], ['Source code', 'SourceCode'], ['Remote', 'Remote'], ['Zip file', 'ZipFile'], ['Off hours', 'OffHours']];
const CLOUD_OBSERVERS = ['GoogleDrive', 'OneDrive', 'Box', 'Salesforce'] as const;

function hex(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rand() * 16).toString(16);
  return s;
}

/** A cheap integer hash (spreads consecutive seqs over the variants). */
export function mix(n: number): number {
  let h = Math.imul(n ^ (n >>> 16), 0x45d9f3b);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 16)) >>> 0;
}

export function variantOf(seq: number): number {
  return mix(seq + 0x9e37) % VARIANT_COUNT;
}

export function isCloudVariant(variant: number): boolean {
  return CLOUD_VARIANT[variant];
}

/** action and observer of a variant (also used by ids, which differ for cloud events). */
export function variantShape(variant: number): { action: string; observer: string } {
  const action = ACTIONS[variant % ACTIONS.length];
  const k = Math.floor(variant / ACTIONS.length);
  let observer: string = 'Endpoint';
  if (action === 'file-emailed') observer = k % 2 === 0 ? 'Gmail' : 'Office365';
  else if (action === 'file-shared') observer = CLOUD_OBSERVERS[k % CLOUD_OBSERVERS.length];
  return { action, observer };
}

const CLOUD_VARIANT: boolean[] = Array.from({ length: VARIANT_COUNT }, (_x, v) => variantShape(v).observer !== 'Endpoint');

/**
 * The event.id of a generated event: endpoint `0_<uuid>_<deviceUid>_<n>_<n>`,
 * cloud a bare UUID. The UUID's first group is the seq in hex, so a page token
 * (an event.id) leads back to its event.
 */
export function generatedEventId(seq: number, seed: number): string {
  // Hex from integer hashes through lookup tables (no PRNG objects): an id is made for every event served.
  const a = mix(seed * 7919 + seq);
  const b = mix(a ^ 0x5bd1e995);
  const c = mix(b + seq);
  const uuid = hex8(seq) + '-' + HEX4[a >>> 16] + '-4' + HEX3[a & 4095] + '-a' + HEX3[b >>> 20] + '-' + HEX4[b & 65535] + hex8(c);
  const variant = variantOf(seq);
  if (isCloudVariant(variant)) return uuid;
  return '0_' + uuid + '_' + USERS[Math.floor(variant / ACTIONS.length) % USERS.length].device + '_' + '1300000000' + String(seq).padStart(9, '0') + '_' + (seq % 97);
}

const HEX4 = Array.from({ length: 65536 }, (_x, i) => i.toString(16).padStart(4, '0'));
const HEX3 = Array.from({ length: 4096 }, (_x, i) => i.toString(16).padStart(3, '0'));

function hex8(n: number): string {
  return HEX4[n >>> 16] + HEX4[n & 65535];
}

/** The seq of a generated id, or undefined (the caller checks the id really is that seq's). */
export function seqOfGeneratedId(id: string): number | undefined {
  const m = /^(?:0_)?([0-9a-f]{8})-/.exec(id);
  return m ? parseInt(m[1], 16) : undefined;
}

function removableMedia(rand: () => number, filled: boolean): Record<string, unknown> {
  if (!filled) return { vendor: null, name: null, mediaName: null, serialNumber: null, busType: null, capacity: null, volumeName: [], partitionId: [] };
  const vendor = ['SanDisk', 'Kingston', 'Samsung'][Math.floor(rand() * 3)];
  return {
    vendor, name: `${vendor} Ultra`, mediaName: `${vendor} USB Device`, serialNumber: hex(rand, 12).toUpperCase(), busType: 'USB',
    capacity: [16, 32, 64][Math.floor(rand() * 3)] * 1_000_000_000, volumeName: ['STICK'], partitionId: [`${hex(rand, 8)}-${hex(rand, 4)}`],
  };
}

/** A complete v2 event for a variant, with placeholder strings where the id and times go. */
function variantEvent(variant: number, seed: number): Record<string, unknown> {
  const rand = seededRandom(mix(seed * 104729 + variant));
  const { action, observer } = variantShape(variant);
  const cloud = observer !== 'Endpoint';
  const k = Math.floor(variant / ACTIONS.length);
  const user = USERS[k % USERS.length];
  const other = USERS[(k + 2) % USERS.length];
  const [fileName, category, mime] = FILES[Math.floor(rand() * FILES.length)];
  const usb = action.startsWith('removable-media-');
  const sync = action.startsWith('sync-app-');
  const email = action === 'file-emailed';
  const printed = action === 'file-printed';
  const shared = action === 'file-shared';
  const browser = action === 'application-read' || action === 'file-downloaded';
  const severity = RISK_SEVERITIES[k % RISK_SEVERITIES.length];
  const indicators = severity === 'NO_RISK_INDICATED' ? [] : INDICATORS.slice(0, 1 + (k % 3)).map(([name, id], i) => ({ name, id, weight: 3 + i }));
  const md5 = hex(rand, 32);
  const dir = cloud ? null : user.os.startsWith('Windows') ? `C:/Users/${user.email.split('@')[0]}/Documents/` : `/Users/${user.email.split('@')[0]}/Documents/`;
  const emptyEndpointUser = { email: null, id: null, deviceUid: null };
  const event: Record<string, unknown> = {
    '@timestamp': PLACEHOLDER.timestamp,
    event: {
      id: PLACEHOLDER.id,
      inserted: PLACEHOLDER.inserted,
      ingested: PLACEHOLDER.ingested,
      action,
      observer,
      detectorDisplayName: cloud ? `${observer} detector` : null,
      vector: null,
      xfcEventId: cloud ? null : hex(rand, 8),
      shareType: shared ? ['SharedViaLink', 'PublicLinkShare'].slice(0, 1 + (k % 2)) : [],
      relatedEvents: [],
    },
    user: cloud ? emptyEndpointUser : { email: user.email, id: user.id, deviceUid: user.device },
    file: {
      name: fileName, originalName: null, directory: dir, originalDirectory: null, category, categoryByBytes: category, categoryByExtension: category,
      mimeType: mime, mimeTypeByBytes: mime, mimeTypeByExtension: mime, sizeInBytes: 1 + Math.floor(rand() * 50_000_000), owner: user.email.split('@')[0],
      created: '2023-11-02T08:14:00.000Z', modified: '2024-02-29T17:03:21Z', // `modified` with no fraction, as seen
      id: cloud ? hex(rand, 24) : null, url: cloud ? `https://${observer.toLowerCase()}.example.com/file/${hex(rand, 10)}` : null,
      directoryId: cloud ? [hex(rand, 10)] : [], cloudDriveId: cloud ? `drive-${hex(rand, 6)}` : null,
      classifications: k % 4 === 0 ? [{ value: 'Confidential', vendor: 'Microsoft Information Protection' }] : [],
      acquiredFrom: k % 5 === 1 ? [{ eventId: hex(rand, 16), fileName, md5, sourceDomains: ['github.com'], sourceName: 'GitHub', tabs: [], git: null }] : [],
      passwordProtected: k % 7 === 0, changeType: null, archiveId: null, parentArchiveId: null,
      hash: { md5, sha256: hex(rand, 64), md5Error: null, sha256Error: null },
    },
    source: {
      category: browser ? 'Web' : cloud ? 'Cloud Storage' : 'Device', name: cloud ? null : user.host, domain: cloud ? null : `${user.host.toLowerCase()}.corp.example.com`,
      ip: cloud ? null : user.ip, privateIp: cloud ? [] : ['10.0.0.' + (k + 10), 'fe80::' + (k + 1)], operatingSystem: cloud ? null : user.os,
      email: { sender: email ? user.email : null, from: email ? `${user.email.split('@')[0]} <${user.email}>` : null },
      removableMedia: removableMedia(rand, false),
      tabs: action === 'file-downloaded' ? [{ title: 'Downloads', titleError: null, url: 'https://files.example.net/export', urlError: null }] : [],
      domains: action === 'file-downloaded' ? ['files.example.net'] : [],
      accountName: null, accountType: null, remoteHostname: null,
      user: { email: cloud && !email ? [user.email] : [] },
    },
    destination: {
      category: usb ? 'Removable Media' : sync ? 'Cloud Storage' : email ? 'Email' : printed ? 'Printer' : action === 'application-read' ? 'Cloud Storage' : shared ? 'Shared' : null,
      name: sync ? ['Dropbox', 'iCloud', 'OneDrive'][k % 3] : action === 'application-read' ? 'Google Drive' : null,
      ip: action === 'application-read' ? '142.250.0.' + k : null, privateIp: [], operatingSystem: null,
      printerName: printed ? 'HP LaserJet 4th floor' : null, printJobName: printed ? fileName : null, printedFilesBackupPath: printed ? `/backup/${hex(rand, 6)}` : null,
      email: { recipients: email ? [other.email, 'outside@partner.example.org'] : null, subject: email ? 'numbers' : null },
      removableMedia: removableMedia(rand, usb), // USB writes fill the destination side
      tabs: action === 'application-read' ? [{ title: 'Upload - Google Drive', titleError: null, url: 'https://drive.google.com/upload', urlError: null }] : [],
      domains: action === 'application-read' ? ['drive.google.com'] : [],
      accountName: null, accountType: null, remoteHostname: null,
      user: { email: shared ? [other.email, 'anyone@gmail.example'] : [] },
    },
    process: {
      executable: browser ? 'C:/Program Files/Google/Chrome/Application/chrome.exe' : cloud ? null : '/usr/bin/cp', owner: cloud ? null : user.email.split('@')[0],
      extension: { browser: browser ? 'Chrome' : null, version: browser ? '1.4.2' : null, loggedInUser: browser ? user.email : null },
    },
    risk: {
      score: indicators.reduce((s, i) => s + i.weight, 0), severity, trusted: k % 9 === 3, trustReason: k % 9 === 3 ? 'TRUSTED_DOMAIN_BROWSER_URL' : null,
      indicators, untrustedValues: { accountNames: [], domains: browser ? ['drive.google.com'] : [], gitRepositoryUris: [], slackWorkspaces: [], urlPaths: [] },
    },
    report: { id: null, name: null, description: null, type: null, count: null, headers: [] },
    git: { eventId: null, lastCommitHash: null, repositoryEmail: null, repositoryEndpointPath: null, repositoryUri: null, repositoryUser: null },
    responseControls: { preventativeControl: null, userJustification: { reason: null, text: null } },
  };
  // Fields outside the SDK model, as seen in fixtures: clients must pass them through.
  if (k % 3 === 2) {
    (event.user as Record<string, unknown>).department = 'Engineering';
    (event.risk as Record<string, unknown>).activityTier = 'HIGH';
  }
  if (k % 8 === 5) event.paste = { mimeTypes: ['text/plain'], totalContentSize: 1234, visibleContentSize: 200 };
  return event;
}

/** Placeholder values; JSON.stringify escapes the NUL, so they cannot occur in real data. */
const PLACEHOLDER = { timestamp: '\u0000T\u0000', id: '\u0000I\u0000', inserted: '\u0000N\u0000', ingested: '\u0000G\u0000' } as const;
type Slot = keyof typeof PLACEHOLDER;

export interface GeneratedTimes {
  /** `@timestamp` (ms). */
  timestampMs: number;
  insertedMs: number;
  /** Nanoseconds below the ms of event.inserted (0..999,999). */
  insertedSubMsNanos: number;
  /** Digits of inserted's fraction: 6 (µs, the usual) or 9 (ns). */
  insertedDigits: 6 | 9;
}

// The `YYYY-MM-DDTHH:MM:SS.` prefix of the last second formatted, one cache per time field
// (an event's three times fall in different seconds; consecutive events share each).
const SECOND = [NaN, NaN, NaN];
const PREFIX = ['', '', ''];
const PAD3 = Array.from({ length: 1000 }, (_x, i) => String(i).padStart(3, '0'));

/** `YYYY-MM-DDTHH:MM:SS.mmm` (no zone) of an epoch ms; `cache` 0–2 picks the prefix cache. */
function isoHead(ms: number, cache = 0): string {
  const second = Math.floor(ms / 1000);
  if (second !== SECOND[cache]) {
    SECOND[cache] = second;
    PREFIX[cache] = new Date(second * 1000).toISOString().slice(0, 20);
  }
  return PREFIX[cache] + PAD3[ms - second * 1000];
}

/** ISO ms text of an epoch ms (`…T…:…:….mmmZ`). */
export function isoMs(ms: number, cache = 0): string {
  return isoHead(ms, cache) + 'Z';
}

/** event.inserted text at µs (6 digits) or ns (9 digits). */
export function insertedText(ms: number, subMsNanos: number, digits: 6 | 9): string {
  const head = isoHead(ms, 1);
  return digits === 9 ? head + PAD3[Math.floor(subMsNanos / 1000)] + PAD3[subMsNanos % 1000] + 'Z' : head + PAD3[Math.floor(subMsNanos / 1000)] + 'Z';
}

/** Makes event JSON for (seq, times) from the variant templates of one seed. */
export class IncydrEventFactory {
  private readonly templates: Array<{ parts: string[]; bytes: Buffer[]; slots: Slot[]; maxBytes: number }> = [];
  /** The variant objects (frozen; id and times hold placeholders): what filters read for non-time terms. */
  readonly variants: ReadonlyArray<Readonly<Record<string, unknown>>> = [];

  constructor(readonly seed: number) {
    const byText = new Map<string, Slot>(Object.entries(PLACEHOLDER).map(([slot, text]) => [JSON.stringify(text), slot as Slot]));
    const splitter = new RegExp([...byText.keys()].map((k) => k.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')).join('|'), 'g');
    for (let v = 0; v < VARIANT_COUNT; v++) {
      const object = variantEvent(v, seed);
      (this.variants as Array<Record<string, unknown>>).push(deepFreeze(object));
      const text = JSON.stringify(object);
      const parts: string[] = [];
      const slots: Slot[] = [];
      let last = 0;
      for (const m of text.matchAll(splitter)) {
        parts.push(text.slice(last, m.index));
        slots.push(byText.get(m[0]) as Slot);
        last = (m.index as number) + m[0].length;
      }
      parts.push(text.slice(last));
      // Slot values are ASCII ids and times (≤ 120 bytes with their quotes).
      const bytes = parts.map((p) => Buffer.from(p, 'utf8'));
      this.templates.push({ parts, bytes, slots, maxBytes: bytes.reduce((n, b) => n + b.length, 0) + slots.length * 120 });
    }
  }

  /** `@timestamp` lag behind inserted for a seq: mostly seconds to minutes, one variant in 16 days. */
  static timestampLagMs(seq: number): number {
    const h = mix(seq * 31 + 7);
    return h % 16 === 0 ? 2 * 86_400_000 + (h % 86_400_000) : 1000 + (h % 240_000);
  }

  /** The seeded sub-ms part and precision of a generated event's inserted time. */
  static seededSubMs(seq: number): { nanos: number; digits: 6 | 9 } {
    const h = mix(seq * 17 + 3);
    return seq % 10 === 0 ? { nanos: h % 1_000_000, digits: 9 } : { nanos: (h % 1000) * 1000, digits: 6 };
  }

  /** event.ingested (ms): a few seconds before inserted. */
  static ingestedMs(seq: number, insertedMs: number): number {
    return insertedMs - 3000 - (mix(seq) % 20_000);
  }

  private slotValue(slot: Slot, seq: number, t: GeneratedTimes): string {
    switch (slot) {
      case 'id': return generatedEventId(seq, this.seed);
      case 'timestamp': return isoMs(t.timestampMs, 0);
      case 'inserted': return insertedText(t.insertedMs, t.insertedSubMsNanos, t.insertedDigits);
      default: return isoMs(IncydrEventFactory.ingestedMs(seq, t.insertedMs), 2);
    }
  }

  json(seq: number, t: GeneratedTimes): string {
    const { parts, slots } = this.templates[variantOf(seq)];
    let out = parts[0];
    for (let i = 0; i < slots.length; i++) out += '"' + this.slotValue(slots[i], seq, t) + '"' + parts[i + 1];
    return out;
  }

  /** Upper bound of an event's JSON size in bytes (to size a reply buffer). */
  maxBytes(seq: number): number {
    return this.templates[variantOf(seq)].maxBytes;
  }

  /**
   * Writes the event's JSON (UTF-8) into `buf` at `offset`; returns the offset after it. Copies the
   * pre-encoded template parts, so a page of events never becomes one huge JS string.
   */
  write(buf: Buffer, offset: number, seq: number, t: GeneratedTimes): number {
    const { bytes, slots } = this.templates[variantOf(seq)];
    let at = offset + bytes[0].copy(buf, offset);
    for (let i = 0; i < slots.length; i++) {
      buf[at++] = 0x22; // "
      at += buf.write(this.slotValue(slots[i], seq, t), at, 'latin1');
      buf[at++] = 0x22;
      at += bytes[i + 1].copy(buf, at);
    }
    return at;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

// ---- alerts (contract 4.1) -------------------------------------------------

export const ALERT_TYPES = ['FED_ENDPOINT_EXFILTRATION', 'FED_CLOUD_SHARE_PERMISSIONS', 'FED_FILE_TYPE_MISMATCH', 'FED_FILE_NAME_MATCH', 'FED_COMPOSITE'] as const;
const ALERT_STATES = ['OPEN', 'RESOLVED', 'IN_PROGRESS', 'PENDING'] as const;
const ALERT_SEVERITIES = ['LOW', 'MEDIUM', 'HIGH'] as const;
const ALERT_RISK = ['CRITICAL', 'HIGH', 'MODERATE', 'LOW'] as const;

export interface IncydrAlert extends Record<string, unknown> {
  id: string;
  createdAt: string;
  observations: Array<{ type$: string; id: string; observedAt: string; lastObservedAt: string; type: string; data: string }>;
}

/** createdAt with 6 fraction digits (Incydr; the legacy API had 7). */
export function alertCreatedAt(ms: number, micros: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}${String(micros % 1000).padStart(3, '0')}Z`;
}

export function generateAlert(seq: number, createdAt: string, tenantId: string, seed: number, observationCount: number, unparsable: boolean): IncydrAlert {
  const rand = seededRandom(mix(seed * 15485863 + seq));
  const user = USERS[seq % USERS.length];
  const type = ALERT_TYPES[seq % ALERT_TYPES.length];
  const id = `${seq.toString(16).padStart(8, '0')}-${hex(rand, 4)}-4${hex(rand, 3)}-a${hex(rand, 3)}-${hex(rand, 12)}`;
  const observations = Array.from({ length: observationCount }, (_x, i) => {
    const data = unparsable && i === 0 ? '{not json' : JSON.stringify({ type$: 'OBSERVED_ENDPOINT_ACTIVITY', id: `${id}-obs-${i}`, sources: ['Endpoint'], exposureTypes: ['RemovableMedia'], firstActivityAt: createdAt, lastActivityAt: createdAt, fileCount: 1 + i, totalFileSize: 1000 * (i + 1), fileCategories: [{ type$: 'OBSERVED_FILE_CATEGORY', category: 'Document', fileCount: 1 + i, totalFileSize: 1000 }], files: [] });
    return { type$: 'OBSERVATION', id: `${id}-obs-${i}`, observedAt: createdAt, lastObservedAt: createdAt, type: 'FedEndpointExfiltration', data };
  });
  return {
    type$: 'ALERT_DETAILS',
    tenantId,
    type,
    id,
    createdAt,
    riskSeverity: ALERT_RISK[seq % ALERT_RISK.length],
    name: `Rule ${seq % 4}: ${type.toLowerCase().replace(/_/g, ' ')}`,
    description: `Alert ${seq} for ${user.email}`,
    actor: user.email,
    actorId: user.id,
    target: 'N/A',
    severity: ALERT_SEVERITIES[seq % ALERT_SEVERITIES.length],
    ruleId: `rule-${seq % 4}`,
    ruleSource: 'Alerting',
    watchlists: [{ type$: 'WATCHLIST', id: `wl-${seq % 2}`, name: 'Departing employee', type: 'DEPARTING_EMPLOYEE', isSignificant: true }],
    notes: [],
    state: ALERT_STATES[seq % ALERT_STATES.length],
    stateLastModifiedBy: null,
    stateLastModifiedAt: createdAt,
    observations,
  };
}

// ---- sessions (contract 4.2) -----------------------------------------------

export const SESSION_STATES = ['OPEN', 'IN_PROGRESS', 'CLOSED', 'CLOSED_TP', 'CLOSED_TP_BENIGN', 'CLOSED_FP', 'OPEN_NEW_DATA'] as const;

export interface IncydrSession extends Record<string, unknown> {
  sessionId: string;
  tenantId: string;
  actorId: string;
  beginTime: number;
  endTime: number;
  firstObserved: number;
  lastUpdated: number;
}

/** A session of the Sumo sample's shape: one hour from beginTime, epoch-ms times. */
export function generateSession(seq: number, beginMs: number, tenantId: string, opts: { withAlert: boolean; state: string; severity: number; score: number; at: number }): IncydrSession {
  const user = USERS[seq % USERS.length];
  const alertId = `alert-${seq}`;
  return {
    sessionId: `${user.id}_${beginMs}`,
    tenantId,
    actorId: user.id,
    actorName: user.email,
    type: seq % 11 === 10 ? 'ACCOUNT_TAKE_OVER' : 'STANDARD',
    beginTime: beginMs,
    endTime: beginMs + 3_600_000,
    firstObserved: opts.at,
    lastUpdated: opts.at,
    noRiskEvents: 3 + (seq % 5),
    lowEvents: seq % 3,
    moderateEvents: seq % 2,
    highEvents: opts.severity >= 3 ? 1 : 0,
    criticalEvents: opts.severity >= 4 ? 1 : 0,
    riskIndicators: [{ id: 'FileMismatch', name: 'File mismatch', weight: 6, eventCount: 1 + (seq % 3) }],
    scores: [{ score: opts.score, severity: opts.severity, sourceTimestamp: opts.at }],
    states: [{ stateV2: opts.state, sourceTimestamp: opts.at, userId: null }],
    triggeredAlerts: opts.withAlert ? [{ alertId, ruleId: `rule-${seq % 4}`, ruleName: `Rule ${seq % 4}`, lessonId: null }] : [],
    notes: [],
    exfiltrationSummary: `${1 + (seq % 4)} files to removable media`,
    contextSummary: null,
    contentInspectionResults: null,
  };
}
