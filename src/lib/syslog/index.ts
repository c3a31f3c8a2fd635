export { SyslogSender, type SyslogState, type SendOverrides } from './sender';
export { type SyslogOptions, type SyslogProtocol, type SyslogNewlines, resolveOptions } from './options';
export { facilityCode, severityCode, FACILITIES, SEVERITIES } from './codes';
export { escapeNewlines, formatSyslogMessage, frameSyslogMessage, rfc3164Timestamp, MAX_UDP_PAYLOAD, type SyslogFormat, type SyslogFraming, type FormatFields } from './format';
