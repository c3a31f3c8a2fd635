import { DEFAULT_AUDIT_LOOKBACK_MS, DEFAULT_AUDIT_PAGE, IncydrAuditLog, MAX_AUDIT_PAGE, mergeAuditFilters, parseAuditFilters, parseSince, splitList, type AuditEvent, type AuditFilters } from '../lib/code42';
import { extractorNode } from './code42-shared/extractor-node';
import { lookbackMs } from './code42-shared/incydr-settings';
import { num, str } from './shared/config';
import type { Node, NodeAPI, NodeDef } from './shared/red';

/**
 * Incydr audit log (`POST /v1/audit/search-audit-log`) with a durable cursor: time
 * windows read completely, a 300 s look-back for late events, de-duplication by the
 * events' digests. msg.topic is the event type. Needs a config node with apiVersion incydr.
 */
export default function (RED: NodeAPI) {
  RED.nodes.registerType('secflow-code42-audit-log', function (this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    extractorNode<AuditEvent, unknown>(RED, this, config, {
      kind: 'audit-event',
      defaultCursorKey: 'code42-audit-log-cursor',
      makeFlavour: (tenant, cfg) => {
        if (tenant.apiVersion !== 'incydr') throw new Error('tenant: the audit log needs the Incydr API; set apiVersion to incydr on the secflow-code42 config node');
        const form: AuditFilters = {
          actorIds: splitList(cfg.actorIds), actorNames: splitList(cfg.actorNames), eventTypes: splitList(cfg.eventTypes),
          actorIpAddresses: splitList(cfg.actorIpAddresses), resourceIds: splitList(cfg.resourceIds), userTypes: splitList(cfg.userTypes).map((t) => t.toUpperCase()),
        };
        const filters = mergeAuditFilters(form, parseAuditFilters(str(cfg.filters), 'filters'), 'userTypes');
        return new IncydrAuditLog(tenant.incydrClient(), {
          filters,
          sinceMs: parseSince(str(cfg.since), Date.now(), 'since'),
          pageSize: num(cfg.pageSize, DEFAULT_AUDIT_PAGE, 'pageSize', { min: 1, max: MAX_AUDIT_PAGE, integer: true }),
          lookbackMs: lookbackMs(cfg, DEFAULT_AUDIT_LOOKBACK_MS),
        }) as never;
      },
    });
  });
}
