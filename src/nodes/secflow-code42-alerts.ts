import { ALERT_TERMS, IncydrAlerts, MAX_ALERT_PAGE, V1Alerts, alertFormGroups, type SearchFlavour } from '../lib/code42';
import { extractorNode } from './code42-shared/extractor-node';
import { readIncydrAlertQuery } from './code42-shared/incydr-settings';
import { readSettings, type SettingsSpec } from './code42-shared/settings';
import { bool } from './shared/config';
import type { Node, NodeAPI, NodeDef } from './shared/red';

const CURSOR_KEY = 'code42-alerts-cursor';

const V1: SettingsSpec = {
  terms: ALERT_TERMS,
  maxPageSize: MAX_ALERT_PAGE,
  defaultPageSize: MAX_ALERT_PAGE,
  defaultCursorKey: CURSOR_KEY,
  formGroups: (_config, list) => alertFormGroups({ states: list('states'), severities: list('severities'), actors: list('actors'), ruleNames: list('ruleNames') }),
};

/** Code42 alert extractor (v1 alert service or Incydr /v1/alerts): durable cursor, optional details. */
export default function (RED: NodeAPI) {
  RED.nodes.registerType('secflow-code42-alerts', function (this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    extractorNode<unknown, unknown>(RED, this, config, {
      kind: 'alert',
      defaultCursorKey: CURSOR_KEY,
      makeFlavour: (tenant, cfg): SearchFlavour<unknown, unknown> => (tenant.apiVersion === 'incydr'
        ? new IncydrAlerts(tenant.incydrClient(), readIncydrAlertQuery(cfg))
        : new V1Alerts(tenant.client(), { ...readSettings(cfg, V1).query, details: bool(cfg.details, true) })),
    });
  });
}
