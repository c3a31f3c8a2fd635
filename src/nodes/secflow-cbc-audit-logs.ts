import { CbcAuditLogSearch, DEFAULT_AUDIT_LOOKBACK_MS, parseSearchJson, type CbcAuditLog, type TimedCursor, type TimedItem } from '../lib/carbonblack';
import { extractorNode } from './code42-shared/extractor-node';
import { CBC_TENANT, readTimedOptions } from './cbc-shared/search-settings';
import type { CbcTenant } from './secflow-cbc';
import { str } from './shared/config';
import type { Node, NodeAPI, NodeDef } from './shared/red';

/**
 * Carbon Black Cloud audit logs through the search API (replayable, unlike the
 * read-once queue) with a durable cursor on create_time; records are known by a
 * digest (they carry no id). The Code42 extractors' controller and conventions.
 */
export default function (RED: NodeAPI) {
  RED.nodes.registerType('secflow-cbc-audit-logs', function (this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    extractorNode<TimedItem<CbcAuditLog>, TimedCursor, CbcTenant>(RED, this, config, {
      kind: 'cbc-audit',
      defaultCursorKey: 'cbc-audit-logs-cursor',
      tenant: CBC_TENANT,
      property: 'cbc',
      makeFlavour: (tenant, cfg) => {
        const raw = parseSearchJson(str(cfg.filters), 'filters', 'create_time');
        return new CbcAuditLogSearch(tenant.client(), raw, readTimedOptions(cfg, { pageSize: 1000, lookbackMs: DEFAULT_AUDIT_LOOKBACK_MS }));
      },
      itemMessage: (item) => ({ payload: item.record, topic: 'cbc-audit' }),
    });
  });
}
