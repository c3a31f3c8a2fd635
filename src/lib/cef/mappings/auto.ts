// The `auto` mapping: picks, per event, the built-in mapping whose shape the event
// has — Incydr (v2) file event, alert, Incydr audit event, Carbon Black alert or audit
// event, or legacy (v1) file event — so that one formatter serves a flow fed by any of
// the extractors. Each candidate is compiled once (with its own default vendor and
// product unless the node sets them); the choice costs a few property checks per event.
import { pickMapping } from './pick';
import { alertMapping } from './alert';
import { fileEventMapping } from './file-event';
import { fileEventV2Mapping } from './file-event-v2';
import { incydrAuditMapping } from './incydr-audit';
import { cbcAlertMapping, cbcAuditMapping } from './cbc-syslog';
import { vendorOf, type CefMapping, type CefSettings, type CompiledCef } from '../mapping';

/**
 * In this order: v2 first (its nested `event` object is unambiguous), then alerts
 * (`createdAt` with `ruleId`, `ruleSource` or `observations`; an alert also has
 * `actor`, a v1 field), then audit events (`type$` with `timestamp` and an actor; an
 * audit event may carry a v1-looking field such as `userUid`), then Carbon Black alerts
 * (`backend_update_timestamp`, `reason_code` and `id`) and audit events (`eventTime` with
 * `loginName`, or `create_time` with `actor` and `description`: an `actor` alone would
 * look like v1), then v1 (`eventType` or any of its mapped fields, e.g. a
 * removable-media-only record).
 */
export const AUTO_CANDIDATES: readonly CefMapping[] = [fileEventV2Mapping, alertMapping, incydrAuditMapping, cbcAlertMapping, cbcAuditMapping, fileEventMapping];

function compile(settings: CefSettings) {
  const compiled = new Map<CefMapping, CompiledCef>(AUTO_CANDIDATES.map((m) => [m, m.compile({ ...settings, vendor: vendorOf(m, settings.vendor) })]));
  return (event: Record<string, unknown>): string => {
    const mapping = pickMapping(event, AUTO_CANDIDATES);
    if (!mapping) {
      throw new Error('event matches none of the shapes the auto mapping knows: an Incydr file event ("event" object or "@timestamp"), an alert (createdAt with ruleId, ruleSource or observations), an Incydr audit event (type$ with timestamp and actorId or actorName), a Carbon Black alert (backend_update_timestamp, reason_code, id) or audit event (eventTime with loginName) or a legacy file event (eventType or any of its fields: eventId, fileName, …); choose a mapping (e.g. custom) for this event');
    }
    return (compiled.get(mapping) as CompiledCef)(event);
  };
}

export const autoMapping: CefMapping = {
  name: 'auto',
  // Empty: each picked mapping uses its own default product.
  defaultProduct: '',
  version: '',
  matches: (event) => AUTO_CANDIDATES.some((m) => m.matches(event)),
  compile,
};
