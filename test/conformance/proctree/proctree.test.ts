// Conformance: process trees against msticpy's tests (linux_proc_test.json, winproctree-minimal.csv, linux_events.csv).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { buildProcessTree, ProcessRow } from '../../../src/lib/proctree/build';
import { inferSchema, LX_SCHEMA, ProcSchema } from '../../../src/lib/proctree/schema';
import { TreeIndex } from '../../../src/lib/proctree/utils';
import { treeToText } from '../../../src/lib/proctree/text';
import { treeToHtml } from '../../../src/lib/proctree/html';
import { eventSubset, parseAuditd } from '../../../src/lib/auditd/parse';
import { vectorPath } from '../../support/vectors';

const LINUX = vectorPath('linux');
const lxRows = (JSON.parse(fs.readFileSync(`${LINUX}/linux_proc_test.json`, 'utf8')) as { rows: Array<Record<string, unknown>> }).rows;

test('linux_proc_test.json: msticpy summary {1029, 29, 497, 503, 0, 5}, schema inferred as Linux', () => {
  assert.equal(inferSchema(lxRows)?.name, 'linux');
  const tree = buildProcessTree(lxRows);
  assert.deepEqual(tree.summary, { Processes: 1029, RootProcesses: 29, LeafProcesses: 497, BranchProcesses: 503, IsolatedProcesses: 0, LargestTreeDepth: 5 });
  assert.equal(tree.processes.length, 1029);
});

test('linux_proc_test.json: tree utilities agree with upstream (29 roots, 901 / 452 / 3, siblings)', () => {
  const tree = buildProcessTree(lxRows);
  const idx = new TreeIndex(tree.processes);
  const roots = idx.roots();
  assert.equal(roots.length, 29);
  const first = roots[0];
  const full = idx.descendants(first);
  assert.equal(full.length, 901);
  assert.equal(idx.children(first).length + 1, 452, 'children including the source, as get_children');
  const depth = Math.max(...full.map((p) => p.path.split('/').length));
  const bottom = full.find((p) => p.path.split('/').length === depth)!;
  assert.equal(idx.ancestors(bottom).length, 3);
  assert.equal(idx.ancestors(bottom)[0], first);
  assert.equal(idx.parent(bottom)?.proc_key, bottom.parent_key);
  const kids = idx.children(first);
  assert.equal(idx.siblings(kids[0]).length, kids.length);
  assert.equal(idx.siblings(kids[0], false).length + 1, kids.length);
});

test('keys, flags and paths follow msticpy', () => {
  const tree = buildProcessTree(lxRows);
  const synthetic = tree.processes.find((p) => p.proc_key === 'unknown|22536|1970-01-01 00:00:00.000000')!;
  assert.ok(synthetic.IsRoot && !synthetic.IsLeaf && !synthetic.IsBranch);
  assert.equal(synthetic.parent_key, null);
  const dash = tree.processes.find((p) => p.proc_key === '/bin/dash|25924|2019-02-17 21:56:27.964000')!;
  assert.equal(dash.parent_key, 'unknown|22536|1970-01-01 00:00:00.000000');
  assert.equal(dash.path, `${synthetic.source_index}/${dash.source_index}`);
  assert.equal(dash.parent_index, synthetic.source_index);
  // Sorted by path; every non-root's path extends its parent's.
  const paths = tree.processes.map((p) => p.path);
  assert.deepEqual(paths, [...paths].sort());
  const idx = new TreeIndex(tree.processes);
  for (const p of tree.processes) {
    const parent = idx.parent(p);
    if (parent) assert.equal(p.path, `${parent.path}/${p.source_index}`);
    assert.equal(p.IsLeaf, idx.children(p).length === 0);
  }
});

test('winproctree-minimal.csv with the minimal 4-column schema: {126, 10, 97, 19, 0, 7}', () => {
  const rows = parse(fs.readFileSync(`${LINUX}/winproctree-minimal.csv`), { columns: true, bom: true }) as Array<Record<string, unknown>>;
  for (const r of rows) delete r.TreeDepth; // the index column
  assert.equal(rows.length, 116);
  const schema: ProcSchema = { name: 'minimal', process_name: 'ImageFileName', process_id: 'PID', parent_id: 'PPID', time_stamp: 'CreateTime' };
  const tree = buildProcessTree(rows, { schema });
  assert.deepEqual(tree.summary, { Processes: 126, RootProcesses: 10, LeafProcesses: 97, BranchProcesses: 19, IsolatedProcesses: 0, LargestTreeDepth: 7 });
  assert.equal(tree.processes.filter((p) => p.Synthetic).length, 10);
});

test('linux_events.csv → auditd → SYSCALL_EXECVE tree: ≥ 85 rows and depth 5', () => {
  const rows = parse(fs.readFileSync(`${LINUX}/linux_events.csv`), { columns: true, bom: true }) as Array<Record<string, unknown>>;
  for (const mode of ['default', 'compat'] as const) {
    const execs = eventSubset(parseAuditd(rows, { mode }), 'SYSCALL_EXECVE');
    const tree = buildProcessTree(execs, { schema: LX_SCHEMA });
    assert.ok(tree.processes.length >= 85, `${tree.processes.length} rows`);
    assert.equal(tree.summary.LargestTreeDepth, 5);
  }
});
test('text and HTML renderings show every process; HTML is self-contained and escapes event text', () => {
  const tree = buildProcessTree(lxRows);
  const text = treeToText(tree.processes, LX_SCHEMA);
  assert.equal(text.split('\n').filter((l) => /^\s*\+(-- | )/.test(l)).length, 1029);
  assert.ok(text.startsWith('+  Process: unknown  PID: 22536'));
  const evil: ProcessRow[] = buildProcessTree([{ EventType: 'SYSCALL_EXECVE', pid: 1, ppid: 0, exe: '</script><img src=x onerror=alert(1)>', TimeGenerated: '2024-01-01T00:00:00Z' }], { schema: LX_SCHEMA }).processes;
  const html = treeToHtml(evil, { Processes: 1, RootProcesses: 1, LeafProcesses: 1, BranchProcesses: 0, IsolatedProcesses: 1, LargestTreeDepth: 1 }, LX_SCHEMA);
  assert.ok(!html.includes('</script><img'));
  assert.ok(!/\b(?:src|href)=["']?(?:https?:)?\/\//i.test(html), 'no external assets');
  assert.match(html, /<svg id="tree"/);
});
