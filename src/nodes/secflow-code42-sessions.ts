import { DEFAULT_SESSION_LOOKBACK_MS, IncydrSessions, parseSessionFilters, type SessionItem } from '../lib/code42';
import { extractorNode } from './code42-shared/extractor-node';
import { lookbackMs } from './code42-shared/incydr-settings';
import { oneOf, str } from './shared/config';
import type { Node, NodeAPI, NodeDef } from './shared/red';

/**
 * Incydr sessions (`GET /v1/sessions`) with a durable cursor: a look-back on begin
 * time, each new (sessionId, lastUpdated) sent once, marked
 * msg.code42.change = 'new' | 'updated'. Needs a config node with apiVersion incydr.
 */
export default function (RED: NodeAPI) {
  RED.nodes.registerType('secflow-code42-sessions', function (this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    extractorNode<SessionItem, unknown>(RED, this, config, {
      kind: 'session',
      defaultCursorKey: 'code42-sessions-cursor',
      makeFlavour: (tenant, cfg) => {
        if (tenant.apiVersion !== 'incydr') throw new Error('tenant: sessions need the Incydr API; set apiVersion to incydr on the secflow-code42 config node');
        const params = parseSessionFilters(str(cfg.filters), 'filters');
        const updates = oneOf(cfg.sessionUpdates, ['every', 'first'] as const, 'every', 'sessionUpdates');
        return new IncydrSessions(tenant.incydrClient(), { params, lookbackMs: lookbackMs(cfg, DEFAULT_SESSION_LOOKBACK_MS, 30 * 86_400), updates }) as never;
      },
      itemMessage: (item) => ({ payload: item.session, topic: `session-${item.change}`, code42: { change: item.change, sessionId: item.session.sessionId, lastUpdated: item.session.lastUpdated } }),
    });
  });
}
