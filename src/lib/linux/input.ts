// Turns what arrives in msg.payload into Sentinel Syslog rows: a raw syslog
// line (string or Buffer, possibly several lines), a Sentinel row (has
// SyslogMessage), or a syslog object as Node-RED syslog inputs emit them
// ({message|msg, facility, severity, host|hostname, appName|tag|program, pid|procId, timestamp|date}).
import type { SyslogRow } from './classify';
import { FACILITIES, SEVERITIES, parseSyslogLine, type LineOptions } from './syslog-line';
import { formatTime, parseTime } from './time';
import { TurnClock } from '../util/turns';

export class SyslogInputError extends Error {}

/** The rows in one payload; throws SyslogInputError naming `field` for anything else. */
export function rowsFromPayload(payload: unknown, field = 'msg.payload', options: LineOptions = {}): SyslogRow[] {
  if (Buffer.isBuffer(payload)) return rowsFromText(payload.toString('utf8'), field, options);
  if (typeof payload === 'string') return rowsFromText(payload, field, options);
  if (payload && typeof payload === 'object' && !Array.isArray(payload)) return [rowFromObject(payload as Record<string, unknown>, field)];
  throw new SyslogInputError(`${field} must be a syslog line (string or Buffer) or a Sentinel Syslog row (object with SyslogMessage); got ${describe(payload)}`);
}

/**
 * rowsFromPayload, yielding to the event loop whenever a turn has run 20 ms:
 * a payload of many lines (a file or stream chunk) never holds other flows up.
 */
export async function rowsFromPayloadInTurns(payload: unknown, field = 'msg.payload', options: LineOptions = {}): Promise<SyslogRow[]> {
  if (!Buffer.isBuffer(payload) && typeof payload !== 'string') return rowsFromPayload(payload, field, options);
  const lines = linesOf(typeof payload === 'string' ? payload : payload.toString('utf8'), field);
  const clock = new TurnClock();
  const rows: SyslogRow[] = new Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    if (clock.due()) await clock.yield();
    rows[i] = rowOfLine(lines[i], field, options);
  }
  return rows;
}

function linesOf(text: string, field: string): string[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new SyslogInputError(`${field} is an empty string: expected a syslog line`);
  return lines;
}

function rowOfLine(line: string, field: string, options: LineOptions): SyslogRow {
  try {
    return parseSyslogLine(line, options);
  } catch (err) {
    throw new SyslogInputError(`${field}: ${(err as Error).message}`);
  }
}

function rowsFromText(text: string, field: string, options: LineOptions): SyslogRow[] {
  return linesOf(text, field).map((line) => rowOfLine(line, field, options));
}

function rowFromObject(obj: Record<string, unknown>, field: string): SyslogRow {
  if ('SyslogMessage' in obj) {
    if (typeof obj.SyslogMessage !== 'string') throw new SyslogInputError(`${field}.SyslogMessage must be a string; got ${describe(obj.SyslogMessage)}`);
    for (const key of ['Facility', 'ProcessName', 'Computer'] as const) {
      if (obj[key] !== undefined && obj[key] !== null && typeof obj[key] !== 'string') throw new SyslogInputError(`${field}.${key} must be a string; got ${describe(obj[key])}`);
    }
    return obj as SyslogRow;
  }
  const message = obj.message ?? obj.msg;
  if (typeof message !== 'string') throw new SyslogInputError(`${field} is an object without SyslogMessage (Sentinel row) or message (syslog object); got keys ${Object.keys(obj).slice(0, 8).join(', ') || 'none'}`);
  const time = parseTime(obj.timestamp ?? obj.date ?? obj.time);
  const host = str(obj.hostname ?? obj.host);
  const pid = obj.pid ?? obj.procId ?? obj.procid;
  return {
    TimeGenerated: formatTime(time ?? Date.now() * 1000),
    Computer: host,
    HostName: host,
    Facility: codeName(obj.facility, FACILITIES),
    SeverityLevel: codeName(obj.severity, SEVERITIES),
    ProcessName: str(obj.appName ?? obj.appname ?? obj.tag ?? obj.program),
    ProcessID: pid === undefined || pid === null || pid === '' || pid === '-' ? null : /^\d+$/.test(String(pid)) ? Number(pid) : String(pid),
    SyslogMessage: message,
  };
}

function codeName(value: unknown, names: readonly string[]): string {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < names.length) return names[value];
  const text = str(value).toLowerCase();
  if (/^\d+$/.test(text) && Number(text) < names.length) return names[Number(text)];
  const aliases: Record<string, string> = { security: 'auth', error: 'err', warn: 'warning', panic: 'emerg', emergency: 'emerg', critical: 'crit', informational: 'info' };
  return aliases[text] ?? text;
}

function str(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (Buffer.isBuffer(value)) return 'a Buffer';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)?.slice(0, 40)}`;
}
