// secflow-logon-sessions: logon and sudo events in, sessions out.
// `paired` (default) pairs each PAM close with the open of the same target
// user (and process/host), streaming, with a timeout for sessions that never
// close; a batch (array) is paired on its own. `compat` is msticpy's greedy
// cluster_syslog_logons_df on a batch.
import { SessionTracker, clusterSessionsCompat, pairSessions, type Session } from '../lib/linux';
import { num, oneOf } from './shared/config';
import { onClose, onInput } from './shared/input';
import type { Node, NodeAPI, NodeDef, NodeMessage } from './shared/red';

type Row = Record<string, unknown>;

function isAlert(msg: NodeMessage, payload: unknown): payload is Row {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return false;
  const p = payload as Row;
  return msg.topic === 'alert' || p.activity === 'alert' || 'AlertName' in p || 'AlertType' in p;
}

function isSessionEvent(row: Row): boolean {
  return row.activity === undefined || row.activity === 'logon' || row.activity === 'sudo';
}

function asEvent(value: unknown, field: string): Row {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${field} must be a logon/sudo event object (a secflow-linux-syslog row) or an array of them; got ${value === null ? 'null' : Array.isArray(value) ? 'a nested array' : typeof value}`);
  const row = value as Row;
  if (typeof row.SyslogMessage !== 'string') throw new Error(`${field}.SyslogMessage must be a string (the syslog message text); got ${row.SyslogMessage === undefined ? 'nothing' : typeof row.SyslogMessage}`);
  return row;
}

export default function (RED: NodeAPI): void {
  RED.nodes.registerType('secflow-logon-sessions', function (this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    setUp(RED, this, config);
  });
}

function setUp(RED: NodeAPI, node: Node, config: NodeDef): void {
  const mode = oneOf(config.mode, ['paired', 'compat'] as const, 'paired', 'mode');
  const timeout = num(config.timeout, 3600, 'timeout', { min: 0 });
  const tracker = new SessionTracker({ timeout });
  const out = (session: unknown): NodeMessage => ({ topic: 'session', payload: session });

  const sweepEvery = Math.max(1, Math.min(timeout, 30)) * 1000;
  const timer = timeout > 0 && mode === 'paired' ? setInterval(() => emit(tracker.sweep()), sweepEvery) : undefined;
  function emit(sessions: Session[]): void {
    if (sessions.length) node.send([sessions.map(out)]);
    node.status({ text: `${tracker.openCount} open` });
  }

  onInput(node, (msg, send) => {
    const payload = msg.payload;
    if (Array.isArray(payload)) {
      const alerts = payload.filter((p) => isAlert(msg, p)) as Row[];
      const events = payload.filter((p) => !isAlert(msg, p)).map((p, i) => asEvent(p, `msg.payload[${i}]`)).filter(isSessionEvent);
      const sessions = mode === 'compat' ? clusterSessionsCompat(events) : pairSessions(events, alerts);
      if (sessions.length) send([sessions.map(out)]);
      return;
    }
    if (mode === 'compat') throw new Error('mode compat pairs a batch: msg.payload must be an array of logon/sudo events');
    if (isAlert(msg, payload)) {
      tracker.pushAlert(payload);
      return;
    }
    const row = asEvent(payload, 'msg.payload');
    if (!isSessionEvent(row)) return;
    const closed = tracker.push(row);
    if (closed.length) send([closed.map(out)]);
    node.status({ text: `${tracker.openCount} open` });
  });
  onClose(node, () => {
    if (timer) clearInterval(timer);
  });
}
