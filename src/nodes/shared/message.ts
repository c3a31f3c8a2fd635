// Output messages derived from an input message. Node-RED's cloneMessage
// recurses and overflows the stack on a deeply nested property (about 3,000
// levels), so a derived message copies the input's other properties only when
// that is safe, and shares them otherwise; the payload is never copied (it is
// replaced anyway).
import { nestedDeeperThan } from '../../lib/util/nesting';
import type { NodeAPI, NodeMessage } from './red';

export function deriveMessage(RED: NodeAPI, msg: NodeMessage, fields: Record<string, unknown>): NodeMessage {
  const { payload: _replaced, req, res, ...rest } = msg as NodeMessage & { req?: unknown; res?: unknown };
  const copy = (nestedDeeperThan(rest) ? { ...rest } : RED.util.cloneMessage(rest)) as NodeMessage;
  // http-in's req/res are shared, as Node-RED's cloneMessage does.
  if (req !== undefined) copy.req = req;
  if (res !== undefined) copy.res = res;
  return Object.assign(copy, fields);
}
