// The registry of built-in CEF mappings: each is one file exporting a CefMapping,
// added here. `auto` picks among the others per event with `pickMapping`, which
// asks each mapping's `matches`.
import type { CefMapping } from '../mapping';
import { alertMapping } from './alert';
import { autoMapping } from './auto';
import { fileEventMapping } from './file-event';
import { fileEventV2Mapping } from './file-event-v2';
import { incydrAuditMapping } from './incydr-audit';
import { cbcAlertMapping, cbcAuditMapping } from './cbc-syslog';

export const BUILTIN_MAPPINGS: Readonly<Record<string, CefMapping>> = {
  [fileEventMapping.name]: fileEventMapping,
  [fileEventV2Mapping.name]: fileEventV2Mapping,
  [alertMapping.name]: alertMapping,
  [incydrAuditMapping.name]: incydrAuditMapping,
  [cbcAlertMapping.name]: cbcAlertMapping,
  [cbcAuditMapping.name]: cbcAuditMapping,
  [autoMapping.name]: autoMapping,
};

/** Names the node's `mapping` property accepts. */
export const MAPPING_NAMES = [...Object.keys(BUILTIN_MAPPINGS), 'custom'] as const;

export { pickMapping } from './pick';
export { AUTO_CANDIDATES } from './auto';
export { alertMapping, autoMapping, fileEventMapping, fileEventV2Mapping, incydrAuditMapping };
export { INCYDR_AUDIT_FIELDS, shortAuditTypeName } from './incydr-audit';
export { FILE_EVENT_V2_FIELDS, FILE_EVENT_V2_SEVERITIES, FILE_EVENT_V2_SIGNATURE_IDS } from './file-event-v2';
export { customMapping, parseCustomMapping, type CustomMappingSpec } from './custom';
export { cbcAlertMapping, cbcAuditMapping, cbcTime, escapeLeefHeader, escapeLeefValue, SECFLOW_VERSION, CBC_PRODUCT, CBC_VENDOR, type LeefVersion } from './cbc-syslog';
