// secflow-ioc: extracts IoCs (IPv4/IPv6, dns names, URLs, e-mail addresses,
// MD5/SHA1/SHA256 hashes, optionally Windows/Linux paths) from chosen message
// properties, as msticpy's IoCExtract does; msg.iocs = {type: [observables]}.
import get from 'lodash/get';
import { IOC_TYPES, IocExtractor, PATH_TYPES, parseTypes, type IocResult, type IocType } from '../lib/ioc';
import { TurnClock } from '../lib/util/turns';
import { bool, str } from './shared/config';
import { onClose, onInput } from './shared/input';
import { inOrder } from './shared/in-order';
import type { Node, NodeAPI, NodeDef, NodeMessage } from './shared/red';

/** Texts longer than this are scanned in a turn of their own. */
const BIG_TEXT = 10_000;

/** Keys whose values are times, which look like IPv6 (05:20:02) to the upstream pattern. */
const TIME_KEY = /time|date/i;

/** The texts in a property value: a string, a Buffer, or the string values of an object (its SyslogMessage when it has one). */
function texts(value: unknown, field: string, depth = 0): string[] {
  if (typeof value === 'string') return [value];
  if (Buffer.isBuffer(value)) return [value.toString('utf8')];
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    if (typeof obj.SyslogMessage === 'string') return [obj.SyslogMessage];
    if (depth >= 4) return [];
    const entries = Array.isArray(obj) ? obj.map((v, i) => [String(i), v] as const) : Object.entries(obj);
    return entries.filter(([k]) => !TIME_KEY.test(k)).flatMap(([k, v]) => (v && typeof v === 'object') || typeof v === 'string' ? texts(v, `${field}.${k}`, depth + 1) : []);
  }
  if (depth > 0) return [];
  throw new Error(`${field} must be text (a string or Buffer) or an object with text values; got ${typeof value} ${JSON.stringify(value)}`);
}

export default function (RED: NodeAPI): void {
  RED.nodes.registerType('secflow-ioc', function (this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    setUp(RED, this, config);
  });
}

function setUp(RED: NodeAPI, node: Node, config: NodeDef): void {
  const properties = (str(config.properties) || 'payload').split(',').map((p) => p.trim().replace(/^msg\./, '')).filter(Boolean);
  const includePaths = bool(config.includePaths, false);
  const chosen = parseTypes(str(config.types), 'types');
  const compat = bool(config.compat, false);
  // Empty types: all but the paths; include paths adds both (compat: only windows_path, as msticpy's table mode).
  const types: IocType[] = chosen.length ? chosen : IOC_TYPES.filter((t) => !PATH_TYPES.includes(t) || (includePaths && (!compat || t === 'windows_path')));
  const split = bool(config.split, false);
  const extractor = new IocExtractor({ types, strictIpv4: bool(config.strictIpv4, false), compat });

  onInput(node, inOrder(async (msg, send) => {
    const merged: IocResult = {};
    // A text takes up to ~45 ms (100,000 characters of hostile dotted text): a big
    // one gets a turn of its own, small ones share turns of 20 ms.
    const clock = new TurnClock();
    const origin: Array<{ type: IocType; observable: string; property: string }> = [];
    let scanned = 0;
    for (const property of properties) {
      const value = get(msg, property);
      if (value === undefined || value === null) continue;
      for (const text of texts(value, `msg.${property}`)) {
        if (text.length > BIG_TEXT || clock.due()) await clock.yield();
        scanned++;
        for (const [type, list] of Object.entries(extractor.extract(text)) as Array<[IocType, string[]]>) {
          const into = (merged[type] ??= []);
          for (const observable of list) {
            if (into.includes(observable)) continue;
            into.push(observable);
            origin.push({ type, observable, property });
          }
        }
      }
    }
    if (scanned === 0) throw new Error(`none of ${properties.map((p) => `msg.${p}`).join(', ')} holds text to scan for IoCs`);
    if (!split) {
      send({ ...msg, iocs: merged });
      return;
    }
    send([origin.map((o): NodeMessage => ({ ...RED.util.cloneMessage(msg), iocs: merged, ioc: o, payload: { IoCType: o.type, Observable: o.observable, Property: o.property } }))]);
  }));
  onClose(node, () => undefined);
}
