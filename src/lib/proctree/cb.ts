// Carbon Black Cloud events → process rows for the GUID-keyed builder
// (contract linux §2.6): a childproc event announces a child
// {process_guid: childproc_process_guid, parent_guid: process_guid,
//  process_name: childproc_name, process_pid: childproc_pid, time: event_timestamp};
// any other event only proves that its own process exists.

export function isCbEvent(row: Record<string, unknown>): boolean {
  return typeof row.event_type === 'string' && typeof row.process_guid === 'string';
}

export function cbEventsToProcesses(events: ReadonlyArray<Record<string, unknown>>): Array<Record<string, unknown>> {
  const byGuid = new Map<string, Record<string, unknown>>();
  for (const e of events) {
    if (!isCbEvent(e)) {
      // Already a process record (e.g. a process search result): keep it.
      if (typeof e.process_guid === 'string' && !byGuid.has(e.process_guid)) byGuid.set(e.process_guid, e);
      continue;
    }
    const own = e.process_guid as string;
    if (!byGuid.has(own)) {
      byGuid.set(own, {
        process_guid: own,
        process_name: e.process_name ?? '',
        process_pid: Array.isArray(e.process_pid) ? e.process_pid[0] : e.process_pid,
        event_timestamp: e.event_timestamp,
        ...(e.parent_guid ? { parent_guid: e.parent_guid } : {}),
        ...(e.device_name ? { device_name: e.device_name } : {}),
      });
    }
    if (e.event_type === 'childproc' && typeof e.childproc_process_guid === 'string') {
      const prior = byGuid.get(e.childproc_process_guid);
      const child = {
        process_guid: e.childproc_process_guid,
        parent_guid: own,
        process_name: e.childproc_name ?? '',
        process_pid: e.childproc_pid,
        process_cmdline: e.childproc_cmdline,
        process_username: e.childproc_username,
        event_timestamp: e.event_timestamp,
      };
      // What the parent says about a child beats a guess from the child's own events.
      byGuid.set(e.childproc_process_guid, prior && !isPlaceholder(prior) ? { ...child, ...prior, parent_guid: own } : child);
    }
  }
  return [...byGuid.values()];
}

function isPlaceholder(row: Record<string, unknown>): boolean {
  return !row.process_name && !row.parent_guid;
}
