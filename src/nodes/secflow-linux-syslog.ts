// secflow-linux-syslog: classifies syslog (a raw RFC 3164/5424 line, a Node-RED
// syslog/UDP payload or a Sentinel Syslog row) as logon / sudo / cron /
// account / other activity and adds the fields the Sentinel KQL queries extract.
import { classifyRow, rowsFromPayload, rowsFromPayloadInTurns, type SyslogRow } from '../lib/linux';
import { TurnClock } from '../lib/util/turns';
import { bool } from './shared/config';
import { onClose, onInput } from './shared/input';
import { inOrder } from './shared/in-order';
import type { Node, NodeAPI, NodeDef } from './shared/red';
import { deriveMessage } from './shared/message';

export default function (RED: NodeAPI): void {
  RED.nodes.registerType('secflow-linux-syslog', function (this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    setUp(RED, this, config);
  });
}

function setUp(RED: NodeAPI, node: Node, config: NodeDef): void {
  const compat = bool(config.compat, false);

  // Big batches and payloads of many lines are worked through in turns (yielding
  // every 20 ms), so that they never hold other flows up.
  onInput(node, inOrder(async (msg, send) => {
    const payload = msg.payload;
    const clock = new TurnClock();
    if (Array.isArray(payload)) {
      // A batch stays a batch: one message with the classified rows, in order.
      const classified: SyslogRow[] = [];
      for (let i = 0; i < payload.length; i++) {
        if (clock.due()) await clock.yield();
        for (const row of rowsFromPayload(payload[i], `msg.payload[${i}]`)) classified.push(classifyRow(row, { compat }));
      }
      send({ ...msg, payload: classified });
      return;
    }
    const rows: SyslogRow[] = await rowsFromPayloadInTurns(payload, 'msg.payload');
    if (rows.length === 1) {
      send({ ...msg, payload: classifyRow(rows[0], { compat }) });
      return;
    }
    // Several lines in one payload (a stream chunk): one message per line, each in its own
    // send(): Node-RED deep-copies every message after the first of one send() call.
    for (const row of rows) {
      if (clock.due()) await clock.yield();
      send(deriveMessage(RED, msg, { payload: classifyRow(row, { compat }) }));
    }
  }));
  onClose(node, () => undefined);
}
