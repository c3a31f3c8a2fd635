// A URL parser for notification URLs. Not WHATWG URL: tokens put ':' and other
// characters in the authority (tgram://123:AbC/…), and Apprise keeps '+', '-'
// and ':' prefixed query keys as headers, query parameters and payload fields.

export interface ParsedUrl {
  /** The original text (a secret: never show it). */
  raw: string;
  scheme: string;
  user?: string;
  password?: string;
  host: string;
  /** The text after the host's ':' (a port, or a token for tgram://). */
  portText?: string;
  port?: number;
  /** Decoded, non-empty path segments. */
  segments: string[];
  /** The decoded path as written (with leading '/'). */
  path: string;
  /** Plain options with lower-cased keys. */
  options: Record<string, string>;
  /** `+Name=value`: extra HTTP headers. */
  headers: Record<string, string>;
  /** `-name=value`: extra query parameters. */
  params: Record<string, string>;
  /** `:name=value`: payload additions/renames. */
  fields: Record<string, string>;
  /** Shoutrrr `$k=v` (payload) and `@H=v` (header) options of generic://. */
  shoutrrrFields: Record<string, string>;
  shoutrrrHeaders: Record<string, string>;
  /** The query keys (any prefix) in their written case, in order. */
  query: Array<[string, string]>;
}

export class NotifyUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotifyUrlError';
  }
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/is;

/** Splits a URL into its parts; throws NotifyUrlError (without echoing the URL) if it has no scheme. */
export function parseUrl(raw: string): ParsedUrl {
  const text = raw.trim();
  const m = SCHEME.exec(text);
  if (!m) throw new NotifyUrlError('not a URL (expected scheme://…)');
  const scheme = m[1].toLowerCase();
  let rest = m[2];
  const hash = rest.indexOf('#');
  // A '#' starts a fragment only after the path: Slack channels are written '/#chan'.
  const queryAt = rest.indexOf('?');
  let queryText = '';
  if (queryAt >= 0) {
    queryText = rest.slice(queryAt + 1);
    rest = rest.slice(0, queryAt);
  } else if (hash >= 0 && rest.lastIndexOf('/', hash) < 0) {
    rest = rest.slice(0, hash);
  }
  const slash = rest.indexOf('/');
  const authority = slash >= 0 ? rest.slice(0, slash) : rest;
  const pathText = slash >= 0 ? rest.slice(slash) : '';
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : undefined;
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  let user: string | undefined;
  let password: string | undefined;
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    user = decode(colon >= 0 ? userinfo.slice(0, colon) : userinfo);
    password = colon >= 0 ? decode(userinfo.slice(colon + 1)) : undefined;
  }
  let host = hostPort;
  let portText: string | undefined;
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']');
    host = hostPort.slice(0, end + 1);
    if (hostPort[end + 1] === ':') portText = hostPort.slice(end + 2);
  } else {
    const colon = hostPort.indexOf(':');
    if (colon >= 0) {
      host = hostPort.slice(0, colon);
      portText = hostPort.slice(colon + 1);
    }
  }
  host = decode(host);
  if (portText !== undefined) portText = decode(portText);
  const port = portText !== undefined && /^\d{1,5}$/.test(portText) ? Number(portText) : undefined;
  const segments = pathText.split('/').filter((s) => s !== '').map(decode);
  const parsed: ParsedUrl = {
    raw: text, scheme, user, password, host, portText, port, segments, path: decode(pathText),
    options: {}, headers: {}, params: {}, fields: {}, shoutrrrFields: {}, shoutrrrHeaders: {}, query: [],
  };
  for (const pair of queryText.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decode(eq >= 0 ? pair.slice(0, eq) : pair);
    const value = eq >= 0 ? decode(pair.slice(eq + 1)) : '';
    parsed.query.push([key, value]);
    const name = key.slice(1);
    switch (key[0]) {
      case '+': parsed.headers[name] = value; break;
      case '-': parsed.params[name] = value; break;
      case ':': parsed.fields[name] = value; break;
      case '$': parsed.shoutrrrFields[name] = value; break;
      case '@': parsed.shoutrrrHeaders[name] = value; break;
      default: parsed.options[key.toLowerCase()] = value;
    }
  }
  return parsed;
}

/** yes/no style option → boolean (Apprise accepts yes/no/true/false/1/0/on/off). */
export function yesNo(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  const v = value.trim().toLowerCase();
  if (['yes', 'true', '1', 'on', 'y'].includes(v)) return true;
  if (['no', 'false', '0', 'off', 'n'].includes(v)) return false;
  return fallback;
}

/** A comma/space separated list option. */
export function listOption(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}

/** `host[:port]` as written for a base URL (IPv6 kept in brackets). */
export function hostWithPort(url: ParsedUrl): string {
  return url.port !== undefined ? `${url.host}:${url.port}` : url.host;
}
