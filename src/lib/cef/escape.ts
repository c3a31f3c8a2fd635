// CEF escaping (ArcSight "Implementing ArcSight CEF", rev. 25): in the header a
// backslash and a pipe are escaped; in the extension a backslash and an equals
// sign are escaped and line breaks become \r / \n. `none` reproduces the
// reference (c42eventextractor), which escaped nothing.

export type Escaping = 'spec' | 'none';
export const ESCAPINGS: readonly Escaping[] = ['spec', 'none'];

/** Accepts the contract's name `cef` for `spec`. */
export function parseEscaping(value: unknown, field: string): Escaping {
  if (value === 'spec' || value === 'cef') return 'spec';
  if (value === 'none') return 'none';
  throw new Error(`${field} must be one of spec (alias cef), none; got ${JSON.stringify(value)}`);
}

const HEADER_SPECIAL = /[\\|\r\n]/;
const EXT_SPECIAL = /[\\=\r\n]/;

/** Header field: `\` → `\\`, `|` → `\|`, CR and LF → one space each. */
export function escapeHeaderSpec(s: string): string {
  if (!HEADER_SPECIAL.test(s)) return s;
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]/g, ' ');
}

/** Extension value or label: `\` → `\\`, `=` → `\=`, CR → `\r`, LF → `\n`. */
export function escapeExtensionSpec(s: string): string {
  if (!EXT_SPECIAL.test(s)) return s;
  return s.replace(/[\\=\r\n]/g, (c) => (c === '\r' ? '\\r' : c === '\n' ? '\\n' : '\\' + c));
}

const identity = (s: string): string => s;

export interface Escapers {
  header(s: string): string;
  extension(s: string): string;
}

export function escapersFor(escaping: Escaping): Escapers {
  return escaping === 'spec' ? { header: escapeHeaderSpec, extension: escapeExtensionSpec } : { header: identity, extension: identity };
}
