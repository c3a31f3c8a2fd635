import type { Code42Client, IncydrClient } from '../../lib/code42';

/** What an extractor node needs from its `secflow-code42` config node. */
export interface Code42Tenant {
  /** The API flavour: `v1` (legacy forensic search; a config node without the property) or `incydr`. */
  apiVersion: 'v1' | 'incydr';
  /** The shared v1 client; throws an error naming the field if the config is unusable. */
  client(): Code42Client;
  /** The shared Incydr client; throws an error naming the field (url, region, credentials) if unusable. */
  incydrClient(): IncydrClient;
}

/** A `secflow-code42` config node (a `secflow-cbc` one has a `client()` too, but no Incydr client). */
export function isTenant(node: unknown): node is Code42Tenant {
  return !!node && typeof (node as Code42Tenant).client === 'function' && typeof (node as Code42Tenant).incydrClient === 'function';
}
