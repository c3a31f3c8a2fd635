import type { Code42Client } from '../../lib/code42';

/** What an extractor node needs from its `secflow-code42` config node. */
export interface Code42Tenant {
  /** The API flavour; `v1` today, `incydr` later. */
  apiVersion: 'v1';
  /** The shared client; throws an error naming the field if the config is unusable. */
  client(): Code42Client;
}

export function isTenant(node: unknown): node is Code42Tenant {
  return !!node && typeof (node as Code42Tenant).client === 'function';
}
