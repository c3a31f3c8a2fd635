// Issue 19's page-mode CEF target is ≥ 10 × the Python reference formatter: code42cli's
// FileEventDictToCEFFormatter (ported there from c42eventextractor), run by
// bench/python-reference/format_cef.py on the events the node-cost bench formats (the
// four v1 shapes of test/fixtures/code42/file-events-v1.ts, cycled), in this run, on
// this machine. code42cli is not installed with the project: SECFLOW_CODE42CLI_SRC
// names a code42cli source tree's `src` directory; without it the row falls back to
// the figure for these machines (50,000–70,000 events/s, so ≥ 500,000).
//
// The driver also returns its first lines, which must equal the fixtures' expected CEF:
// the two formatters do the same work on these events (none needs escaping, which the
// Python formatter lacks).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { V1_CASES } from '../test/fixtures/code42/file-events-v1';
import { runPythonDriver } from './_proc';

const DRIVER = path.join(__dirname, 'python-reference', 'format_cef.py');
const EVENTS = 100_000;
export const ENABLE_PYTHON_FORMATTER = 'SECFLOW_CODE42CLI_SRC=/path/to/code42cli/src npm run bench -- pipeline';

export type PythonFormatter = { rate: number; python: string } | { reason: string };

/** code42cli's CEF formatter's events/s here, or why it was not measured. */
export async function measurePythonFormatter(): Promise<PythonFormatter> {
  const src = process.env.SECFLOW_CODE42CLI_SRC;
  if (!src) return { reason: `SECFLOW_CODE42CLI_SRC is not set (a code42cli source tree's src directory); to measure it: ${ENABLE_PYTHON_FORMATTER}` };
  if (!fs.existsSync(path.join(src, 'code42cli', 'logger', 'formatters.py'))) return { reason: `SECFLOW_CODE42CLI_SRC=${src} holds no code42cli/logger/formatters.py` };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-bench-pyfmt-'));
  try {
    const file = path.join(dir, 'events.json');
    fs.writeFileSync(file, JSON.stringify(Array.from({ length: EVENTS }, (_, i) => V1_CASES[i % V1_CASES.length].event)));
    const out = await runPythonDriver(DRIVER, ['--events', file, '--show', String(V1_CASES.length)], { ...process.env, SECFLOW_CODE42CLI_SRC: src }) as { events: number; seconds: number; lines: string[]; python: string };
    const expected = V1_CASES.map((c) => c.cef);
    if (out.events !== EVENTS) throw new Error(`the Python formatter formatted ${out.events} events, not ${EVENTS}`);
    if (JSON.stringify(out.lines) !== JSON.stringify(expected)) throw new Error(`the Python formatter's lines differ from the fixtures' CEF: ${JSON.stringify(out.lines).slice(0, 300)}`);
    return { rate: out.events / out.seconds, python: out.python };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
