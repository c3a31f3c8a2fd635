// The target list of the config node (S1): Apprise TEXT config (`tags=URL` per
// line, `#` comments) or Apprise YAML (`version: 1`, global `tag`, `urls:`).
// `include` is rejected. Errors never echo a URL unmasked.
import YAML from 'yaml';
import { maskUnknownUrl } from './mask';

export interface TargetEntry {
  url: string;
  tags: string[];
  /** 1-based line (TEXT) or entry number (YAML), for error messages. */
  where: string;
}

export interface TargetList {
  entries: TargetEntry[];
  errors: string[];
}

function splitTags(text: unknown): string[] {
  if (Array.isArray(text)) return text.flatMap(splitTags);
  if (text === undefined || text === null) return [];
  return String(text).split(/[\s,]+/).map((t) => t.trim()).filter(Boolean);
}

export function looksLikeYaml(text: string): boolean {
  // TEXT lines are `[tags=]scheme://…`; a top-level `urls:` or `version:` key means YAML.
  return /^(urls|version)\s*:/m.test(text);
}

const LINE = /^(?:([^=]*?)\s*=\s*)?([a-z][a-z0-9+.-]*:\/\/.*)$/is;

export function parseTextList(text: string): TargetList {
  const entries: TargetEntry[] = [];
  const errors: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    const where = `line ${i + 1}`;
    if (/^include\s/i.test(trimmed) || /^[^=]*=\s*include\s/i.test(trimmed)) {
      errors.push(`${where}: include is not supported`);
      return;
    }
    const m = LINE.exec(trimmed);
    if (!m) {
      errors.push(`${where}: not a URL or tags=URL line (${maskUnknownUrl(trimmed)})`);
      return;
    }
    entries.push({ url: m[2].trim(), tags: splitTags(m[1]), where });
  });
  return { entries, errors };
}

/** Query string of extra YAML options (Apprise lets YAML keys act as URL options). */
function withOptions(url: string, options: Record<string, unknown>): string {
  const pairs = Object.entries(options)
    .filter(([k, v]) => k !== 'tag' && v !== undefined && v !== null)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(Array.isArray(v) ? v.join(',') : String(v))}`);
  if (!pairs.length) return url;
  return `${url}${url.includes('?') ? '&' : '?'}${pairs.join('&')}`;
}

export function parseYamlList(text: string): TargetList {
  const entries: TargetEntry[] = [];
  const errors: string[] = [];
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (err) {
    // The YAML library quotes the offending line; report only the position.
    const pos = (err as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
    return { entries, errors: [`YAML is not valid${pos ? ` (line ${pos})` : ''}`] };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { entries, errors: ['YAML must be a mapping with a urls: list'] };
  const root = doc as Record<string, unknown>;
  if ('include' in root) errors.push('include is not supported');
  if (root.version !== undefined && Number(root.version) !== 1) errors.push(`YAML version ${String(root.version)} is not supported (use version: 1)`);
  const globalTags = splitTags(root.tag);
  const urls = root.urls;
  if (!Array.isArray(urls)) {
    errors.push('YAML has no urls: list');
    return { entries, errors };
  }
  urls.forEach((item: unknown, i) => {
    const where = `urls entry ${i + 1}`;
    if (typeof item === 'string') {
      entries.push({ url: item.trim(), tags: globalTags, where });
      return;
    }
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      errors.push(`${where}: expected a URL or a "URL:" mapping`);
      return;
    }
    for (const [url, settings] of Object.entries(item as Record<string, unknown>)) {
      const list = Array.isArray(settings) ? settings : [settings ?? {}];
      for (const s of list) {
        const opts = (s && typeof s === 'object' ? s : {}) as Record<string, unknown>;
        entries.push({ url: withOptions(url.trim(), opts), tags: [...globalTags, ...splitTags(opts.tag)], where });
      }
    }
  });
  return { entries, errors };
}

/** Reads the list in whichever form it is written. */
export function parseTargetList(text: string): TargetList {
  return looksLikeYaml(text) ? parseYamlList(text) : parseTextList(text);
}
