import type { Batch, BatchResult } from '../../lib/delivery';
import { asError } from '../shared/input';
import type { Node, NodeAPI, NodeDef, NodeMessage } from '../shared/red';
import { SETTLE_TAG, settleHooks } from '../shared/settle-hooks';
import { readDeliverySettings, type DeliverySettings } from './delivery-settings';

/** What one page handed to confirmed delivery: its events and where they came from. */
export interface SentPage {
  items: unknown[];
  page: number;
  /** `page` = one message carries all items; `event` = one message per item. */
  output: 'event' | 'page';
  cursorTime?: string;
}

export interface Outcomes {
  delivered: number;
  dropped: number;
  deadLetters: number;
}

/**
 * An extractor's confirmed delivery (`confirm`, `confirmTimeout`, `onFailure`):
 * tags the messages of a page, waits until the flow settled them, then either
 * lets the cursor move, stops the run (`stop`) or sends the failed events on
 * output 2 as dead letters (`skip`).
 */
export class ConfirmedDelivery {
  private batch?: Batch;
  private heldChecked = false;

  private constructor(private readonly RED: NodeAPI, private readonly node: Node, readonly settings: DeliverySettings, private readonly hooks: ReturnType<typeof settleHooks>) {}

  /** Undefined when `confirm` is empty (commit after send); throws on bad settings. */
  static fromConfig(RED: NodeAPI, node: Node, config: NodeDef): ConfirmedDelivery | undefined {
    const settings = readDeliverySettings(config);
    if (settings.confirm.length === 0) return undefined;
    return new ConfirmedDelivery(RED, node, settings, settleHooks(RED, node, settings.confirm));
  }

  /** A confirm node that is gone would make every message look dropped: refuse to run. */
  checkNodes(): void {
    const missing = this.settings.confirm.filter((id) => !this.RED.nodes.getNode(id));
    if (missing.length > 0) throw new Error(`confirm: node${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not found in the deployed flows`);
    if (!this.heldChecked) {
      this.heldChecked = true;
      this.warnAboutHeldCompletions();
    }
  }

  /**
   * A confirm node that holds messages before completing them (secflow-notify's
   * aggregation exposes `completionHoldMs`) for as long as confirmTimeout would time
   * every page out: say so once, when the extractor first runs after a deploy.
   */
  private warnAboutHeldCompletions(): void {
    for (const id of this.settings.confirm) {
      const target = this.RED.nodes.getNode(id) as { completionHoldMs?: unknown } | null;
      const holdMs = typeof target?.completionHoldMs === 'number' ? target.completionHoldMs : 0;
      if (holdMs >= this.settings.timeoutMs) {
        this.node.warn(`confirm: ${this.nodeLabel(id)} holds messages up to ${holdMs / 1000} s before it completes them (its aggregation timeout), not less than confirmTimeout ${this.settings.timeoutMs / 1000} s: pages will time out before it sends; raise confirmTimeout or shorten the aggregation`);
      }
    }
  }

  /** Sends one page's `count` messages through `send`, each tagged with `tag(msg, i)`. */
  sendPage(count: number, send: (tag: (msg: NodeMessage, i: number) => NodeMessage) => void): void {
    const batch = this.hooks.tracker.batch(count);
    this.batch = batch;
    try {
      send((msg, i) => {
        msg[SETTLE_TAG] = batch.tags[i];
        return msg;
      });
    } finally {
      batch.seal();
    }
  }

  /**
   * Waits until the page last sent is settled. Resolves when the cursor may move
   * (dead letters sent, with `skip`), rejects with the count of failed and unsettled
   * messages (with `stop`).
   */
  async settle(page: SentPage, kind: string, signal: AbortSignal, outcomes: Outcomes, property = 'code42'): Promise<void> {
    const batch = this.batch;
    this.batch = undefined;
    if (!batch) return;
    // A page that takes a while to settle (a sink waiting for its peer) shows in the status.
    const slow = setTimeout(() => this.node.status({ fill: 'yellow', shape: 'dot', text: `waiting for delivery of page ${page.page} (${batch.count} message${batch.count === 1 ? '' : 's'})` }), 2000);
    const result = await batch.settled(this.settings.timeoutMs, signal).finally(() => clearTimeout(slow));
    outcomes.delivered += result.delivered;
    outcomes.dropped += result.dropped;
    if (result.failed.length === 0) return;
    if (this.settings.onFailure === 'stop') throw new Error(this.failureText(page, batch, result));
    for (const failure of result.failed) {
      // A page message that some node failed only in part (secflow-cef's bad events)
      // dead-letters those events; the rest of the page was delivered.
      const items = page.output === 'event' ? undefined : failure.indexes ? failure.indexes.filter((i) => i < page.items.length) : undefined;
      const payload = page.output === 'page' ? (items ? items.map((i) => page.items[i]) : page.items) : page.items[failure.index];
      const deadLetter = { [page.output === 'page' ? 'events' : 'event']: payload, error: failure.error, node: failure.nodeId ?? null, ...(items ? { indexes: items } : {}) };
      this.node.send([null, { topic: `${kind}-dead-letter`, payload, deadLetter, [property]: { kind, page: page.page, index: failure.index, cursor: page.cursorTime } }]);
      outcomes.deadLetters += page.output === 'page' ? (payload as unknown[]).length : 1;
    }
  }

  /** A run ended: messages still in flight are no longer waited for. */
  endRun(): void {
    this.batch = undefined;
    this.hooks.tracker.clear();
  }

  /** On close: the hooks come off. */
  remove(): void {
    this.batch = undefined;
    this.hooks.remove();
  }

  private failureText(page: SentPage, batch: Batch, result: BatchResult): string {
    const byNodes = result.failed.length - result.unsettled;
    const first = result.failed.find((f) => f.nodeId !== undefined);
    const parts: string[] = [];
    if (byNodes > 0) parts.push(`${byNodes} failed (first: ${this.nodeLabel(first?.nodeId)}: ${first?.error})`);
    if (result.unsettled > 0) parts.push(`${result.unsettled} not settled within ${this.settings.timeoutMs / 1000} s`);
    return `delivery not confirmed: page ${page.page}, ${parts.join(' and ')} of ${batch.count} message${batch.count === 1 ? '' : 's'}; the cursor stays before this page`;
  }

  private nodeLabel(id: string | undefined): string {
    const target = id ? (this.RED.nodes.getNode(id) as { type?: string; name?: string } | null) : null;
    return target ? `${target.type}${target.name ? ` "${target.name}"` : ''} (${id})` : String(id);
  }
}

/** ConfirmedDelivery.fromConfig, with a bad setting returned rather than thrown. */
export function confirmedDelivery(RED: NodeAPI, node: Node, config: NodeDef): { delivery?: ConfirmedDelivery; error?: Error } {
  try {
    return { delivery: ConfirmedDelivery.fromConfig(RED, node, config) };
  } catch (err) {
    return { error: asError(err) };
  }
}
