// The five mozdef_client message types: validation, construction and post-construct
// validation with the reference's rules and texts (contract R1/R2/S1).
import { MozDefError, TEXT, validationError } from './errors';
import { Severity } from './severity';
import { mozdefTimestamp } from './format';

export const EVENT_TYPES = ['event', 'compliance', 'vulnerability', 'assethint', 'rra'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** mozdef_client's `_msgtype` numbers. */
export const MSGTYPE: Record<EventType, number> = { event: 1, compliance: 2, vulnerability: 3, assethint: 4, rra: 5 };

/** Category each type sets (vulnerability sends the user document unchanged). */
export const DEFAULT_CATEGORY: Record<Exclude<EventType, 'vulnerability'>, string> = {
  event: 'event', compliance: 'complianceitems', assethint: 'asset_hint', rra: 'rra_data',
};

/** Fields of the built document, in the reference's order (contract R3). */
export const CORE_FIELDS = ['timestamp', 'processid', 'processname', 'hostname', 'category', 'source', 'details', 'summary', 'tags', 'severity'] as const;

export type Doc = Record<string, unknown>;

export interface HostInfo {
  hostname: string;
  processname: string;
  processid: number;
}

const COMPLIANCE_PATHS = [
  'details.target', 'details.policy', 'details.check', 'details.compliance', 'details.link', 'details.utctimestamp',
  'details.policy.level', 'details.policy.name', 'details.policy.url',
  'details.check.description', 'details.check.location', 'details.check.name', 'details.check.test',
  'details.check.test.type', 'details.check.test.value',
];

const VULNERABILITY_PATHS = [
  'utctimestamp', 'description', 'vuln', 'asset', 'sourcename',
  'asset.assetid', 'asset.ipv4address', 'asset.hostname', 'asset.macaddress',
  'vuln.status', 'vuln.vulnid', 'vuln.title', 'vuln.discovery_time', 'vuln.age_days', 'vuln.known_malware',
  'vuln.known_exploits', 'vuln.cvss', 'vuln.cves',
];

/** Paths (dot-separated) whose key is absent; like the reference, only presence counts. */
export function missingPaths(doc: unknown, paths: readonly string[]): string[] {
  const missing: string[] = [];
  for (const path of paths) {
    let node: unknown = doc;
    for (const key of path.split('.')) {
      if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.prototype.hasOwnProperty.call(node, key)) {
        node = undefined;
        break;
      }
      node = (node as Doc)[key];
    }
    if (node === undefined && !missing.some((m) => path.startsWith(`${m}.`))) missing.push(path);
  }
  return missing;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value as Doc).length === 0;
  return false;
}

/**
 * One message as mozdef_client models it. `type` undefined is the abstract base
 * class (MozDefMessage), whose construct() fails with the reference text.
 */
export class MozDefMessage {
  readonly type: EventType | undefined;
  summary: string | null = null;
  category: string | undefined;
  details: Doc = {};
  tags: string[] = [];
  severity: Severity = 'INFO';
  source: string | null = null;
  /** Verbatim timestamp; default: now, in the MozDef format. */
  timestamp: string | undefined;
  hostname: string;
  processname: string;
  processid: number;
  /** Extra top-level fields (MozDefMsg style); never replace core fields. */
  extra: Doc = {};
  /** Vulnerability: the user's document, sent as is. */
  log: Doc = {};

  constructor(type: EventType | undefined, host: HostInfo) {
    this.type = type;
    this.hostname = host.hostname;
    this.processname = host.processname;
    this.processid = host.processid;
    if (type && type !== 'vulnerability') this.category = DEFAULT_CATEGORY[type];
  }

  get msgtype(): number | undefined {
    return this.type ? MSGTYPE[this.type] : undefined;
  }

  /** What validate() misses: [] means valid. */
  validationProblems(): string[] {
    if (this.type === 'vulnerability') return [];
    const problems: string[] = [];
    if (this.summary === null || this.summary === undefined || this.summary === '') problems.push('summary');
    if (this.type === 'assethint' && isEmpty(this.details)) problems.push('details');
    if (this.type === 'rra') {
      if (this.category !== DEFAULT_CATEGORY.rra) problems.push('category (must be rra_data)');
      if (isEmpty(this.details)) problems.push('details');
    }
    return problems;
  }

  validate(): boolean {
    return this.validationProblems().length === 0;
  }

  /** The document to send (contract R3 field order; extra fields after the core ones). */
  construct(): Doc {
    if (!this.type) throw new MozDefError(TEXT.construct, 'EUNSUPPORTED');
    if (this.type === 'vulnerability') return this.log;
    const doc: Doc = {
      timestamp: this.timestamp ?? mozdefTimestamp(),
      processid: this.processid,
      processname: this.processname,
      hostname: this.hostname,
      category: this.category ?? DEFAULT_CATEGORY[this.type],
      source: this.source,
      details: this.details,
      summary: this.summary,
      tags: this.tags,
      severity: this.severity,
    };
    for (const [key, value] of Object.entries(this.extra)) {
      if (!(key in doc) && value !== undefined) doc[key] = value;
    }
    return doc;
  }

  /** What validate_log() misses in a constructed document: [] means valid. */
  postConstructProblems(doc: Doc): string[] {
    if (this.type === 'compliance') return missingPaths(doc, COMPLIANCE_PATHS);
    if (this.type === 'vulnerability') return missingPaths(doc, VULNERABILITY_PATHS);
    return [];
  }

  validateLog(doc: Doc): boolean {
    return this.postConstructProblems(doc).length === 0;
  }

  /** validate → construct → validate_log, as send() does; throws the reference errors. */
  prepare(): Doc {
    if (!this.type) throw new MozDefError(TEXT.construct, 'EUNSUPPORTED');
    const problems = this.validationProblems();
    if (problems.length) throw validationError(TEXT.validation, 'EVALIDATE', problems);
    const doc = this.construct();
    const post = this.postConstructProblems(doc);
    if (post.length) throw validationError(TEXT.postValidation, 'EPOSTVALIDATE', post);
    return doc;
  }
}
