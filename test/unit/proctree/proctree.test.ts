import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { buildProcessTree, ProcessRow } from '../../../src/lib/proctree/build';
import { inferSchema, LX_SCHEMA, CB_SCHEMA, ProcSchema } from '../../../src/lib/proctree/schema';
import { TreeIndex } from '../../../src/lib/proctree/utils';
import { treeToText } from '../../../src/lib/proctree/text';
import { treeToHtml } from '../../../src/lib/proctree/html';
import { cbEventsToProcesses } from '../../../src/lib/proctree/cb';
import { eventSubset, parseAuditd } from '../../../src/lib/auditd/parse';
import { formatPyTimestamp, parseTimeMicros, round10us } from '../../../src/lib/proctree/time';
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

test('as-of join: latest exec of the parent pid at or before the child; a later parent does not match', () => {
  const ev = (pid: number, ppid: number, t: string, exe: string) => ({ EventType: 'SYSCALL_EXECVE', pid, ppid, exe, TimeGenerated: t, Computer: 'h' });
  const tree = buildProcessTree([
    ev(10, 1, '2024-01-01T00:00:01Z', '/bin/a'),
    ev(10, 1, '2024-01-01T00:00:05Z', '/bin/b'), // pid 10 reused
    ev(20, 10, '2024-01-01T00:00:03Z', '/bin/c'), // → /bin/a
    ev(21, 10, '2024-01-01T00:00:05Z', '/bin/d'), // exact time → /bin/b
    ev(30, 40, '2024-01-01T00:00:02Z', '/bin/e'), // parent 40 starts later → synthetic
    ev(40, 1, '2024-01-01T00:00:09Z', '/bin/f'),
    ev(31, 40, '2024-01-01T00:00:03Z', '/bin/g'), // shares the synthetic parent of 30
  ], { schema: LX_SCHEMA });
  const by = new Map(tree.processes.map((p) => [p.exe as string, p]));
  assert.match(by.get('/bin/c')!.parent_key!, /^\/bin\/a\|10\|/);
  assert.match(by.get('/bin/d')!.parent_key!, /^\/bin\/b\|10\|/);
  assert.equal(by.get('/bin/e')!.parent_key, 'unknown|40|1970-01-01 00:00:00.000000');
  assert.equal(by.get('/bin/g')!.parent_key, 'unknown|40|1970-01-01 00:00:00.000000');
  assert.equal(tree.processes.filter((p) => p.proc_key === 'unknown|40|1970-01-01 00:00:00.000000').length, 1);
  assert.equal(tree.processes.filter((p) => p.proc_key.startsWith('unknown|1|')).length, 1);
});

test('exact duplicate rows are dropped; non-process events are filtered out', () => {
  const row = { EventType: 'SYSCALL_EXECVE', pid: 5, ppid: 1, exe: '/bin/x', TimeGenerated: '2024-01-01T00:00:00Z' };
  const tree = buildProcessTree([row, { ...row }, { EventType: 'LOGIN', pid: 9, ppid: 1, exe: '/bin/y', TimeGenerated: '2024-01-01T00:00:00Z' }], { schema: LX_SCHEMA });
  assert.equal(tree.summary.Processes, 2);
});

test('GUID-keyed trees (Carbon Black): exact parent GUID, earliest duplicate kept, missing parent → unknown root', () => {
  const events = [
    { event_type: 'childproc', event_timestamp: '2024-01-01T00:00:01Z', process_guid: 'ORG-1-A', process_pid: 1, childproc_process_guid: 'ORG-1-B', childproc_name: '/bin/b', childproc_pid: 2 },
    { event_type: 'childproc', event_timestamp: '2024-01-01T00:00:02Z', process_guid: 'ORG-1-B', process_pid: 2, childproc_process_guid: 'ORG-1-C', childproc_name: '/bin/c', childproc_pid: 3 },
    { event_type: 'childproc', event_timestamp: '2024-01-01T00:00:03Z', process_guid: 'ORG-1-B', process_pid: 2, childproc_process_guid: 'ORG-1-C', childproc_name: '/bin/c', childproc_pid: 3 },
    { event_type: 'netconn', event_timestamp: '2024-01-01T00:00:04Z', process_guid: 'ORG-1-C', process_pid: 3 },
  ];
  const rows = cbEventsToProcesses(events);
  assert.equal(inferSchema(rows)?.name, 'cbc');
  const tree = buildProcessTree(rows, { schema: CB_SCHEMA });
  assert.deepEqual(tree.summary, { Processes: 3, RootProcesses: 1, LeafProcesses: 1, BranchProcesses: 1, IsolatedProcesses: 0, LargestTreeDepth: 3 });
  const c = tree.processes.find((p) => p.process_guid === 'ORG-1-C')!;
  assert.match(c.parent_key!, /^\/bin\/b\|ORG-1-B\|/);
  const orphan = buildProcessTree([{ process_guid: 'X-1', parent_guid: 'X-0', process_name: 'cmd.exe', process_start_time: '2024-01-01T00:00:00Z' }], { schema: CB_SCHEMA });
  assert.equal(orphan.processes[0].proc_key, 'unknown|X-0|1970-01-01 00:00:00.000000');
});

test('bad input is refused with a readable error', () => {
  assert.throws(() => buildProcessTree([{ foo: 1 }]), /no process schema matches/);
  assert.throws(() => buildProcessTree([{ EventType: 'SYSCALL_EXECVE', pid: 1, ppid: 0, exe: 'x', TimeGenerated: 'yesterday' }], { schema: LX_SCHEMA }), /TimeGenerated is not a time/);
  assert.throws(() => buildProcessTree('x' as never), /must be an array/);
});

test('times: formats, rounding to 10 µs, Python key format', () => {
  assert.equal(parseTimeMicros('2019-02-18T00:23:47.129000'), Date.UTC(2019, 1, 18, 0, 23, 47, 129) * 1000);
  assert.equal(parseTimeMicros('2019-02-18 00:23:47.1290004 '), Date.UTC(2019, 1, 18, 0, 23, 47, 129) * 1000);
  assert.equal(parseTimeMicros('7/5/2019 18:19'), Date.UTC(2019, 6, 5, 18, 19) * 1000);
  assert.equal(parseTimeMicros('2024-01-01T01:00:00+01:00'), Date.UTC(2024, 0, 1) * 1000);
  assert.equal(parseTimeMicros('nope'), undefined);
  assert.equal(formatPyTimestamp(round10us(1_550_449_427_129_005)), '2019-02-18 00:23:47.129000');
  assert.equal(formatPyTimestamp(round10us(1_550_449_427_129_015)), '2019-02-18 00:23:47.129020');
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

test('time order is stable for ties, whatever the time span (packed and general sort paths)', () => {
  const ev = (pid: number, t: string) => ({ EventType: 'SYSCALL_EXECVE', pid, ppid: 1, exe: `/bin/p${pid}`, TimeGenerated: t });
  // Narrow span (packed-number sort) and a span of decades (general sort), both with ties, both shuffled.
  for (const times of [['2024-01-01T00:00:02Z', '2024-01-01T00:00:01Z', '2024-01-01T00:00:02Z', '2024-01-01T00:00:01Z'], ['2024-01-01T00:00:00Z', '1971-01-01T00:00:00Z', '2024-01-01T00:00:00Z', '1971-01-01T00:00:00Z']]) {
    const tree = buildProcessTree(times.map((t, i) => ev(10 + i, t)), { schema: LX_SCHEMA });
    const bySource = tree.processes.filter((p) => !p.Synthetic).sort((a, b) => Number(a.source_index) - Number(b.source_index));
    // source_index follows the stable time order: the earlier time first, ties in input order.
    assert.deepEqual(bySource.map((p) => p.pid), [11, 13, 10, 12]);
  }
});

test('many events at one instant stay linear (no quadratic duplicate check)', () => {
  const rows = Array.from({ length: 50_000 }, (_v, i) => ({ EventType: 'SYSCALL_EXECVE', pid: 2 + i, ppid: 1, exe: '/bin/x', TimeGenerated: '2024-01-01T00:00:00Z' }));
  rows.push({ ...rows[7] }); // one exact duplicate
  const started = Date.now();
  const tree = buildProcessTree(rows, { schema: LX_SCHEMA });
  assert.equal(tree.summary.Processes, 50_001);
  assert.ok(Date.now() - started < 20_000);
});
