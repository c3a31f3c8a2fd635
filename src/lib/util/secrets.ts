// The one place that keeps secrets out of text (errors, logs, status, outputs):
// the privacy form of a token, scrubbing known secrets from any text, and the
// secrets a request's credential headers carry, so that a server echoing them
// (in an error body, say) cannot put them in front of a user.

/** A token's privacy form: first and last character (A...9); short values become ****. */
export function maskToken(value: string | undefined): string {
  if (!value) return '';
  if (value.length <= 4) return '****';
  const chars = Array.from(value);
  return `${chars[0]}...${chars[chars.length - 1]}`;
}

/** Replaces every occurrence of each secret (and its URL-encoded and JSON-escaped forms) by its token mask. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (!secret || secret.length < 3) continue;
    const masked = maskToken(secret);
    for (const form of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) {
      if (out.includes(form)) out = out.split(form).join(masked);
    }
  }
  return out;
}

/** Header names that carry credentials (Basic/Bearer, Carbon Black's X-Auth-Token, API keys, TOTP codes, cookies). */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie|totp-auth)$|token|secret|key|passw|auth/i;

/**
 * The secrets in a request's headers: each credential header's value, the
 * credential after its scheme ("Basic …", "Bearer …"), a Basic credential's
 * decoded `id:secret` and secret, and the parts of `SECRET/ID` keys.
 */
export function headerSecrets(headers: Record<string, string | undefined>): string[] {
  const out = new Set<string>();
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined || !CREDENTIAL_HEADER.test(name)) continue;
    const value = String(raw).trim();
    out.add(value);
    const scheme = /^([A-Za-z][\w-]*)\s+(\S+)$/.exec(value);
    const credential = scheme ? scheme[2] : value;
    out.add(credential);
    if (scheme && scheme[1].toLowerCase() === 'basic') {
      const decoded = Buffer.from(credential, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) {
        out.add(decoded);
        out.add(decoded.slice(colon + 1));
      }
    }
    // Carbon Black's `SECRET/ID` (a scheme-less value; base64 may contain '/' too).
    if (!scheme) for (const part of credential.split('/')) if (part !== credential) out.add(part);
  }
  return [...out];
}
