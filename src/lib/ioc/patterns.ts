// msticpy's IoC regexes (msticpy/transform/iocextract.py, MIT) in JS form:
// VERBOSE whitespace removed, (?P<n> → (?<n>, flags `gim` without `u` (the
// classes rely on Annex-B parsing), `-` escaped inside classes.
//
// Changes that keep the matches but bound the work (no super-linear time on
// long dotted or repeated input):
// - email: the user part only starts where a run of user characters starts
//   (the extractor also tries right after the previous match), so a long run
//   without `@` is walked once instead of once per position;
// - linux/windows paths: runs of `/` and `.` in the root are taken atomically
//   (`(?=(x+))\1`): giving characters back could never let the rest match;
// - windows path: the folder part `(?:X+\\)*`, whose X includes `\`, is the same
//   language as `(?:X+\\)?`, but without the exponential ways to split it; X is
//   bounded to 259 characters (MAX_PATH).

export type IocType = 'ipv4' | 'ipv6' | 'dns' | 'url' | 'email' | 'windows_path' | 'linux_path' | 'md5_hash' | 'sha1_hash' | 'sha256_hash';

/** Scan order (msticpy's registration order): on a tie of priority the first type keeps the text. */
export const IOC_TYPES: readonly IocType[] = ['ipv4', 'ipv6', 'dns', 'url', 'email', 'windows_path', 'linux_path', 'md5_hash', 'sha1_hash', 'sha256_hash'];
export const PATH_TYPES: readonly IocType[] = ['windows_path', 'linux_path'];
/** Types whose defanged forms are matched ([.] [at] hXXp). */
export const DEFANGABLE: readonly IocType[] = ['ipv4', 'dns', 'url', 'email'];

export const PRIORITY: Record<IocType, number> = { ipv4: 0, ipv6: 0, dns: 2, url: 0, email: 1, windows_path: 3, linux_path: 4, md5_hash: 1, sha1_hash: 1, sha256_hash: 1 };

const IPV4 = String.raw`(?<ipaddress>(?:[0-9]{1,3}\.){3}[0-9]{1,3})`;
const IPV4_DF = String.raw`(?<ipaddress>(?:[0-9]{1,3}\[?\.\]?){3}[0-9]{1,3})`;
const OCTET = String.raw`(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])`;
/** Strict IPv4 (secflow): octets ≤ 255 without leading zeros, no adjacent digit or dot-digit. */
const IPV4_STRICT = String.raw`(?<![0-9.])(?<ipaddress>(?:${OCTET}\.){3}${OCTET})(?![0-9]|\.[0-9])`;
const IPV4_STRICT_DF = String.raw`(?<![0-9.])(?<ipaddress>(?:${OCTET}\[?\.\]?){3}${OCTET})(?![0-9]|\[?\.\]?[0-9])`;
// A name is only tried where msticpy's attempt could differ from an earlier
// one: not after a letter/digit (or letter/digit + '-') of the same label,
// whose attempt already covered this position (same labels after it). The
// exception is a label over 63 characters, where msticpy starts within 63
// characters of the dot: text with such a label uses the `LONG` start, which
// also tries there (slower, so only then).
const DNS_START = String.raw`(?<![a-z0-9])(?<![a-z0-9]\-)(?=[a-z0-9])`;
const DNS_START_LONG = String.raw`(?:(?<![a-z0-9])(?<![a-z0-9]\-)|(?<=[a-z0-9\-])(?=[a-z0-9\-]{62,63}\[?\.))`;
export const isLabelChar = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45;

/**
 * True when the text has a run of 64 or more label characters (so it may have a
 * label over 63 characters and needs the LONG start). Such a run covers two
 * positions that are multiples of 32, so only the runs around those are
 * measured: a fraction of the cost of a regex scan.
 */
export function hasLongLabel(text: string): boolean {
  for (let p = 0; p < text.length; p += 32) {
    if (!isLabelChar(text.charCodeAt(p))) continue;
    let start = p;
    while (start > 0 && isLabelChar(text.charCodeAt(start - 1))) start--;
    let end = p + 1;
    while (end < text.length && isLabelChar(text.charCodeAt(end))) end++;
    if (end - start >= 64) return true;
    p = end - (end % 32); // the loop's += 32 moves to the first sample after the run
  }
  return false;
}

const IPV6 = String.raw`(?<![:.\w])(?:[A-F0-9]{0,4}:){2,7}[A-F0-9]{0,4}(?![:.\w])`;
const DNS_BODY = String.raw`(?:(?=[a-z0-9\-]{1,63}\.)[a-z0-9]+(?:\-[a-z0-9]+)*\.){1,126}[a-z]{2,63}`;
const DNS_DF_BODY = String.raw`(?:(?=[a-z0-9\-]{1,63}\[?\.\]?)[a-z0-9]+(?:\-[a-z0-9]+)*\[?\.\]?){1,126}[a-z]{2,63}`;
const DNS = DNS_START + DNS_BODY;
const DNS_DF = DNS_START + DNS_DF_BODY;
const EMAIL_USER_CHARS = String.raw`a-zA-Z0-9.!#$%&'*+/=?^_\`{|}~\-`;
const EMAIL_USER = String.raw`(?<user>[${EMAIL_USER_CHARS}]+)`;
const EMAIL = String.raw`${EMAIL_USER}@(?<domain>${DNS})`;
const EMAIL_DF = String.raw`${EMAIL_USER}(?:@|\[at\])(?<domain>${DNS_DF})`;
const URL_TAIL = String.raw`(?::(?<port>\d*))?(?:\/(?<path>(?:[^?#"<>\s]|%[0-9A-F]{2})*\/?))?(?:\?(?<query>(?:[a-z0-9\-._~!$&'()*+,;=:\/?@]|%[0-9A-F]{2})*))?(?:#(?<fragment>(?:[a-z0-9\-._~!$&'()*+,;=:\/?@]|%[0-9A-F]{2})*))?`;
const URL = String.raw`(?<protocol>(?:https?|s?ftps?|telnet|ldap|file):\/\/)(?<userinfo>(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9A-F]{2})*@)?(?<host>(?:[a-z0-9\-._~!$&'()*+,;=]|%[0-9A-F]{2})*)` + URL_TAIL;
const URL_DF = String.raw`(?<protocol>(?:https?|hXXps?|s?ftps?|s?fXps?|telnet|ldap|file):\/\/)(?<userinfo>(?:[a-z0-9\-._~!$&'()*+,;=:]|%[0-9A-F]{2})*@)?(?<host>(?:[a-z0-9\-._~!$&'()*+,;=\[\]]|%[0-9A-F]{2})*)` + URL_TAIL;
const WINPATH = String.raw`(?:[a-z]:|\\\\[a-z0-9_.$\-]+||(?=(\.+))\1)\\(?:[^\/:*?"'<>|\r\n]{1,259}\\)?[^\\\/*?"<>|\r\n ]+`;
const LXPATH = String.raw`(?:(?<!\/)(?=(\/+))\1|(?<!\.)(?=(\.+))\2\/)(?:[^\\\/:*?<>|\r\n]+\/)*[^\/\0<>|\r\n ]+`;
const hash = (n: number) => String.raw`(?:^|[^A-Fa-f0-9])(?<hash>[A-Fa-f0-9]{${n}})(?:$|[^A-Fa-f0-9])`;

export interface IocPattern {
  type: IocType;
  priority: number;
  /** The group holding the observable; the whole match when absent. */
  group?: 'ipaddress' | 'hash';
  regex: RegExp;
}

export interface PatternOptions {
  defanged: boolean;
  strictIpv4: boolean;
}

const FLAGS = 'gim';

/** The patterns for one configuration, in scan order. */
export function buildPatterns(options: PatternOptions): IocPattern[] {
  const df = options.defanged;
  const sources: Record<IocType, string> = {
    ipv4: options.strictIpv4 ? (df ? IPV4_STRICT_DF : IPV4_STRICT) : df ? IPV4_DF : IPV4,
    ipv6: IPV6,
    dns: df ? DNS_DF : DNS,
    url: df ? URL_DF : URL,
    // The lookbehind starts the user part at the start of a run (see the header).
    email: `(?<![${EMAIL_USER_CHARS}])` + (df ? EMAIL_DF : EMAIL),
    windows_path: WINPATH,
    linux_path: LXPATH,
    md5_hash: hash(32),
    sha1_hash: hash(40),
    sha256_hash: hash(64),
  };
  return IOC_TYPES.map((type) => ({
    type,
    priority: PRIORITY[type],
    group: type === 'ipv4' ? 'ipaddress' : type.endsWith('_hash') ? 'hash' : undefined,
    regex: new RegExp(sources[type], FLAGS),
  }));
}

/** The dns pattern for text with a label over 63 characters (see DNS_START). */
export function dnsLongPattern(defanged: boolean): RegExp {
  return new RegExp(DNS_START_LONG + (defanged ? DNS_DF_BODY : DNS_BODY), FLAGS);
}

/** The email pattern without the run-start lookbehind, tried (sticky) right after a previous email. */
export function emailContinuation(defanged: boolean): RegExp {
  return new RegExp(defanged ? EMAIL_DF : EMAIL, 'yim');
}

/** The URL pattern on its own (for re-scanning decoded URLs). */
export function urlPattern(defanged: boolean): RegExp {
  return new RegExp(defanged ? URL_DF : URL, FLAGS);
}
