// CEF, JSON and RAW formatting of security events (Code42 file events and
// alerts, or anything through a user mapping). Pure TypeScript; no Node-RED.
export { compileFormatter, describeNonObject, resolveMapping, OUTPUT_FORMATS, LEEF_VERSIONS, type EventFormatter, type FormatterOptions, type OutputFormat } from './formatter';
export { escapeExtensionSpec, escapeHeaderSpec, parseEscaping, ESCAPINGS, type Escaping } from './escape';
export { formatJson, formatRaw, dropEmpty } from './json';
export { BUILTIN_MAPPINGS, MAPPING_NAMES, pickMapping, AUTO_CANDIDATES, alertMapping, autoMapping, fileEventMapping, fileEventV2Mapping, cbcAlertMapping, cbcAuditMapping, cbcTime, escapeLeefHeader, escapeLeefValue, SECFLOW_VERSION, FILE_EVENT_V2_FIELDS, FILE_EVENT_V2_SEVERITIES, FILE_EVENT_V2_SIGNATURE_IDS, customMapping, parseCustomMapping, type CustomMappingSpec } from './mappings';
export type { CefEvent, CefMapping, CefSettings, CompiledCef, ExtensionField, ValueType } from './mapping';
export { v1TimestampToCefMs, isoTimestampToCefMs, isoTimestampToCefMsTruncated, TimestampError } from './timestamp';
export { pyJsonDumps, pyStr, pyRepr, pyFloatRepr } from '../util/python';
