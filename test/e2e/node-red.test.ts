// End to end against a real Node-RED started from the built package: the Admin
// API lists every secflow type with no load error and every example flow, all
// examples deploy together without clashes or errors in the demo sandbox, and a
// real browser finds each node in the palette and opens its dialog. Each example
// alone, with its expected output, is examples.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PROJECT_ROOT, startNodeRed, type NodeRedInstance } from '../../scripts/node-red-runner';
import { startSandbox } from '../../scripts/sandbox';
import { freePort } from '../support/free-port';

const MODULE = 'node-red-contrib-secflow';
const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } };
const TYPES = Object.keys(pkg['node-red'].nodes).sort();
const EXAMPLES_DIR = path.join(PROJECT_ROOT, 'examples', 'flows');
const EXAMPLES = fs.readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts', 'e2e');

type FlowNode = { id: string; type: string; z?: string; [k: string]: unknown };

let nodeRed: NodeRedInstance;
let sandbox: { stop(): Promise<void> };

async function admin<T = unknown>(method: string, route: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; data: T; text: string }> {
  const res = await fetch(`${nodeRed.url}${route}`, {
    method,
    headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let data: unknown = text;
  try {
    data = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, data: data as T, text };
}

/** Deploys a whole flow set and returns what Node-RED logged while it started and ran for `settleMs`. */
async function deploy(flow: FlowNode[], settleMs = 3000): Promise<string[]> {
  const mark = nodeRed.output.length;
  const res = await admin('POST', '/flows', flow, { 'Node-RED-Deployment-Type': 'full' });
  assert.equal(res.status, 204, `deploy failed: ${res.text}`);
  await new Promise((r) => setTimeout(r, settleMs));
  return nodeRed.output.slice(mark);
}

before(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  sandbox = await startSandbox(() => undefined);
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-e2e-'));
  nodeRed = await startNodeRed({ userDir, port: await freePort() });
});

after(async () => {
  await nodeRed?.stop();
  await sandbox?.stop();
});

describe('Admin API', () => {
  test('GET /nodes lists every secflow type, loaded, with no error', async () => {
    const res = await admin<Array<{ module: string; types: string[]; err?: string; enabled: boolean; id: string }>>('GET', '/nodes');
    assert.equal(res.status, 200);
    const sets = res.data.filter((s) => s.module === MODULE);
    assert.ok(sets.length > 0, `${MODULE} is not loaded: ${nodeRed.output.filter((l) => /error|warn/i.test(l)).join('\n')}`);
    for (const set of sets) {
      assert.equal(set.err, undefined, `${set.id} failed to load: ${set.err}`);
      assert.equal(set.enabled, true, `${set.id} is disabled`);
    }
    assert.deepEqual(sets.flatMap((s) => s.types).sort(), TYPES);
  });

  test('the example library lists every example flow', async () => {
    const res = await admin<unknown>('GET', `/library/examples/flows/${MODULE}/flows`);
    assert.equal(res.status, 200, res.text);
    const listed = (res.data as Array<string | { fn?: string }>).map((e) => (typeof e === 'string' ? e : e.fn)).filter(Boolean).sort();
    assert.deepEqual(listed, EXAMPLES);
  });

  test('every node type appears in at least one example', () => {
    const used = new Set<string>();
    for (const name of EXAMPLES) for (const n of JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, `${name}.json`), 'utf8')) as FlowNode[]) used.add(n.type);
    assert.deepEqual(TYPES.filter((t) => !used.has(t)), []);
  });
});

describe('all examples together', () => {
  test('every example deployed into one Node-RED at once: no clashing ids or ports, no errors', async () => {
    const all: FlowNode[] = [];
    for (const name of EXAMPLES) all.push(...(JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, `${name}.json`), 'utf8')) as FlowNode[]));
    const ids = all.map((n) => n.id);
    assert.deepEqual(ids.filter((id, i) => ids.indexOf(id) !== i), [], 'node ids are unique across examples');
    const logged = await deploy(all, 5000);
    const problems = logged.filter((l) => /\[error\]|missing types|Waiting for missing|unknown type|in use/i.test(l));
    assert.deepEqual(problems, [], `Node-RED reported problems with every example deployed:\n${problems.join('\n')}`);
  });
});

describe('editor in a real browser', () => {
  let browser: Browser;
  let page: Page;

  before(async () => {
    // One instance of every secflow type on one tab, with no configuration: the
    // dialogs must open on a bare node, and the runtime must survive such nodes.
    const tab = { id: 'e2e-tab', type: 'tab', label: 'every secflow node' };
    const flow: FlowNode[] = [tab, ...TYPES.map((type, i) => ({ id: `e2e-${i}`, type, z: 'e2e-tab', x: 160 + (i % 4) * 220, y: 80 + Math.floor(i / 4) * 80, wires: [] }))];
    await deploy(flow, 1000);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(nodeRed.url, { waitUntil: 'load' });
    await page.waitForSelector('#red-ui-palette-search input', { timeout: 60_000 });
    await page.waitForFunction(() => (globalThis as unknown as { RED?: { nodes?: { getType(t: string): unknown } } }).RED?.nodes?.getType('inject') !== undefined, undefined, { timeout: 60_000 });
  });

  after(async () => {
    await browser?.close();
  });

  test('the palette draws every secflow icon (no generic arrow), e.g. fa-terminal for the auditd parser', async () => {
    type El = { className: string; style: { backgroundImage: string }; querySelector(s: string): El | null };
    const icons = await page.evaluate((types) => types.map((t) => {
      const doc = (globalThis as unknown as { document: El }).document;
      const entry = doc.querySelector(`.red-ui-palette-node[data-palette-type="${t}"]`);
      if (!entry) return { t, icon: 'config' };
      const fa = entry.querySelector('.red-ui-palette-icon-fa');
      const img = entry.querySelector('.red-ui-palette-icon');
      return { t, icon: fa ? fa.className : (img?.style.backgroundImage ?? '') };
    }), TYPES);
    assert.deepEqual(icons.filter((i) => /arrow-in/.test(i.icon)), []);
    assert.match(icons.find((i) => i.t === 'secflow-auditd')!.icon, /fa-terminal/);
  });

  test('secflow-notify: the optional "Aggregate by" is valid when empty, its settings are checked only when set', async () => {
    await page.evaluate((id) => {
      const RED = (globalThis as unknown as { RED: { nodes: { node(id: string): unknown }; editor: { edit(n: unknown): void } } }).RED;
      RED.editor.edit(RED.nodes.node(id));
    }, `e2e-${TYPES.indexOf('secflow-notify')}`);
    const tray = page.locator('.red-ui-tray').last();
    await tray.waitFor({ state: 'visible', timeout: 10_000 });
    try {
      const field = tray.locator('#node-input-aggregateBy + .red-ui-typedInput-container');
      await field.waitFor({ state: 'visible' });
      assert.equal(await field.evaluate((e) => (e as unknown as { classList: { contains(c: string): boolean } }).classList.contains('input-error')), false, 'empty Aggregate by is not invalid');
      await tray.locator('#node-input-aggregateBy + .red-ui-typedInput-container input').first().fill('payload..x');
      await tray.locator('#node-input-aggregateBy + .red-ui-typedInput-container input').first().press('Tab');
      assert.equal(await field.evaluate((e) => (e as unknown as { classList: { contains(c: string): boolean } }).classList.contains('input-error')), true, 'a broken property path is invalid');
    } finally {
      await tray.locator('button', { hasText: /^Cancel$/ }).first().click();
      await tray.waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
    }
    // The node as saved: aggregation off, a timeout of 0 does not make it invalid.
    const valid = await page.evaluate(() => {
      const RED = (globalThis as unknown as { RED: { nodes: { getType(t: string): { defaults: Record<string, { validate?: (this: unknown, v: unknown) => unknown }> } } } }).RED;
      const d = RED.nodes.getType('secflow-notify').defaults;
      return [d.aggregateTimeout.validate!.call({ aggregateBy: '' }, 0), d.aggregateTimeout.validate!.call({ aggregateBy: 'topic' }, 0), d.aggregateBy.validate!.call({}, '')];
    });
    assert.deepEqual(valid, [true, false, true]);
    // closeWhen runs on RE2 at deploy: the dialog refuses what RE2 refuses, not only what JavaScript does.
    const closeWhen = await page.evaluate(() => {
      const RED = (globalThis as unknown as { RED: { nodes: { getType(t: string): { defaults: Record<string, { validate?: (this: unknown, v: unknown) => unknown }> } } } }).RED;
      const check = RED.nodes.getType('secflow-notify').defaults.closeWhen.validate!;
      return ['/session closed/i', 'session closed', '/(a)\\1/', '/(?<n>a)\\k<n>/', '/x(?=y)/', '/(?<!a)b/', '/[\\1]/', '/a\\\\1/', '/a(/'].map((v) => check.call({}, v));
    });
    assert.deepEqual(closeWhen.slice(0, 2), [true, true]);
    for (const [i, what] of [[2, /backreference/], [3, /backreference/], [4, /lookaround/], [5, /lookaround/], [6, /backreference/]] as const) assert.match(String(closeWhen[i]), what, `case ${i}`);
    assert.equal(closeWhen[7], true, 'an escaped backslash before a digit is no backreference');
    assert.match(String(closeWhen[8]), /^closeWhen: /, 'a syntax error still names the field');
  });

  for (const [i, type] of TYPES.entries()) {
    test(`${type}: palette entry and edit dialog`, async () => {
      const isConfig = await page.evaluate((t) => (globalThis as unknown as { RED: { nodes: { getType(t: string): { category: string } } } }).RED.nodes.getType(t)?.category === 'config', type);
      if (!isConfig) {
        const filter = page.locator('#red-ui-palette-search input');
        await filter.fill('');
        await filter.click();
        // The palette filter reacts to key-up: type it key by key.
        await filter.pressSequentially(type, { delay: 10 });
        const entry = page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`);
        await entry.waitFor({ state: 'visible', timeout: 10_000 });
        await filter.fill('');
        await filter.press('Backspace');
      }
      if (isConfig) {
        await page.evaluate(([t, id]) => (globalThis as unknown as { RED: { editor: { editConfig(a: string, t: string, id: string): void } } }).RED.editor.editConfig('', t, id), [type, `e2e-${i}`]);
      } else {
        await page.evaluate((id) => {
          const RED = (globalThis as unknown as { RED: { nodes: { node(id: string): unknown }; editor: { edit(n: unknown): void } } }).RED;
          RED.editor.edit(RED.nodes.node(id));
        }, `e2e-${i}`);
      }
      const tray = page.locator('.red-ui-tray').last();
      await tray.waitFor({ state: 'visible', timeout: 10_000 });
      await page.waitForTimeout(400);
      // Cancelled whatever the checks find, so that one failure does not leave the tray open for the next type.
      try {
        await page.screenshot({ path: path.join(ARTIFACTS, `${type}.png`) });
        const labels = await tray.locator('.red-ui-tray-body label').allInnerTexts();
        const untranslated = labels.filter((l) => /\b[\w-]+\.label\.\w+/.test(l));
        assert.deepEqual(untranslated, [], `${type}: labels without a translation`);
        assert.ok(labels.some((l) => l.trim().length > 0), `${type}: the dialog shows no labelled field`);
        // The extractors' cursor store picker (resources/secflow-editor.js) lists the runtime's stores.
        const storeSelect = tray.locator('#node-input-cursorStore-select');
        if ((await storeSelect.count()) > 0) {
          assert.deepEqual(await storeSelect.locator('option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value)), ['', 'file'], `${type}: cursor stores offered`);
        }
        // OR-mode exemptions show only while OR mode is on (same script).
        const orMode = tray.locator('#node-input-orMode');
        if ((await orMode.count()) > 0) {
          const exempt = tray.locator('.secflow-or-exempt').first();
          assert.equal(await exempt.isVisible(), false, `${type}: exemptions shown without OR mode`);
          await orMode.check();
          assert.equal(await exempt.isVisible(), true, `${type}: exemptions hidden in OR mode`);
        }
      } finally {
        await tray.locator('button', { hasText: /^Cancel$/ }).first().click();
        await tray.waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined);
      }
    });
  }
});
