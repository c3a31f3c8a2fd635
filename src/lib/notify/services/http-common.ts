// Helpers shared by the HTTP services: base URLs with the `endpoints` override,
// query strings, Basic auth and masked forms of self-hosted URLs.
import { maskPassword, maskToken } from '../mask';
import { hostWithPort, NotifyUrlError, type ParsedUrl } from '../url';
import type { Endpoints } from '../types';

/**
 * The request base: `endpoints[service]` (a self-hosted gateway, proxy or
 * emulator) replaces the service's default origin; its path is kept as a prefix.
 */
export function baseUrl(endpoints: Endpoints, service: string, fallback: string): string {
  return (endpoints[service] ?? fallback).replace(/\/+$/, '');
}

export function withQuery(url: string, query: Record<string, string | undefined>): string {
  const pairs = Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v!)}`);
  return pairs.length ? `${url}${url.includes('?') ? '&' : '?'}${pairs.join('&')}` : url;
}

export function basicAuth(user: string, password: string | undefined): string {
  return `Basic ${Buffer.from(`${user}:${password ?? ''}`).toString('base64')}`;
}

export function formEncode(fields: Record<string, string | number | undefined>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v)).replace(/%20/g, '+')}`)
    .join('&');
}

/** `scheme://user:****@host:port/path` with the path segments kept (for self-hosted webhooks). */
export function maskSelfHosted(url: ParsedUrl, opts: { maskPath?: boolean } = {}): string {
  const auth = url.user ? `${url.user}${url.password !== undefined ? `:${maskPassword(url.password) || '****'}` : ''}@` : '';
  const path = url.segments.map((s) => (opts.maskPath ? maskToken(s) : encodeURIComponent(s))).join('/');
  return `${url.scheme}://${auth}${hostWithPort(url)}/${path}`;
}

export function requireHost(url: ParsedUrl, mask: string): void {
  if (!url.host) throw new NotifyUrlError(`${mask}: the host is missing`);
  if (url.portText !== undefined && url.port === undefined) throw new NotifyUrlError(`${mask}: the port must be a number`);
}

/** Values of `+Header=value` options that carry credentials. */
export function headerSecrets(headers: Record<string, string>): string[] {
  return Object.entries(headers).filter(([k]) => /^(authorization|x-.*(key|token|secret)|.*token.*|.*secret.*|.*api[-_]?key.*)$/i.test(k)).flatMap(([, v]) => [v, ...v.split(/\s+/).filter((p) => p.length > 4)]);
}
