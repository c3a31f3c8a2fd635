// secflow-notify: sends msg as a notification to the targets of a
// secflow-notify-targets config node, selected by tags. Optional aggregation
// buffers lines by a key (a sudo session, a host, msg.topic) into one digest.
// Output: the msg with msg.notify = {ok, matched, sent, failed, suppressed, results}.
import get from 'lodash/get';
import {
  Aggregator, escapeXml, failureMessage, parseCloseWhen, readAttachments, readRequest, renderTemplate, selectByTags,
  NOTIFY_FORMATS, NOTIFY_TYPES, type Digest, type Notification, type NotifyResult, type TagSelector,
} from '../lib/notify';
import { sleep } from '../lib/util/sleep';
import { bool, num, oneOf, str } from './shared/config';
import { onClose, onInput } from './shared/input';
import { metricsFor } from './shared/metrics';
import type { Node, NodeAPI, NodeDef, NodeMessage } from './shared/red';
import type { NotifyTargetsNode } from './secflow-notify-targets';

interface Settings {
  tag: string;
  title: string;
  body: string;
  notifyType: (typeof NOTIFY_TYPES)[number];
  format: (typeof NOTIFY_FORMATS)[number];
  aggregateBy: string;
  aggregateTimeoutMs: number;
  aggregateMax: number;
  closeWhen?: ReturnType<typeof parseCloseWhen>;
  allowUrls: boolean;
  /** Event data may carry markup (html payloads, unescaped {{msg.x}} in html templates). */
  allowMarkup: boolean;
  /** Where msg.attachments file paths may point (empty: Buffers only). */
  attachmentDir?: string;
}

function readSettings(config: NodeDef): Settings {
  const aggregateBy = str(config.aggregateBy).replace(/^msg\./, '');
  return {
    tag: str(config.tag),
    title: str(config.title),
    body: String(config.body ?? ''),
    notifyType: oneOf(config.notifyType, NOTIFY_TYPES, 'info', 'notifyType'),
    format: oneOf(config.format, NOTIFY_FORMATS, 'text', 'format'),
    aggregateBy,
    // Read only when they apply: a stale timeout or size must not stop an unaggregated node.
    aggregateTimeoutMs: aggregateBy ? num(config.aggregateTimeout, 30, 'aggregateTimeout', { min: 0.01, max: 86_400 }) * 1000 : 0,
    aggregateMax: aggregateBy ? num(config.aggregateMax, 50, 'aggregateMax', { min: 1, max: 100_000, integer: true }) : 0,
    closeWhen: parseCloseWhen(str(config.closeWhen)),
    allowUrls: bool(config.allowUrls, false),
    allowMarkup: bool(config.allowMarkup, false),
    attachmentDir: str(config.attachmentDir) || undefined,
  };
}

function statusOf(result: NotifyResult): { fill: 'green' | 'yellow' | 'red'; shape: 'dot'; text: string } {
  const fill = result.failed === 0 && result.matched > 0 ? 'green' : result.sent + result.suppressed > 0 ? 'yellow' : 'red';
  const extra = result.suppressed ? `, ${result.suppressed} suppressed` : '';
  return { fill, shape: 'dot', text: `${result.sent}/${result.matched} sent${extra}` };
}

export default function (RED: NodeAPI): void {
  RED.nodes.registerType('secflow-notify', function (this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    const node = this as Node;
    let settings: Settings | undefined;
    let setupError: Error | undefined;
    try {
      settings = readSettings(config);
      // How long a message may wait here before it completes: an extractor's confirm checks it.
      (node as Node & { completionHoldMs?: number }).completionHoldMs = settings.aggregateTimeoutMs;
    } catch (err) {
      setupError = err as Error;
    }
    const targetsNode = RED.nodes.getNode(str(config.targets)) as NotifyTargetsNode | null;
    if (!setupError && !targetsNode?.notify) setupError = new Error('targets: select a secflow-notify-targets config node');
    if (setupError) {
      node.error(setupError.message);
      node.status({ fill: 'red', shape: 'ring', text: setupError.message.slice(0, 60) });
    } else {
      const count = targetsNode!.notify.targets.length;
      const invalid = targetsNode!.notify.errors.length;
      const text = `${count} target${count === 1 ? '' : 's'}${invalid ? `, ${invalid} invalid` : ''}`;
      node.status({ fill: count === 0 || invalid ? 'red' : 'grey', shape: 'ring', text: count === 0 ? `no valid targets${invalid ? ` (${invalid} invalid)` : ''}` : text });
    }

    /** Sends one notification; returns the result (never rejects). */
    async function deliver(n: Notification, tags: TagSelector, urls?: string[]): Promise<NotifyResult & { refused?: string[] }> {
      if (settings?.allowMarkup) n.markup = true;
      const result: NotifyResult & { refused?: string[] } = await targetsNode!.notify.notifier.notify(n, { tags, urls });
      if (result.matched === 0) {
        // Say why when the URLs these tags select were refused at deploy (e.g. a retired msteams:// URL).
        const refused = urls ? [] : selectByTags(targetsNode!.notify.refused ?? [], tags).map((r) => r.error);
        if (refused.length) result.refused = refused;
        const why = refused.length ? `: ${refused.length} matching URL${refused.length === 1 ? ' was' : 's were'} refused (${refused.join('; ')})` : '';
        node.warn(`no notification target matches ${urls ? 'the URLs in msg.payload.urls' : tags === undefined ? 'untagged targets' : `tags ${JSON.stringify(tags)}`}${why}`);
        node.status({ fill: 'yellow', shape: 'ring', text: 'no target matched' });
      } else {
        node.status(statusOf(result));
      }
      return result;
    }

    // Inputs folded into an aggregate complete when the aggregate is sent: every matched
    // target answered (or with that failure), not when they were buffered.
    const waiting = new Map<string, Array<{ resolve(): void; reject(err: Error): void }>>();
    const awaitDigest = (key: string) => new Promise<void>((resolve, reject) => {
      const list = waiting.get(key) ?? [];
      list.push({ resolve, reject });
      waiting.set(key, list);
    });
    const settleDigest = (key: string, err?: Error) => {
      for (const w of waiting.get(key)?.splice(0) ?? []) {
        if (err) w.reject(err);
        else w.resolve();
      }
      waiting.delete(key);
    };

    async function sendDigest(digest: Digest, msg: NodeMessage, send: (m: NodeMessage) => void): Promise<void> {
      let failure: string | undefined;
      try {
        const result = await deliver({ title: digest.title, body: digest.body, type: digest.type, format: digest.format }, digest.tags);
        msg.notify = { ...result, aggregate: { key: digest.key, lines: digest.lines, reason: digest.reason } };
        send(msg);
        failure = failureMessage(result);
      } catch (err) {
        failure = (err as Error).message;
      }
      settleDigest(digest.key, failure ? new Error(`the aggregate "${digest.key}" was not delivered: ${failure}`) : undefined);
      if (failure) throw new Error(failure);
    }

    const aggregator = settings?.aggregateBy ? new Aggregator({
      timeoutMs: settings.aggregateTimeoutMs,
      maxLines: settings.aggregateMax,
      closeWhen: settings.closeWhen,
      onTimeout: (digest) => {
        const msg: NodeMessage = { topic: digest.title, payload: digest.body };
        sendDigest(digest, msg, (m) => node.send(m)).catch((err: unknown) => node.error(err, msg));
      },
    }) : undefined;

    metricsFor(node, 'sink').queueDepth = () => aggregator?.size ?? 0;
    onInput(node, async (msg, send) => {
      if (setupError || !settings) throw setupError ?? new Error('not configured');
      const tagDefault = settings.tag ? renderTemplate(settings.tag, msg) : undefined;
      const request = readRequest(msg, { type: settings.notifyType, format: settings.format, tag: tagDefault || undefined });
      for (const w of request.warnings) node.warn(w);
      const n = request.notification;
      if (settings.title) n.title = renderTemplate(settings.title, msg);
      if (settings.body) n.body = renderTemplate(settings.body, msg, settings.allowMarkup || n.format !== 'html' ? undefined : escapeXml);
      // Without a body template the whole body is event data: html in it is shown as text.
      else if (!settings.allowMarkup && n.format === 'html') n.format = 'text';
      if (request.urls && !settings.allowUrls) node.warn('msg.payload.urls ignored: "allow URLs in messages" is off');
      const urls = settings.allowUrls ? request.urls : undefined;

      if (aggregator) {
        const key = get(msg, settings.aggregateBy) as unknown;
        if (key !== undefined && key !== null && key !== '') {
          if (msg.attachments !== undefined) node.warn('msg.attachments is not sent with aggregated messages');
          const digest = aggregator.add(String(key), { title: n.title, body: n.body, type: n.type, format: n.format, tags: request.tags }, msg.flush === true);
          if (!digest) {
            node.status({ fill: 'blue', shape: 'ring', text: `aggregating ${aggregator.size}` });
            // Buffered: complete with the aggregate. (A closing line with nothing buffered is done.)
            if (aggregator.has(String(key))) await awaitDigest(String(key));
            return;
          }
          await sendDigest(digest, msg, send);
          return;
        }
      }
      const attachments = await readAttachments(msg.attachments, settings.attachmentDir);
      if (attachments.length) n.attachments = attachments;
      if (!n.body.trim() && !n.title.trim() && !attachments.length) throw new Error('nothing to send: msg.payload (or the body template) and msg.topic (or the title template) are empty');
      const result = await deliver(n, request.tags, urls);
      msg.notify = result;
      send(msg);
      const failure = failureMessage(result);
      if (failure) throw new Error(failure);
    });

    onClose(node, async () => {
      if (!aggregator || !targetsNode?.notify) return;
      // Flush unfinished aggregates, but never hold a redeploy for long.
      const digests = aggregator.flushAll('shutdown');
      if (!digests.length) return;
      const sends = digests.map((d) => deliver({ title: d.title, body: d.body, type: d.type, format: d.format }, d.tags).then(
        (result) => {
          const failure = failureMessage(result);
          settleDigest(d.key, failure ? new Error(`the aggregate "${d.key}" was not delivered at close: ${failure}`) : undefined);
        },
        (err: Error) => settleDigest(d.key, err),
      ));
      await Promise.race([Promise.all(sends), sleep(2000)]);
      // Whatever is still unanswered fails visibly rather than hanging.
      for (const key of [...waiting.keys()]) settleDigest(key, new Error(`the aggregate "${key}" was not delivered before close`));
    });
  });
}
