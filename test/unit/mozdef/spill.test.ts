// The queue's on-disk spill: overflow goes to NDJSON segments, close persists what is
// queued or in flight, and a new queue on the same directory resumes from the ack
// offsets; a restarted target delivers everything the previous one could not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DeliveryQueue, QueueItem, MozDefTarget } from '../../../src/lib/mozdef';
import { LoginputEmulator } from '../../emulators/mozdef-loginput';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-mozdef-spill-'));
}

function item(n: number): QueueItem {
  return { id: `id-${n}`, kind: 'event', doc: { summary: `event ${n}`, n }, attempts: 0 };
}

test('overflow spills to disk in order; close persists; reopen resumes after the acked prefix', () => {
  const dir = tempDir();
  try {
    const q1 = new DeliveryQueue({ maxQueue: 10, overflow: 'drop-oldest', spillDir: dir });
    assert.equal(q1.open(), 0);
    const outcomes = Array.from({ length: 50 }, (_, i) => q1.push(item(i)).outcome);
    assert.equal(outcomes.filter((o) => o === 'queued').length, 10);
    assert.equal(outcomes.filter((o) => o === 'spilled').length, 40);
    assert.equal(q1.length, 50);
    // Deliver 25 in order (refills come from the spill), keep 2 in flight.
    const done: number[] = [];
    while (done.length < 25) {
      const [entry] = q1.take(1);
      done.push(entry.item.doc.n as number);
      q1.ack(entry);
    }
    assert.deepEqual(done, Array.from({ length: 25 }, (_, i) => i));
    const inflight = q1.take(2);
    assert.equal(q1.close(inflight), 0, 'nothing lost at close');
    assert.ok(fs.readdirSync(dir).some((f) => f.endsWith('.ndjson')));

    const q2 = new DeliveryQueue({ maxQueue: 10, overflow: 'drop-oldest', spillDir: dir });
    assert.equal(q2.open(), 25, 'exactly the undelivered items replay');
    const rest: number[] = [];
    for (;;) {
      const [entry] = q2.take(1);
      if (!entry) break;
      rest.push(entry.item.doc.n as number);
      q2.ack(entry);
    }
    assert.deepEqual(rest.sort((a, b) => a - b), Array.from({ length: 25 }, (_, i) => i + 25));
    q2.close([]);
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.ndjson')), [], 'fully acked segments are deleted');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a torn last line (crash mid-write) is ignored on replay; the spill cap drops new items', () => {
  const dir = tempDir();
  try {
    const q1 = new DeliveryQueue({ maxQueue: 1, overflow: 'drop-new', spillDir: dir });
    q1.open();
    for (let i = 0; i < 5; i++) q1.push(item(i));
    q1.close([]);
    const segment = fs.readdirSync(dir).filter((f) => f.endsWith('.ndjson')).sort().pop()!;
    fs.appendFileSync(path.join(dir, segment), '{"id":"torn","kind":"ev');
    const q2 = new DeliveryQueue({ maxQueue: 100, overflow: 'drop-new', spillDir: dir, maxSpillBytes: 400 });
    assert.equal(q2.open(), 5);
    const ids = q2.take(100).map((e) => e.item.id);
    assert.deepEqual(ids.sort(), ['id-0', 'id-1', 'id-2', 'id-3', 'id-4']);
    q2.close([]);

    const q3 = new DeliveryQueue({ maxQueue: 1, overflow: 'drop-new', spillDir: tempDir(), maxSpillBytes: 300 });
    q3.open();
    const results = Array.from({ length: 10 }, (_, i) => q3.push(item(i)).outcome);
    assert.equal(results[0], 'queued');
    assert.ok(results.includes('spilled'));
    assert.equal(results[results.length - 1], 'dropped', 'over maxSpillBytes, new items are dropped');
    q3.close([]);
    fs.rmSync(q3.spill!.dir, { recursive: true, force: true });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('target restart resumes: events queued during an outage are delivered by the next instance', async () => {
  const dir = tempDir();
  const emu = new LoginputEmulator();
  const url = await emu.listen(0);
  emu.brokerDown = true;
  try {
    const first = new MozDefTarget({ url, transport: 'http', spillDir: dir, maxQueue: 20, backoff: { baseMs: 20, maxMs: 100 }, httpRetry: { retries: 0 } });
    first.start();
    for (let i = 0; i < 200; i++) first.enqueue({ kind: 'event', doc: { summary: `e${i}`, n: i } });
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(first.stats().sent, 0);
    assert.notEqual(first.stats().state, 'ok');
    assert.equal(await first.close(), 0, 'nothing lost at close');

    emu.brokerDown = false;
    const second = new MozDefTarget({ url, transport: 'http', spillDir: dir, maxQueue: 20, backoff: { baseMs: 20, maxMs: 100 } });
    assert.equal(second.start(), 200);
    assert.equal(await second.drained(10_000), true);
    const got = new Set((emu.messages() as Array<{ n: number }>).map((m) => m.n));
    assert.equal(got.size, 200);
    await second.close();
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.ndjson')), []);
  } finally {
    await emu.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
