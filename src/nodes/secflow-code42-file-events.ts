import { FILE_EVENT_TERMS, MAX_FILE_EVENT_PAGE, V1FileEvents, fileEventFormGroups } from '../lib/code42';
import { extractorNode } from './code42-shared/extractor-node';
import type { Node, NodeAPI, NodeDef } from './shared/red';

/** Code42 file-event extractor (v1 forensic search): durable cursor, exactly-once at the boundary. */
export default function (RED: NodeAPI) {
  RED.nodes.registerType('secflow-code42-file-events', function (this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    extractorNode(RED, this, config, {
      kind: 'file-event',
      terms: FILE_EVENT_TERMS,
      maxPageSize: MAX_FILE_EVENT_PAGE,
      defaultPageSize: MAX_FILE_EVENT_PAGE,
      defaultCursorKey: 'code42-cursor',
      formGroups: (_config, list) => fileEventFormGroups({
        exposureTypes: list('exposureTypes'), eventTypes: list('eventTypes'), usernames: list('usernames'),
        hostnames: list('hostnames'), fileNames: list('fileNames'), filePaths: list('filePaths'),
      }),
      makeFlavour: (client, settings) => new V1FileEvents(client, settings.query),
    });
  });
}
