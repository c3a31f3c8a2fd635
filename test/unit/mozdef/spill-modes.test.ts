// Issue 13 item 7: spill files hold event data; every file the spill writes
// (segments, the close-time segment, ack offsets) is 0600 in a 0700 directory,
// and spillDirFor keeps a crafted id inside its root.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SpillStore, spillDirFor } from '../../../src/lib/spill';
import type { QueueItem } from '../../../src/lib/mozdef/queue';

const item = (i: number) => ({ id: `e${i}`, attempts: 0, kind: 'event', event: { summary: `event ${i}` } }) as unknown as QueueItem;

test('segments, close-time segments and ack files are 0600; the directory 0700', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-spill-modes-'));
  try {
    const dir = path.join(root, 'spill', 'target');
    const spill = new SpillStore(dir, 10 * 1024 * 1024);
    spill.open();
    assert.ok(spill.append([item(1), item(2), item(3)]));
    const [first] = spill.load(1);
    spill.ack(first.ref as never);
    spill.persistFirst([item(0)]);
    spill.close();
    assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
    assert.equal(fs.statSync(path.join(root, 'spill')).mode & 0o777, 0o700);
    const files = fs.readdirSync(dir);
    assert.ok(files.some((f) => f.endsWith('.ack')), `an ack file in ${files.join(', ')}`);
    assert.ok(files.filter((f) => f.endsWith('.ndjson')).length >= 2);
    for (const f of files) assert.equal(fs.statSync(path.join(dir, f)).mode & 0o777, 0o600, f);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('spillDirFor: plain ids are kept; ids with separators or .. become a hash inside the root', () => {
  const root = path.join(os.tmpdir(), 'spill-root');
  assert.equal(spillDirFor(root, 'a1b2c3d4e5f60718'), path.join(root, 'a1b2c3d4e5f60718'));
  for (const id of ['../../x', '..', '.', '/etc', 'a/b', 'a\\b', '', 'x..y']) {
    const dir = spillDirFor(root, id);
    assert.equal(path.dirname(dir), root, id);
    assert.match(path.basename(dir), /^id-[0-9a-f]{32}$/, id);
  }
  assert.notEqual(spillDirFor(root, '../../x'), spillDirFor(root, '../../y'));
});
