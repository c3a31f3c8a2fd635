// The notifier: a set of parsed targets, one delivery lane per target, tag
// selection and the msg.notify result (S4, S6, S10, S11).
import { createHash } from 'node:crypto';
import { TargetChannel } from './channel';
import { summarize, type NotifyResult, type TargetResult } from './results';
import { selectByTags, type TagSelector } from './tags';
import { parseTarget, type Target } from './target';
import { DiscordTransport, DISCORD_API } from './transports/discord';
import { EmailTransport } from './transports/email';
import { HttpTransport } from './transports/http';
import { SnsTransport } from './transports/sns';
import type { Transport } from './transports/types';
import type { Endpoints, Notification, RateSettings } from './types';
import type { EmailConfig } from './services/email';
import type { SnsConfig } from './services/sns';

export interface NotifierOptions {
  endpoints?: Endpoints;
  /** Pending notifications per target before suppression (default 20). */
  queueMax?: number;
  /** Per-service throttle overrides, e.g. {discord: {capacity: 5, perMs: 2000}}. */
  rates?: Record<string, RateSettings | null>;
  /** Seconds since the epoch for payload timestamps. */
  now?: () => number;
  onSummary?: (result: TargetResult, summary: Notification) => void;
}

export const DEFAULT_QUEUE_MAX = 20;
/** Lanes kept for URLs that arrive in messages (apprise-api style). */
const AD_HOC_LANES = 50;

function transportFor(target: Target, endpoints: Endpoints): Transport<unknown> {
  switch (target.def.transport) {
    case 'discord': return new DiscordTransport((endpoints.discord ?? DISCORD_API).replace(/\/+$/, ''), target.common) as Transport<unknown>;
    case 'email': return new EmailTransport(target.config as EmailConfig, target.common) as Transport<unknown>;
    case 'sns': return new SnsTransport(target.config as SnsConfig, target.common, endpoints.sns) as Transport<unknown>;
    default: return new HttpTransport(target.common) as Transport<unknown>;
  }
}

export class Notifier {
  private readonly lanes = new Map<Target, TargetChannel>();
  private readonly adHoc = new Map<string, TargetChannel>();
  private closed = false;

  constructor(readonly targets: readonly Target[], private readonly options: NotifierOptions = {}) {}

  private lane(target: Target): TargetChannel {
    let lane = this.lanes.get(target);
    if (!lane) {
      lane = this.newLane(target);
      this.lanes.set(target, lane);
    }
    return lane;
  }

  private newLane(target: Target): TargetChannel {
    const endpoints = this.options.endpoints ?? {};
    const rates = this.options.rates ?? {};
    return new TargetChannel(target, {
      queueMax: this.options.queueMax ?? DEFAULT_QUEUE_MAX,
      rate: target.service in rates ? rates[target.service] : target.def.rate,
      ctx: { endpoints, now: this.options.now ?? (() => Date.now() / 1000) },
      transport: () => transportFor(target, endpoints),
      onSummary: this.options.onSummary,
    });
  }

  /** Lanes for URLs given in a message, keyed by a hash of the URL (never kept in clear). */
  private adHocLane(raw: string): TargetChannel {
    const key = createHash('sha256').update(raw).digest('hex');
    let lane = this.adHoc.get(key);
    if (!lane) {
      lane = this.newLane(parseTarget(raw));
      this.adHoc.set(key, lane);
      if (this.adHoc.size > AD_HOC_LANES) {
        const [oldestKey, oldest] = this.adHoc.entries().next().value as [string, TargetChannel];
        if (oldest.pending === 0) {
          oldest.close();
          this.adHoc.delete(oldestKey);
        }
      }
    }
    return lane;
  }

  select(tags: TagSelector): Target[] {
    return selectByTags(this.targets, tags);
  }

  /** Sends to the targets the tags select (or to `urls`, replacing the targets). Never rejects. */
  async notify(n: Notification, selection: { tags?: TagSelector; urls?: string[] } = {}): Promise<NotifyResult> {
    if (this.closed) return summarize([]);
    const results: Array<Promise<TargetResult>> = [];
    if (selection.urls) {
      for (const raw of selection.urls) {
        try {
          results.push(this.adHocLane(raw).submit(n));
        } catch (err) {
          // The message is "<masked URL>: <problem>".
          const text = (err as Error).message;
          const at = text.indexOf(': ');
          results.push(Promise.resolve({
            target: at > 0 ? text.slice(0, at) : '(invalid URL)', service: 'unknown', tags: [], ok: false, attempts: 0, parts: 0,
            error: at > 0 ? text.slice(at + 2) : text,
          }));
        }
      }
    } else {
      for (const target of this.select(selection.tags)) results.push(this.lane(target).submit(n));
    }
    return summarize(await Promise.all(results));
  }

  /**
   * Stops every lane. With `graceMs`, queued and in-flight sends (such as the
   * shutdown digests of notify nodes closing at the same moment) get that long
   * to finish first; whatever is left then fails as "notifier closed".
   */
  async close(graceMs = 0): Promise<void> {
    if (graceMs > 0) {
      const deadline = Date.now() + graceMs;
      // Let sibling close handlers submit their last notifications first.
      await new Promise((resolve) => setImmediate(resolve));
      while (Date.now() < deadline && [...this.lanes.values(), ...this.adHoc.values()].some((lane) => lane.busy)) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }
    this.closed = true;
    for (const lane of [...this.lanes.values(), ...this.adHoc.values()]) lane.close();
    this.lanes.clear();
    this.adHoc.clear();
  }
}
