// secflow's own CEF mapping for Incydr audit-log events (issue 17; no official one
// exists). The event type is the Signature ID, the actor the source user, the user
// an action was done to the destination user, the actor's first IP the source address.
//
// CEF:0|Code42|{product, default Incydr Audit}|1|{type$}|{short type, e.g. logged_in}|{3, or 5 for changes of access, deletions and exports}|ext
import { escapersFor } from '../escape';
import { compileExtension, headerPrefix, isDropped, type CefEvent, type CefMapping, type CefSettings, type ExtensionField } from '../mapping';
import { auditEventDigest } from '../../code42/incydr/audit-cursor';
import { canonicalJson } from '../../util/canonical-json';

/** Fields every audit event has; msg carries the others (the type's own) as canonical JSON. */
const COMMON = new Set(['type$', '@type', 'actorId', 'actorName', 'actorAgent', 'actorIpAddress', 'actorType', 'timestamp']);
/** Short types that change access, delete, or take data out: severity 5. */
const NOTABLE = /(role|permission|deleted|removed|export|download|api_client|federation|sso|legal_hold|deactivat|password|mfa)/i;

function typeOf(event: CefEvent): string | undefined {
  const t = event['type$'] ?? event['@type'];
  return typeof t === 'string' && t !== '' ? t : undefined;
}

/** `audit_log::logged_in/1` → `logged_in`; anything else as it is. */
export function shortAuditTypeName(type: string): string {
  const m = /^[^:]*::([^/]+)/.exec(type);
  return m ? m[1] : type;
}

function firstIp(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const first = value.split(',')[0].trim();
  return first === '' ? undefined : first;
}

function ownFields(event: CefEvent): string | undefined {
  const own: Record<string, unknown> = {};
  let any = false;
  for (const key of Object.keys(event)) {
    if (COMMON.has(key) || isDropped(event[key])) continue;
    own[key] = event[key];
    any = true;
  }
  return any ? canonicalJson(own) : undefined;
}

export const INCYDR_AUDIT_FIELDS: ExtensionField[] = [
  { key: 'externalId', from: [], type: 'string', compute: (e) => auditEventDigest(e) },
  { key: 'rt', from: ['timestamp'], type: 'timestamp' },
  { key: 'end', from: ['timestamp'], type: 'timestamp' },
  { key: 'act', from: [], type: 'string', compute: (e) => { const t = typeOf(e); return t === undefined ? undefined : shortAuditTypeName(t); } },
  { key: 'suser', from: ['actorName'], type: 'string' },
  { key: 'suid', from: ['actorId'], type: 'string' },
  { key: 'src', from: [], type: 'string', compute: (e) => firstIp(e.actorIpAddress) },
  { key: 'requestClientApplication', from: ['actorAgent'], type: 'string' },
  { key: 'duser', from: ['userName', 'username', 'userEmail', 'targetUserName', 'subjectUsername'], type: 'string' },
  { key: 'duid', from: ['userId', 'targetUserId'], type: 'string' },
  { key: 'cs1', from: ['actorType'], type: 'string', label: 'Code42ActorType' },
  { key: 'cs2', from: ['actorIpAddress'], type: 'string', label: 'Code42ActorIpAddresses' },
  { key: 'cs3', from: ['resourceId'], type: 'string', label: 'Code42ResourceId' },
  { key: 'msg', from: [], type: 'string', compute: ownFields },
];

function compile(settings: CefSettings) {
  const esc = escapersFor(settings.escaping);
  const prefix = headerPrefix(esc, settings.vendor, settings.product || incydrAuditMapping.defaultProduct, incydrAuditMapping.version);
  const fixedSeverity = settings.severity ? esc.header(settings.severity) : undefined;
  const extension = compileExtension(INCYDR_AUDIT_FIELDS, settings.escaping);
  return (event: CefEvent): string => {
    const type = typeOf(event);
    if (type === undefined || typeof event.timestamp !== 'string') throw new Error('event has no type$ or timestamp of an Incydr audit-log event; choose the mapping that fits the event');
    const name = shortAuditTypeName(type);
    return prefix + esc.header(type) + '|' + esc.header(name) + '|' + (fixedSeverity ?? (NOTABLE.test(name) ? '5' : '3')) + '|' + extension(event);
  };
}

export const incydrAuditMapping: CefMapping = {
  name: 'incydr-audit',
  defaultProduct: 'Incydr Audit',
  version: '1',
  /** An audit event: `type$` (or `@type`), a timestamp and an actor. */
  matches(event) {
    return typeOf(event) !== undefined && typeof event.timestamp === 'string' && ('actorId' in event || 'actorName' in event);
  },
  compile,
};
