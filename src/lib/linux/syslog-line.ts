// Parses one raw syslog line (RFC 5424, RFC 3164 as forwarded by syslog-ng or
// rsyslog, or an auth.log file line without PRI) into the Sentinel Syslog row
// shape the classifier works on: Computer, HostName, Facility, SeverityLevel,
// ProcessName, ProcessID, SyslogMessage, TimeGenerated (ISO-8601 UTC).
import type { SyslogRow } from './classify';
import { trimLineEnd } from './scan';
import { formatTime, parseTime } from './time';

/** Facility names as Sentinel's Syslog table spells them, by facility code. */
export const FACILITIES = ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp', 'ntp', 'audit', 'alert', 'clock', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'] as const;
export const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;

const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

const PRI = /^<(\d{1,3})>/;
const BSD_TIME = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? /;
const ISO_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})) /;
const RFC5424_HEAD = /^(\d{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+) /;
/** `program[pid]: ` or `program: ` (tag ≤ 48 chars, as RFC 3164 allows 32 and real senders exceed it). */
const TAG = /^([^\s:[\]]{1,48})(?:\[([^\]\s]{0,32})\])?: ?/;

export class SyslogParseError extends Error {}

export interface LineOptions {
  /** For RFC 3164 times, which carry no year: the current time. */
  now?: Date;
}

export function parseSyslogLine(raw: string, options: LineOptions = {}): SyslogRow {
  const line = trimLineEnd(raw);
  if (line.trim() === '') throw new SyslogParseError('empty syslog line');
  let rest = line;
  let Facility = '';
  let SeverityLevel = '';
  if (rest.startsWith('<')) {
    const pri = PRI.exec(rest);
    if (!pri) throw new SyslogParseError(`truncated or invalid PRI in syslog line ${preview(line)}`);
    const value = Number(pri[1]);
    if (value > 191) throw new SyslogParseError(`PRI ${value} out of range (0-191) in syslog line ${preview(line)}`);
    Facility = FACILITIES[value >> 3];
    SeverityLevel = SEVERITIES[value & 7];
    rest = rest.slice(pri[0].length);
  }
  // RFC 5424 starts with a version number; test the regex only then.
  const first = rest.charCodeAt(0);
  const v5424 = first >= 48 && first <= 57 ? RFC5424_HEAD.exec(rest) : null;
  if (v5424 && Facility) return parse5424(v5424, rest.slice(v5424[0].length), Facility, SeverityLevel, line);

  let time: number | null;
  const bsd = BSD_TIME.exec(rest);
  const iso = bsd ? null : ISO_TIME.exec(rest);
  if (bsd) {
    time = cachedBsdTime(bsd, options.now ?? new Date());
    rest = rest.slice(bsd[0].length);
  } else if (iso) {
    time = parseTime(iso[1]);
    rest = rest.slice(iso[0].length);
  } else {
    throw new SyslogParseError(`truncated syslog line or unknown header (expected an RFC 3164 or RFC 5424 timestamp): ${preview(line)}`);
  }
  if (time === null) throw new SyslogParseError(`invalid timestamp in syslog line ${preview(line)}`);
  const host = /^(\S+) /.exec(rest);
  if (!host) throw new SyslogParseError(`truncated syslog line: no host and message after the timestamp: ${preview(line)}`);
  rest = rest.slice(host[0].length);
  const tag = TAG.exec(rest);
  const ProcessName = tag ? tag[1] : '';
  const pid = tag ? tag[2] : undefined;
  const SyslogMessage = tag ? rest.slice(tag[0].length) : rest;
  if (SyslogMessage.trim() === '') throw new SyslogParseError(`truncated syslog line: no message after the header: ${preview(line)}`);
  return row(time, host[1], Facility, SeverityLevel, ProcessName, pid, SyslogMessage);
}

function parse5424(head: RegExpExecArray, after: string, Facility: string, SeverityLevel: string, line: string): SyslogRow {
  const [, version, timestamp, hostname, appName, procId] = head;
  if (version !== '1') throw new SyslogParseError(`unsupported RFC 5424 version ${version}: ${preview(line)}`);
  const time = timestamp === '-' ? Date.now() * 1000 : parseTime(timestamp);
  if (time === null) throw new SyslogParseError(`invalid RFC 5424 timestamp ${JSON.stringify(timestamp)}: ${preview(line)}`);
  const msgStart = skipStructuredData(after, line);
  let SyslogMessage = msgStart < after.length ? after.slice(msgStart) : '';
  if (SyslogMessage.startsWith('\uFEFF')) SyslogMessage = SyslogMessage.slice(1);
  if (SyslogMessage.trim() === '') throw new SyslogParseError(`truncated syslog line: no message after the RFC 5424 header: ${preview(line)}`);
  const nil = (v: string) => (v === '-' ? '' : v);
  return row(time, nil(hostname), Facility, SeverityLevel, nil(appName), nil(procId) || undefined, SyslogMessage);
}

/** Index of the message after STRUCTURED-DATA (`-` or `[id k="v"]...`), skipping the separating space. */
function skipStructuredData(text: string, line: string): number {
  if (text.startsWith('-')) return text[1] === ' ' ? 2 : 1;
  let i = 0;
  while (text[i] === '[') {
    let inQuotes = false;
    i++;
    for (;;) {
      if (i >= text.length) throw new SyslogParseError(`truncated RFC 5424 structured data: ${preview(line)}`);
      const c = text[i];
      if (inQuotes && c === '\\') i += 2;
      else {
        if (c === '"') inQuotes = !inQuotes;
        else if (c === ']' && !inQuotes) break;
        i++;
      }
    }
    i++;
  }
  if (i === 0) throw new SyslogParseError(`invalid RFC 5424 structured data: ${preview(line)}`);
  return text[i] === ' ' ? i + 1 : i;
}

function bsdTime(m: RegExpExecArray, now: Date): number | null {
  const month = MONTHS[m[1]];
  if (month === undefined) return null;
  const [day, h, mi, s] = [+m[2], +m[3], +m[4], +m[5]];
  const frac = m[6] ? Number((m[6] + '00000').slice(0, 6)) : 0;
  // No year in RFC 3164: this year, or last year when that would be more than a day ahead.
  const year = now.getUTCFullYear();
  let ms = Date.UTC(year, month, day, h, mi, s);
  if (ms > now.getTime() + 86_400_000) ms = Date.UTC(year - 1, month, day, h, mi, s);
  return ms * 1000 + frac;
}

// Lines come in bursts within the same second: convert and format each time text once.
// The year inference depends on `now`, so the cache is per day of `now`.
const bsdCache = new Map<string, number | null>();
let bsdCacheDay = Number.NaN;
function cachedBsdTime(m: RegExpExecArray, now: Date): number | null {
  const day = Math.floor(now.getTime() / 86_400_000);
  if (day !== bsdCacheDay || bsdCache.size > 1024) {
    bsdCache.clear();
    bsdCacheDay = day;
  }
  let time = bsdCache.get(m[0]);
  if (time === undefined) {
    time = bsdTime(m, now);
    bsdCache.set(m[0], time);
  }
  return time;
}

const isoCache = new Map<number, string>();
function isoOf(time: number): string {
  let iso = isoCache.get(time);
  if (iso === undefined) {
    if (isoCache.size > 1024) isoCache.clear();
    iso = formatTime(time);
    isoCache.set(time, iso);
  }
  return iso;
}

function row(time: number, host: string, Facility: string, SeverityLevel: string, ProcessName: string, pid: string | undefined, SyslogMessage: string): SyslogRow {
  return {
    TimeGenerated: isoOf(time),
    Computer: host,
    HostName: host,
    Facility,
    SeverityLevel,
    ProcessName,
    ProcessID: pid && /^\d+$/.test(pid) ? Number(pid) : pid || null,
    SyslogMessage,
  };
}

function preview(line: string): string {
  return JSON.stringify(line.length > 120 ? `${line.slice(0, 120)}…` : line);
}
