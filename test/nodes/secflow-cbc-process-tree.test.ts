// secflow-cbc + secflow-cbc-process-tree through the real Node-RED runtime,
// against the loopback Carbon Black Cloud emulator: complete exports in depth
// and compat modes, files inside the output directory, paging past 10,000
// events, stalled segments, 429s, and bad input reaching a real Catch node.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import cbcNode from '../../src/nodes/secflow-cbc';
import exporterNode from '../../src/nodes/secflow-cbc-process-tree';
import { pyJsonDumps } from '../../src/lib/util/python';
import { collect, helper, loadFlow, tempDir, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { DEFAULT_SUMMARY_CONFIG } from '../../src/lib/carbonblack/summary';
import { TYPE_ORDER } from '../fixtures/carbonblack/summary-cases';
import { CbcEmulator, Ev, startCbcEmulator } from '../emulators/carbonblack';

const catchNode: NodeModule = require('@node-red/nodes/core/common/25-catch.js');
const SECRET = 'node-test-secret-9f8e';

let emu: CbcEmulator;

before(async () => {
  emu = await startCbcEmulator({ apiId: 'NODEID', apiSecret: SECRET });
});
after(async () => {
  await emu.close();
});

function flow(props: Record<string, unknown> = {}): FlowNode[] {
  return [
    { id: 'n-tab', type: 'tab', label: 'cbc test' },
    { id: 'n-tenant', type: 'secflow-cbc', url: emu.baseUrl, orgKey: emu.orgKey, verifyTls: true, timeout: 10, rateLimit: 0 },
    {
      id: 'n-export', type: 'secflow-cbc-process-tree', z: 'n-tab', name: 'export', tenant: 'n-tenant',
      guid: '', guidType: 'str', start: '', startType: 'str', end: '', endType: 'str', depth: 1, levelMode: 'depth',
      summaryConfig: '', outputDir: '', concurrency: 4, maxNodes: 1000, pollInterval: 5, ...props,
      wires: [['n-procs'], ['n-tree']],
    },
    { id: 'n-procs', type: 'helper', z: 'n-tab' },
    { id: 'n-tree', type: 'helper', z: 'n-tab' },
    { id: 'n-catch', type: 'catch', z: 'n-tab', scope: ['n-export'], uncaught: false, wires: [['n-caught']] },
    { id: 'n-caught', type: 'helper', z: 'n-tab' },
  ];
}

async function start(props: Record<string, unknown> = {}) {
  await loadFlow([cbcNode as NodeModule, exporterNode as NodeModule, catchNode], flow(props), { 'n-tenant': { apiId: 'NODEID', apiSecret: SECRET } });
  return {
    exporter: helper.getNode('n-export'),
    procs: collect(helper.getNode('n-procs')),
    tree: collect(helper.getNode('n-tree')),
    caught: collect(helper.getNode('n-caught')),
  };
}

function caughtText(msg: Record<string, unknown>): string {
  return (msg.error as { message: string }).message.replace(/^Error: /, '');
}

describe('secflow-cbc-process-tree node', () => {
  afterEach(async () => {
    await unloadFlow();
    emu.clearFaults();
    emu.segments = { total: 1, pollsToComplete: 1 };
  });

  it('depth mode, tree of depth 3: one complete CSV per process, the tree, and the files inside the output directory', async () => {
    const synth = emu.addTree({ fanOut: 2, depth: 3, eventsPerProcess: 7, awkwardText: true, nonAscii: true });
    emu.segments = { total: 5, pollsToComplete: 2 };
    const dir = tempDir('secflow-cbc-node-');
    const { exporter, procs, tree } = await start({ depth: 3, outputDir: dir, start: '2024-05-01T00:00:00Z', end: '2024-05-02T00:00:00Z' });
    exporter.receive({ guid: synth[0].guid, topic: 'case-42' });
    const msgs = await procs.waitFor(15);
    const [t] = await tree.waitFor(1);
    assert.deepEqual(msgs.map((m) => m.guid), synth.map((p) => p.guid));
    for (const m of msgs) {
      const s = synth.find((p) => p.guid === m.guid)!;
      assert.equal(m.level, s.depth);
      assert.equal(m.filename, `${s.depth}_${s.guid}.csv`);
      assert.equal(m.topic, 'case-42');
      const stored = emu.processes.get(s.guid)!;
      assert.equal((m.events as Ev[]).length, stored.length);
      const rows = parse(m.payload as string) as string[][];
      assert.equal(rows.length, stored.length + 1);
      assert.deepEqual(rows.slice(1).map((r) => r[4]).sort(), stored.map(pyJsonDumps).sort());
      // The file on disk has the same bytes.
      assert.equal(fs.readFileSync(path.join(dir, m.filename as string), 'utf8'), m.payload);
      assert.equal(m.truncated, false);
    }
    const root = t.payload as { guid: string; children: unknown[] };
    assert.equal(root.guid, synth[0].guid);
    assert.equal(t.filename, `0_${synth[0].guid}-process_tree.json`);
    assert.equal(fs.readFileSync(path.join(dir, t.filename as string), 'utf8'), t.json);
    assert.equal(JSON.stringify(root, null, 4), t.json);
    assert.deepEqual((t.cb as { summary: Record<string, unknown> }).summary, { nodes: 15, expanded: 7, maxDepth: 3, truncatedGuids: [], maxNodesHit: false });
    // Time range and auth reached the API; no secret in any output.
    const bodies = emu.requests('events:search').map((e) => JSON.parse(e.body));
    assert.ok(bodies.every((b) => b.time_range.start === '2024-05-01T00:00:00Z' && b.time_range.end === '2024-05-02T00:00:00Z'));
    assert.ok(!JSON.stringify([...msgs, t]).includes(SECRET));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('compat mode: the reference counter, levels and file names', async () => {
    // R→{A,B,C}, A→{A1}, B→{B1}: N=3 shows B1 at level 3.
    const g: Record<string, string> = {};
    ['R', 'A', 'B', 'C', 'A1', 'B1'].forEach((l, i) => { g[l] = emu.guidFor(0x55, 5000 + i, Date.UTC(2024, 4, 1, 12) + i); });
    const kids: Record<string, string[]> = { R: ['A', 'B', 'C'], A: ['A1'], B: ['B1'] };
    for (const l of Object.keys(g)) {
      emu.addProcess(g[l], [
        ...(kids[l] ?? []).map((c) => ({ event_timestamp: '2024-05-01T12:00:05.000Z', event_type: 'childproc', process_guid: g[l], childproc_process_guid: g[c], childproc_name: `/bin/${c}`, childproc_pid: 7, childproc_username: 'root', childproc_cmdline: c })),
        { event_timestamp: '2024-05-01T12:00:01.000Z', event_type: 'netconn', process_guid: g[l], netconn_inbound: true, netconn_protocol: 'PROTO_TCP', netconn_remote_ipv4: -1062731519, netconn_remote_port: 22 },
      ]);
    }
    const { exporter, procs, tree } = await start({ depth: 3, levelMode: 'compat' });
    exporter.receive({ guid: g.R });
    const msgs = await procs.waitFor(6);
    const [t] = await tree.waitFor(1);
    assert.deepEqual(msgs.map((m) => m.filename), [`0_${g.R}.csv`, `1_${g.A}.csv`, `1_${g.B}.csv`, `1_${g.C}.csv`, `2_${g.A1}.csv`, `3_${g.B1}.csv`]);
    const rows = parse(msgs[0].payload as string) as string[][];
    assert.equal(rows.find((r) => r[1] === 'netconn')?.[3], ' netconn_inbound: True netconn_protocol: PROTO_TCP netconn_remote_ipv4: 192.168.1.1 netconn_remote_port: 22');
    assert.match(t.json as string, /"level": 3\n/);
  });

  it('a process with more than 10,000 events pages through completely', async () => {
    const guid = emu.guidFor(0x77, 4321, Date.UTC(2024, 4, 1));
    emu.addManyEvents(guid, 12_345, Date.UTC(2024, 4, 1, 1));
    const { exporter, procs, tree } = await start({ depth: 0 });
    exporter.receive({ guid });
    const [m] = await procs.waitFor(1);
    assert.equal((m.events as Ev[]).length, 12_345);
    assert.equal((parse(m.payload as string) as string[][]).length, 12_346);
    const starts = emu.requests('events:search').filter((e) => e.path.includes(guid)).map((e) => JSON.parse(e.body).start);
    assert.deepEqual(starts, [0, 10_000]);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(tree.messages.length, 0, 'depth 0 sends no tree');
  });

  it('a search stuck in segments ends with a clear error through Catch, and 429s are waited out', async () => {
    const [root] = emu.addTree({ fanOut: 1, depth: 0 });
    emu.segments = { total: 9, pollsToComplete: 1, stall: true };
    const { exporter, procs, caught } = await start({ depth: 0 });
    exporter.receive({ guid: root.guid });
    const [c] = await caught.waitFor(1, 20_000);
    assert.match(caughtText(c), /segments stuck at 4\/9 after 10 polls without progress/);
    emu.segments = { total: 1, pollsToComplete: 1 };
    emu.inject({ route: 'events:search', fault: { type: 'throttle', retryAfterSeconds: 1 }, times: 1 });
    exporter.receive({ guid: root.guid });
    const [m] = await procs.waitFor(1, 20_000);
    assert.equal(m.guid, root.guid);
  });

  it('bad input reaches Catch with a clear error, and the node keeps working', async () => {
    const synth = emu.addTree({ fanOut: 1, depth: 1, eventsPerProcess: 3 });
    const dir = tempDir('secflow-cbc-bad-');
    const { exporter, procs, caught } = await start({ outputDir: dir });
    exporter.receive({ guid: emu.guidFor(0x99, 1, 0) });
    exporter.receive({ guid: synth[0].guid, start: 'yesterday', end: '2024-05-02T00:00:00Z' });
    exporter.receive({ guid: synth[0].guid, start: '2024-05-02T00:00:00Z', end: '2024-05-01T00:00:00Z' });
    exporter.receive({ guid: synth[0].guid, outputPath: '../../etc' });
    exporter.receive({ guid: 'ORG/../../x' });
    // The errors arrive in completion order (the unknown GUID needs a search first).
    const errs = (await caught.waitFor(5)).map(caughtText);
    for (const expected of [
      /has no events in the requested time range: unknown GUID/,
      /^start must be an ISO 8601 time/,
      /^end \(2024-05-01T00:00:00Z\) must be after start/,
      /output path "..\/..\/etc" is outside the configured directory/,
      /^guid must be 1–128 letters, digits or dashes/,
    ]) assert.equal(errs.filter((e) => expected.test(e)).length, 1, `${expected} in ${JSON.stringify(errs)}`);
    assert.ok(!errs.join(' ').includes(SECRET));
    // Still working.
    exporter.receive({ guid: synth[0].guid, outputPath: 'case-7' });
    const msgs = await procs.waitFor(2);
    assert.ok(fs.existsSync(path.join(dir, 'case-7', msgs[0].filename as string)));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a summary config that is not valid JSON is a clear error through Catch', async () => {
    const [root] = emu.addTree({ fanOut: 1, depth: 0 });
    const { exporter, caught } = await start({ summaryConfig: '{"types": {"netconn": [' });
    exporter.receive({ guid: root.guid });
    const [c] = await caught.waitFor(1);
    assert.match(caughtText(c), /^summaryConfig is not valid JSON/);
  });

  // That this default is upstream's summary.json is checked by the conformance suite.
  it("the editor's default summary config (admin endpoint) is the exporter's default: nine types, int2ip on netconn_remote_ipv4", async () => {
    await start();
    const res = await helper.request().get('/secflow-cbc-process-tree/summary-default').expect(200);
    assert.deepEqual(res.body, DEFAULT_SUMMARY_CONFIG);
    assert.deepEqual(Object.keys(res.body.types), TYPE_ORDER);
    assert.deepEqual(res.body.transforms, { netconn_remote_ipv4: 'int2ip' });
  });

  it('a custom summary config drives the summary column', async () => {
    const [root] = emu.addTree({ fanOut: 1, depth: 0, eventsPerProcess: 4, ipForms: ['unsigned'] });
    const { exporter, procs } = await start({ depth: 0, summaryConfig: JSON.stringify({ types: { netconn: ['netconn_remote_ipv4', 'netconn_remote_port'] }, transforms: { netconn_remote_ipv4: 'int2ip' } }) });
    exporter.receive({ guid: root.guid });
    const [m] = await procs.waitFor(1);
    const rows = parse(m.payload as string) as string[][];
    assert.equal(rows.find((r) => r[1] === 'netconn')?.[3], 'netconn_remote_ipv4: 192.168.1.1 netconn_remote_port: 389');
    assert.equal(rows.find((r) => r[1] === 'modload')?.[3], '');
  });

  it('wrong credentials: HTTP 401 through Catch, without the secret', async () => {
    const [root] = emu.addTree({ fanOut: 1, depth: 0 });
    await loadFlow([cbcNode as NodeModule, exporterNode as NodeModule, catchNode], flow({ depth: 0 }), { 'n-tenant': { apiId: 'NODEID', apiSecret: 'not-the-secret' } });
    const caught = collect(helper.getNode('n-caught'));
    helper.getNode('n-export').receive({ guid: root.guid });
    const [c] = await caught.waitFor(1);
    assert.match(caughtText(c), /HTTP 401/);
    assert.ok(!caughtText(c).includes('not-the-secret'));
  });
});
