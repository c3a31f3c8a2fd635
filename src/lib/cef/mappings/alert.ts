// secflow's own CEF mapping for Code42 alerts (contract S-e "Alert CEF"): the
// reference had none.
import { escapersFor } from '../escape';
import { compileExtension, headerPrefix, isDropped, type CefEvent, type CefMapping, type CefSettings, type ExtensionField } from '../mapping';

const SIGNATURE_IDS: Readonly<Record<string, string>> = Object.assign(Object.create(null), {
  FedEndpointExfiltration: 'C42301',
  FedCloudSharePermissions: 'C42302',
  FedFileTypeMismatch: 'C42303',
});

const SEVERITIES: Readonly<Record<string, string>> = Object.assign(Object.create(null), {
  CRITICAL: '10',
  HIGH: '8',
  MEDIUM: '5',
  MODERATE: '5',
  LOW: '3',
});

export const ALERT_FIELDS: ExtensionField[] = [
  { key: 'externalId', from: ['id'], type: 'string' },
  { key: 'rt', from: ['createdAt'], type: 'timestamp' },
  { key: 'suser', from: ['actor'], type: 'string' },
  { key: 'suid', from: ['actorId'], type: 'string' },
  { key: 'msg', from: ['description'], type: 'string' },
  { key: 'cat', from: ['type'], type: 'string' },
  { key: 'act', from: ['state'], type: 'string' },
  { key: 'cs1', from: ['ruleId'], type: 'string', label: 'Code42AlertRuleId' },
  { key: 'cs2', from: ['ruleSource'], type: 'string', label: 'Code42AlertRuleSource' },
  { key: 'cs3', from: ['name'], type: 'string', label: 'Code42AlertRuleName' },
  { key: 'cs4', from: ['target'], type: 'string', label: 'Code42AlertTarget' },
  { key: 'cs5', from: ['riskSeverity', 'severity'], type: 'string', label: 'Code42AlertSeverity' },
  // Only a list of observations has a count; the details fetch supplies it.
  { key: 'cn1', from: ['observations'], type: 'number', label: 'Code42AlertObservationCount', compute: (e) => (Array.isArray(e.observations) ? e.observations.length : undefined) },
];

/** The alert's name, else its type, else UNKNOWN. */
function alertName(event: CefEvent): string {
  for (const v of [event.name, event.type]) if (!isDropped(v) && v !== '') return typeof v === 'string' ? v : JSON.stringify(v);
  return 'UNKNOWN';
}

/** riskSeverity (Incydr) else severity (legacy): CRITICAL 10, HIGH 8, MEDIUM/MODERATE 5, LOW 3, else 5. */
export function alertSeverity(event: CefEvent): string {
  const raw = isDropped(event.riskSeverity) ? event.severity : event.riskSeverity;
  return (typeof raw === 'string' && SEVERITIES[raw.toUpperCase()]) || '5';
}

function compile(settings: CefSettings) {
  const esc = escapersFor(settings.escaping);
  const prefix = headerPrefix(esc, settings.vendor, settings.product || alertMapping.defaultProduct, alertMapping.version);
  const fixedSeverity = settings.severity ? esc.header(settings.severity) : undefined;
  const extension = compileExtension(ALERT_FIELDS, settings.escaping);
  return (event: CefEvent): string => {
    if (isDropped(event.id) && isDropped(event.createdAt) && isDropped(event.type)) throw new Error('event has neither id nor createdAt nor type of a Code42 alert; choose the mapping that fits the event');
    const type = event.type;
    const sig = (typeof type === 'string' && SIGNATURE_IDS[type]) || 'C42300';
    const ext = extension(event);
    return prefix + sig + '|' + esc.header(alertName(event)) + '|' + (fixedSeverity ?? alertSeverity(event)) + '|' + ext;
  };
}

export const alertMapping: CefMapping = {
  name: 'alert',
  defaultProduct: 'Alerts',
  version: '1',
  matches(event) {
    return typeof event.createdAt === 'string' && ('ruleId' in event || 'ruleSource' in event || 'observations' in event);
  },
  compile,
};
