import { alertFormCriteria, CbcAlertSearch, DEFAULT_ALERT_LOOKBACK_MS, DEFAULT_UPDATE_WINDOW_MS, parseSearchJson, type TimedItem, type CbcAlert, type TimedCursor } from '../lib/carbonblack';
import { splitList } from '../lib/code42';
import { extractorNode } from './code42-shared/extractor-node';
import { CBC_TENANT, readTimedOptions } from './cbc-shared/search-settings';
import type { CbcTenant } from './secflow-cbc';
import { num, str } from './shared/config';
import type { Node, NodeAPI, NodeDef } from './shared/red';

/**
 * Carbon Black Cloud alerts (v7 search) with a durable cursor on
 * backend_update_timestamp: each alert once, and again once per later update,
 * marked msg.cbc.change = "updated". The Code42 extractors' controller: output per
 * event or page, summary on output 2, msg.reset, confirm.
 */
export default function (RED: NodeAPI) {
  RED.nodes.registerType('secflow-cbc-alerts', function (this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    extractorNode<TimedItem<CbcAlert>, TimedCursor, CbcTenant>(RED, this, config, {
      kind: 'cbc-alert',
      defaultCursorKey: 'cbc-alerts-cursor',
      tenant: CBC_TENANT,
      property: 'cbc',
      makeFlavour: (tenant, cfg) => {
        const minimum = str(cfg.minimumSeverity);
        const form = alertFormCriteria({
          types: splitList(cfg.types).map((t) => t.toUpperCase()),
          minimumSeverity: minimum === '' ? undefined : num(minimum, 1, 'minimumSeverity', { min: 1, max: 10, integer: true }),
        });
        const raw = parseSearchJson(str(cfg.filters), 'filters');
        return new CbcAlertSearch(tenant.client(), {
          criteria: { ...raw.criteria, ...form },
          exclusions: raw.exclusions,
          query: raw.query,
          updateWindowMs: num(cfg.updateWindow, DEFAULT_UPDATE_WINDOW_MS / 3_600_000, 'updateWindow', { min: 0, max: 24 * 30 }) * 3_600_000,
        }, readTimedOptions(cfg, { pageSize: 1000, lookbackMs: DEFAULT_ALERT_LOOKBACK_MS }));
      },
      itemMessage: (item) => ({
        payload: item.record,
        code42: { change: item.change, id: item.record.id, updated: item.record.backend_update_timestamp },
      }),
    });
  });
}
