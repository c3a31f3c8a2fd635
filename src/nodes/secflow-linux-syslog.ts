// secflow-linux-syslog: classifies syslog (a raw RFC 3164/5424 line, a Node-RED
// syslog/UDP payload or a Sentinel Syslog row) as logon / sudo / cron /
// account / other activity and adds the fields the Sentinel KQL queries extract.
import { classifyRow, rowsFromPayload, type SyslogRow } from '../lib/linux';
import { bool } from './shared/config';
import { onClose, onInput } from './shared/input';
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

  onInput(node, (msg, send) => {
    const payload = msg.payload;
    if (Array.isArray(payload)) {
      // A batch stays a batch: one message with the classified rows, in order.
      const rows = payload.flatMap((item, i) => rowsFromPayload(item, `msg.payload[${i}]`));
      send({ ...msg, payload: rows.map((row) => classifyRow(row, { compat })) });
      return;
    }
    const rows: SyslogRow[] = rowsFromPayload(payload, 'msg.payload');
    if (rows.length === 1) {
      send({ ...msg, payload: classifyRow(rows[0], { compat }) });
      return;
    }
    // Several lines in one payload (a stream chunk): one message per line, each in its own
    // send(): Node-RED deep-copies every message after the first of one send() call.
    for (const row of rows) send(deriveMessage(RED, msg, { payload: classifyRow(row, { compat }) }));
  });
  onClose(node, () => undefined);
}
