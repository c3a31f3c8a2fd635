// secflow's own CEF mapping for Incydr (v2) file events (contract incydr-v2 3.2):
// no official v2 CEF map exists (code42cli refuses CEF for v2), so this keeps the
// v1 keys and labels where a v1 field has a v2 counterpart and adds cs5/cs6/cn2.
//
// CEF:0|Code42|{product, default Incydr}|2|{sigId by event.action}|{event.action or UNKNOWN}|{sev by risk.severity}|ext
import { escapersFor } from '../escape';
import { compileExtension, headerPrefix, isPlainObject, type CefEvent, type CefMapping, type CefSettings, type ExtensionField } from '../mapping';
import { isoTimestampToCefMsTruncated } from '../timestamp';
import { FILE_EVENT_LABELS } from './file-event';

/** event.action → Signature ID (v1's C42200–C42204 for the v1 event types); anything else C42000. */
export const FILE_EVENT_V2_SIGNATURE_IDS: Readonly<Record<string, string>> = Object.assign(Object.create(null), {
  'file-created': 'C42200',
  'file-modified': 'C42201',
  'file-deleted': 'C42202',
  'application-read': 'C42203',
  'file-emailed': 'C42204',
  'file-printed': 'C42205',
  'file-downloaded': 'C42206',
  'file-shared': 'C42207',
  'removable-media-created': 'C42210',
  'removable-media-modified': 'C42211',
  'removable-media-deleted': 'C42212',
  'sync-app-created': 'C42220',
  'sync-app-modified': 'C42221',
  'sync-app-deleted': 'C42222',
});

/** risk.severity → CEF severity; anything else (absent, null, a new value) is 5. */
export const FILE_EVENT_V2_SEVERITIES: Readonly<Record<string, string>> = Object.assign(Object.create(null), {
  CRITICAL: '10',
  HIGH: '8',
  MODERATE: '5',
  LOW: '3',
  NO_RISK_INDICATED: '1',
});

const time = { type: 'timestamp' as const, render: isoTimestampToCefMsTruncated };
/** Removable media: the destination side (USB writes), else the source side, key by key. */
const media = (leaf: string): string[] => [`destination.removableMedia.${leaf}`, `source.removableMedia.${leaf}`];

/** The extension, in the contract's order; each key takes its first source that is neither null nor []. */
export const FILE_EVENT_V2_FIELDS: ExtensionField[] = [
  { key: 'externalId', from: ['event.id'], type: 'string' },
  { key: 'rt', from: ['event.inserted'], ...time },
  { key: 'end', from: ['@timestamp'], ...time },
  { key: 'act', from: ['event.action'], type: 'string' },
  { key: 'sourceServiceName', from: ['event.observer'], type: 'string' },
  { key: 'suser', from: ['user.email', 'source.email.sender'], type: 'string' },
  { key: 'suid', from: ['user.id'], type: 'string' },
  { key: 'deviceExternalId', from: ['user.deviceUid'], type: 'string' },
  { key: 'shost', from: ['source.name'], type: 'string' },
  { key: 'dvchost', from: ['source.domain'], type: 'string' },
  { key: 'src', from: ['source.ip'], type: 'string' },
  { key: 'duser', from: ['destination.email.recipients', 'destination.user.email'], type: 'list' },
  { key: 'dst', from: ['destination.ip'], type: 'string' },
  { key: 'destinationServiceName', from: ['destination.name'], type: 'string' },
  { key: 'cat', from: ['destination.category'], type: 'string' },
  { key: 'fname', from: ['file.name'], type: 'string' },
  { key: 'filePath', from: ['file.url', 'file.directory'], type: 'string' },
  { key: 'fileType', from: ['file.category'], type: 'string' },
  { key: 'fsize', from: ['file.sizeInBytes'], type: 'number' },
  { key: 'fileHash', from: ['file.hash.md5'], type: 'string' },
  { key: 'fileCreateTime', from: ['file.created'], ...time },
  { key: 'fileModificationTime', from: ['file.modified'], ...time },
  { key: 'aid', from: ['file.cloudDriveId'], type: 'string' },
  { key: 'sproc', from: ['process.executable'], type: 'string' },
  { key: 'spriv', from: ['process.owner'], type: 'string' },
  { key: 'request', from: ['destination.tabs[].url'], type: 'list' },
  { key: 'requestClientApplication', from: ['destination.tabs[].title'], type: 'list' },
  { key: 'cs1', from: media('busType'), type: 'string', label: FILE_EVENT_LABELS.cs1 },
  { key: 'cs2', from: media('vendor'), type: 'string', label: FILE_EVENT_LABELS.cs2 },
  { key: 'cs3', from: media('name'), type: 'string', label: FILE_EVENT_LABELS.cs3 },
  { key: 'cs4', from: media('serialNumber'), type: 'string', label: FILE_EVENT_LABELS.cs4 },
  { key: 'cn1', from: media('capacity'), type: 'number', label: FILE_EVENT_LABELS.cn1 },
  { key: 'cs5', from: ['file.hash.sha256'], type: 'string', label: 'Code42FileSha256' },
  { key: 'cs6', from: ['risk.indicators[].name'], type: 'list', label: 'Code42RiskIndicators' },
  { key: 'cn2', from: ['risk.score'], type: 'number', label: 'Code42RiskScore' },
];

/** risk.severity as a CEF severity (case-insensitive; unknown → 5). */
export function fileEventV2Severity(event: CefEvent): string {
  const risk = event.risk;
  const raw = isPlainObject(risk) ? risk.severity : undefined;
  return (typeof raw === 'string' && FILE_EVENT_V2_SEVERITIES[raw.toUpperCase()]) || '5';
}

function actionOf(event: CefEvent): unknown {
  return isPlainObject(event.event) ? event.event.action : undefined;
}

function compile(settings: CefSettings) {
  const esc = escapersFor(settings.escaping);
  const prefix = headerPrefix(esc, settings.vendor, settings.product || fileEventV2Mapping.defaultProduct, fileEventV2Mapping.version);
  const fixedSeverity = settings.severity ? esc.header(settings.severity) : undefined;
  const extension = compileExtension(FILE_EVENT_V2_FIELDS, settings.escaping);
  return (event: CefEvent): string => {
    if (!fileEventV2Mapping.matches(event)) {
      throw new Error('event has neither an "event" object nor "@timestamp" of an Incydr (v2) file event; choose the mapping that fits the event (file-event for the legacy v1 shape)');
    }
    const action = actionOf(event);
    // A new action is kept as its name (schema drift must pass); only its id falls back.
    const name = typeof action === 'string' && action !== '' ? action : action === null || action === undefined || action === '' ? 'UNKNOWN' : JSON.stringify(action);
    const sig = (typeof action === 'string' && FILE_EVENT_V2_SIGNATURE_IDS[action]) || 'C42000';
    const ext = extension(event);
    return prefix + sig + '|' + esc.header(name) + '|' + (fixedSeverity ?? fileEventV2Severity(event)) + '|' + ext;
  };
}

export const fileEventV2Mapping: CefMapping = {
  name: 'file-event-v2',
  defaultProduct: 'Incydr',
  version: '2',
  /** The nested v2 shape: an `event` object (id, action, inserted…) or a top-level `@timestamp`. */
  matches(event) {
    return isPlainObject(event.event) || typeof event['@timestamp'] === 'string';
  },
  compile,
};
