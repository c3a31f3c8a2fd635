// The one spill mechanism on its own: private files, what survives a reopen (only the
// unacknowledged items, oldest first, persistFirst before appends), and acks removing
// delivered segments.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { SpillStore } from '../../../src/lib/spill';

function tempDir(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-spill-')), 'node-id');
}

test('the directory is 0700 and every file 0600, even under a permissive umask', () => {
  const dir = tempDir();
  const old = process.umask(0o000);
  try {
    const spill = new SpillStore<{ text: string }>(dir, 1024 * 1024);
    spill.open();
    assert.ok(spill.append([{ text: 'secret event' }]));
    spill.sync();
    spill.persistFirst([{ text: 'queued at close' }]);
    spill.close();
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    const files = fs.readdirSync(dir);
    assert.ok(files.length >= 2);
    for (const f of files) assert.equal(fs.statSync(path.join(dir, f)).mode & 0o777, 0o600, f);
  } finally {
    process.umask(old);
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});

test('reopen: persistFirst items come before appended ones; acked items do not come back; a fully acked segment is removed', () => {
  const dir = tempDir();
  try {
    const first = new SpillStore<{ n: number }>(dir, 1024 * 1024);
    assert.equal(first.open(), 0);
    first.append([{ n: 3 }, { n: 4 }]);
    first.persistFirst([{ n: 1 }, { n: 2 }]);
    first.close();

    const second = new SpillStore<{ n: number }>(dir, 1024 * 1024);
    assert.equal(second.open(), 4);
    const loaded = second.load(10);
    assert.deepEqual(loaded.map((e) => e.item.n), [1, 2, 3, 4]);
    // Deliver 1, 2 (a whole segment) and 3.
    for (const e of loaded.slice(0, 3)) second.ack(e.ref!);
    second.close();
    assert.equal(fs.readdirSync(dir).filter((f) => f.endsWith('.ndjson')).length, 1, 'the delivered segment is gone');

    const third = new SpillStore<{ n: number }>(dir, 1024 * 1024);
    assert.equal(third.open(), 1);
    assert.deepEqual(third.load(10).map((e) => e.item.n), [4]);
    third.close();
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});

test('a full spill refuses an append instead of growing past its bound', () => {
  const dir = tempDir();
  try {
    const spill = new SpillStore<{ text: string }>(dir, 1024);
    spill.open();
    assert.equal(spill.append([{ text: 'x'.repeat(600) }]), true);
    assert.equal(spill.append([{ text: 'y'.repeat(600) }]), false);
    assert.equal(spill.pending, 1);
    spill.close();
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});
