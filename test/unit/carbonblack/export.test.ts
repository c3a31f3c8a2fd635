import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { CbcClient } from '../../../src/lib/carbonblack/client';
import { exportProcessTree, ProcessExport } from '../../../src/lib/carbonblack/export';
import { DEFAULT_SUMMARY_CONFIG } from '../../../src/lib/carbonblack/summary';
import { pyJsonDumps } from '../../../src/lib/util/python';
import { resolveOutputDir, writeInside } from '../../../src/lib/carbonblack/files';
import type { TreeNode } from '../../../src/lib/carbonblack/types';
import { CbcEmulator, Ev, startCbcEmulator } from '../../emulators/carbonblack';
import { ROOT, CHILD, GRANDCHILDREN, TREE_JSON } from '../../fixtures/carbonblack/process-tree';

let emu: CbcEmulator;
let client: CbcClient;

before(async () => {
  emu = await startCbcEmulator();
  client = new CbcClient({ url: emu.baseUrl, orgKey: emu.orgKey, apiId: 'APIID01', apiSecret: 'apisecret', pollMs: 5 });
});
after(async () => {
  client.close();
  await emu.close();
});
beforeEach(() => {
  emu.segments = { total: 1, pollsToComplete: 1 };
  emu.log.length = 0;
});

async function run(guid: string, depth: number, levelMode: 'depth' | 'compat', extra: Partial<Parameters<typeof exportProcessTree>[1]> = {}) {
  const processes: ProcessExport[] = [];
  const tree = await exportProcessTree(client, { guid, depth, levelMode, summaryConfig: DEFAULT_SUMMARY_CONFIG, onProcess: (p) => { processes.push(p); }, ...extra });
  return { processes, tree };
}

/** Hand-made processes: each child announced by a childproc event of its parent, plus one netconn event. */
function addShape(shape: Record<string, string[]>, names: Record<string, [string, number]> = {}): Record<string, string> {
  const guids: Record<string, string> = {};
  let pid = 3000;
  for (const label of Object.keys(shape).concat(...Object.values(shape))) {
    if (!guids[label]) guids[label] = names[label] ? label : emu.guidFor(0x1234, pid++, Date.UTC(2024, 1, 1) + pid);
  }
  for (const label of Object.keys(guids)) {
    const events: Ev[] = (shape[label] ?? []).map((child, i) => ({
      event_timestamp: `2024-02-01T10:00:0${9 - i}.000Z`, event_type: 'childproc', process_guid: guids[label], process_pid: 1,
      childproc_process_guid: guids[child], childproc_name: names[child]?.[0] ?? `/bin/${child}`, childproc_pid: names[child]?.[1] ?? Number.parseInt(guids[child].split('-')[2], 16),
      childproc_username: 'root', childproc_cmdline: `/bin/${child} -x`,
    }));
    events.push({ event_timestamp: '2024-02-01T09:00:00.000Z', event_type: 'netconn', process_guid: guids[label], process_pid: 1, netconn_inbound: false, netconn_protocol: 'PROTO_TCP', netconn_remote_ipv4: -1062731519, netconn_remote_port: 443 });
    emu.addProcess(guids[label], events);
  }
  return guids;
}

function flatten(node: TreeNode, out: TreeNode[] = []): TreeNode[] {
  out.push(node);
  for (const c of node.children ?? []) flatten(c, out);
  return out;
}

test('depth mode, tree of depth 3: every process exported once, BFS order, true depths, complete CSVs and tree JSON', async () => {
  const synth = emu.addTree({ fanOut: 2, depth: 3, eventsPerProcess: 6 });
  assert.equal(synth.length, 15);
  const { processes, tree } = await run(synth[0].guid, 3, 'depth');
  assert.ok(tree);
  assert.deepEqual(processes.map((p) => p.guid), synth.map((p) => p.guid), 'BFS order, every process once');
  for (const p of processes) {
    const s = synth.find((x) => x.guid === p.guid)!;
    assert.equal(p.level, s.depth);
    assert.equal(p.depth, s.depth);
    assert.equal(p.parentGuid, s.parentGuid);
    assert.equal(p.filename, `${s.depth}_${s.guid}.csv`);
    const stored = emu.processes.get(s.guid)!;
    assert.equal(p.eventCount, stored.length);
    const rows = parse(p.csv) as string[][];
    assert.equal(rows.length, stored.length + 1);
    // Newest first, and details = the API document in json.dumps form.
    const newestFirst = [...stored].sort((a, b) => String(b.event_timestamp).localeCompare(String(a.event_timestamp)));
    assert.deepEqual(rows.slice(1).map((r) => r[4]), newestFirst.map(pyJsonDumps));
    // depth mode uses the clean summary with lenient int2ip.
    const netconn = rows.find((r) => r[1] === 'netconn');
    assert.equal(netconn?.[3], 'netconn_inbound: false netconn_protocol: PROTO_UDP netconn_remote_ipv4: 192.168.1.1 netconn_remote_port: 389');
  }
  const nodes = flatten(tree.tree);
  assert.equal(nodes.length, 15);
  assert.deepEqual(nodes.map((n) => n.level).sort(), synth.map((p) => p.depth).sort());
  assert.equal(tree.filename, `0_${synth[0].guid}-process_tree.json`);
  assert.equal(tree.json, JSON.stringify(tree.tree, null, 4));
  assert.deepEqual(tree.summary, { nodes: 15, expanded: 7, maxDepth: 3, truncatedGuids: [], maxNodesHit: false });
  for (const n of nodes.slice(1)) {
    const s = synth.find((x) => x.guid === n.guid)!;
    assert.equal(n.name, s.name);
    assert.equal(n.pid, s.pid);
    assert.deepEqual((n.children ?? []).map((c) => c.guid), s.children);
  }
});

test('depth mode de-duplicates children reported twice; maxNodes stops expansion', async () => {
  const synth = emu.addTree({ fanOut: 2, depth: 2, duplicateChildprocs: true });
  const { processes, tree } = await run(synth[0].guid, 2, 'depth');
  assert.equal(processes.length, 7);
  assert.equal(flatten(tree!.tree).length, 7);
  const limited = await run(synth[0].guid, 2, 'depth', { maxNodes: 4 });
  assert.equal(flatten(limited.tree!.tree).length, 4);
  assert.equal(limited.tree!.summary.maxNodesHit, true);
});

test('compat mode follows the reference counter: R→{A,B,C}, A→{A1}, B→{B1}', async () => {
  const g = addShape({ R: ['A', 'B', 'C'], A: ['A1'], B: ['B1'] });
  const n2 = await run(g.R, 2, 'compat');
  assert.deepEqual(n2.processes.map((p) => p.filename), [`0_${g.R}.csv`, `1_${g.A}.csv`, `1_${g.B}.csv`, `1_${g.C}.csv`, `2_${g.A1}.csv`]);
  assert.ok(!flatten(n2.tree!.tree).some((n) => n.guid === g.B1), 'N=2 never shows B1');
  const n3 = await run(g.R, 3, 'compat');
  const b1 = flatten(n3.tree!.tree).find((n) => n.guid === g.B1);
  assert.equal(b1?.level, 3, 'B1 is a grandchild but gets level 3');
  assert.deepEqual(n3.processes.map((p) => p.filename), [`0_${g.R}.csv`, `1_${g.A}.csv`, `1_${g.B}.csv`, `1_${g.C}.csv`, `2_${g.A1}.csv`, `3_${g.B1}.csv`]);
  // compat summaries are Python-style with strict int2ip.
  const rows = parse(n3.processes[0].csv) as string[][];
  assert.equal(rows.find((r) => r[1] === 'netconn')?.[3], ' netconn_inbound: False netconn_protocol: PROTO_TCP netconn_remote_ipv4: 192.168.1.1 netconn_remote_port: 443');
  assert.equal(rows.find((r) => r[1] === 'childproc')?.[3], ` childproc_username: root childproc_cmdline: /bin/A -x`);
  // N = 0: the process alone, no tree.
  const n0 = await run(g.R, 0, 'compat');
  assert.deepEqual(n0.processes.map((p) => p.filename), [`0_${g.R}.csv`]);
  assert.equal(n0.tree, undefined);
});

test('compat mode tree JSON is byte-identical to the hand-worked JSON of a README-shaped tree', async () => {
  const names: Record<string, [string, number]> = { [ROOT]: ['', 0], [CHILD.guid]: [CHILD.name, CHILD.pid] };
  for (const gc of GRANDCHILDREN) names[gc.guid] = [gc.name, gc.pid];
  addShape({ [ROOT]: [CHILD.guid], [CHILD.guid]: GRANDCHILDREN.map((c) => c.guid) }, names);
  const { tree } = await run(ROOT, 2, 'compat');
  assert.equal(tree!.json, TREE_JSON);
  assert.equal(tree!.filename, `0_${ROOT}-process_tree.json`);
});

test('compat keepDuplicateChildren reproduces the reference duplicate nodes', async () => {
  const synth = emu.addTree({ fanOut: 1, depth: 1, duplicateChildprocs: true });
  const dedup = await run(synth[0].guid, 1, 'compat');
  assert.equal(dedup.processes.length, 2);
  const dup = await run(synth[0].guid, 1, 'compat', { keepDuplicateChildren: true });
  assert.equal(dup.processes.length, 3);
  assert.equal(dup.tree!.tree.children!.length, 2);
});

test('an unknown GUID is a clear error', async () => {
  await assert.rejects(run(emu.guidFor(1, 1, 0), 1, 'depth'), /has no events in the requested time range: unknown GUID/);
  await assert.rejects(run('../../etc/passwd', 1, 'depth'), /guid must be 1–128 letters, digits or dashes/);
});

test('truncation is flagged when CB found more events than it returned', async () => {
  const [root] = emu.addTree({ fanOut: 1, depth: 0, eventsPerProcess: 9 });
  emu.maxAvailable = 5;
  try {
    const { processes } = await run(root.guid, 0, 'depth');
    assert.equal(processes[0].eventCount, 5);
    assert.equal(processes[0].numFound, 9);
    assert.equal(processes[0].truncated, true);
  } finally {
    emu.maxAvailable = Number.POSITIVE_INFINITY;
  }
});

test('files: written only inside the configured directory; traversal, absolute paths and symlinks refused', async () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-cbc-out-'));
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-cbc-outside-'));
  try {
    const dir = await resolveOutputDir(base);
    await writeInside(dir, '0_abc.csv', 'x\r\n');
    assert.equal(fs.readFileSync(path.join(base, '0_abc.csv'), 'utf8'), 'x\r\n');
    assert.equal(await resolveOutputDir(base, 'case-1'), fs.realpathSync(path.join(base, 'case-1')));
    await assert.rejects(resolveOutputDir(base, '../escape'), /outside the configured directory/);
    await assert.rejects(resolveOutputDir(base, outside), /outside the configured directory/);
    fs.symlinkSync(outside, path.join(base, 'link'));
    await assert.rejects(resolveOutputDir(base, 'link'), /outside the configured directory \(through a symlink\)/);
    await assert.rejects(writeInside(dir, '../x.csv', ''), /not a plain file name/);
    // A symlink planted where a file will be written is not followed.
    fs.symlinkSync(path.join(outside, 'target.csv'), path.join(base, '0_planted.csv'));
    await assert.rejects(writeInside(dir, '0_planted.csv', 'data'), /ELOOP/);
    assert.ok(!fs.existsSync(path.join(outside, 'target.csv')));
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  }
});

test('children are fetched concurrently, never more than the cap at once; output order stays breadth-first', async () => {
  const synth = emu.addTree({ fanOut: 8, depth: 1, eventsPerProcess: 2 });
  let inFlight = 0;
  let most = 0;
  emu.inject({
    route: 'events:search',
    fault: {
      type: 'respond',
      respond: async (req) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 40));
        inFlight--;
        return emu.search(req);
      },
    },
  });
  try {
    const { processes } = await run(synth[0].guid, 1, 'depth', { concurrency: 3 });
    assert.deepEqual(processes.map((p) => p.guid), synth.map((p) => p.guid));
    assert.ok(most <= 3, `at most 3 in flight, saw ${most}`);
    assert.ok(most >= 2, `children were fetched concurrently (saw ${most})`);
  } finally {
    emu.clearFaults();
  }
});
