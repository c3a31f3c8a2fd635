// Process trees on our own process lists (test/fixtures/proctree/, written by hand;
// each tree drawn and counted by hand in the fixture's note or in the comments here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { buildProcessTree } from '../../../src/lib/proctree/build';
import { inferSchema, LX_SCHEMA, type ProcSchema } from '../../../src/lib/proctree/schema';
import { TreeIndex } from '../../../src/lib/proctree/utils';
import { treeToText } from '../../../src/lib/proctree/text';
import { treeToHtml } from '../../../src/lib/proctree/html';
import { eventSubset, parseAuditd } from '../../../src/lib/auditd/parse';
import { AUDIT_LOG, sentinelRows } from '../../fixtures/auditd/sentinel-rows';
import { layeredExecs } from '../../fixtures/proctree/make-process-list';

const FIXTURES = path.resolve(__dirname, '../../fixtures/proctree');
const lxRows = (JSON.parse(fs.readFileSync(path.join(FIXTURES, 'lx-execs.json'), 'utf8')) as { rows: Array<Record<string, unknown>> }).rows;

test('lx-execs.json: summary {18, 3, 8, 7, 0, 5} (duplicate and non-exec rows dropped), schema inferred as Linux', () => {
  assert.equal(lxRows.length, 17);
  assert.equal(inferSchema(lxRows)?.name, 'linux');
  const tree = buildProcessTree(lxRows);
  // 15 distinct execs + 3 synthetic parents (pids 1, 300 and 810: 810 starts after its child).
  assert.deepEqual(tree.summary, { Processes: 18, RootProcesses: 3, LeafProcesses: 8, BranchProcesses: 7, IsolatedProcesses: 0, LargestTreeDepth: 5 });
  assert.equal(tree.processes.length, 18);
  assert.equal(tree.processes.filter((p) => p.Synthetic).length, 3);
});

test('lx-execs.json: tree utilities (3 roots; the first has 13 descendants with itself, 2 children; the deepest has 5 ancestors with itself)', () => {
  const tree = buildProcessTree(lxRows);
  const idx = new TreeIndex(tree.processes);
  const roots = idx.roots();
  assert.deepEqual(roots.map((r) => r.proc_key), ['unknown|1|1970-01-01 00:00:00.000000', 'unknown|300|1970-01-01 00:00:00.000000', 'unknown|810|1970-01-01 00:00:00.000000']);
  const first = roots[0];
  const full = idx.descendants(first);
  // The root itself; sshd, bash 710 and its id, curl, dash, base64, Collect, tail; bash 720, sudo, su; nohup.
  assert.equal(full.length, 13);
  assert.equal(idx.descendants(first, false).length, 12);
  assert.deepEqual(idx.children(first).map((p) => p.exe), ['/usr/sbin/sshd', '/usr/bin/nohup']);
  const depth = Math.max(...full.map((p) => p.path.split('/').length));
  assert.equal(depth, 5);
  const bottom = full.find((p) => p.path.split('/').length === depth)!;
  assert.equal(bottom.exe, '/usr/bin/base64');
  assert.deepEqual(idx.ancestors(bottom).map((p) => p.exe ?? 'unknown'), ['unknown', '/usr/sbin/sshd', '/usr/bin/bash', '/bin/dash', '/usr/bin/base64']);
  assert.equal(idx.ancestors(bottom, false).length, 4);
  assert.equal(idx.ancestors(bottom)[0], first);
  assert.equal(idx.parent(bottom)?.proc_key, bottom.parent_key);
  const bash = idx.children(idx.children(first)[0])[0];
  const kids = idx.children(bash);
  assert.deepEqual(kids.map((p) => p.exe), ['/usr/bin/id', '/usr/bin/curl', '/bin/dash', '/opt/Lab/Collect']);
  assert.equal(idx.siblings(kids[0]).length, kids.length);
  assert.equal(idx.siblings(kids[0], false).length + 1, kids.length);
});

test('lx-execs.json: keys, flags, paths and the as-of join follow msticpy', () => {
  const tree = buildProcessTree(lxRows);
  const by = (key: string) => tree.processes.find((p) => p.proc_key === key)!;
  const synthetic = by('unknown|300|1970-01-01 00:00:00.000000');
  assert.ok(synthetic.IsRoot && !synthetic.IsLeaf && !synthetic.IsBranch);
  assert.equal(synthetic.parent_key, null);
  const cron = by('/usr/sbin/cron|310|2025-03-01 10:00:00.500000');
  assert.equal(cron.parent_key, synthetic.proc_key);
  assert.equal(cron.path, `${synthetic.source_index}/${cron.source_index}`);
  assert.equal(cron.parent_index, synthetic.source_index);
  // Lower-cased name in the key; 10 µs rounding shown as 6 digits.
  const dash = by('/bin/dash|713|2025-03-01 10:00:04.125000');
  assert.equal(dash.parent_key, '/usr/bin/bash|710|2025-03-01 10:00:01.000000');
  // pid 711 is reused: tail (12 s) joins the latest exec of 711 at or before it, Collect (11 s), not id (2 s).
  assert.equal(by('/usr/bin/tail|730|2025-03-01 10:00:12.000000').parent_key, '/opt/lab/collect|711|2025-03-01 10:00:11.000000');
  assert.ok(by('/usr/bin/id|711|2025-03-01 10:00:02.000000').IsLeaf);
  // sleep's parent 810 (nohup) starts a second later: no match, a synthetic parent; nohup is a leaf under pid 1.
  assert.equal(by('/usr/bin/sleep|820|2025-03-01 10:00:09.000000').parent_key, 'unknown|810|1970-01-01 00:00:00.000000');
  assert.ok(by('/usr/bin/nohup|810|2025-03-01 10:00:10.000000').IsLeaf);
  const paths = tree.processes.map((p) => p.path);
  assert.deepEqual(paths, [...paths].sort());
  const idx = new TreeIndex(tree.processes);
  for (const p of tree.processes) {
    const parent = idx.parent(p);
    if (parent) assert.equal(p.path, `${parent.path}/${p.source_index}`);
    assert.equal(p.IsLeaf, idx.children(p).length === 0);
  }
});

test('volatility-pstree.csv with the minimal 4-column schema: {17, 4, 7, 6, 0, 5}', () => {
  const rows = parse(fs.readFileSync(path.join(FIXTURES, 'volatility-pstree.csv')), { columns: true, bom: true }) as Array<Record<string, unknown>>;
  for (const r of rows) delete r.TreeDepth; // the index column
  assert.equal(rows.length, 13);
  const schema: ProcSchema = { name: 'minimal', process_name: 'ImageFileName', process_id: 'PID', parent_id: 'PPID', time_stamp: 'CreateTime' };
  const tree = buildProcessTree(rows, { schema });
  assert.deepEqual(tree.summary, { Processes: 17, RootProcesses: 4, LeafProcesses: 7, BranchProcesses: 6, IsolatedProcesses: 0, LargestTreeDepth: 5 });
  // PPIDs 0, 392 and 1200 never appear as PIDs; 1400 (explorer) is created after its child cmd.exe.
  assert.deepEqual(tree.processes.filter((p) => p.Synthetic).map((p) => p.proc_key.split('|')[1]).sort(), ['0', '1200', '1400', '392']);
});

test('our auditd log as Sentinel rows → auditd → SYSCALL_EXECVE tree: 8 processes, depth 5, in both modes', () => {
  const rows = sentinelRows(AUDIT_LOG, 'lab-host-01', '2025-12-06 09:00:00');
  for (const mode of ['default', 'compat'] as const) {
    const execs = eventSubset(parseAuditd(rows, { mode }), 'SYSCALL_EXECVE');
    const tree = buildProcessTree(execs, { schema: LX_SCHEMA });
    // unknown|1 → sshd → bash → sudo → nft, bash → wc; unknown|2499 → sh.
    assert.deepEqual(tree.summary, { Processes: 8, RootProcesses: 2, LeafProcesses: 3, BranchProcesses: 3, IsolatedProcesses: 0, LargestTreeDepth: 5 });
  }
});

test('text and HTML renderings show every process; HTML is self-contained and escapes event text', () => {
  const tree = buildProcessTree(lxRows);
  const text = treeToText(tree.processes, LX_SCHEMA);
  assert.equal(text.split('\n').filter((l) => /^\s*\+(-- | )/.test(l)).length, 18);
  assert.match(text, /^\+ {2}Process: unknown {2}PID: 1\n/);
  const html = treeToHtml(tree.processes, tree.summary, LX_SCHEMA);
  assert.equal(JSON.parse(/<script id="tree-data" type="application\/json">(.*?)<\/script>/s.exec(html)![1]).length, 18);
  assert.ok(!/\b(?:src|href)=["']?(?:https?:)?\/\//i.test(html), 'no external assets');
  assert.match(html, /<svg id="tree"/);
  const evil = buildProcessTree([{ EventType: 'SYSCALL_EXECVE', pid: 1, ppid: 0, exe: '</script><img src=x onerror=alert(1)>', TimeGenerated: '2024-01-01T00:00:00Z' }], { schema: LX_SCHEMA });
  assert.ok(!treeToHtml(evil.processes, evil.summary, LX_SCHEMA).includes('</script><img'));
});

test('the layered generator gives the tree its formula says (20 sessions × 10 shells × 4 commands: 1,040 processes)', () => {
  const rows = layeredExecs({ sessions: 20, shells: 10, commands: 4 });
  assert.equal(rows.length, 20 * (1 + 10 + 40));
  const tree = buildProcessTree(rows, { schema: LX_SCHEMA });
  assert.deepEqual(tree.summary, { Processes: 1040, RootProcesses: 20, LeafProcesses: 800, BranchProcesses: 220, IsolatedProcesses: 0, LargestTreeDepth: 4 });
});
