// secflow-risky-commands: risky command lines (msticpy's cmd_line_rules.json
// rules, editable) and command-speed windows (more than N commands within T
// seconds); sessions fed in come out on output 2 when risky commands or
// suspicious windows fall inside them.
import { DEFAULT_MAX_COMMAND_LENGTH, RiskyCommandStream, checkRows, commandSpeed, commandSpeedCompat, loadRules, riskyCommands, riskyCommandsCompat, riskySudoSessions, type Rule } from '../lib/linux';
import { bool, num, str } from './shared/config';
import { onClose, onInput } from './shared/input';
import { inOrder } from './shared/in-order';
import type { Node, NodeAPI, NodeDef, NodeMessage } from './shared/red';

type Row = Record<string, unknown>;

function isSession(msg: NodeMessage, p: unknown): p is Row {
  if (!p || typeof p !== 'object' || Array.isArray(p)) return false;
  const row = p as Row;
  return msg.topic === 'session' || ('Start' in row && 'End' in row && !('SyslogMessage' in row));
}

function asRows(list: unknown[], field: string): Row[] {
  return list.map((item, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) throw new Error(`${field}[${i}] must be an event object; got ${item === null ? 'null' : typeof item}`);
    return item as Row;
  });
}

const TOPICS = { risky: 'risky-command', speed: 'command-speed', truncated: 'command-truncated' } as const;

export default function (RED: NodeAPI): void {
  RED.nodes.registerType('secflow-risky-commands', function (this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    setUp(RED, this, config);
  });
}

function setUp(RED: NodeAPI, node: Node, config: NodeDef): void {
  const compat = bool(config.compat, false);
  const commandField = str(config.commandField) || 'Command';
  const speedEvents = num(config.speedEvents, 10, 'speedEvents', { min: 1, integer: true });
  const speedSeconds = num(config.speedSeconds, 5, 'speedSeconds', { min: 0 });
  // Longest command text a rule sees: one RE2 match over it stays within a few ms.
  const maxLength = num(config.maxCommandLength, DEFAULT_MAX_COMMAND_LENGTH, 'maxCommandLength', { min: 1, integer: true });
  let rules: Rule[] = [];
  let rulesError: Error | undefined;
  try {
    rules = loadRules(typeof config.rules === 'string' ? config.rules : '');
  } catch (err) {
    // Reported with every message, so a Catch node sees it with the message.
    rulesError = err as Error;
    node.status({ fill: 'red', shape: 'ring', text: 'rules invalid' });
    node.error(rulesError.message);
  }
  const stream = new RiskyCommandStream({ rules, commandField, speedEvents, speedSeconds, maxLength });

  onInput(node, inOrder(async (msg, send) => {
    if (rulesError) throw rulesError;
    const payload = msg.payload;
    if (Array.isArray(payload)) {
      const rows = asRows(payload, 'msg.payload');
      const sessions = Array.isArray(msg.sessions) ? asRows(msg.sessions, 'msg.sessions') : undefined;
      // The rules run in turns (a batch of long commands would hold the event loop).
      const checks = await checkRows(rows, rules, commandField, maxLength);
      const cut = checks.flatMap((c, rowIndex) => (c?.cutFrom === undefined ? [] : [{ rowIndex, commandLength: c.cutFrom }]));
      if (compat) {
        const risky = riskyCommandsCompat(rows, rules, commandField, { checks });
        const speed = commandSpeedCompat(rows, commandField, speedSeconds, speedEvents);
        const first: NodeMessage = { ...msg, payload: { risky, speed } };
        if (cut.length) first.truncated = { limit: maxLength, rows: cut };
        const second = sessions ? { topic: 'risky-sessions', payload: riskySudoSessions(sessions as never, risky, speed) } : null;
        send([first, second]);
        return;
      }
      const risky = riskyCommands(rows, rules, commandField, { checks });
      const speed = commandSpeed(rows, commandField, speedSeconds, speedEvents);
      const findings: NodeMessage[] = [
        ...risky.map((m) => ({ topic: 'risky-command', payload: { kind: 'risky', ...m, event: rows[m.rowIndex] } })),
        ...cut.map((c) => ({ topic: 'command-truncated', payload: { kind: 'truncated', TimeGenerated: rows[c.rowIndex].TimeGenerated, ...c, limit: maxLength, event: rows[c.rowIndex] } })),
        ...speed.map((w) => ({ topic: 'command-speed', payload: { kind: 'speed', ...w } })),
      ];
      let riskySessions: NodeMessage[] = [];
      if (sessions) {
        const marked = riskySudoSessions(sessions as never, risky, speed);
        riskySessions = Object.entries(marked).map(([i, risk]) => ({ topic: 'risky-session', payload: { ...sessions[Number(i)], Risk: risk } }));
      }
      send([findings, riskySessions]);
      return;
    }
    if (isSession(msg, payload)) {
      const risky = stream.checkSession(payload);
      if (risky) send([null, { topic: 'risky-session', payload: risky }]);
      return;
    }
    if (!payload || typeof payload !== 'object') throw new Error(`msg.payload must be an event object (a secflow-linux-syslog row), an array of events or a session; got ${payload === null ? 'null' : typeof payload}`);
    const findings = stream.push(payload as Row);
    if (findings.length) send([findings.map((f) => ({ topic: TOPICS[f.kind], payload: f })), null]);
  }));
  onClose(node, () => undefined);
}
