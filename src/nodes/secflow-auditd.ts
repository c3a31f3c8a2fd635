import { parseAuditdInTurns } from '../lib/auditd';
import { TurnClock } from '../lib/util/turns';
import { bool, oneOf } from './shared/config';
import { onInput } from './shared/input';
import { inOrder } from './shared/in-order';
import type { Node, NodeAPI, NodeDef } from './shared/red';
import { deriveMessage } from './shared/message';

/**
 * Parses raw auditd log lines or Sentinel-style records into one event per
 * audit event (msticpy's auditdextract): SYSCALL_EXECVE, LOGIN, USER_START, …
 */
export default function (RED: NodeAPI) {
  RED.nodes.registerType('secflow-auditd', function (this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    const node = this as Node;
    const mode = oneOf(config.mode, ['default', 'compat'] as const, 'default', 'mode');
    const split = bool(config.split, false);
    onInput(node, inOrder(async (msg, send) => {
      const input = msg.payload;
      if (input === undefined || input === null || (typeof input !== 'string' && !Array.isArray(input) && !Buffer.isBuffer(input))) {
        throw new Error('payload must be a string of auditd log lines, an array of lines, or an array of Sentinel records');
      }
      let events;
      try {
        // In turns: a big payload would otherwise hold every other flow up.
        events = await parseAuditdInTurns(input, { mode });
      } catch (err) {
        throw new Error(`payload: ${(err as Error).message}`, { cause: err });
      }
      node.status({ fill: 'green', shape: 'dot', text: `${events.length} event${events.length === 1 ? '' : 's'}` });
      if (!split) {
        msg.payload = events;
        send(msg);
        return;
      }
      const clock = new TurnClock();
      for (let i = 0; i < events.length; i++) {
        if (clock.due()) await clock.yield();
        send(deriveMessage(RED, msg, { payload: events[i], parts: { id: `${msg._msgid ?? 'auditd'}-auditd`, index: i, count: events.length, type: 'array' } }));
      }
    }));
  });
}
