// Issue 20's whole run in a real Node-RED: 30,000 events, page 2,000, 429s and 500s
// from the emulator; extractor with confirm → secflow-cef → secflow-syslog TCP → a
// loopback receiver. The receiver goes away for 8 s (closing its sockets, unread
// data included), Node-RED is SIGKILLed mid-run and restarted on the same userDir,
// and 5,000 new events follow. Every event reaches the receiver; duplicates stay
// within two pages per incident. (The bytes the kernel took but the receiver never read are
// recovered by secflow-syslog's replay of the last bytes written on a lost connection.)
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
const PAGE = 2000;
/** The pipeline's syslog replayBytes (test/support/delivery-pipeline.ts). */
const REPLAY_BYTES = 16 * 1024 * 1024;

/** Every one of these events has arrived. */
function arrived(events: string[], lines: string[]): boolean {
  const got = new Set(eventIds(lines));
  return events.every((id) => got.has(id));
}

/** Indexes as runs, e.g. "5008–7999, 12000" (for a readable failure). */
function ranges(indexes: number[]): string {
  const sorted = [...indexes].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    out.push(i === j ? String(sorted[i]) : `${sorted[i]}–${sorted[j]}`);
    i = j;
  }
  return out.slice(0, 10).join(', ');
}

describe('confirmed delivery through an outage and a crash', () => {
  let nodeRed: NodeRedInstance | undefined;
  const emu = new Code42Emulator({ clients: { cid: 'csecret' } });
  const receiver = new LineReceiver();

  after(async () => {
    await nodeRed?.stop();
    await receiver.close();
    await emu.close();
  });

  test('30,000 events with 429s and 500s, the receiver away for 8 s, a SIGKILL and a restart, 5,000 new events: all arrive; duplicates within the replay window (outage) and two pages (kill)', async () => {
    const url = await emu.listen();
    const first = emu.addFileEvents({ count: 30_000, startMs: T0, stepMs: 10 });
    emu.inject({ route: 'fileevents', nth: [2, 7, 11], fault: { type: 'throttle', retryAfterSeconds: 0 } });
    emu.inject({ route: 'fileevents', nth: [4, 9, 14], fault: { type: 'status', status: 500 } });
    emu.inject({ route: 'fileevents', fault: { type: 'latency', ms: 200 } });
    const port = await receiver.listen();
    const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-outage-e2e-'));
    const uiPort = await freePort();
    nodeRed = await startNodeRed({ userDir, port: uiPort });
    await deployFlow(nodeRed.url, pipelineFlow({ emulatorUrl: url, receiverPort: port, pageSize: PAGE, interval: 1 }));

    // The receiver goes away for 8 s once some pages arrived, unread data and all.
    await receiver.waitFor(5000, 120_000);
    const outageAt = receiver.lines.length;
    // It stops reading first, as a SIEM that hangs and dies: bytes the kernel took stay unread.
    receiver.pause();
    await new Promise((r) => setTimeout(r, 250));
    await receiver.close();
    // What the broken connection carried was served before it broke.
    const servedBeforeOutage = first.slice(0, emu.fileEventsServed);
    await new Promise((r) => setTimeout(r, 8000));
    await receiver.listen(port);

    // Killed mid-run once the pipeline is moving again, after the replay of the lost
    // connection's last bytes went out: those copies stand for messages that completed
    // before the outage (a TCP write proves no more), so a crash while they are still being
    // resent loses them (RELP, with the receiver's acknowledgements, has no such gap). The
    // replay is out once every event served before the outage arrived (a test that waited
    // only for "no gap below the newest line" killed in the middle of an in-order replay).
    const resumedAt = receiver.lines.length;
    await receiver.waitFor(resumedAt + 3000, 120_000);
    const deadlineReplay = Date.now() + 120_000;
    while (!arrived(servedBeforeOutage, receiver.lines) && Date.now() < deadlineReplay) await new Promise((r) => setTimeout(r, 100));
    assert.ok(arrived(servedBeforeOutage, receiver.lines), `the replay after the outage arrived (${servedBeforeOutage.length} events served before it)`);
    nodeRed.child.kill('SIGKILL');
    await new Promise<void>((resolve) => (nodeRed!.child.exitCode !== null || nodeRed!.child.signalCode !== null ? resolve() : nodeRed!.child.once('exit', () => resolve())));
    const beforeKill = eventIds(receiver.lines);
    const uniqueBeforeKill = new Set(beforeKill);
    assert.ok(uniqueBeforeKill.size < first.length, 'the kill came mid-run');

    nodeRed = await startNodeRed({ userDir, port: uiPort });
    const more = emu.addFileEvents({ count: 5000, startMs: T0 + 3_600_000, stepMs: 10 });
    const all = [...first, ...more];
    const deadline = Date.now() + 240_000;
    while (new Set(eventIds(receiver.lines)).size < all.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    const got = eventIds(receiver.lines);
    const unique = new Set(got);
    const missing = all.filter((id) => !unique.has(id));
    assert.equal(missing.length, 0, `${missing.length} of ${all.length} events never arrived: ${ranges(missing.map((id) => all.indexOf(id)))}; ${beforeKill.length} lines before the kill, outage from line ${outageAt}, resumed at ${resumedAt}`);
    assert.equal(unique.size, all.length, 'nothing but the events arrived');
    // The kill repeats at most two pages (the unsettled page and the one after it). The
    // outage repeats what the replay sent again: at most its window (replayBytes) of lines.
    const outageDuplicates = beforeKill.length - uniqueBeforeKill.size;
    const crashDuplicates = got.slice(beforeKill.length).filter((id) => uniqueBeforeKill.has(id)).length + (got.length - beforeKill.length) - new Set(got.slice(beforeKill.length)).size;
    const shortestLine = receiver.lines.reduce((min, l) => Math.min(min, Buffer.byteLength(l) + 1), Infinity);
    const replayWindowLines = Math.ceil(REPLAY_BYTES / shortestLine);
    assert.ok(outageDuplicates <= replayWindowLines, `${outageDuplicates} duplicates from the outage: more than the replay window holds (${replayWindowLines} lines)`);
    assert.ok(crashDuplicates <= 2 * PAGE, `${crashDuplicates} duplicates from the kill: more than two pages`);
  });
});
