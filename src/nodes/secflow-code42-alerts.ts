import { ALERT_TERMS, MAX_ALERT_PAGE, V1Alerts, alertFormGroups } from '../lib/code42';
import { extractorNode } from './code42-shared/extractor-node';
import { bool } from './shared/config';
import type { Node, NodeAPI, NodeDef } from './shared/red';

/** Code42 alert extractor (v1 alert service): durable cursor, optional details. */
export default function (RED: NodeAPI) {
  RED.nodes.registerType('secflow-code42-alerts', function (this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    extractorNode(RED, this, config, {
      kind: 'alert',
      terms: ALERT_TERMS,
      maxPageSize: MAX_ALERT_PAGE,
      defaultPageSize: MAX_ALERT_PAGE,
      defaultCursorKey: 'code42-alerts-cursor',
      formGroups: (_config, list) => alertFormGroups({ states: list('states'), severities: list('severities'), actors: list('actors'), ruleNames: list('ruleNames') }),
      makeFlavour: (client, settings, config) => new V1Alerts(client, { ...settings.query, details: bool(config.details, false) }),
    });
  });
}
