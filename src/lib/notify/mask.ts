// Privacy forms (R3/S11): passwords become ****, tokens keep their first and last
// character (A...9), short values become ****. scrub() (util/secrets, shared with
// HttpClient) removes known secrets from any text before it reaches logs, status or msg.

export { maskToken, scrub } from '../util/secrets';
import { maskToken } from '../util/secrets';

export function maskPassword(value: string | undefined): string {
  return value ? '****' : '';
}

const SAFE_HOST = /^(localhost|\[[0-9a-f:.]+\]|[\w-]+(\.[\w-]+)+)$/i;
const SAFE_OPTIONS = new Set(['format', 'overflow', 'retry', 'wait', 'verify', 'cto', 'rto', 'mode', 'to', 'cc', 'bcc', 'from', 'name', 'priority', 'method', 'pa', 'ver', 'wrap', 'botname', 'tts', 'silent', 'preview', 'disabletls', 'template', 'encryption', 'usestarttls', 'skiptlsverify']);

/**
 * A conservative privacy form of a URL that may not even parse: the scheme, a
 * hostname that looks like one, a numeric port and harmless options are kept;
 * everything else (userinfo, path segments, other option values) is masked.
 */
export function maskUnknownUrl(raw: string): string {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(\?[^#]*)?/is.exec(raw.trim());
  if (!m) return maskToken(raw.trim());
  const [, scheme, authority, path, query] = m;
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : '';
  const hostPort = at >= 0 ? authority.slice(at + 1) : authority;
  const [host, port] = hostPort.split(/:(.*)/s, 2);
  let out = `${scheme.toLowerCase()}://`;
  if (userinfo) {
    const [user, pass] = userinfo.split(/:(.*)/s, 2);
    out += `${maskToken(user)}${pass !== undefined ? ':****' : ''}@`;
  }
  out += SAFE_HOST.test(host) ? host : maskToken(host);
  if (port !== undefined) out += /^\d+$/.test(port) ? `:${port}` : `:${maskToken(port)}`;
  out += path.split('/').map((s) => (s ? maskToken(s) : s)).join('/');
  if (query) {
    const pairs = query.slice(1).split('&').filter(Boolean).map((pair) => {
      const [k, v] = pair.split(/=(.*)/s, 2);
      return v === undefined ? k : `${k}=${SAFE_OPTIONS.has(k.toLowerCase()) ? v : maskToken(v)}`;
    });
    if (pairs.length) out += `?${pairs.join('&')}`;
  }
  return out;
}
