// Issue 13 item 7: filesystem edges through the runtime. The CB process-tree
// exporter creates no directory for a refused path (a symlink inside the output
// directory), refuses a non-string msg.outputPath, resolves a relative output
// directory against userDir, and writes files 0600 in 0700 directories; a crafted
// MozDef target id cannot move its spill outside userDir.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import cbcNode from '../../src/nodes/secflow-cbc';
import exporterNode from '../../src/nodes/secflow-cbc-process-tree';
import mozdefTargetNode from '../../src/nodes/secflow-mozdef-target';
import { collect, helper, loadFlow, tempDir, unloadFlow, type FlowNode, type NodeModule } from '../support/node-harness';
import { caughtText, catchNode, singleNodeFlow } from '../support/single-node-flow';
import { CbcEmulator, startCbcEmulator } from '../emulators/carbonblack';

const SECRET = 'fs-edges-secret-0123';
let emu: CbcEmulator;
before(async () => {
  emu = await startCbcEmulator({ apiId: 'FSID', apiSecret: SECRET });
});
after(() => emu.close());

const mode = (p: string) => fs.statSync(p).mode & 0o777;
const cleanup: string[] = [];
const temp = (prefix: string) => {
  const d = tempDir(prefix);
  cleanup.push(d);
  return d;
};

async function startExporter(outputDir: string, userDir: string) {
  const flow: FlowNode[] = [
    { id: 'n-tenant', type: 'secflow-cbc', url: emu.baseUrl, orgKey: emu.orgKey, verifyTls: true, timeout: 10, rateLimit: 0 },
    ...singleNodeFlow('secflow-cbc-process-tree', {
      name: 'export', tenant: 'n-tenant', guid: '', guidType: 'str', start: '', startType: 'str', end: '', endType: 'str', depth: 0,
      levelMode: 'depth', summaryConfig: '', outputDir, concurrency: 1, maxNodes: 10, pollInterval: 5,
    }, 2),
  ];
  await loadFlow([cbcNode as NodeModule, exporterNode as NodeModule, catchNode], flow, { 'n-tenant': { apiId: 'FSID', apiSecret: SECRET } }, { contextDir: userDir });
  return { node: helper.getNode('n-under-test'), procs: collect(helper.getNode('n-out0')), tree: collect(helper.getNode('n-out1')), caught: collect(helper.getNode('n-caught')) };
}

describe('filesystem edges (issue 13.7)', () => {
  afterEach(() => unloadFlow());
  // The context store may still touch its directory (userDir) just after a flow stops.
  after(async () => {
    await new Promise((r) => setTimeout(r, 500));
    for (const d of cleanup.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('a path refused through a symlink creates no directory outside first (link/newdir)', async () => {
    const root = temp('secflow-fs-');
    const out = path.join(root, 'out');
    const outside = path.join(root, 'outside');
    fs.mkdirSync(out);
    fs.mkdirSync(outside);
    fs.symlinkSync(outside, path.join(out, 'link'));
    const [p] = emu.addTree({ fanOut: 1, depth: 0 });
    const { node, caught } = await startExporter(out, root);
    node.receive({ guid: p.guid, outputPath: 'link/newdir' });
    const [c] = await caught.waitFor(1);
    assert.match(caughtText(c), /output path "link\/newdir" is outside the configured directory \(through a symlink\)/);
    assert.deepEqual(fs.readdirSync(outside), [], 'nothing created outside');
    // A dangling symlink is refused too, without creating its target.
    fs.symlinkSync(path.join(outside, 'ghost'), path.join(out, 'dangling'));
    node.receive({ guid: p.guid, outputPath: 'dangling/sub' });
    const [, c2] = await caught.waitFor(2);
    assert.match(caughtText(c2), /outside the configured directory/);
    assert.deepEqual(fs.readdirSync(outside), []);
  });

  it('a non-string msg.outputPath is refused, naming the field, and creates nothing', async () => {
    const root = temp('secflow-fs-');
    const out = path.join(root, 'out');
    const [p] = emu.addTree({ fanOut: 1, depth: 0 });
    const { node, caught } = await startExporter(out, root);
    node.receive({ guid: p.guid, outputPath: { case: 7 } });
    node.receive({ guid: p.guid, outputPath: ['a', 'b'] });
    node.receive({ guid: p.guid, outputPath: 42 });
    const errs = (await caught.waitFor(3)).map(caughtText);
    for (const e of errs) assert.match(e, /^outputPath must be a string/);
    assert.deepEqual(fs.existsSync(out) ? fs.readdirSync(out) : [], [], 'no "[object Object]" or other directory');
  });

  it('a relative output directory resolves against userDir; files are 0600 and new directories 0700', async () => {
    const userDir = temp('secflow-userdir-');
    const [p] = emu.addTree({ fanOut: 1, depth: 1, eventsPerProcess: 2 });
    const { node, procs, tree, caught } = await startExporter('exports/cbc', userDir);
    node.receive({ guid: p.guid, outputPath: 'case-9/day-1', depth: 1 });
    const [t] = await tree.waitFor(1);
    const [m] = await procs.waitFor(2);
    assert.deepEqual(caught.messages.map(caughtText), []);
    const dir = path.join(userDir, 'exports', 'cbc', 'case-9', 'day-1');
    const csv = path.join(dir, m.filename as string);
    assert.ok(fs.existsSync(csv), `${csv} exists`);
    assert.equal(mode(csv), 0o600);
    assert.equal(mode(path.join(dir, t.filename as string)), 0o600);
    for (const d of [path.join(userDir, 'exports'), path.join(userDir, 'exports', 'cbc'), path.join(userDir, 'exports', 'cbc', 'case-9'), dir]) assert.equal(mode(d), 0o700, d);
  });

  it('a crafted MozDef target id (../../x) keeps the spill under <userDir>/secflow-mozdef, in a 0700 directory', async () => {
    const root = temp('secflow-fs-');
    const userDir = path.join(root, 'a', 'user');
    fs.mkdirSync(userDir, { recursive: true });
    const id = '../../x';
    await loadFlow([mozdefTargetNode as NodeModule], [{ id, type: 'secflow-mozdef-target', transport: 'http', url: 'http://127.0.0.1:9/events', spill: true }], {}, { contextDir: userDir });
    const target = helper.getNode(id) as unknown as { mozdef: { error?: Error } };
    assert.equal(target.mozdef.error, undefined);
    assert.ok(!fs.existsSync(path.join(root, 'x')) && !fs.existsSync(path.join(root, 'a', 'x')), 'nothing outside userDir');
    const spillRoot = path.join(userDir, 'secflow-mozdef');
    const dirs = fs.readdirSync(spillRoot);
    assert.equal(dirs.length, 1);
    assert.match(dirs[0], /^id-[0-9a-f]{32}$/);
    assert.equal(mode(path.join(spillRoot, dirs[0])), 0o700);
  });
});
