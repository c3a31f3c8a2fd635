import {
  buildProcessTree, cbEventsToProcesses, inferSchema, isCbEvent, ProcSchema, SCHEMAS, treeToHtml, treeToText,
} from '../lib/proctree';
import { oneOf, str } from './shared/config';
import { onInput } from './shared/input';
import type { Node, NodeAPI, NodeDef } from './shared/red';

type Row = Record<string, unknown>;

/** Text and HTML beyond this many processes would be too big to be useful (or to open). */
const RENDER_LIMIT = 50_000;

/** The exporter's tree object ({guid, name, pid, level, children}) → GUID-keyed process rows. */
function cbTreeToRows(tree: Row): Row[] {
  const rows: Row[] = [];
  const walk = (n: Row, parent: string | undefined) => {
    rows.push({ process_guid: n.guid, parent_guid: parent, process_name: n.name === '' ? '(root)' : n.name, process_pid: n.pid, process_start_time: '1970-01-01T00:00:00Z', level: n.level });
    for (const c of (n.children as Row[] | undefined) ?? []) walk(c, n.guid as string);
  };
  walk(tree, undefined);
  return rows;
}

/**
 * Builds process trees the way msticpy does, from auditd SYSCALL_EXECVE,
 * Windows 4688-style or Carbon Black (GUID-keyed) events: rows with proc_key,
 * parent_key, path and IsRoot/IsLeaf/IsBranch, a summary, a text tree and a
 * self-contained HTML page.
 */
export default function (RED: NodeAPI) {
  RED.nodes.registerType('secflow-process-tree', function (this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    const node = this as Node;
    const schemaName = oneOf(config.schema, ['auto', 'linux', 'windows', 'cbc'] as const, 'auto', 'schema');
    const title = str(config.title, 'Process tree') || 'Process tree';
    onInput(node, (msg, send) => {
      let rows = msg.payload as Row[] | Row;
      if (rows && typeof rows === 'object' && !Array.isArray(rows) && typeof rows.guid === 'string') rows = cbTreeToRows(rows);
      if (!Array.isArray(rows)) throw new Error('payload must be an array of process events (or a secflow-cbc-process-tree tree object)');
      if (rows.some((r) => !r || typeof r !== 'object' || Array.isArray(r))) throw new Error('payload must be an array of objects (one process event each)');
      let schema: ProcSchema | undefined;
      const cbEvents = rows.length > 0 && rows.some((r) => isCbEvent(r));
      if (schemaName === 'cbc' || (schemaName === 'auto' && cbEvents)) {
        schema = SCHEMAS.cbc;
        if (cbEvents) rows = cbEventsToProcesses(rows);
      } else if (schemaName === 'auto') {
        schema = inferSchema(rows);
        if (!schema) throw new Error('payload: no process schema matches these events; choose the schema (linux, windows or cbc) in the node');
      } else {
        schema = SCHEMAS[schemaName];
      }
      let tree;
      try {
        tree = buildProcessTree(rows, { schema });
      } catch (err) {
        throw new Error(`payload: ${(err as Error).message}`, { cause: err });
      }
      msg.payload = { processes: tree.processes, summary: tree.summary, schema: tree.schema };
      if (tree.processes.length <= RENDER_LIMIT) {
        msg.text = treeToText(tree.processes, schema);
        msg.html = treeToHtml(tree.processes, tree.summary, schema, title);
      } else {
        const note = `${tree.processes.length} processes: more than ${RENDER_LIMIT}, so no text or HTML rendering; filter the events first`;
        msg.text = note;
        msg.html = treeToHtml([], tree.summary, schema, `${title} (${note})`);
        node.warn(note);
      }
      node.status({ fill: 'green', shape: 'dot', text: `${tree.summary.Processes} processes, ${tree.summary.RootProcesses} roots, depth ${tree.summary.LargestTreeDepth}` });
      send(msg);
    });
  });
}
