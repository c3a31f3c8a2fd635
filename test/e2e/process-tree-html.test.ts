// The HTML process tree in a real browser (Debian chromium through
// playwright-core): built from a generated Linux process list of 1,040 processes
// (test/fixtures/proctree/make-process-list.ts), opened from a file,
// "Expand all" clicked, every process drawn and on the page; folding works;
// a screenshot is kept under test-artifacts/.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { buildProcessTree } from '../../src/lib/proctree/build';
import { LX_SCHEMA } from '../../src/lib/proctree/schema';
import { treeToHtml } from '../../src/lib/proctree/html';
import { layeredExecs } from '../fixtures/proctree/make-process-list';

const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');

describe('process tree HTML in chromium', () => {
  let browser: Browser;
  let dir: string;

  before(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-tree-html-'));
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('renders 1,040 generated processes: after "Expand all" every process is visible; folding hides a subtree', async () => {
    const rows = layeredExecs({ sessions: 20, shells: 10, commands: 4 });
    const tree = buildProcessTree(rows, { schema: LX_SCHEMA });
    assert.equal(tree.processes.length, 1040);
    const file = path.join(dir, 'tree.html');
    fs.writeFileSync(file, treeToHtml(tree.processes, tree.summary, LX_SCHEMA, 'generated'));
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const external: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith('file:')) external.push(r.url()); });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${file}`);
    // A big tree opens folded below the roots.
    const folded = await page.locator('svg#tree g.node').count();
    assert.ok(folded < tree.processes.length, `opens folded (${folded} shown)`);
    await page.click('#expand-all');
    // Runs in the page (a string: this project compiles without the DOM types).
    const shown = await page.evaluate(`(() => {
      const svg = document.getElementById('tree');
      const box = svg.getBoundingClientRect();
      return Array.from(svg.querySelectorAll('g.node')).map((g) => {
        const r = g.getBoundingClientRect();
        const label = g.querySelector('text.label')?.textContent ?? '';
        const style = getComputedStyle(g);
        return { key: g.getAttribute('data-key'), label, visible: r.width > 0 && r.height > 0 && style.display !== 'none' && style.visibility !== 'hidden' && r.top >= box.top - 1 && r.bottom <= box.bottom + 1 };
      });
    })()`) as Array<{ key: string; label: string; visible: boolean }>;
    assert.equal(shown.length, tree.processes.length);
    assert.ok(shown.every((s) => s.visible), 'every node has a box inside the drawing');
    assert.deepEqual(shown.map((s) => s.key).sort(), tree.processes.map((p) => p.proc_key).sort());
    assert.ok(shown.some((s) => s.label.startsWith('/bin/dash [')));
    await page.screenshot({ path: path.join(ARTIFACTS, 'process-tree-expanded.png') });
    // Fold the first root: its descendants disappear, the other roots stay.
    const firstRoot = tree.processes[0];
    const subtree = tree.processes.filter((p) => p.path.startsWith(`${firstRoot.path}/`)).length;
    await page.locator(`svg#tree g.node[data-index="0"] circle`).click();
    assert.equal(await page.locator('svg#tree g.node').count(), tree.processes.length - subtree);
    await page.click('#collapse-all');
    assert.equal(await page.locator('svg#tree g.node').count(), tree.summary.RootProcesses);
    await page.screenshot({ path: path.join(ARTIFACTS, 'process-tree-collapsed.png') });
    assert.deepEqual(external, [], 'no external requests');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('event text is shown as text, never run as markup', async () => {
    const tree = buildProcessTree([{ EventType: 'SYSCALL_EXECVE', pid: 7, ppid: 1, exe: '<img src=x onerror="window.pwned=1">', TimeGenerated: '2024-01-01T00:00:00Z', cmdline: '</script><script>window.pwned=2</script>' }], { schema: LX_SCHEMA });
    const file = path.join(dir, 'evil.html');
    fs.writeFileSync(file, treeToHtml(tree.processes, tree.summary, LX_SCHEMA));
    const page = await browser.newPage();
    await page.goto(`file://${file}`);
    await page.click('#expand-all');
    assert.equal(await page.evaluate('window.pwned'), undefined);
    assert.equal(await page.locator('svg#tree g.node').count(), 2);
    assert.ok((await page.locator('svg#tree text.label').allTextContents()).includes('<img src=x onerror="window.pwned=1"> [7]'));
    await page.close();
  });
});
