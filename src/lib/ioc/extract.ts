// IoC extraction as msticpy's IoCExtract does it: every selected type scans the
// whole text; a text found by several types goes to the lowest priority
// number (ties keep the first type); each URL is URL-decoded and re-scanned,
// adding the decoded URL and its host; dns names need an ICANN public suffix.
import { IOC_TYPES, PATH_TYPES, buildPatterns, dnsLongPattern, hasLongLabel, emailContinuation, isLabelChar, urlPattern, type IocPattern, type IocType } from './patterns';
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

/** Start positions one step of a long text's dns scan covers: 20-30 ms of hostile dotted text on a slow core. */
const DNS_WINDOW = 16_384;
/**
 * How far past its start a dns match, or a failed attempt, reads: 126 labels of up to
 * 63 characters with a defanged dot (`[.]`), a 63-letter TLD, and the 64 characters a
 * label's lookahead checks (126 × 66 + 63 + 64 = 8,443).
 */
const DNS_REACH = 9_000;

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
    const steps = this.steps(input);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * extract() in steps: it pauses between windows of a long text's dns scan, the one
   * pattern that may try 126 labels at every label start (100,000 characters of `a.a.…`
   * took 45–185 ms in one go), so that a caller can give the event loop a turn.
   */
  *steps(input: string): Generator<void, IocResult> {
    const text = input.length > (this.options.maxLength ?? MAX_TEXT) ? input.slice(0, this.options.maxLength ?? MAX_TEXT) : input;
    const found = new Map<string, Found>();
    for (const pattern of this.patterns) {
      if (pattern.group === 'hash' || !mayContain(pattern.type, text)) continue;
      if (pattern.type === 'dns') yield* this.scanDns(pattern, text, found);
      else this.scan(pattern, text, found);
    }
    if (this.hashTypes.size) scanHashes(text, this.hashTypes, found);
    const out: IocResult = {};
    for (const [observable, f] of found) (out[f.type] ??= []).push(observable);
    return out;
  }

  /**
   * The dns scan, a window of DNS_WINDOW start positions at a time (a short text is one
   * window), pausing after each. Each window runs the pattern on a slice from two
   * characters before it to dnsReadEnd() past it, everything a match starting in the
   * window (or a failed attempt there) can read: the matches are those of one scan of
   * the text. Names need an ICANN public suffix.
   */
  private *scanDns(pattern: IocPattern, text: string, found: Map<string, Found>): Generator<void, void> {
    const re = hasLongLabel(text) ? this.dnsLong : pattern.regex;
    let pos = 0;
    while (pos < text.length) {
      const end = Math.min(text.length, pos + DNS_WINDOW);
      // The start's lookbehinds read up to two characters back.
      const from = Math.max(0, pos - 2);
      const slice = text.slice(from, dnsReadEnd(text, end));
      re.lastIndex = pos - from;
      let next = end;
      for (let m = re.exec(slice); m && from + m.index < end; m = re.exec(slice)) {
        if (hasIcannSuffix(m[0])) add(found, m[0], 'dns', pattern.priority);
        // The search goes on from the match's end, which may lie past the window.
        next = Math.max(end, from + m.index + m[0].length);
      }
      pos = next;
      yield;
    }
  }

  /** One pattern over the whole text: every type but dns (scanDns) and the hashes (scanHashes). */
  private scan(pattern: IocPattern, text: string, found: Map<string, Found>): void {
    const re = pattern.regex;
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
      add(found, observable, pattern.type, pattern.priority);
      if (pattern.type === 'url') this.rescanDecoded(observable, this.options.compat ? previousEnd : 0, found);
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

/**
 * How far the dns attempts that start before `end` can read: up to a character no name
 * holds (label characters, dots and a defanged dot's brackets), or past 126 more dots
 * (the most labels a name has) and a TLD, and never beyond DNS_REACH. On dotted
 * hostile text that is some 400 characters, not DNS_REACH: the slice past the window
 * is work done twice, once here and again in the next window.
 */
function dnsReadEnd(text: string, end: number): number {
  const limit = Math.min(text.length, end + DNS_REACH);
  let dots = 0;
  for (let i = end; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (++dots > 126) return Math.min(limit, i + 128);
    } else if (!isLabelChar(c) && c !== 91 && c !== 93) {
      return Math.min(limit, i + 2);
    }
  }
  return limit;
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
