// carbonblack/cbc-syslog's default templates (examples/cef.toml.example,
// examples/leef.toml.example, src/cbc_syslog/util/example.py), written down as data:
// each extension is a list of `key=value` pairs whose value is literal text with
// {field} placeholders. The header lines of the templates are built in cbc-syslog.ts.
//
// Facts of the originals kept here: CEF extensions are tab-separated; alert types
// with their own extension are CB_ANALYTICS, CONTAINER_RUNTIME, DEVICE_CONTROL,
// HOST_BASED_FIREWALL, INTRUSION_DETECTION_SYSTEM and WATCHLIST, anything else uses
// `default`; the audit-log template has only `default`.

export type Pair = readonly [key: string, value: string];

const DEVICE_TAIL: Pair[] = [['c6a1', '{device_external_ip}'], ['c6a1Label', 'External_Device_Address']];
const PROCESS: Pair[] = [['deviceProcessId', '{process_pid}'], ['deviceProcessName', '{process_name}'], ['fileHash', '{process_sha256}'], ['deviceExternalId', '{device_id}'], ['dvc', '{device_internal_ip}'], ['duser', '{device_username}']];
const HEAD_MITRE: Pair[] = [['cat', '{type}'], ['frameworkName', 'MITRE_ATT&CK'], ['threatAttackID', '{attack_tactic}:{attack_technique}']];
const TIMES: Pair[] = [['act', '{sensor_action}'], ['externalId', '{id}'], ['rt', '{backend_timestamp}'], ['start', '{first_event_timestamp}'], ['outcome', '{run_state}']];
const THREAT: Pair[] = [['cs1', '{threat_id}'], ['cs1Label', 'Threat_ID']];
const LINK_DEVICE: Pair[] = [['cs2', '{alert_url}'], ['cs2Label', 'Link'], ['cs3', '{device_name}'], ['cs3Label', 'Device_Name']];
const REPUTATION_PARENT: Pair[] = [['cs4', '{process_effective_reputation}'], ['cs4Label', 'Process_Effective_Reputation'], ['cs5', '{parent_name}'], ['cs5Label', 'Parent_Name'], ['cs6', '{parent_sha256}'], ['cs6Label', 'Parent_Hash']];
const NETCONN: Pair[] = [
  ['destinationTranslatedPort', '{netconn_remote_port}'], ['sourceTranslatedPort', '{netconn_local_port}'], ['applicationProtocol', '{netconn_protocol}'],
  ['destinationDnsDomain', '{netconn_remote_domain}'], ['destinationTranslatedAddress', '{netconn_remote_ip}'], ['sourceTranslatedAddress', '{netconn_local_ip}'],
];

export const CEF_ALERT_EXTENSIONS: Readonly<Record<string, readonly Pair[]>> = {
  default: [...HEAD_MITRE, ...TIMES, ...PROCESS, ...LINK_DEVICE, ...REPUTATION_PARENT, ...DEVICE_TAIL],
  CB_ANALYTICS: [...HEAD_MITRE, ...TIMES, ...PROCESS, ...THREAT, ...LINK_DEVICE, ...REPUTATION_PARENT, ...DEVICE_TAIL],
  CONTAINER_RUNTIME: [
    ['cat', '{type}'], ...TIMES, ['deviceExternalId', '{replica_id}'], ...NETCONN, ...THREAT, ['cs2', '{alert_url}'], ['cs2Label', 'Link'],
    ['cs3', '{cluster}'], ['cs3Label', 'Cluster'], ['cs4', '{namespace}'], ['cs4Label', 'Namespace'], ['cs5', '{workload_kind}'], ['cs5Label', 'Workload_Kind'],
    ['cs6', '{remote_replica_id}'], ['cs6Label', 'Remote_Replica_id'],
  ],
  DEVICE_CONTROL: [
    ['cat', '{type}'], ...TIMES, ['deviceExternalId', '{device_id}'], ['dvc', '{device_internal_ip}'], ['duser', '{device_username}'], ...THREAT, ...LINK_DEVICE,
    ['cs4', '{vendor_id}'], ['cs4Label', 'Vendor_ID'], ['cs5', '{product_id}'], ['cs5Label', 'Product_ID'], ['cs6', '{serial_number}'], ['cs6Label', 'Serial_Number'], ...DEVICE_TAIL,
  ],
  HOST_BASED_FIREWALL: [['cat', '{type}'], ...TIMES, ...PROCESS, ...NETCONN, ...THREAT, ...LINK_DEVICE, ...REPUTATION_PARENT, ...DEVICE_TAIL],
  INTRUSION_DETECTION_SYSTEM: [...HEAD_MITRE, ...TIMES, ...PROCESS, ...NETCONN, ...THREAT, ...LINK_DEVICE, ...REPUTATION_PARENT, ...DEVICE_TAIL],
  WATCHLIST: [...HEAD_MITRE, ...TIMES, ...PROCESS, ...THREAT, ...LINK_DEVICE, ...REPUTATION_PARENT, ...DEVICE_TAIL],
};

export const CEF_AUDIT_EXTENSION: readonly Pair[] = [['rt', '{eventTime}'], ['dvchost', '{orgName}'], ['duser', '{loginName}'], ['dvc', '{clientIp}'], ['cs4Label', 'Event_ID'], ['cs4', '{eventId}']];

export const LEEF_ALERT_EXTENSION: readonly Pair[] = [
  ['cat', '{type}'], ['devTime', '{backend_timestamp}'], ['devTimeFormat', 'MMM dd yyyy HH:mm:ss z'], ['sev', '{severity}'], ['identSrc', '{device_external_ip}'],
  ['resource', '{device_name}'], ['policy', '{device_policy}'], ['usrName', '{device_username}'],
];

export const LEEF_AUDIT_EXTENSION: readonly Pair[] = [['devTime', '{eventTime}'], ['devTimeFormat', 'MMM dd yyyy HH:mm:ss z'], ['usrName', '{loginName}'], ['identSrc', '{clientIp}']];

/** The time fields each template reformats. */
export const CEF_ALERT_TIME_FIELDS = ['backend_timestamp', 'first_event_timestamp'];
export const LEEF_ALERT_TIME_FIELDS = ['backend_timestamp'];
export const AUDIT_TIME_FIELDS = ['eventTime'];
