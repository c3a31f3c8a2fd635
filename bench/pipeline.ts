// The delivery pipeline of issue 20 in a real Node-RED (a child process): Code42
// file events from the emulator → secflow-cef → secflow-syslog over TCP → a
// loopback receiver, in event and page mode (page → split → CEF), each without and
// with `confirm` at the syslog sink. events/s counts from the deploy until the
// receiver has every line. Target (issue 20): with confirm ≥ 80 % of without.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startNodeRed } from '../scripts/node-red-runner';
import { Code42Emulator } from '../test/emulators/code42';
import { LineReceiver } from '../test/support/line-receiver';
import { deployFlow, freePort, pipelineFlow } from '../test/support/delivery-pipeline';

const EVENTS = Number(process.env.BENCH_PIPELINE_EVENTS ?? 50_000);
const PAGE = 5000;

type Row = Record<string, string | number>;

export async function run(): Promise<Row[]> {
  const emu = new Code42Emulator({ acceptAnyCredentials: true, logBodies: false, prefetch: true });
  emu.addGeneratedFileEvents({ count: EVENTS, startMs: Date.UTC(2026, 0, 1), stepMs: 1 });
  const url = await emu.listen();
  const receiver = new LineReceiver();
  const port = await receiver.listen();
  const nodeRed = await startNodeRed({ userDir: fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-bench-pipeline-')), port: await freePort(), logLevel: 'warn' });
  const rows: Row[] = [];
  try {
    let n = 0;
    const measure = async (output: 'event' | 'page', confirm: boolean): Promise<number> => {
      const before = receiver.lines.length;
      const started = process.hrtime.bigint();
      await deployFlow(nodeRed.url, pipelineFlow({ emulatorUrl: url, receiverPort: port, output, confirm, pageSize: PAGE, cursorKey: `bench-${++n}`, injectOnce: true }));
      await receiver.waitFor(before + EVENTS, 600_000);
      return EVENTS / (Number(process.hrtime.bigint() - started) / 1e9);
    };
    for (const output of ['event', 'page'] as const) {
      await measure(output, false); // warm-up: JIT and sockets
      const without = await measure(output, false);
      const withConfirm = await measure(output, true);
      rows.push({ output, events: EVENTS, 'events/s without confirm': Math.round(without), 'events/s with confirm': Math.round(withConfirm), 'with / without': `${Math.round((withConfirm / without) * 100)} %` });
    }
  } finally {
    await nodeRed.stop();
    await receiver.close();
    await emu.close();
  }
  return rows;
}
