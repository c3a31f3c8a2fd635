// Python's urllib.parse.unquote: %XX sequences decoded as UTF-8 bytes, invalid
// sequences replaced by U+FFFD (decodeURIComponent would throw instead).
export function pyUnquote(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
}
