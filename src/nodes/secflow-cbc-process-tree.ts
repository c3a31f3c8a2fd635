import {
  DEFAULT_SUMMARY_CONFIG, exportProcessTree, LevelMode, parseSummaryConfig, parseTimeRange, resolveOutputDir, writeInside, checkGuid,
} from '../lib/carbonblack';
import { adminGet } from './shared/admin';
import { bool, num, oneOf, str } from './shared/config';
import { onClose, onInput } from './shared/input';
import type { Node, NodeAPI, NodeDef, NodeMessage } from './shared/red';
import type { CbcTenant } from './secflow-cbc';
import { deriveMessage } from './shared/message';

/**
 * Exports a Carbon Black Cloud process's events as CSV and follows its
 * childproc events down to a depth (the CBC-API-Tools Process Event Exporter).
 * Output 1: one message per process; output 2: the tree.
 */
export default function (RED: NodeAPI) {
  const evaluate = (value: string, type: string, node: Node, msg: NodeMessage): unknown => RED.util.evaluateNodeProperty(value, type, node, msg);

  RED.nodes.registerType('secflow-cbc-process-tree', function (this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    const node = this as Node;
    const tenant = RED.nodes.getNode(str(config.tenant)) as CbcTenant | null;
    const levelMode = oneOf(config.levelMode, ['depth', 'compat'] as const, 'depth', 'levelMode');
    const summaryText = str(config.summaryConfig);
    const outputDir = str(config.outputDir);
    const keepDuplicateChildren = bool(config.keepDuplicateChildren, false);
    const aborts = new Set<AbortController>();

    /** msg.<name> wins; otherwise the form's typed input (string, msg, flow, global, env). */
    const fromMsgOrForm = (msg: NodeMessage, name: 'guid' | 'start' | 'end'): unknown => {
      if (msg[name] !== undefined && msg[name] !== null && msg[name] !== '') return msg[name];
      const type = str(config[`${name}Type`], 'str');
      const value = str(config[name]);
      if (type === 'str') return value;
      return evaluate(value, type, node, msg);
    };

    onInput(node, async (msg, send) => {
      if (!tenant) throw new Error('tenant: select a secflow-cbc config node');
      const guid = checkGuid(str(fromMsgOrForm(msg, 'guid')));
      const timeRange = parseTimeRange(fromMsgOrForm(msg, 'start'), fromMsgOrForm(msg, 'end'));
      const depth = num(msg.depth ?? config.depth, 1, 'depth', { min: 0, max: 50, integer: true });
      const mode: LevelMode = msg.levelMode !== undefined ? oneOf(msg.levelMode, ['depth', 'compat'] as const, 'depth', 'levelMode') : levelMode;
      const summaryConfig = parseSummaryConfig(summaryText);
      const concurrency = num(config.concurrency, 4, 'concurrency', { min: 1, max: 16, integer: true });
      const maxNodes = num(config.maxNodes, 1000, 'maxNodes', { min: 1, max: 100_000, integer: true });
      const pollMs = num(config.pollInterval, 1000, 'pollInterval', { min: 1, max: 60_000 });
      let dir: string | undefined;
      if (outputDir) dir = await resolveOutputDir(outputDir, msg.outputPath ?? '', RED.settings.userDir || process.cwd());
      else if (msg.outputPath !== undefined) throw new Error('outputPath: this node has no output directory configured, so it writes no files');

      const abort = new AbortController();
      aborts.add(abort);
      let count = 0;
      node.status({ fill: 'blue', shape: 'dot', text: `exporting ${guid.slice(0, 24)}…` });
      try {
        const tree = await exportProcessTree(tenant.client({ pollMs }), {
          guid, timeRange, depth, levelMode: mode, summaryConfig, concurrency, maxNodes, keepDuplicateChildren,
          signal: abort.signal,
          warn: (m) => node.debug(m),
          onProcess: async (p) => {
            if (dir) await writeInside(dir, p.filename, p.csv);
            count++;
            node.status({ fill: 'blue', shape: 'dot', text: `${count} process${count === 1 ? '' : 'es'}` });
            const out = deriveMessage(RED, msg, { payload: p.csv });
            out.guid = p.guid;
            out.level = p.level;
            out.filename = p.filename;
            out.events = p.events;
            out.truncated = p.truncated;
            out.cb = { guid: p.guid, parentGuid: p.parentGuid, name: p.name, pid: p.pid, level: p.level, depth: p.depth, eventCount: p.eventCount, numFound: p.numFound, numAvailable: p.numAvailable, truncated: p.truncated };
            send([out, null]);
          },
        });
        if (tree) {
          if (dir) await writeInside(dir, tree.filename, tree.json);
          const out = deriveMessage(RED, msg, { payload: tree.tree });
          out.json = tree.json;
          out.filename = tree.filename;
          out.guid = guid;
          out.truncated = tree.summary.truncatedGuids.length > 0;
          out.cb = { summary: tree.summary };
          send([null, out]);
        }
        node.status({ fill: 'green', shape: 'dot', text: `${count} process${count === 1 ? '' : 'es'} exported` });
      } catch (err) {
        node.status({ fill: 'red', shape: 'ring', text: (err as Error).message.slice(0, 60) });
        throw err;
      } finally {
        aborts.delete(abort);
      }
    });
    onClose(node, () => {
      for (const a of aborts) a.abort();
      aborts.clear();
    });
  });

  // The upstream summary configuration, for the editor's "insert the default" link.
  adminGet(RED, '/secflow-cbc-process-tree/summary-default', 'secflow-cbc-process-tree.read', (_req, res) => res.json(DEFAULT_SUMMARY_CONFIG));
}
