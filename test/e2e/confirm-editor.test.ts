// The extractors' Confirm picker in a real browser: it shows and saves the chosen
// nodes, and copy/paste and import keep `confirm` pointing at the copied nodes
// (the editor remaps ids in defaults declared with a type, as for the Complete node).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startNodeRed, type NodeRedInstance } from '../../scripts/node-red-runner';
import { freePort } from '../support/free-port';

type FlowNode = { id: string; type: string; z?: string; [k: string]: unknown };
interface EditorRed {
  nodes: { node(id: string): FlowNode | null; filterNodes(f: { type?: string; z?: string }): FlowNode[] };
  editor: { edit(n: unknown): void };
  view: { importNodes(nodes: FlowNode[], opts: { generateIds: boolean; addFlow?: boolean; touchImport?: boolean }): void; select(sel: { nodes: FlowNode[] }): void };
  workspace?: unknown;
}

const TAB = 'cf-tab';
const FLOW: FlowNode[] = [
  { id: TAB, type: 'tab', label: 'confirm' },
  { id: 'cf-fe', type: 'secflow-code42-file-events', z: TAB, name: 'events', tenant: '', interval: 0, output: 'event', cursorScope: 'node', confirm: ['cf-sink'], confirmTimeout: 300, onFailure: 'stop', x: 160, y: 80, wires: [['cf-cef'], []] },
  { id: 'cf-cef', type: 'secflow-cef', z: TAB, name: 'format', x: 360, y: 80, wires: [['cf-sink']] },
  { id: 'cf-sink', type: 'secflow-syslog', z: TAB, name: 'siem', host: '127.0.0.1', port: 514, protocol: 'tcp', x: 560, y: 80, wires: [] },
];

describe('confirm picker in a real browser', () => {
  let nodeRed: NodeRedInstance;
  let browser: Browser;
  let page: Page;

  const flows = async (): Promise<FlowNode[]> => (await (await fetch(`${nodeRed.url}/flows`, { headers: { Accept: 'application/json' } })).json()) as FlowNode[];

  before(async () => {
    nodeRed = await startNodeRed({ userDir: fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-confirm-e2e-')), port: await freePort() });
    const res = await fetch(`${nodeRed.url}/flows`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Node-RED-Deployment-Type': 'full' }, body: JSON.stringify(FLOW) });
    assert.equal(res.status, 204);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(nodeRed.url, { waitUntil: 'load' });
    await page.waitForFunction(() => (globalThis as unknown as { RED?: EditorRed }).RED?.nodes?.node('cf-fe') != null, undefined, { timeout: 60_000 });
  });

  after(async () => {
    await browser?.close();
    await nodeRed?.stop();
  });

  test('the dialog lists the tab\'s nodes with the confirm nodes checked, and saves a new choice', async () => {
    await page.evaluate(() => {
      const RED = (globalThis as unknown as { RED: EditorRed }).RED;
      RED.editor.edit(RED.nodes.node('cf-fe'));
    });
    const tray = page.locator('.red-ui-tray').last();
    await tray.waitFor({ state: 'visible', timeout: 10_000 });
    const rows = tray.locator('#node-input-confirm-list .red-ui-treeList-label');
    await rows.first().waitFor({ timeout: 10_000 });
    const labels = await rows.allInnerTexts();
    assert.ok(labels.some((l) => l.includes('siem')) && labels.some((l) => l.includes('format')), labels.join(' | '));
    assert.ok(!labels.some((l) => l.includes('events')), 'the extractor does not list itself');
    const checked = async () => tray.locator('#node-input-confirm-list .red-ui-treeList-label').evaluateAll((els) => els.filter((e) => e.querySelector('input[type=checkbox]:checked')).map((e) => e.textContent ?? ''));
    assert.deepEqual((await checked()).map((t) => t.includes('siem')), [true]);
    // Check the formatter too, save, and the node holds both ids.
    await tray.locator('#node-input-confirm-list .red-ui-treeList-label', { hasText: 'format' }).locator('input[type=checkbox]').check();
    await tray.locator('button', { hasText: /^Done$/ }).first().click();
    await tray.waitFor({ state: 'detached', timeout: 10_000 });
    const confirm = await page.evaluate(() => (globalThis as unknown as { RED: EditorRed }).RED.nodes.node('cf-fe')?.confirm);
    assert.deepEqual([...(confirm as string[])].sort(), ['cf-cef', 'cf-sink']);
  });

  test('copy and paste (keyboard) keeps confirm pointing at the copied nodes; deploy stores it so', async () => {
    await page.locator('#red-ui-workspace-chart').click({ position: { x: 700, y: 500 } });
    await page.keyboard.press('Control+a');
    await page.keyboard.press('Control+c');
    await page.keyboard.press('Control+v');
    await page.mouse.move(300, 400);
    await page.mouse.click(300, 400);
    await page.waitForFunction(() => (globalThis as unknown as { RED: EditorRed }).RED.nodes.filterNodes({ type: 'secflow-code42-file-events' }).length === 2, undefined, { timeout: 10_000 });
    const copy = await page.evaluate(() => {
      const RED = (globalThis as unknown as { RED: EditorRed }).RED;
      const fe = RED.nodes.filterNodes({ type: 'secflow-code42-file-events' }).find((n) => n.id !== 'cf-fe')!;
      const sink = RED.nodes.filterNodes({ type: 'secflow-syslog' }).find((n) => n.id !== 'cf-sink')!;
      const cef = RED.nodes.filterNodes({ type: 'secflow-cef' }).find((n) => n.id !== 'cf-cef')!;
      return { confirm: fe.confirm as string[], sink: sink.id, cef: cef.id, fe: fe.id };
    });
    assert.deepEqual([...copy.confirm].sort(), [copy.cef, copy.sink].sort(), 'the copy confirms with the copied sink and formatter');
    await page.locator('#red-ui-header-button-deploy').click();
    // The extractors have no tenant: the editor asks to confirm deploying invalid nodes.
    const confirmDeploy = page.locator('button', { hasText: /^Confirm deploy$/ });
    await confirmDeploy.click({ timeout: 5000 }).catch(() => undefined);
    let stored: FlowNode | undefined;
    for (let i = 0; i < 50 && !stored; i++) {
      stored = (await flows()).find((n) => n.id === copy.fe);
      if (!stored) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(stored, 'the copy was deployed');
    assert.deepEqual([...(stored.confirm as string[])].sort(), [copy.cef, copy.sink].sort());
    assert.deepEqual([...((await flows()).find((n) => n.id === 'cf-fe')!.confirm as string[])].sort(), ['cf-cef', 'cf-sink'], 'the original is unchanged');
  });

  test('import with new ids maps confirm to the imported nodes', async () => {
    const imported = await page.evaluate((flow) => {
      const RED = (globalThis as unknown as { RED: EditorRed }).RED;
      const before = new Set(RED.nodes.filterNodes({ type: 'secflow-code42-file-events' }).map((n) => n.id));
      RED.view.importNodes(flow.filter((n) => n.type !== 'tab').map((n) => ({ ...n, z: undefined })) as FlowNode[], { generateIds: true, addFlow: false });
      const fe = RED.nodes.filterNodes({ type: 'secflow-code42-file-events' }).find((n) => !before.has(n.id))!;
      const sinks = RED.nodes.filterNodes({ type: 'secflow-syslog', z: fe.z as string }).filter((n) => n.name === 'siem');
      return { confirm: fe.confirm as string[], sinkIds: sinks.map((s) => s.id) };
    }, FLOW);
    assert.equal(imported.confirm.length, 1);
    assert.notEqual(imported.confirm[0], 'cf-sink');
    assert.ok(imported.sinkIds.includes(imported.confirm[0]), 'confirm names the imported sink');
  });
});
