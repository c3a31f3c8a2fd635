// IoC extraction as msticpy's IoCExtract does it: every selected type scans the
// whole text; a text found by several types goes to the lowest priority
// number (ties keep the first type); each URL is URL-decoded and re-scanned,
// adding the decoded URL and its host; dns names need an ICANN public suffix.
import { IOC_TYPES, PATH_TYPES, buildPatterns, dnsLongPattern, hasLongLabel, emailContinuation, urlPattern, type IocPattern, type IocType } from './patterns';
import { hasIcannSuffix } from './psl';
import { pyUnquote } from './unquote';

export interface ExtractOptions {
  /** Types to look for; default all but the path types. */
  types?: readonly IocType[];
  /** Match defanged forms ([.], [at], hXXp); default true, as msticpy. */
  defanged?: boolean;
  /** Reject IPv4 octets over 255 and addresses glued to digits or dots (secflow; off in compat). */
  strictIpv4?: boolean;
  /** msticpy's quirks: the decoded-URL re-scan starts at the previous URL's end offset; empty URL hosts become dns "". */
  compat?: boolean;
  /** Longest text scanned; longer text is cut (the dns pattern may backtrack 126 labels per position). */
  maxLength?: number;
}

export type IocResult = Partial<Record<IocType, string[]>>;

export const DEFAULT_TYPES: readonly IocType[] = IOC_TYPES.filter((t) => !PATH_TYPES.includes(t));
export const MAX_TEXT = 100_000;

interface Found {
  type: IocType;
  priority: number;
}

export class IocExtractor {
  private readonly patterns: IocPattern[];
  private readonly url: RegExp;
  private readonly emailAfter: RegExp;
  private readonly dnsLong: RegExp;
  private readonly dnsPriority: number;
  readonly types: ReadonlySet<IocType>;
  private readonly hashTypes: ReadonlySet<IocType>;

  constructor(private readonly options: ExtractOptions = {}) {
    const defanged = options.defanged !== false;
    const strictIpv4 = options.strictIpv4 === true && options.compat !== true;
    this.types = new Set(options.types && options.types.length ? options.types : DEFAULT_TYPES);
    this.patterns = buildPatterns({ defanged, strictIpv4 }).filter((p) => this.types.has(p.type));
    this.hashTypes = new Set(this.patterns.filter((p) => p.group === 'hash').map((p) => p.type));
    this.url = urlPattern(defanged);
    this.emailAfter = emailContinuation(defanged);
    this.dnsLong = dnsLongPattern(defanged);
    this.dnsPriority = 2;
  }

  /** The observables in `text`, per type, in first-seen order. */
  extract(input: string): IocResult {
    const text = input.length > (this.options.maxLength ?? MAX_TEXT) ? input.slice(0, this.options.maxLength ?? MAX_TEXT) : input;
    const found = new Map<string, Found>();
    for (const pattern of this.patterns) {
      if (pattern.group === 'hash' || !mayContain(pattern.type, text)) continue;
      this.scan(pattern, text, found);
    }
    if (this.hashTypes.size) scanHashes(text, this.hashTypes, found);
    const out: IocResult = {};
    for (const [observable, f] of found) (out[f.type] ??= []).push(observable);
    return out;
  }

  private scan(pattern: IocPattern, text: string, found: Map<string, Found>): void {
    const re = pattern.type === 'dns' && hasLongLabel(text) ? this.dnsLong : pattern.regex;
    let previousEnd = 0;
    for (;;) {
      let m: RegExpExecArray | null = null;
      if (pattern.type === 'email' && previousEnd > 0) {
        // Right after a match a new user part may start mid-run (see patterns.ts).
        this.emailAfter.lastIndex = previousEnd;
        m = this.emailAfter.exec(text);
      }
      if (!m) {
        re.lastIndex = previousEnd;
        m = re.exec(text);
      }
      if (!m) break;
      const end = m.index + m[0].length;
      const observable = pattern.group ? (m.groups?.[pattern.group] ?? '') : m[0];
      if (m[0].length === 0) {
        previousEnd = end + 1;
        if (previousEnd > text.length) break;
        continue;
      }
      if (pattern.type !== 'dns' || hasIcannSuffix(observable)) {
        add(found, observable, pattern.type, pattern.priority);
        if (pattern.type === 'url') this.rescanDecoded(observable, this.options.compat ? previousEnd : 0, found);
      }
      previousEnd = end;
    }
  }

  private rescanDecoded(url: string, from: number, found: Map<string, Found>): void {
    const decoded = pyUnquote(url);
    const re = this.url;
    re.lastIndex = from;
    for (let m = re.exec(decoded); m; m = re.exec(decoded)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      add(found, m[0], 'url', 0);
      const host = m.groups?.host ?? '';
      if (host !== '' || this.options.compat) add(found, host, 'dns', this.dnsPriority);
    }
  }
}

function add(found: Map<string, Found>, observable: string, type: IocType, priority: number): void {
  const prev = found.get(observable);
  if (prev && priority >= prev.priority) return;
  found.set(observable, { type, priority });
}

/** Hex runs of 32 to 64 digits (boundaries checked in code: cheaper than lookarounds). */
const HEX_RUNS = /[A-Fa-f0-9]{32,64}/g;
const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const HASH_TYPE: Record<number, IocType> = { 32: 'md5_hash', 40: 'sha1_hash', 64: 'sha256_hash' };

/**
 * The md5/sha1/sha256 patterns, `(?:^|[^hex])(hash)(?:$|[^hex])`, in one pass. Each
 * upstream pattern consumes its boundary characters, so a hash right after another
 * of the same type with one separator between them is not found (unless that
 * separator is a line break, where `$` and `^` match instead): that is kept.
 */
function scanHashes(text: string, types: ReadonlySet<IocType>, found: Map<string, Found>): void {
  const lastEnd: Partial<Record<IocType, number>> = {};
  HEX_RUNS.lastIndex = 0;
  for (let m = HEX_RUNS.exec(text); m; m = HEX_RUNS.exec(text)) {
    const end = m.index + m[0].length;
    // Only whole runs of exactly 32, 40 or 64 digits.
    if ((m.index > 0 && isHex(text.charCodeAt(m.index - 1))) || (end < text.length && isHex(text.charCodeAt(end)))) continue;
    const type = HASH_TYPE[m[0].length];
    if (!type || !types.has(type)) continue;
    const prev = lastEnd[type];
    if (prev !== undefined && m.index === prev + 1 && text[prev] !== '\n') continue;
    lastEnd[type] = end;
    add(found, m[0], type, 1);
  }
}
const IPV6_HINT = /:[0-9a-f]{0,4}:/i;

/** Cheap pre-checks: a type whose pattern needs a character absent from the text is skipped. */
function mayContain(type: IocType, text: string): boolean {
  switch (type) {
    case 'ipv4':
    case 'dns':
      return text.includes('.');
    case 'ipv6':
      // Two colons at most four hex digits apart: the least an address has.
      return text.includes(':') && IPV6_HINT.test(text);
    case 'url':
      return text.includes('://');
    case 'email':
      return text.includes('@') || (text.includes('[') && /\[at\]/i.test(text));
    case 'windows_path':
      return text.includes('\\');
    case 'linux_path':
      return text.includes('/');
    default:
      return text.length >= 32;
  }
}

/** Parses a comma list of type names; throws naming the unknown ones. */
export function parseTypes(list: string, field = 'types'): IocType[] {
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(IOC_TYPES as readonly string[]).includes(n));
  if (unknown.length) throw new Error(`${field}: unknown IoC type(s) ${unknown.join(', ')}; known: ${IOC_TYPES.join(', ')}`);
  return names as IocType[];
}
