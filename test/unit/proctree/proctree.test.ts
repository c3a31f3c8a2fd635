import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProcessTree } from '../../../src/lib/proctree/build';
import { inferSchema, LX_SCHEMA, CB_SCHEMA } from '../../../src/lib/proctree/schema';
import { cbEventsToProcesses } from '../../../src/lib/proctree/cb';
import { formatPyTimestamp, parseTimeMicros, round10us } from '../../../src/lib/proctree/time';

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
