// Pure formatting and framing of syslog messages (no I/O), so every byte the
// sender writes can be unit-tested.

export type SyslogFormat = 'none' | 'rfc3164' | 'rfc5424';
/** How a formatted message is delimited on the wire. */
export type SyslogFraming = 'datagram' | 'lf' | 'octet' | 'bare';

export interface FormatFields {
  format: SyslogFormat;
  facility: number;
  severity: number;
  timestamp: Date;
  hostname: string;
  appName: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `Mmm dd hh:mm:ss` in UTC, the day space-padded (RFC 3164 §4.1.2). */
export function rfc3164Timestamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2, ' ')} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/**
 * A header token (HOSTNAME, APP-NAME) must be printable US-ASCII without spaces
 * (RFC 5424 §6): anything else becomes `_`, an empty value the nil value `-`.
 */
export function headerToken(value: string, maxLength: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '_').slice(0, maxLength);
  return clean === '' ? '-' : clean;
}

/**
 * The message text with its header, without any framing:
 * - `none`: the text unchanged (the reference sends no PRI and no header);
 * - `rfc3164`: `<PRI>Mmm dd hh:mm:ss HOST APP: MSG`;
 * - `rfc5424`: `<PRI>1 2024-01-02T03:04:05.678Z HOST APP - - - MSG`.
 */
export function formatSyslogMessage(message: string, fields: FormatFields): string {
  if (fields.format === 'none') return message;
  if (Number.isNaN(fields.timestamp.getTime())) throw new Error('timestamp is not a valid date');
  const pri = `<${fields.facility * 8 + fields.severity}>`;
  const host = headerToken(fields.hostname, 255);
  if (fields.format === 'rfc3164') {
    return `${pri}${rfc3164Timestamp(fields.timestamp)} ${host} ${headerToken(fields.appName, 48)}: ${message}`;
  }
  return `${pri}1 ${fields.timestamp.toISOString()} ${host} ${headerToken(fields.appName, 48)} - - - ${message}`;
}

/**
 * The bytes to write for one formatted message:
 * - `datagram` (UDP): one datagram; a `none` message keeps the reference's trailing `\n`;
 * - `lf` (TCP/TLS): the message and `\n` (RFC 6587 non-transparent framing);
 * - `octet` (TCP/TLS): `LEN SP MSG`, LEN the message's length in UTF-8 bytes (RFC 6587 §3.4.1);
 * - `bare` (RELP): the message alone; the RELP frame carries its length.
 */
export function frameSyslogMessage(text: string, framing: SyslogFraming, format: SyslogFormat): Buffer {
  if (framing === 'octet') {
    const body = Buffer.from(text, 'utf8');
    return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
  }
  if (framing === 'bare') return Buffer.from(text, 'utf8');
  if (framing === 'lf' || format === 'none') return Buffer.from(`${text}\n`, 'utf8');
  return Buffer.from(text, 'utf8');
}

/**
 * CR and LF as rsyslog escapes control characters (`#` and three octal digits),
 * so a payload can never start a syslog line of its own on a line-oriented
 * receiver (LF framing, UDP, the receiver's log file).
 */
export function escapeNewlines(message: string): string {
  return message.replace(/\r/g, '#015').replace(/\n/g, '#012');
}

/** Largest UDP payload over IPv4 (65,535 − 8 UDP − 20 IP header bytes). */
export const MAX_UDP_PAYLOAD = 65_507;
