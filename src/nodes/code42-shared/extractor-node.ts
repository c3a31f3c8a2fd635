import { runExtraction, type Page, type RunSummary, type SearchFlavour } from '../../lib/code42';
import { CursorStore, type Cursors } from '../../lib/cursor';
import { contextFor } from '../shared/context';
import { str } from '../shared/config';
import { onClose, onInput, asError } from '../shared/input';
import { metricsFor } from '../shared/metrics';
import type { Node, NodeAPI, NodeDef, NodeMessage } from '../shared/red';
import { readCommonSettings, type CommonSettings } from './settings';
import { SerialRuns } from './serial-runs';
import { confirmedDelivery, type Outcomes } from './confirmed-delivery';
import { isTenant, type Code42Tenant } from './tenant';
import { ExtractorCluster } from './cluster';

/** Where an extractor's items come from: its config node, recognised and named for errors. */
export interface TenantKind<S> {
  /** True for a config node of the right type. */
  is(node: unknown): node is S;
  /** The config node type, for the error `tenant: select a … config node`. */
  type: string;
}

const CODE42_TENANT: TenantKind<Code42Tenant> = { is: isTenant, type: 'secflow-code42' };

export interface ExtractorSpec<T, C, S = Code42Tenant> {
  /** `file-event`, `alert` or `session`: msg.<property>.kind and the page topic. */
  kind: string;
  defaultCursorKey: string;
  /** The tenant config node type (default: secflow-code42). */
  tenant?: TenantKind<S>;
  /** The message property carrying page and cursor info (default `code42`; Carbon Black: `cbc`). */
  property?: string;
  /**
   * The flavour for the tenant's API version, with the node's query settings read
   * and validated (errors name the field). Called at the start of every run.
   */
  makeFlavour(tenant: S, config: NodeDef): SearchFlavour<T, C>;
  /** How one item goes out (default: the item as payload, topic = itemType, nothing extra in msg.<property>). */
  itemMessage?(item: T): { payload: unknown; topic?: string; code42?: Record<string, unknown> };
}

/**
 * The controller both extractor nodes share: runs on input and/or an interval, one
 * at a time (triggers merge), sends each page's items on output 1 and then saves the
 * cursor, sends one summary (or the error) on output 2, resets on msg.reset, shows
 * running/idle status, and stops promptly on close. With `confirm` set, a page's
 * cursor is saved only once the flow has settled its messages (ConfirmedDelivery).
 */
export function extractorNode<T, C, S = Code42Tenant>(RED: NodeAPI, node: Node, config: NodeDef, spec: ExtractorSpec<T, C, S>): void {
  const tenantKind = (spec.tenant ?? CODE42_TENANT) as TenantKind<S>;
  const prop = spec.property ?? 'code42';
  const metrics = metricsFor(node, 'extractor');
  let abort = new AbortController();
  let closing = false;
  let last: { events: number; cursorTime?: string } = { events: 0 };
  const runs = new SerialRuns<RunSummary<C>>(() => runOnce());
  // A node that cannot keep its delivery promise does not run: each run fails with `deliveryError`.
  const { delivery: confirmed, error: deliveryError } = confirmedDelivery(RED, node, config);
  // `cluster` set: the cursor lives in Redis and only the lease holder extracts (issue 16).
  let cluster: ExtractorCluster | undefined;
  let clusterError: Error | undefined;
  try {
    cluster = ExtractorCluster.fromConfig(RED, node, config, spec.defaultCursorKey, () => {
      if (interval > 0) tick();
    });
  } catch (err) {
    clusterError = asError(err);
  }

  function shortTime(iso?: string): string {
    return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : 'none';
  }

  function idleStatus(): void {
    node.status({ fill: 'green', shape: 'ring', text: `idle · ${last.events} events · cursor ${shortTime(last.cursorTime)}` });
  }

  function prepare(): { settings: CommonSettings; flavour: SearchFlavour<T, C>; store: Cursors<C> } {
    const tenant = RED.nodes.getNode(str(config.tenant));
    if (!tenantKind.is(tenant)) throw new Error(`tenant: select a ${tenantKind.type} config node`);
    const settings = readCommonSettings(config, spec.defaultCursorKey);
    const flavour = spec.makeFlavour(tenant, config);
    const revive = (raw: unknown) => flavour.reviveCursor(raw);
    const contextStore = new CursorStore<C>(contextFor(node, settings.cursor.scope), settings.cursor, revive);
    return { settings, flavour, store: cluster ? cluster.store(contextStore, revive) : contextStore };
  }

  /** Sends one page on output 1: one message, or one per item; `tag` marks each for confirmed delivery. */
  function sendPage(page: Page<T, C>, output: 'event' | 'page', flavour: SearchFlavour<T, C>, tag: (msg: NodeMessage, i: number) => NodeMessage): void {
    const info = { kind: spec.kind, page: page.info.page, received: page.info.received, skipped: page.info.skipped, totalCount: page.info.totalCount, cursor: flavour.cursorTime(page.cursor) };
    metrics.page(page.items.length, info.cursor);
    const shape = spec.itemMessage;
    if (output === 'page') {
      if (shape) {
        const shaped = page.items.map((item) => shape(item));
        node.send([tag({ payload: shaped.map((m) => m.payload), topic: spec.kind, [prop]: { ...info, count: page.items.length, items: shaped.map((m) => m.code42 ?? {}) } }, 0), null]);
        return;
      }
      node.send([tag({ payload: page.items, topic: spec.kind, [prop]: { ...info, count: page.items.length } }, 0), null]);
      return;
    }
    for (let i = 0; i < page.items.length; i++) {
      const item = page.items[i];
      if (shape) {
        const m = shape(item);
        node.send([tag({ payload: m.payload, topic: m.topic ?? flavour.itemType(item) ?? spec.kind, [prop]: { ...info, ...m.code42, index: i } }, i), null]);
        continue;
      }
      // An explicit literal (the keys of `info`, in its order, then index): a spread
      // per event showed in the bench profile (issue 2), and this is the hot path.
      const code42 = { kind: info.kind, page: info.page, received: info.received, skipped: info.skipped, totalCount: info.totalCount, cursor: info.cursor, index: i };
      node.send([tag({ payload: item, topic: flavour.itemType(item) ?? spec.kind, [prop]: code42 }, i), null]);
    }
  }

  // Dead letters carry what was sent: the shaped payload where the spec shapes items.
  const shape = spec.itemMessage;

  async function runOnce(): Promise<RunSummary<C>> {
    if (clusterError) throw clusterError;
    if (!cluster) return extract(abort.signal);
    // On standby a tick does nothing (no summary): the leader extracts.
    if (!cluster.leader) {
      if (!cluster.paused) cluster.showStandby();
      return { events: 0, pages: 0, cursor: undefined, durationMs: 0 };
    }
    const c = cluster;
    try {
      return await c.asLeader(() => extract(AbortSignal.any([abort.signal, c.signal])));
    } catch (err) {
      if (!closing && c.failedOffline()) return { events: 0, pages: 0, cursor: undefined, durationMs: 0 };
      throw err;
    }
  }

  async function extract(signal: AbortSignal): Promise<RunSummary<C>> {
    const started = Date.now();
    let progress: RunSummary<C> | undefined;
    const outcomes: Outcomes = { delivered: 0, dropped: 0, deadLetters: 0 };
    node.status({ fill: 'blue', shape: 'dot', text: 'running · 0 events' });
    try {
      if (deliveryError) throw deliveryError;
      const { settings, flavour, store } = prepare();
      confirmed?.checkNodes();
      const send = (page: Page<T, C>) => sendPage(page, settings.output, flavour, (msg) => msg);
      const summary = await runExtraction(flavour, store, {
        signal,
        warn: (m) => node.warn(m),
        progress: (s) => {
          progress = s;
          node.status({ fill: 'blue', shape: 'dot', text: `running · ${s.events} events · cursor ${shortTime(s.cursorTime)}` });
        },
        deliver: confirmed
          ? (page) => confirmed.sendPage(settings.output === 'page' ? 1 : page.items.length, (tag) => sendPage(page, settings.output, flavour, tag))
          : send,
        settled: confirmed
          ? (page) => confirmed.settle({ items: shape ? page.items.map((item) => shape(item).payload) : page.items, page: page.info.page, output: settings.output, cursorTime: flavour.cursorTime(page.cursor) }, spec.kind, signal, outcomes, prop)
          : undefined,
      });
      metrics.run(summary.durationMs, summary.cursorTime);
      last = { events: summary.events, cursorTime: summary.cursorTime };
      idleStatus();
      const settled = confirmed ? { ...outcomes } : {};
      node.send([null, { topic: `${spec.kind}-run`, payload: { events: summary.events, pages: summary.pages, cursor: summary.cursorTime ?? null, durationMs: summary.durationMs, ...settled } }]);
      return summary;
    } catch (err) {
      const error = asError(err);
      if (closing) throw error;
      const events = progress?.events ?? 0;
      last = { events, cursorTime: progress?.cursorTime ?? last.cursorTime };
      node.status({ fill: 'red', shape: 'ring', text: error.message.length > 60 ? `${error.message.slice(0, 57)}…` : error.message });
      node.send([null, {
        topic: `${spec.kind}-run`,
        payload: { error: error.message, events, pages: progress?.pages ?? 0, cursor: progress?.cursorTime ?? null, durationMs: Date.now() - started },
        error: { message: error.message, source: { id: node.id, type: node.type, name: node.name } },
      }]);
      throw error;
    } finally {
      // A stopped run leaves the page after the failed one in flight: no longer waited for.
      confirmed?.endRun();
    }
  }

  async function reset(): Promise<void> {
    const { store } = prepare();
    if (cluster) await cluster.asLeader(() => store.clear(), 'reset');
    else await store.clear();
    last = { events: 0 };
    node.status({ fill: 'grey', shape: 'ring', text: 'cursor cleared' });
  }

  onInput(node, async (msg: NodeMessage) => {
    if (msg.reset === true) {
      await runs.exclusive(reset);
      return;
    }
    await runs.trigger().catch((err: unknown) => {
      // A run aborted by close/redeploy is not an error of this message.
      if (!closing) throw err;
    });
  });

  // The poll interval, if any: a tick that finds a run in progress merges into the follow-up.
  let timer: ReturnType<typeof setInterval> | undefined;
  let first: ReturnType<typeof setTimeout> | undefined;
  let interval = 0;
  try {
    if (deliveryError) throw deliveryError;
    interval = readCommonSettings(config, spec.defaultCursorKey).interval;
  } catch (err) {
    node.error(asError(err));
    node.status({ fill: 'red', shape: 'ring', text: asError(err).message.slice(0, 60) });
  }
  const tick = () => {
    runs.trigger().catch((err: unknown) => {
      if (!closing) node.error(asError(err));
    });
  };
  if (interval > 0) {
    first = setTimeout(tick, 250);
    timer = setInterval(tick, interval * 1000);
  } else if (!closing) {
    node.status({ fill: 'grey', shape: 'ring', text: 'idle · waiting for input' });
  }

  onClose(node, async () => {
    closing = true;
    if (first) clearTimeout(first);
    if (timer) clearInterval(timer);
    abort.abort();
    await runs.idle();
    await cluster?.close();
    confirmed?.remove();
    abort = new AbortController();
  });
}
