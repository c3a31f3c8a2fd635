// The text view of a process tree marks a parent that secflow inferred (its exec
// was never seen) as such, instead of showing an invented time of 1970-01-01.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProcessTree } from '../../../src/lib/proctree/build';
import { LX_SCHEMA } from '../../../src/lib/proctree/schema';
import { treeToText } from '../../../src/lib/proctree/text';

test('an inferred parent shows no 1970 time in the text view', () => {
  const rows = [
    { EventType: 'SYSCALL_EXECVE', pid: 2100, ppid: 1, exe: '/usr/bin/bash', cmdline: 'bash', uid: 1000, ses: 7, TimeGenerated: '2024-05-01T12:00:01Z' },
    { EventType: 'SYSCALL_EXECVE', pid: 2101, ppid: 2100, exe: '/usr/bin/curl', cmdline: 'curl x', uid: 1000, ses: 7, TimeGenerated: '2024-05-01T12:00:02Z' },
  ];
  const tree = buildProcessTree(rows, { schema: LX_SCHEMA });
  assert.equal(tree.processes.filter((p) => p.Synthetic).length, 1, 'pid 1 is inferred');
  const text = treeToText(tree.processes, LX_SCHEMA);
  assert.doesNotMatch(text, /1970/);
  const lines = text.split('\n');
  const root = lines.findIndex((l) => l.startsWith('+ '));
  assert.match(lines[root], /PID: 1\b/);
  assert.match(lines[root + 1], /Time: unknown \(inferred parent, not seen\)/);
  assert.match(text, /Time: 2024-05-01/);
});
