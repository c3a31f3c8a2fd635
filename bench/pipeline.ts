// What users run, measured in one run (issue 19):
// 1. The pipeline in a real Node-RED (a child process): Code42 file events from the
//    emulator → secflow-cef → secflow-syslog over TCP → a loopback receiver, in page
//    mode (each page one message, an array, straight through) and in event mode, each
//    without and with `confirm` at the syslog sink. events/s counts from the deploy
//    until the receiver has every line; peak RSS is Node-RED's, sampled meanwhile.
// 2. Node-RED's floor next to it (bench/_node-cost.ts, an embedded Node-RED): a no-op
//    core node's cost per message, secflow-cef's per event and per event in pages,
//    and their ratio.
// 3. Extraction in the same Node-RED against the Python reference, c42eventextractor's
//    loop on py42 1.19 (bench/_python-reference.ts), on the same emulator data with
//    pages of 10,000, alternating runs; measured when SECFLOW_PY42_SRC names a py42
//    source tree's src directory (BENCH_REFERENCE_EVENTS events, default 500,000).
// Targets: secflow-cef per event ≤ 3 × the no-op node; secflow-cef in pages ≥ 10 × the
// Python reference formatter, code42cli's, measured in the same run when
// SECFLOW_CODE42CLI_SRC names its source (bench/_python-formatter.ts), else ≥ 500,000
// (10 × the 50,000–70,000 events/s the issue measured);
// with confirm ≥ 80 % of without (issue 20); extraction in Node-RED ≥ 1.2 × the
// Python reference (issue 19).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startNodeRed } from '../scripts/node-red-runner';
import { Code42Emulator } from '../test/emulators/code42';
import { LineReceiver } from '../test/support/line-receiver';
import { deployFlow, pipelineFlow } from '../test/support/delivery-pipeline';
import { freePort } from '../test/support/free-port';
import { measureNodeCosts, nodeCostRows } from './_node-cost';
import { rssMb } from './_proc';
import { measurePythonFormatter } from './_python-formatter';
import { compareWithReference } from './_python-reference';

const EVENTS = Number(process.env.BENCH_PIPELINE_EVENTS ?? 50_000);
const PAGE = 5000;
const REFERENCE_EVENTS = Number(process.env.BENCH_REFERENCE_EVENTS ?? 500_000);

type Row = Record<string, string | number>;

export async function run(): Promise<Row[]> {
  const rows: Row[] = [];
  let referenceRows: Row[] | undefined;
  const emu = new Code42Emulator({ acceptAnyCredentials: true, logBodies: false, prefetch: true });
  emu.addGeneratedFileEvents({ count: EVENTS, startMs: Date.UTC(2026, 0, 1), stepMs: 1 });
  const url = await emu.listen();
  const receiver = new LineReceiver();
  const port = await receiver.listen();
  const nodeRed = await startNodeRed({ userDir: fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-bench-pipeline-')), port: await freePort(), logLevel: 'warn' });
  try {
    let n = 0;
    const measure = async (output: 'event' | 'page', confirm: boolean) => {
      const before = receiver.lines.length;
      let peak = rssMb(nodeRed.child.pid);
      const sampler = setInterval(() => { peak = Math.max(peak, rssMb(nodeRed.child.pid)); }, 25);
      const started = process.hrtime.bigint();
      try {
        await deployFlow(nodeRed.url, pipelineFlow({ emulatorUrl: url, receiverPort: port, output, confirm, pageSize: PAGE, cursorKey: `bench-${++n}`, injectOnce: true }));
        await receiver.waitFor(before + EVENTS, 600_000);
      } finally {
        clearInterval(sampler);
      }
      return { rate: EVENTS / (Number(process.hrtime.bigint() - started) / 1e9), peakMb: peak };
    };
    for (const output of ['page', 'event'] as const) {
      await measure(output, false); // warm-up: JIT and sockets
      const without = await measure(output, false);
      const withConfirm = await measure(output, true);
      rows.push({
        case: `pipeline, ${output} mode${output === 'page' ? ` (pages of ${PAGE}, one message each)` : ' (one message per event)'}: extractor → CEF → syslog TCP → receiver`,
        events: EVENTS,
        'events/s': Math.round(without.rate),
        'peak RSS MB': Number(without.peakMb.toFixed(1)),
        'events/s with confirm': Math.round(withConfirm.rate),
        'peak RSS MB with confirm': Number(withConfirm.peakMb.toFixed(1)),
        'with / without confirm': `${Math.round((withConfirm.rate / without.rate) * 100)} % (target ≥ 80 %)`,
      });
    }
    rows.push({ case: 'page ÷ event mode (pipeline events/s, without confirm)', ratio: Number(((rows[0]['events/s'] as number) / (rows[1]['events/s'] as number)).toFixed(2)) });
    referenceRows = await compareWithReference(nodeRed, REFERENCE_EVENTS);
  } finally {
    await nodeRed.stop();
    await receiver.close();
    await emu.close();
  }
  rows.push(...nodeCostRows(await measureNodeCosts(), await measurePythonFormatter()));
  rows.push(...(referenceRows ?? []));
  return rows;
}

if (require.main === module) {
  run().then((rows) => console.table(rows), (err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
