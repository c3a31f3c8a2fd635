// Column schemas of process events, after msticpy's ProcSchema (proc_tree_schema.py):
// which columns hold the process name, pid, parent pid and time, and which
// event rows are process creations.

export interface ProcSchema {
  name: string;
  process_name: string;
  process_id: string;
  parent_id: string;
  time_stamp: string;
  parent_name?: string;
  cmd_line?: string;
  user_name?: string;
  logon_id?: string;
  target_logon_id?: string;
  user_id?: string;
  host_name?: string;
  event_id_column?: string;
  event_id_identifier?: string | number;
  /** `pid` (default): parent by pid and as-of time; `guid`: exact parent GUID match. */
  idKind?: 'pid' | 'guid';
  /** GUID-keyed schemas: the process's own GUID column. */
  process_guid?: string;
  /** GUID-keyed schemas: the parent's GUID column. */
  parent_guid?: string;
  /** Fallback time column when `time_stamp` is absent in a row. */
  time_fallback?: string;
}

export const LX_SCHEMA: ProcSchema = {
  name: 'linux',
  process_name: 'exe',
  process_id: 'pid',
  parent_id: 'ppid',
  time_stamp: 'TimeGenerated',
  cmd_line: 'cmdline',
  user_name: 'acct',
  logon_id: 'ses',
  user_id: 'uid',
  host_name: 'Computer',
  event_id_column: 'EventType',
  event_id_identifier: 'SYSCALL_EXECVE',
};

export const WIN_SCHEMA: ProcSchema = {
  name: 'windows',
  process_name: 'NewProcessName',
  process_id: 'NewProcessId',
  parent_id: 'ProcessId',
  time_stamp: 'TimeGenerated',
  parent_name: 'ParentProcessName',
  cmd_line: 'CommandLine',
  user_name: 'SubjectUserName',
  logon_id: 'SubjectLogonId',
  target_logon_id: 'TargetLogonId',
  host_name: 'Computer',
  event_id_column: 'EventID',
  event_id_identifier: 4688,
};

/** Carbon Black Cloud processes (search results, or childproc events mapped by `cbEventsToProcesses`). */
export const CB_SCHEMA: ProcSchema = {
  name: 'cbc',
  idKind: 'guid',
  process_guid: 'process_guid',
  parent_guid: 'parent_guid',
  process_name: 'process_name',
  process_id: 'process_pid',
  parent_id: 'parent_pid',
  time_stamp: 'process_start_time',
  time_fallback: 'event_timestamp',
  cmd_line: 'process_cmdline',
  user_name: 'process_username',
  host_name: 'device_name',
};

export const SCHEMAS: Record<'linux' | 'windows' | 'cbc', ProcSchema> = { linux: LX_SCHEMA, windows: WIN_SCHEMA, cbc: CB_SCHEMA };

const COLUMN_KEYS = ['process_name', 'process_id', 'parent_id', 'time_stamp', 'parent_name', 'cmd_line', 'user_name', 'logon_id', 'target_logon_id', 'user_id', 'host_name', 'event_id_column', 'process_guid', 'parent_guid'] as const;

export function schemaColumns(schema: ProcSchema): string[] {
  const cols: string[] = [];
  for (const key of COLUMN_KEYS) {
    const col = schema[key];
    if (col && !cols.includes(col)) cols.push(col);
  }
  return cols;
}

/**
 * The schema whose columns overlap most with the data's (at least 4), as msticpy's
 * infer_schema; on a tie the later schema wins, as upstream. Undefined if none fits.
 */
export function inferSchema(rows: ReadonlyArray<Record<string, unknown>>): ProcSchema | undefined {
  const present = new Set<string>();
  for (let i = 0; i < Math.min(rows.length, 1000); i++) for (const k of Object.keys(rows[i])) present.add(k);
  let best: ProcSchema | undefined;
  let bestScore = 0;
  for (const schema of [WIN_SCHEMA, LX_SCHEMA, CB_SCHEMA]) {
    const score = schemaColumns(schema).filter((c) => present.has(c)).length;
    if (score >= bestScore) {
      best = schema;
      bestScore = score;
    }
  }
  return bestScore >= 4 ? best : undefined;
}
