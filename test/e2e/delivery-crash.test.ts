// Issue 20, crash safety in a real Node-RED: extractor with confirm → secflow-cef →
// secflow-syslog TCP → a loopback receiver, the cursor in the write-through `file`
// store. The emulator answers with 429s and 500s; Node-RED is SIGKILLed mid-run and
// restarted on the same userDir; new events arrive. Every event reaches the
// receiver, and the duplicates stay within two pages. (Without confirm the same run
// loses the messages that waited in the syslog node's queue at the kill: 7,335 of
// 21,500 when this test was written.)
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startNodeRed, type NodeRedInstance } from '../../scripts/node-red-runner';
import { Code42Emulator } from '../emulators/code42';
import { LineReceiver } from '../support/line-receiver';
import { deployFlow, eventIds, pipelineFlow } from '../support/delivery-pipeline';
import { freePort } from '../support/free-port';

const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);
const PAGE = 500;

describe('confirmed delivery survives a SIGKILL', () => {
  let nodeRed: NodeRedInstance | undefined;
  const emu = new Code42Emulator({ clients: { cid: 'csecret' } });
  const receiver = new LineReceiver();

  after(async () => {
    await nodeRed?.stop();
    await receiver.close();
    await emu.close();
  });

  test('SIGKILL mid-run, restart on the same userDir, new events: every event arrives, duplicates within two pages', async () => {
    const url = await emu.listen();
    const first = emu.addFileEvents({ count: 20_000, startMs: T0, stepMs: 10 });
    emu.inject({ route: 'fileevents', nth: [3, 9], fault: { type: 'throttle', retryAfterSeconds: 0 } });
    emu.inject({ route: 'fileevents', nth: [5, 12], fault: { type: 'status', status: 500 } });
    // Slow pages, so that the kill lands mid-run.
    emu.inject({ route: 'fileevents', fault: { type: 'latency', ms: 50 } });
    const port = await receiver.listen();
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-crash-e2e-'));
    const uiPort = await freePort();
    nodeRed = await startNodeRed({ userDir, port: uiPort });
    await deployFlow(nodeRed.url, pipelineFlow({ emulatorUrl: url, receiverPort: port, pageSize: PAGE, interval: 1 }));

    // Kill it in the middle of the run, while the syslog node holds a queue: the
    // receiver stops reading for a moment first, so the socket backs up (it reads
    // again after the kill: what the kernel took is not lost).
    await receiver.waitFor(3000, 120_000);
    receiver.pause();
    await new Promise((r) => setTimeout(r, 3000));
    nodeRed.child.kill('SIGKILL');
    await new Promise<void>((resolve) => (nodeRed!.child.exitCode !== null || nodeRed!.child.signalCode !== null ? resolve() : nodeRed!.child.once('exit', () => resolve())));
    receiver.resume();
    const beforeRestart = receiver.lines.length;
    assert.ok(beforeRestart < first.length, `the kill came mid-run (${beforeRestart} of ${first.length} lines)`);
    const cursorFile = fs.readdirSync(path.join(userDir, 'context'), { recursive: true }).map(String).filter((f) => f.endsWith('.json'));
    assert.ok(cursorFile.length > 0, 'the cursor was on disk before the kill');

    nodeRed = await startNodeRed({ userDir, port: uiPort });
    const more = emu.addFileEvents({ count: 1500, startMs: T0 + 600_000, stepMs: 10 });
    const all = [...first, ...more];
    const deadline = Date.now() + 180_000;
    while (new Set(eventIds(receiver.lines)).size < all.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    const got = eventIds(receiver.lines);
    const unique = new Set(got);
    const missing = all.filter((id) => !unique.has(id));
    assert.equal(missing.length, 0, `${missing.length} events never arrived, e.g. ${missing[0]}`);
    assert.equal(unique.size, all.length, 'nothing but the events arrived');
    const duplicates = got.length - unique.size;
    assert.ok(duplicates <= 2 * PAGE, `${duplicates} duplicates: more than two pages`);
    assert.ok(!nodeRed.output.some((l) => /\[error\]/.test(l) && /delivery not confirmed/.test(l)), 'no delivery failure after the restart');
  });
});
