// The Code42 file-event mapping of c42eventextractor / code42cli
// (`FileEventDictToCEFFormatter`, contract R3), reproduced rule for rule so that
// with escaping `none` the output is byte-identical to the reference.
import { escapersFor } from '../escape';
import { headerPrefix, isDropped, isPlainObject, type CefEvent, type CefMapping, type CefSettings } from '../mapping';
import { pyStr } from '../../util/python';
import { display, v1TimestampToCefMs } from '../timestamp';

/** JSON field → CEF key, in the reference's order. */
export const FILE_EVENT_FIELD_MAP: ReadonlyArray<readonly [string, string]> = [
  ['actor', 'suser'], ['deviceUserName', 'suser'], ['emailSender', 'suser'],
  ['emailRecipients', 'duser'], ['sharedWith', 'duser'],
  ['filePath', 'filePath'], ['url', 'filePath'],
  ['eventId', 'externalId'],
  ['eventTimestamp', 'end'],
  ['insertionTimestamp', 'rt'],
  ['createTimestamp', 'fileCreateTime'],
  ['modifyTimestamp', 'fileModificationTime'],
  ['fileName', 'fname'],
  ['fileCategory', 'fileType'],
  ['fileSize', 'fsize'],
  ['md5Checksum', 'fileHash'],
  ['osHostName', 'shost'],
  ['domainName', 'dvchost'],
  ['publicIpAddress', 'src'],
  ['deviceUid', 'deviceExternalId'],
  ['userUid', 'suid'],
  ['cloudDriveId', 'aid'],
  ['source', 'sourceServiceName'],
  ['syncDestination', 'destinationServiceName'],
  ['exposure', 'reason'],
  ['processName', 'sproc'],
  ['processOwner', 'spriv'],
  ['tabUrl', 'request'],
  ['windowTitle', 'requestClientApplication'],
  ['removableMediaBusType', 'cs1'],
  ['removableMediaVendor', 'cs2'],
  ['removableMediaName', 'cs3'],
  ['removableMediaSerialNumber', 'cs4'],
  ['removableMediaCapacity', 'cn1'],
];

export const FILE_EVENT_LABELS: Readonly<Record<string, string>> = {
  cn1: 'Code42AEDRemovableMediaCapacity',
  cs1: 'Code42AEDRemovableMediaBusType',
  cs2: 'Code42AEDRemovableMediaVendor',
  cs3: 'Code42AEDRemovableMediaName',
  cs4: 'Code42AEDRemovableMediaSerialNumber',
};

/** eventType → Signature ID; anything else is C42000. No prototype, so `toString` is just unknown. */
export const FILE_EVENT_SIGNATURE_IDS: Readonly<Record<string, string>> = Object.assign(Object.create(null), {
  CREATED: 'C42200',
  MODIFIED: 'C42201',
  DELETED: 'C42202',
  READ_BY_APP: 'C42203',
  EMAILED: 'C42204',
});

const TIMESTAMP_KEYS = new Set(['end', 'rt', 'fileCreateTime', 'fileModificationTime']);

const CEF_KEYS = [...new Set(FILE_EVENT_FIELD_MAP.map(([, key]) => key))];
/** Field → slot of its CEF key (null prototype: event keys like `__proto__` are just unknown). */
const SLOT_OF: Record<string, number> = Object.create(null);
for (const [field, key] of FILE_EVENT_FIELD_MAP) SLOT_OF[field] = CEF_KEYS.indexOf(key);

const enum Kind { Plain, Timestamp, Custom, Duser }

/** Rule 5: `duser` lists of objects become their cloudUsername values; lists join with ",". */
function listToCsv(field: string, key: string, list: unknown[]): string {
  let items = list;
  if (key === 'duser') {
    const names: unknown[] = [];
    for (const item of list) {
      if (!isPlainObject(item)) continue;
      if (!('cloudUsername' in item)) throw new Error(`${field}: list item ${display(item)} has no cloudUsername`);
      names.push(item.cloudUsername);
    }
    if (names.length > 0) items = names;
  }
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item !== 'string') throw new Error(`${field}: list item ${i} is not a string (got ${display(item)})`);
    out += i === 0 ? item : ',' + item;
  }
  return out;
}

/** Rule 4, with secflow's one change: a non-scalar custom-key value prints as JSON. */
function customValue(v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : pyStr(v);
}

function compile(settings: CefSettings) {
  const esc = escapersFor(settings.escaping);
  const prefix = headerPrefix(esc, settings.vendor, settings.product || fileEventMapping.defaultProduct, fileEventMapping.version);
  const severityPart = '|' + esc.header(settings.severity || '5') + '|';
  const escapeValue = esc.extension;
  const escapeHeader = esc.header;
  const slots = CEF_KEYS.map((key) => ({
    key,
    kind: key in FILE_EVENT_LABELS ? Kind.Custom : key === 'duser' ? Kind.Duser : TIMESTAMP_KEYS.has(key) ? Kind.Timestamp : Kind.Plain,
    start: key + '=',
    /** The separator and key of every field but the first. */
    next: ' ' + key + '=',
    labelPart: key in FILE_EVENT_LABELS ? ` ${key}Label=${esc.extension(FILE_EVENT_LABELS[key])}` : '',
  }));
  // Scratch space reused by every call: formatting is synchronous and never re-entered.
  const order = new Int32Array(slots.length);
  const values: unknown[] = new Array(slots.length);
  const fields: string[] = new Array(slots.length);
  const stamp = new Float64Array(slots.length);
  let generation = 0;

  return (event: CefEvent): string => {
    generation++;
    let n = 0;
    // Rules 1 and 2: event order; a shared key keeps its first position and the last value.
    for (const field in event) {
      const slot = SLOT_OF[field];
      if (slot === undefined) continue;
      const v = event[field];
      if (isDropped(v)) continue;
      if (stamp[slot] !== generation) {
        stamp[slot] = generation;
        order[n++] = slot;
      }
      values[slot] = v;
      fields[slot] = field;
    }
    const hasType = event.eventType !== undefined;
    if (n === 0 && !hasType) {
      throw new Error('event has none of the fields of a Code42 file event (eventType, eventId, eventTimestamp, fileName, …); choose the mapping that fits the event');
    }
    let ext = '';
    for (let i = 0; i < n; i++) {
      const slot = order[i];
      const s = slots[slot];
      const v = values[slot];
      values[slot] = undefined; // don't keep the event alive
      let text: string;
      if (s.kind === Kind.Custom) {
        text = customValue(v);
      } else if (Array.isArray(v)) {
        text = listToCsv(fields[slot], s.key, v);
      } else if (s.kind === Kind.Timestamp) {
        try {
          // Digits only: nothing to escape.
          ext += (i === 0 ? s.start : s.next) + v1TimestampToCefMs(v);
          continue;
        } catch (err) {
          throw new Error(`${fields[slot]}: ${(err as Error).message}`, { cause: err });
        }
      } else if (s.kind === Kind.Duser && (typeof v === 'number' || typeof v === 'boolean')) {
        // The reference iterates a duser value looking for objects: a number is not iterable.
        throw new Error(`${fields[slot]}: ${display(v)} is not a list`);
      } else {
        text = typeof v === 'string' ? v : pyStr(v);
      }
      ext += (i === 0 ? s.start : s.next) + escapeValue(text) + s.labelPart;
    }
    // eventName: the key's absence gives UNKNOWN, null gives Python's "None".
    const type = hasType ? event.eventType : 'UNKNOWN';
    // The reference looks the type up in a dict: a list or an object is unhashable there.
    if (typeof type === 'object' && type !== null) throw new Error(`eventType: ${display(type)} is not a string`);
    const sig = (typeof type === 'string' && FILE_EVENT_SIGNATURE_IDS[type]) || 'C42000';
    return prefix + sig + '|' + escapeHeader(typeof type === 'string' ? type : pyStr(type)) + severityPart + ext;
  };
}

export const fileEventMapping: CefMapping = {
  name: 'file-event',
  defaultProduct: 'Advanced Exfiltration Detection',
  version: '1',
  /** Exactly the events this mapping formats rather than rejects: an eventType, or any mapped field with a value. */
  matches(event) {
    if (event.eventType !== undefined) return true;
    for (const field in event) if (SLOT_OF[field] !== undefined && !isDropped(event[field])) return true;
    return false;
  },
  compile,
};
