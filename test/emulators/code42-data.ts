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

function hex(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += Math.floor(rand() * 16).toString(16);
  return s;
}

/** The generated eventId of a sequence number; ids of increasing seq sort increasing. */
export function generatedEventId(seq: number, seed: number): string {
  const rand = seededRandom((seed * 7919) ^ (seq * 2654435761));
  const device = String(900000000000000000 + (seq % 5) * 1000003);
  return `0_${seq.toString(16).padStart(8, '0')}-${hex(rand, 4)}-4${hex(rand, 3)}-a${hex(rand, 3)}-${hex(rand, 12)}_${device}_${`9182530817${String(seq).padStart(8, '0')}`}_${seq % 97}`;
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

/**
 * Serialises generated file events fast: one JSON template per variant, with the
 * eventId and the two event times spliced in. `generateFileEvent`'s output for the
 * variant with these three fields replaced is exactly what comes out.
 */
export class FileEventJson {
  private readonly templates: Array<{ parts: string[]; order: string[]; evtOffset: number } | undefined> = new Array(VARIANTS);
  constructor(private readonly seed: number) {}

  json(seq: number, insertionMs: number): string {
    const v = seq % VARIANTS;
    const t = this.templates[v] ?? (this.templates[v] = this.build(v));
    const values: Record<string, string> = {
      [ID_MARK]: generatedEventId(seq, this.seed),
      [INS_MARK]: new Date(insertionMs).toISOString(),
      [EVT_MARK]: new Date(insertionMs - t.evtOffset).toISOString(),
    };
    let out = t.parts[0];
    for (let i = 0; i < t.order.length; i++) out += values[t.order[i]] + t.parts[i + 1];
    return out;
  }

  private build(variant: number): { parts: string[]; order: string[]; evtOffset: number } {
    const base = generateFileEvent(variant, 1_000_000_000_000, this.seed);
    const evtOffset = 1_000_000_000_000 - Date.parse(String(base.eventTimestamp));
    const text = JSON.stringify({ ...base, eventId: ID_MARK, insertionTimestamp: INS_MARK, eventTimestamp: EVT_MARK });
    const parts: string[] = [];
    const order: string[] = [];
    const re = /\\u0000(ID|INS|EVT)\\u0000/g;
    let last = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      parts.push(text.slice(last, m.index));
      order.push(`\u0000${m[1]}\u0000`);
      last = m.index + m[0].length;
    }
    parts.push(text.slice(last));
    return { parts, order, evtOffset };
  }
}
