// secflow-ioc: extracts IoCs (IPv4/IPv6, dns names, URLs, e-mail addresses,
// MD5/SHA1/SHA256 hashes, optionally Windows/Linux paths) from chosen message
// properties, as msticpy's IoCExtract does; msg.iocs = {type: [observables]}.
import get from 'lodash/get';
import { IOC_TYPES, IocExtractor, MAX_TEXT, PATH_TYPES, parseTypes, type IocResult, type IocType } from '../lib/ioc';
import { TurnClock } from '../lib/util/turns';
import { bool, num, str } from './shared/config';
import { onClose, onInput } from './shared/input';
import { inOrder } from './shared/in-order';
import type { Node, NodeAPI, NodeDef } from './shared/red';
import { deriveMessage } from './shared/message';

/** Texts longer than this are scanned in a turn of their own. */
const BIG_TEXT = 10_000;

/**
 * Keys not scanned by default: times and dates (05:20:02 looks like IPv6 to the
 * upstream pattern). Whole-key globs, so `update_url` or `runtime_host` are scanned.
 */
export const DEFAULT_SKIP_KEYS = '*time, *date, *timestamp, *_at, timegenerated';
export const DEFAULT_MAX_DEPTH = 32;

/** A comma list of key globs (`*` any run, case-insensitive) as one matcher; empty: nothing skipped. */
export function keyMatcher(list: string): (key: string) => boolean {
  const globs = list.split(',').map((g) => g.trim()).filter(Boolean);
  if (!globs.length) return () => false;
  const re = new RegExp(`^(?:${globs.map((g) => g.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')).join('|')})$`, 'i');
  return (key) => re.test(key);
}

interface Scan {
  texts: Array<{ field: string; text: string }>;
  /** Paths of objects nested deeper than maxDepth (not scanned). */
  tooDeep: string[];
}

/**
 * The texts in a property value: a string, a Buffer, or the string values of an
 * object (its SyslogMessage when it has one) down to `maxDepth` levels. Walked
 * with an explicit stack: a 10,000-level payload cannot overflow the call stack.
 */
function texts(value: unknown, field: string, skip: (key: string) => boolean, maxDepth: number): Scan {
  const out: Scan = { texts: [], tooDeep: [] };
  if (typeof value === 'string') return { ...out, texts: [{ field, text: value }] };
  if (Buffer.isBuffer(value)) return { ...out, texts: [{ field, text: value.toString('utf8') }] };
  if (!value || typeof value !== 'object') throw new Error(`${field} must be text (a string or Buffer) or an object with text values; got ${typeof value} ${JSON.stringify(value)}`);
  const stack: Array<{ value: unknown; field: string; depth: number }> = [{ value, field, depth: 0 }];
  while (stack.length) {
    const item = stack.pop()!;
    if (typeof item.value === 'string') {
      out.texts.push({ field: item.field, text: item.value });
      continue;
    }
    if (Buffer.isBuffer(item.value)) {
      out.texts.push({ field: item.field, text: item.value.toString('utf8') });
      continue;
    }
    if (!item.value || typeof item.value !== 'object') continue;
    const obj = item.value as Record<string, unknown>;
    if (typeof obj.SyslogMessage === 'string') {
      out.texts.push({ field: `${item.field}.SyslogMessage`, text: obj.SyslogMessage });
      continue;
    }
    if (item.depth >= maxDepth) {
      if (out.tooDeep.length < 20) out.tooDeep.push(item.field);
      continue;
    }
    const entries = Array.isArray(obj) ? obj.map((v, i) => [String(i), v] as const) : Object.entries(obj);
    // Reversed onto the stack, so texts come out in document order.
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, v] = entries[i];
      if (Array.isArray(obj) || !skip(k)) stack.push({ value: v, field: `${item.field}.${k}`, depth: item.depth + 1 });
    }
  }
  return out;
}

export default function (RED: NodeAPI): void {
  RED.nodes.registerType('secflow-ioc', function (this: Node, config: NodeDef) {
    RED.nodes.createNode(this, config);
    try {
      setUp(RED, this, config);
    } catch (err) {
      // A bad setting (types, maxDepth): reported now and with every message, so a Catch node sees it.
      const error = err as Error;
      this.status({ fill: 'red', shape: 'ring', text: error.message.slice(0, 60) });
      this.error(error.message);
      onInput(this, () => {
        throw error;
      });
    }
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
  const skip = keyMatcher(config.skipKeys === undefined || config.skipKeys === null ? DEFAULT_SKIP_KEYS : String(config.skipKeys));
  const maxDepth = num(config.maxDepth, DEFAULT_MAX_DEPTH, 'maxDepth', { min: 0, max: 10_000, integer: true });

  onInput(node, inOrder(async (msg, send) => {
    const merged: IocResult = {};
    // A big text starts a turn of its own, small ones share turns of 20 ms; a big
    // text's dns scan also pauses between windows (100,000 characters of hostile dotted
    // text took 45-185 ms in one go).
    const clock = new TurnClock();
    const origin: Array<{ type: IocType; observable: string; property: string }> = [];
    let scanned = 0;
    // Fields whose text is longer than the extractor scans, and objects nested too deep: reported, never skipped in silence.
    const truncated: string[] = [];
    const tooDeep: string[] = [];
    for (const property of properties) {
      const value = get(msg, property);
      if (value === undefined || value === null) continue;
      const scan = texts(value, `msg.${property}`, skip, maxDepth);
      tooDeep.push(...scan.tooDeep);
      for (const { field, text } of scan.texts) {
        if (text.length > BIG_TEXT || clock.due()) await clock.yield();
        scanned++;
        if (text.length > MAX_TEXT) truncated.push(field);
        // A long text's scan pauses between steps: a turn also ends inside one text.
        const steps = extractor.steps(text);
        let step = steps.next();
        while (!step.done) {
          if (clock.due()) await clock.yield();
          step = steps.next();
        }
        for (const [type, list] of Object.entries(step.value) as Array<[IocType, string[]]>) {
          const into = (merged[type] ??= []);
          for (const observable of list) {
            if (into.includes(observable)) continue;
            into.push(observable);
            origin.push({ type, observable, property });
          }
        }
      }
    }
    if (scanned === 0 && tooDeep.length === 0) throw new Error(`none of ${properties.map((p) => `msg.${p}`).join(', ')} holds text to scan for IoCs`);
    const flags = { ...(truncated.length ? { truncated } : {}), ...(tooDeep.length ? { tooDeep } : {}) };
    if (!split) {
      send({ ...msg, iocs: merged, ...(truncated.length || tooDeep.length ? { ioc: flags } : {}) });
      return;
    }
    // One send() per message: Node-RED deep-copies every message after the first of one send() call.
    for (const o of origin) send(deriveMessage(RED, msg, { iocs: merged, ioc: { ...o, ...flags }, payload: { IoCType: o.type, Observable: o.observable, Property: o.property } }));
  }));
  onClose(node, () => undefined);
}
