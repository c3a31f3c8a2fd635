import { FILE_EVENT_TERMS, IncydrFileEvents, MAX_FILE_EVENT_PAGE, V1FileEvents, fileEventFormGroups, type SearchFlavour } from '../lib/code42';
import { extractorNode } from './code42-shared/extractor-node';
import { readIncydrFileEventQuery } from './code42-shared/incydr-settings';
import { readSettings, type SettingsSpec } from './code42-shared/settings';
import type { Node, NodeAPI, NodeDef } from './shared/red';

const CURSOR_KEY = 'code42-cursor';

const V1: SettingsSpec = {
  terms: FILE_EVENT_TERMS,
  maxPageSize: MAX_FILE_EVENT_PAGE,
  defaultPageSize: MAX_FILE_EVENT_PAGE,
  defaultCursorKey: CURSOR_KEY,
  formGroups: (_config, list) => fileEventFormGroups({
    exposureTypes: list('exposureTypes'), eventTypes: list('eventTypes'), usernames: list('usernames'),
    hostnames: list('hostnames'), fileNames: list('fileNames'), filePaths: list('filePaths'),
  }),
};

/**
 * Code42 file-event extractor: v1 forensic search or Incydr `/v2/file-events`, as the
 * config node's apiVersion says; durable cursor, exactly-once at the boundary.
 */
export default function (RED: NodeAPI) {
  RED.nodes.registerType('secflow-code42-file-events', function (this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    extractorNode<unknown, unknown>(RED, this, config, {
      kind: 'file-event',
      defaultCursorKey: CURSOR_KEY,
      makeFlavour: (tenant, cfg): SearchFlavour<unknown, unknown> => (tenant.apiVersion === 'incydr'
        ? new IncydrFileEvents(tenant.incydrClient(), readIncydrFileEventQuery(cfg))
        : new V1FileEvents(tenant.client(), readSettings(cfg, V1).query)),
    });
  });
}
