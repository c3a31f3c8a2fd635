// Mappings `cbc-alert` and `cbc-audit`: Carbon Black alerts and audit logs as the
// official connector carbonblack/cbc-syslog writes them with its default CEF and LEEF
// templates (cbc-templates.ts). Its Jinja2 rendering, reproduced: a missing field
// renders empty, other values as Python str() (None, True, ['a', 'b']); tab-separated
// pairs. With escaping `none` the text from `CEF:`/`LEEF:` on is cbc-syslog's, except:
//  - Device Version is secflow's version, not cbc-syslog's;
//  - times are UTC with real minutes (its CEF `%b %d %Y %H:%m:%S` prints the month in
//    the minutes' place, and epoch times in the local zone); LEEF devTime matches its
//    own devTimeFormat `MMM dd yyyy HH:mm:ss z` (the template wrote dashes);
//  - an alert type without its own extension gets the `default` one (cbc-syslog: empty);
//  - the LEEF audit template's `{{{{loginName}}}}`, which does not compile, is usrName={loginName};
//  - CONTAINER_RUNTIME's `namespace` prints the alert's namespace (k8s_namespace in v7),
//    never the Jinja `namespace` object;
//  - the LEEF alert header gets its Event ID (reason_code): the template had none, so
//    `x09` took its place;
//  - audit records of the search API (actor, actor_ip, create_time, org_key) fill the
//    queue API's fields the templates name (loginName, clientIp, eventTime, orgName).
// The syslog part of the templates (`{{datetime_utc}} localhost `) is secflow-syslog's job.
// With escaping `spec` (default) CEF pairs are space-separated and escaped per the CEF
// spec; LEEF values escape `\`, the delimiter and line breaks (see escapeLeef*).
import { escapeExtensionSpec, escapeHeaderSpec, type Escaping } from '../escape';
import type { CefEvent, CefMapping, CefSettings, CompiledCef } from '../mapping';
import { pyStr } from '../../util/python';
import { AUDIT_TIME_FIELDS, CEF_ALERT_EXTENSIONS, CEF_ALERT_TIME_FIELDS, CEF_AUDIT_EXTENSION, LEEF_ALERT_EXTENSION, LEEF_ALERT_TIME_FIELDS, LEEF_AUDIT_EXTENSION, type Pair } from './cbc-templates';

export const SECFLOW_VERSION: string = (require('../../../../package.json') as { version: string }).version;

export const CBC_VENDOR = 'CarbonBlack';
export const CBC_PRODUCT = 'CBCSyslog';

export type LeefVersion = '1.0' | '2.0';

export interface LeefSettings extends CefSettings {
  leefVersion: LeefVersion;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** `May 03 2023 11:18:36` (UTC), as `%b %d %Y %H:%M:%S`; undefined if the value is no time. */
export function cbcTime(v: unknown): string | undefined {
  let ms: number;
  if (typeof v === 'string') ms = /^\d{4}-\d{2}-\d{2}T/.test(v) ? Date.parse(v) : NaN;
  else if (typeof v === 'number' && Number.isFinite(v)) ms = Math.abs(v) >= 1e11 ? v : v * 1000; // seconds, else milliseconds (as cbc-syslog tries)
  else return undefined;
  if (!Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

/** The queue API's field names the audit templates use → the search API's. */
const AUDIT_ALIASES: Record<string, string> = { eventTime: 'create_time', loginName: 'actor', clientIp: 'actor_ip', orgName: 'org_key' };

function lookup(event: CefEvent, name: string): unknown {
  if (name in event) return event[name];
  if (name === 'namespace') return event.k8s_namespace;
  const alias = AUDIT_ALIASES[name];
  return alias !== undefined ? event[alias] : undefined;
}

type Render = (event: CefEvent) => string;

/** One `{field}` template → a function of the event; values pass through `escape`. */
function compileValue(template: string, timeFields: readonly string[], timeSuffix: string, escape: (s: string) => string): Render {
  const parts = template.split(/\{([A-Za-z0-9_]+)\}/);
  const pieces: Render[] = parts.map((part, i) => {
    if (i % 2 === 0) {
      const text = escape(part);
      return () => text;
    }
    const isTime = timeFields.includes(part);
    return (e: CefEvent) => {
      const v = lookup(e, part);
      if (v === undefined) return '';
      if (isTime) {
        const t = cbcTime(v);
        if (t !== undefined) return escape(t + timeSuffix);
      }
      return escape(pyStr(v));
    };
  }).filter((_, i) => i % 2 === 1 || parts[i] !== '');
  if (pieces.length === 1) return pieces[0];
  return (e) => {
    let out = '';
    for (const p of pieces) out += p(e);
    return out;
  };
}

function compilePairs(pairs: readonly Pair[], timeFields: readonly string[], timeSuffix: string, escape: (s: string) => string, separator: string): Render {
  const compiled = pairs.map(([key, value]) => ({ key: `${key}=`, value: compileValue(value, timeFields, timeSuffix, escape) }));
  return (e) => {
    let out = '';
    for (let i = 0; i < compiled.length; i++) out += (i === 0 ? '' : separator) + compiled[i].key + compiled[i].value(e);
    return out;
  };
}

const identity = (s: string) => s;

// ---- LEEF escaping (secflow's reading of the LEEF 1.0/2.0 guides): the header is
// pipe-delimited, so `\` and `|` are escaped and line breaks become spaces; in an
// attribute value `\`, the attribute delimiter and line breaks are escaped, so that no
// value can start a new attribute or a new syslog line.
const LEEF_HEADER_SPECIAL = /[\\|\r\n]/;
export function escapeLeefHeader(s: string): string {
  return LEEF_HEADER_SPECIAL.test(s) ? s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]/g, ' ') : s;
}
const LEEF_VALUE_SPECIAL = /[\\\t\r\n]/;
export function escapeLeefValue(s: string): string {
  return LEEF_VALUE_SPECIAL.test(s) ? s.replace(/[\\\t\r\n]/g, (c) => (c === '\t' ? '\\t' : c === '\r' ? '\\r' : c === '\n' ? '\\n' : '\\\\')) : s;
}

interface Kind {
  name: 'cbc-alert' | 'cbc-audit';
  cefExtension(event: CefEvent): readonly Pair[];
  cefTimeFields: readonly string[];
  leefExtension: readonly Pair[];
  leefTimeFields: readonly string[];
  signature: string;
  title: string;
  severity: string;
  leefEventId: string;
  matches(event: CefEvent): boolean;
}

const ALERT: Kind = {
  name: 'cbc-alert',
  cefExtension: (e) => CEF_ALERT_EXTENSIONS[typeof e.type === 'string' && Object.prototype.hasOwnProperty.call(CEF_ALERT_EXTENSIONS, e.type) ? e.type : 'default'],
  cefTimeFields: CEF_ALERT_TIME_FIELDS,
  leefExtension: LEEF_ALERT_EXTENSION,
  leefTimeFields: LEEF_ALERT_TIME_FIELDS,
  signature: '{reason_code}',
  title: '{reason}',
  severity: '{severity}',
  leefEventId: '{reason_code}',
  matches: (e) => typeof e.backend_update_timestamp === 'string' && typeof e.reason_code === 'string' && 'id' in e,
};

const AUDIT: Kind = {
  name: 'cbc-audit',
  cefExtension: () => CEF_AUDIT_EXTENSION,
  cefTimeFields: AUDIT_TIME_FIELDS,
  leefExtension: LEEF_AUDIT_EXTENSION,
  leefTimeFields: AUDIT_TIME_FIELDS,
  signature: 'Audit Logs',
  title: '{description}',
  severity: '1',
  leefEventId: 'Audit',
  matches: (e) => ('eventTime' in e && 'loginName' in e) || ('create_time' in e && 'actor' in e && 'description' in e),
};

function compileCef(kind: Kind, settings: CefSettings): CompiledCef {
  const spec = settings.escaping === 'spec';
  const h = spec ? escapeHeaderSpec : identity;
  const x = spec ? escapeExtensionSpec : identity;
  const sep = spec ? ' ' : '\t';
  const none: readonly string[] = [];
  const prefix = `CEF:1|${h(settings.vendor)}|${h(settings.product || CBC_PRODUCT)}|${h(SECFLOW_VERSION)}|`;
  const sig = compileValue(kind.signature, none, '', h);
  const title = compileValue(kind.title, none, '', h);
  const sev = settings.severity ? () => h(settings.severity) : compileValue(kind.severity, none, '', h);
  const extensions = new Map<readonly Pair[], Render>();
  return (e) => {
    const pairs = kind.cefExtension(e);
    let ext = extensions.get(pairs);
    if (!ext) extensions.set(pairs, (ext = compilePairs(pairs, kind.cefTimeFields, '', x, sep)));
    return `${prefix}${sig(e)}|${title(e)}|${sev(e)}|${ext(e)}`;
  };
}

function compileLeef(kind: Kind, settings: LeefSettings): CompiledCef {
  const spec = settings.escaping === 'spec';
  const h = spec ? escapeLeefHeader : identity;
  const x = spec ? escapeLeefValue : identity;
  const none: readonly string[] = [];
  const base = `LEEF:${settings.leefVersion}|${h(settings.vendor)}|${h(settings.product || CBC_PRODUCT)}|${h(SECFLOW_VERSION)}|`;
  const eventId = compileValue(kind.leefEventId, none, '', h);
  const delimiter = settings.leefVersion === '2.0' ? 'x09|' : '';
  const ext = compilePairs(kind.leefExtension, kind.leefTimeFields, ' GMT', x, '\t');
  return (e) => `${base}${eventId(e)}|${delimiter}${ext(e)}`;
}

export interface TemplateMapping extends CefMapping {
  compileLeef(settings: LeefSettings): CompiledCef;
}

function mapping(kind: Kind): TemplateMapping {
  return {
    name: kind.name,
    defaultProduct: CBC_PRODUCT,
    defaultVendor: CBC_VENDOR,
    version: SECFLOW_VERSION,
    matches: kind.matches,
    compile: (settings) => compileCef(kind, settings),
    compileLeef: (settings) => compileLeef(kind, settings),
  };
}

export const cbcAlertMapping = mapping(ALERT);
export const cbcAuditMapping = mapping(AUDIT);

export type { Escaping };
