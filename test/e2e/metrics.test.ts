// Pipeline health (issue 18) in a real Node-RED with adminAuth: Incydr audit log
// (the emulator) → CEF → syslog over TCP to a loopback receiver. The Prometheus
// endpoint reports exactly what went through each node and what the receiver got,
// parses with a strict text-format parser, and refuses a request without a token.
// The editor's `secflow` sidebar tab, in chromium, lists every node with non-zero
// figures. A "modified nodes" deploy keeps the counters of unchanged nodes; a full
// deploy starts them from zero.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { PROJECT_ROOT, startNodeRed, type NodeRedInstance } from '../../scripts/node-red-runner';
import { startDemo } from '../emulators/incydr';
import { TcpReceiver } from '../support/tcp-receiver';
import { parsePrometheusText, sampleValue, type ParsedFamily } from '../support/prometheus-text';
import { freePort } from '../support/free-port';

const ARTIFACTS = path.join(PROJECT_ROOT, 'test-artifacts', 'e2e');
const PASSWORD = 'metrics-e2e-password';
const bcrypt = require('bcryptjs') as { hashSync(s: string, rounds: number): string };

type FlowNode = { id: string; type: string; [k: string]: unknown };

const ID = { extract: 'm-extract', cef: 'm-cef', syslog: 'm-syslog', inject: 'm-inject', hostile: 'm-hostile' };
/** A msg.cef key the CEF node refuses, naming it in its error: markup that must stay text in the sidebar. */
const HOSTILE_KEY = '<img src=x onerror="window.pwned=1">';

function flow(incydrUrl: string, syslogPort: number, extra: FlowNode[] = []): FlowNode[] {
  return [
    { id: 'm-tab', type: 'tab', label: 'metrics e2e' },
    { id: 'm-tenant', type: 'secflow-code42', name: 'Incydr emulator', apiVersion: 'incydr', region: '', url: incydrUrl, authType: 'apiClient', verifyTls: true, ca: '', timeout: 60 },
    { id: ID.inject, type: 'inject', z: 'm-tab', name: 'run', props: [{ p: 'payload' }], repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '', payload: '', payloadType: 'date', x: 120, y: 80, wires: [[ID.extract]] },
    { id: ID.hostile, type: 'inject', z: 'm-tab', name: 'hostile', props: [{ p: 'payload', v: '{}', vt: 'json' }, { p: 'cef', v: JSON.stringify({ [HOSTILE_KEY]: 1 }), vt: 'json' }], repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '', x: 320, y: 160, wires: [[ID.cef]] },
    { id: ID.extract, type: 'secflow-code42-audit-log', z: 'm-tab', name: 'audit "log" <b>', tenant: 'm-tenant', eventTypes: '', actorNames: '', actorIds: '', actorIpAddresses: '', resourceIds: '', userTypes: '', filters: '', since: '2h', pageSize: 100, lookback: 300, interval: 0, output: 'event', cursorStore: '', cursorScope: 'node', cursorKey: 'metrics-e2e', x: 320, y: 80, wires: [[ID.cef], []] },
    { id: ID.cef, type: 'secflow-cef', z: 'm-tab', name: 'to CEF', format: 'cef', escaping: 'spec', mapping: 'incydr-audit', customMapping: '', vendor: 'Code42', productName: '', severity: '', x: 540, y: 80, wires: [[ID.syslog]] },
    { id: ID.syslog, type: 'secflow-syslog', z: 'm-tab', name: 'to receiver', host: '127.0.0.1', port: syslogPort, protocol: 'tcp', format: 'none', octetCounting: false, verifyTls: true, ca: '', queueSize: 10000, facility: 'user', severity: 'info', x: 760, y: 80, wires: [] },
    ...extra,
  ];
}

describe('pipeline metrics in a real Node-RED with adminAuth', () => {
  let nodeRed: NodeRedInstance;
  let incydr: { url: string; close(): Promise<void> };
  const receiver = new TcpReceiver();
  let token = '';
  let userDir = '';

  const admin = async (method: string, route: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${nodeRed.url}${route}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
  };
  const metrics = async (): Promise<ParsedFamily[]> => {
    const res = await admin('GET', '/secflow/metrics');
    assert.equal(res.status, 200, res.text);
    assert.match(res.type, /^text\/plain;/);
    assert.match(res.type, /version=0\.0\.4/);
    return parsePrometheusText(res.text);
  };
  const value = (families: ParsedFamily[], name: string, node: string, labels: Record<string, string> = {}) => sampleValue(families, name, { node, ...labels });
  const deploy = async (nodes: FlowNode[], type: 'full' | 'nodes') => {
    const res = await admin('POST', '/flows', nodes, { 'Node-RED-Deployment-Type': type });
    assert.equal(res.status, 204, res.text);
  };
  const until = async <T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await check();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  /** Presses the inject node and waits until the run's events all reached the receiver. */
  const runPipeline = async (): Promise<ParsedFamily[]> => {
    const runsBefore = (await metrics()).flatMap((f) => f.samples).find((s) => s.name === 'secflow_runs_total' && s.labels.node === ID.extract)?.value ?? 0;
    assert.equal((await admin('POST', `/inject/${ID.inject}`)).status, 200);
    return until('the run delivered to the receiver', async () => {
      const m = await metrics();
      const runs = value(m, 'secflow_runs_total', ID.extract);
      const extracted = value(m, 'secflow_extracted_events_total', ID.extract);
      return runs > runsBefore && value(m, 'secflow_delivered_total', ID.syslog) === extracted && receiver.lines().length >= extracted && m;
    });
  };

  before(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    incydr = await startDemo(0);
    await receiver.listen(0);
    userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'secflow-metrics-e2e-'));
    nodeRed = await startNodeRed({
      userDir,
      port: await freePort(),
      settings: { adminAuth: { type: 'credentials', users: [{ username: 'ops', password: bcrypt.hashSync(PASSWORD, 8), permissions: '*' }] } },
    });
    const res = await fetch(`${nodeRed.url}/auth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'node-red-admin', grant_type: 'password', scope: '*', username: 'ops', password: PASSWORD }).toString(),
    });
    assert.equal(res.status, 200, await res.clone().text());
    token = ((await res.json()) as { access_token: string }).access_token;
    await deploy(flow(incydr.url, receiver.port), 'full');
  });

  after(async () => {
    await nodeRed?.stop();
    await receiver.close();
    await incydr?.close();
    if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
  });

  test('the endpoint refuses a request without a token, or with a wrong one', async () => {
    for (const route of ['/secflow/metrics', '/secflow/metrics.json']) {
      for (const auth of [undefined, 'Bearer not-a-token']) {
        const res = await fetch(`${nodeRed.url}${route}`, { headers: auth ? { Authorization: auth } : {} });
        assert.equal(res.status, 401, `${route} with ${auth ?? 'no'} Authorization`);
        const body = await res.text();
        assert.doesNotMatch(body, /secflow_|m-cef/);
      }
    }
  });

  test('after a run, every counter matches what went through: extractor → CEF → syslog → receiver', async () => {
    const m = await runPipeline();
    const lines = receiver.lines();
    const extracted = value(m, 'secflow_extracted_events_total', ID.extract);
    assert.ok(extracted > 50, `the emulator's audit log has events (${extracted})`);
    assert.equal(lines.length, extracted, 'the receiver got one line per extracted event');
    assert.ok(lines.every((l) => l.startsWith('CEF:0|Code42|')), 'CEF lines');
    // The extractor sends each event on output 1 and one run summary on output 2.
    assert.equal(value(m, 'secflow_events_total', ID.extract, { kind: 'out' }), extracted + 1);
    assert.equal(value(m, 'secflow_events_total', ID.extract, { kind: 'in' }), 1);
    assert.equal(value(m, 'secflow_runs_total', ID.extract), 1);
    assert.ok(value(m, 'secflow_extracted_pages_total', ID.extract) >= Math.ceil(extracted / 100));
    const lag = value(m, 'secflow_cursor_lag_seconds', ID.extract);
    assert.ok(lag >= 0 && lag < 3600, `cursor lag ${lag}`);
    assert.equal(value(m, 'secflow_events_total', ID.cef, { kind: 'in', type: 'secflow-cef', name: 'to CEF' }), extracted);
    assert.equal(value(m, 'secflow_events_total', ID.cef, { kind: 'out' }), extracted);
    assert.equal(value(m, 'secflow_failed_total', ID.cef), 0);
    assert.equal(value(m, 'secflow_events_total', ID.syslog, { kind: 'in' }), extracted);
    assert.equal(value(m, 'secflow_delivered_total', ID.syslog), extracted);
    assert.equal(value(m, 'secflow_failed_total', ID.syslog), 0);
    assert.equal(value(m, 'secflow_queue_depth', ID.syslog), 0);
    assert.equal(value(m, 'secflow_sent_bytes_total', ID.syslog), lines.reduce((n, l) => n + Buffer.byteLength(l), 0));
    const lastSuccess = value(m, 'secflow_last_success_timestamp_seconds', ID.syslog);
    assert.ok(Math.abs(lastSuccess - Date.now() / 1000) < 120, `last success ${lastSuccess}`);
    // The hostile node name is a label value, escaped and read back intact.
    assert.equal(value(m, 'secflow_runs_total', ID.extract, { name: 'audit "log" <b>', type: 'secflow-code42-audit-log' }), 1);
  });

  test('the secflow sidebar tab in chromium lists every secflow node with non-zero figures', async () => {
    // One refused message, whose error names the hostile key.
    assert.equal((await admin('POST', `/inject/${ID.hostile}`)).status, 200);
    await until('the refusal counted', async () => value(await metrics(), 'secflow_failed_total', ID.cef) === 1);
    const browser: Browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      // Logged in as the editor does it: its token in localStorage.
      await page.addInitScript(`localStorage.setItem('auth-tokens', ${JSON.stringify(JSON.stringify({ access_token: token, expires_in: 3600, token_type: 'Bearer' }))})`);
      await page.goto(nodeRed.url, { waitUntil: 'load' });
      await page.waitForSelector('#red-ui-palette-search input', { timeout: 60_000 });
      await page.locator('#red-ui-tab-secflow').click({ timeout: 30_000 }).catch(async () => {
        // The tab may sit in the overflow menu on a narrow sidebar.
        await page.evaluate('RED.sidebar.show("secflow")');
      });
      const rows = page.locator('.secflow-metrics-row');
      await rows.first().waitFor({ state: 'visible', timeout: 30_000 });
      // Wait for a comms update (rows are redrawn once a second).
      await page.waitForTimeout(1500);
      const shown = (await page.evaluate(`Array.from(document.querySelectorAll('.secflow-metrics-row')).map((r) => ({
        id: r.getAttribute('data-node'),
        name: r.querySelector('.secflow-metrics-name').textContent,
        total: Number(r.querySelector('.secflow-metrics-total .secflow-metrics-value').textContent),
        rate: Number(r.querySelector('.secflow-metrics-rate .secflow-metrics-value').textContent),
        lag: r.querySelector('.secflow-metrics-lag .secflow-metrics-value')?.textContent ?? null,
        queue: r.querySelector('.secflow-metrics-queue .secflow-metrics-value')?.textContent ?? null,
        bars: Array.from(r.querySelectorAll('svg.secflow-metrics-spark rect')).filter((b) => b.getBoundingClientRect().height > 0).length,
        markup: r.querySelectorAll('b, img').length,
        error: r.querySelector('.secflow-metrics-error-text')?.textContent ?? null,
        errorTime: r.querySelector('.secflow-metrics-error-time')?.textContent ?? null,
      }))`)) as Array<{ id: string; name: string; total: number; rate: number; lag: string | null; queue: string | null; bars: number; markup: number; error: string | null; errorTime: string | null }>;
      assert.deepEqual(shown.map((r) => r.id).sort(), [ID.cef, ID.extract, ID.syslog].sort());
      const extracted = receiver.lines().length;
      for (const r of shown) {
        assert.equal(r.total, r.id === ID.cef ? extracted + 1 : extracted, `${r.id}: its total`);
        assert.ok(r.rate > 0, `${r.id}: events per minute`);
        assert.ok(r.bars >= 1, `${r.id}: a sparkline bar`);
        assert.equal(r.markup, 0, `${r.id}: the name is text`);
      }
      const byId = new Map(shown.map((r) => [r.id, r]));
      assert.equal(byId.get(ID.extract)?.name, 'audit "log" <b>');
      assert.match(byId.get(ID.extract)?.lag ?? '', /^\d+(\.\d)? (s|min|h|d)$/);
      assert.equal(byId.get(ID.syslog)?.queue, '0');
      // The last error, with its time, as text: the markup in it is neither parsed nor run.
      assert.ok(byId.get(ID.cef)?.error?.includes(HOSTILE_KEY), byId.get(ID.cef)?.error ?? 'no error shown');
      assert.match(byId.get(ID.cef)?.errorTime ?? '', /\d/);
      assert.equal(await page.evaluate('window.pwned'), undefined);
      await page.screenshot({ path: path.join(ARTIFACTS, 'secflow-sidebar.png') });
      // Live: updates keep arriving over the comms channel, about once a second.
      const updates = (await page.evaluate(`new Promise((resolve) => {
        const got = [];
        RED.comms.subscribe('secflow/metrics', (_topic, data) => {
          got.push({ at: Date.now(), nodes: data.nodes.length });
          if (got.length === 3) resolve(got);
        });
      })`)) as Array<{ at: number; nodes: number }>;
      assert.ok(updates.every((u) => u.nodes === 3), JSON.stringify(updates));
      const gaps = updates.slice(1).map((u, i) => u.at - updates[i].at);
      assert.ok(gaps.every((g) => g > 500 && g < 2500), `about one update a second: ${gaps.join(', ')} ms`);
      // Clicking a row reveals (selects) the node in the workspace.
      await page.locator(`.secflow-metrics-row[data-node="${ID.cef}"]`).click();
      await page.waitForFunction(`RED.view.selection().nodes && RED.view.selection().nodes.some((n) => n.id === ${JSON.stringify(ID.cef)})`, undefined, { timeout: 10_000 });
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });

  test('a "modified nodes" deploy keeps unchanged nodes\' counters; a full deploy starts them from zero', async () => {
    const before = await metrics();
    const extracted = value(before, 'secflow_extracted_events_total', ID.extract);
    const comment = { id: 'm-comment', type: 'comment', z: 'm-tab', name: 'added later', info: '', x: 120, y: 200, wires: [] };
    await deploy(flow(incydr.url, receiver.port, [comment]), 'nodes');
    await new Promise((r) => setTimeout(r, 500));
    const kept = await metrics();
    for (const [name, id] of [['secflow_extracted_events_total', ID.extract], ['secflow_delivered_total', ID.syslog]] as const) {
      assert.equal(value(kept, name, id), value(before, name, id), `${name} of ${id}`);
    }
    assert.equal(value(kept, 'secflow_events_total', ID.cef, { kind: 'in' }), extracted + 1);
    assert.equal(value(kept, 'secflow_failed_total', ID.cef), 1);
    await deploy(flow(incydr.url, receiver.port, [comment]), 'full');
    await new Promise((r) => setTimeout(r, 500));
    const fresh = await metrics();
    assert.equal(value(fresh, 'secflow_extracted_events_total', ID.extract), 0);
    assert.equal(value(fresh, 'secflow_delivered_total', ID.syslog), 0);
    assert.equal(value(fresh, 'secflow_events_total', ID.cef, { kind: 'in' }), 0);
  });
});
