// The Process Event Exporter's walk (contract §1.5 and §3): a process's events
// as CSV, then its childproc children down to a depth, as messages in
// breadth-first order plus the tree JSON.
//  - levelMode "depth": N = true levels; children de-duplicated by GUID across
//    the tree; each level fetched concurrently under a cap.
//  - levelMode "compat": the reference's expansion counter exactly (N counts
//    expanded nodes; `level` = the parent's expansion ordinal).
import type { CbcClient, EventSearchResult } from './client';
import { eventsToCsv } from './csv';
import { checkGuid, GUID_RE } from './files';
import type { SummaryConfig, SummaryOptions } from './summary';
import type { CbEvent, TimeRange, TreeNode } from './types';

export type LevelMode = 'depth' | 'compat';

export interface ExportOptions {
  guid: string;
  timeRange?: TimeRange;
  /** follow_childprocs N (0 = the process alone, no tree). */
  depth: number;
  levelMode?: LevelMode;
  summaryConfig: SummaryConfig;
  /** Default: python style and strict int2ip in compat, clean and lenient in depth mode. */
  summary?: Partial<SummaryOptions>;
  concurrency?: number;
  maxNodes?: number;
  keepDuplicateChildren?: boolean;
  signal?: AbortSignal;
  warn?: (message: string) => void;
  /** Receives each process as soon as its place in the output order is reached. */
  onProcess: (p: ProcessExport) => Promise<void> | void;
}

export interface ProcessExport {
  guid: string;
  parentGuid: string | null;
  name: string | number;
  pid: string | number;
  level: number;
  depth: number;
  filename: string;
  csv: string;
  events: CbEvent[];
  eventCount: number;
  numFound: number;
  numAvailable: number;
  truncated: boolean;
}

export interface TreeExport {
  tree: TreeNode;
  json: string;
  filename: string;
  summary: { nodes: number; expanded: number; maxDepth: number; truncatedGuids: string[]; maxNodesHit: boolean };
}

interface WalkNode {
  node: TreeNode;
  parentGuid: string | null;
  depth: number;
}

const CHILD_FIELDS = ['process_guid', 'childproc_process_guid', 'childproc_pid', 'childproc_name'];

/** Runs `fn` over `items` with at most `limit` at once; results keep the input order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (next < items.length && failed === undefined) {
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failed !== undefined) throw failed;
  return results;
}

export async function exportProcessTree(client: CbcClient, options: ExportOptions): Promise<TreeExport | undefined> {
  checkGuid(options.guid);
  const mode = options.levelMode ?? 'depth';
  const summaryOptions: SummaryOptions = {
    style: mode === 'compat' ? 'python' : 'clean',
    int2ip: mode === 'compat' ? 'strict' : 'lenient',
    warn: options.warn,
    ...options.summary,
  };
  const concurrency = Math.min(16, Math.max(1, options.concurrency ?? 4));
  const maxNodes = options.maxNodes ?? 1000;
  const root: TreeNode = { guid: options.guid, name: '', pid: '', level: 0 };
  const stats = { nodes: 1, expanded: 0, maxDepth: 0, truncatedGuids: [] as string[], maxNodesHit: false };

  const fetchEvents = (guid: string) => client.searchEvents(guid, {
    timeRange: options.timeRange,
    sort: [{ field: 'event_timestamp', order: 'DESC' }],
    fields: ['*'],
    signal: options.signal,
  });
  const fetchChildren = async (guid: string): Promise<CbEvent[]> => {
    stats.expanded++;
    const r = await client.searchEvents(guid, { timeRange: options.timeRange, criteria: { event_type: ['childproc'] }, fields: CHILD_FIELDS, signal: options.signal });
    return r.events;
  };
  const emit = async (w: WalkNode, found: EventSearchResult) => {
    if (w.depth === 0 && found.events.length === 0) {
      throw new Error(`process ${options.guid} has no events in the requested time range: unknown GUID, or a time range that misses it`);
    }
    if (found.truncated) stats.truncatedGuids.push(w.node.guid);
    if (found.events.length === 0) {
      options.warn?.(`no events to export from process ${w.node.guid}`);
      return;
    }
    await options.onProcess({
      guid: w.node.guid,
      parentGuid: w.parentGuid,
      name: w.node.name,
      pid: w.node.pid,
      level: w.node.level,
      depth: w.depth,
      filename: `${w.node.level}_${w.node.guid}.csv`,
      csv: eventsToCsv(found.events, options.summaryConfig, summaryOptions),
      events: found.events,
      eventCount: found.events.length,
      numFound: found.numFound,
      numAvailable: found.numAvailable,
      truncated: found.truncated,
    });
  };
  const childNodes = (parent: WalkNode, children: CbEvent[], level: number, seen: Set<string> | undefined): WalkNode[] => {
    const out: WalkNode[] = [];
    const local = new Set<string>();
    for (const e of children) {
      const guid = e.childproc_process_guid;
      if (typeof guid !== 'string' || !GUID_RE.test(guid)) {
        options.warn?.(`childproc event of ${parent.node.guid} has no usable childproc_process_guid; skipped`);
        continue;
      }
      if (!options.keepDuplicateChildren) {
        if (local.has(guid) || seen?.has(guid)) continue;
        local.add(guid);
        seen?.add(guid);
      }
      if (stats.nodes >= maxNodes) {
        stats.maxNodesHit = true;
        break;
      }
      const node: TreeNode = { guid, name: (e.childproc_name as string | undefined) ?? '', pid: (e.childproc_pid as number | undefined) ?? '', level };
      (parent.node.children ??= []).push(node);
      stats.nodes++;
      out.push({ node, parentGuid: parent.node.guid, depth: parent.depth + 1 });
      if (parent.depth + 1 > stats.maxDepth) stats.maxDepth = parent.depth + 1;
    }
    return out;
  };

  const rootWalk: WalkNode = { node: root, parentGuid: null, depth: 0 };
  if (mode === 'depth') {
    const seen = new Set<string>([options.guid]);
    let level: WalkNode[] = [rootWalk];
    while (level.length) {
      const expand = level[0].depth < options.depth;
      const fetched = await mapLimited(level, concurrency, async (w) => {
        const [found, children] = await Promise.all([fetchEvents(w.node.guid), expand ? fetchChildren(w.node.guid) : Promise.resolve([])]);
        return { found, children };
      });
      const next: WalkNode[] = [];
      for (let i = 0; i < level.length; i++) {
        await emit(level[i], fetched[i].found);
        next.push(...childNodes(level[i], fetched[i].children, level[i].depth + 1, seen));
      }
      level = next;
    }
  } else {
    // The reference: pop, export, count, expand while counter < N; then export the rest unexpanded.
    const queue: WalkNode[] = [rootWalk];
    let counter = 0;
    while (queue.length && counter < options.depth) {
      const w = queue.shift() as WalkNode;
      const [found, children] = await Promise.all([fetchEvents(w.node.guid), fetchChildren(w.node.guid)]);
      await emit(w, found);
      counter++;
      queue.push(...childNodes(w, children, counter, undefined));
    }
    const rest = await mapLimited(queue, concurrency, (w) => fetchEvents(w.node.guid));
    for (let i = 0; i < queue.length; i++) await emit(queue[i], rest[i]);
  }
  if (options.depth === 0) return undefined;
  return {
    tree: root,
    json: JSON.stringify(root, null, 4),
    filename: `0_${options.guid}-process_tree.json`,
    summary: stats,
  };
}
