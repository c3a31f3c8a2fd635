// A CEF parser written from the specification ("Implementing ArcSight Common
// Event Format (CEF)", rev. 25), independent of secflow's formatter:
// - the header is `CEF:Version|Device Vendor|Device Product|Device Version|
//   Device Event Class ID|Name|Severity|Extension`; in header fields a pipe is
//   written `\|` and a backslash `\\`;
// - the extension is space-separated `key=value` pairs; in values an equals sign
//   is `\=`, a backslash `\\`, and line breaks `\n` / `\r`; a value runs up to
//   the space before the next `key=` (keys are alphanumeric; a value may contain spaces).

export interface ParsedCef {
  version: string;
  vendor: string;
  product: string;
  deviceVersion: string;
  signatureId: string;
  name: string;
  severity: string;
  /** Extension pairs in the order they appear. */
  extension: Array<[string, string]>;
}

function unescapeHeader(s: string): string {
  return s.replace(/\\([\\|])/g, '$1');
}

function unescapeValue(s: string): string {
  return s.replace(/\\([\\=nr])/g, (_m, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

const KEY_CHAR = /[A-Za-z0-9_]/;

export function parseCef(line: string): ParsedCef {
  if (!line.startsWith('CEF:')) throw new Error('not a CEF record: missing "CEF:" prefix');
  // Split the header on unescaped pipes: seven fields, then the extension.
  const header: string[] = [];
  let start = 4;
  let i = 4;
  while (header.length < 7) {
    if (i >= line.length) throw new Error(`truncated header: ${header.length} of 7 fields`);
    const c = line[i];
    if (c === '\\') i += 2;
    else if (c === '|') {
      header.push(unescapeHeader(line.slice(start, i)));
      start = ++i;
    } else i++;
  }
  const ext = line.slice(start);
  // Unescaped '=' positions; each starts a key reaching back to a space or the start.
  const pairs: Array<{ key: string; keyStart: number; valueStart: number }> = [];
  for (let j = 0; j < ext.length; j++) {
    if (ext[j] === '\\') {
      j++;
      continue;
    }
    if (ext[j] !== '=') continue;
    let k = j;
    while (k > 0 && KEY_CHAR.test(ext[k - 1])) k--;
    if (k === j || (k > 0 && ext[k - 1] !== ' ')) throw new Error(`unescaped "=" inside a value at extension offset ${j}`);
    pairs.push({ key: ext.slice(k, j), keyStart: k, valueStart: j + 1 });
  }
  if (ext.length > 0 && (pairs.length === 0 || pairs[0].keyStart !== 0)) throw new Error('extension does not start with key=');
  const extension: Array<[string, string]> = pairs.map((p, n) => {
    const end = n + 1 < pairs.length ? pairs[n + 1].keyStart - 1 : ext.length;
    return [p.key, unescapeValue(ext.slice(p.valueStart, end))];
  });
  const [version, vendor, product, deviceVersion, signatureId, name, severity] = header;
  return { version, vendor, product, deviceVersion, signatureId, name, severity, extension };
}

/** The extension as an object (a repeated key would be a formatter bug, so it throws). */
export function extensionMap(parsed: ParsedCef): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of parsed.extension) {
    if (k in out) throw new Error(`key ${k} appears twice`);
    out[k] = v;
  }
  return out;
}
