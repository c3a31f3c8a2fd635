/** One event of a process, flat as the API returns it (field order kept). */
export type CbEvent = Record<string, unknown> & {
  event_timestamp?: string;
  event_type?: string;
  process_guid?: string;
};

export interface EventSearchResponse {
  results: CbEvent[];
  num_found?: number;
  num_available?: number;
  total_segments?: number;
  processed_segments?: number;
}

export type TimeRange = { start: string; end: string } | { window: string };

/** A node of the exported tree; JSON key order is the reference's. */
export interface TreeNode {
  guid: string;
  name: string | number;
  pid: string | number;
  level: number;
  children?: TreeNode[];
}
