// msg.attachments (issue 15): files sent with a notification. Each item is a Buffer
// with a name ({name, data[, mimetype]}), or a file path (a string or {path[, name]})
// that must lie inside the directory configured on the node: paths are resolved with
// symlinks followed, anything outside the directory (or no directory configured) is
// refused, and nothing is ever created. Errors name the item.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { lookup } from 'mime-types';
import type { Attachment } from './types';

/** Upper bound for one file read from disk, before any service's own limit. */
export const MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;

function fileName(name: unknown, field: string): string {
  if (typeof name !== 'string' || !name.trim()) throw new Error(`${field}.name must be a non-empty string`);
  // Only the last path part: a name never selects a directory on the receiving side.
  const base = Array.from(path.basename(name.replace(/\\/g, '/')), (c) => (c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127 || c === '"' ? '_' : c)).join('');
  if (!base || base === '.' || base === '..') throw new Error(`${field}.name ${JSON.stringify(name)} is not a file name`);
  return base;
}

function mimeOf(name: string, given: unknown): string {
  return typeof given === 'string' && /^[\w.+-]+\/[\w.+-]+$/.test(given) ? given : lookup(name) || 'application/octet-stream';
}

async function fromPath(written: string, dir: string | undefined, field: string, name?: unknown, mimetype?: unknown): Promise<Attachment> {
  if (!dir) throw new Error(`${field}: file paths need the node's attachment directory to be set`);
  const root = await fs.realpath(dir).catch(() => {
    throw new Error(`${field}: the attachment directory does not exist`);
  });
  const real = await fs.realpath(path.resolve(root, written)).catch(() => {
    throw new Error(`${field}: ${JSON.stringify(written)} does not exist in the attachment directory`);
  });
  if (real !== root && !real.startsWith(root + path.sep)) throw new Error(`${field}: ${JSON.stringify(written)} is outside the attachment directory`);
  const stat = await fs.stat(real);
  if (!stat.isFile()) throw new Error(`${field}: ${JSON.stringify(written)} is not a file`);
  if (stat.size > MAX_ATTACHMENT_BYTES) throw new Error(`${field}: ${JSON.stringify(written)} is ${stat.size} bytes, over ${MAX_ATTACHMENT_BYTES}`);
  const data = await fs.readFile(real);
  const fname = name === undefined ? path.basename(real) : fileName(name, field);
  return { name: fname, data, mimetype: mimeOf(fname, mimetype) };
}

/** Reads msg.attachments; `dir` is the node's attachment directory (paths are confined to it). */
export async function readAttachments(value: unknown, dir: string | undefined): Promise<Attachment[]> {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  const out: Attachment[] = [];
  for (const [i, item] of items.entries()) {
    const field = `msg.attachments[${i}]`;
    if (typeof item === 'string') {
      out.push(await fromPath(item, dir, field));
      continue;
    }
    if (!item || typeof item !== 'object') throw new Error(`${field} must be {name, data: Buffer}, {path} or a file path`);
    const o = item as { name?: unknown; data?: unknown; content?: unknown; path?: unknown; mimetype?: unknown; contentType?: unknown };
    const data = o.data ?? o.content;
    if (Buffer.isBuffer(data)) {
      const name = fileName(o.name, field);
      if (data.length > MAX_ATTACHMENT_BYTES) throw new Error(`${field}: ${name} is ${data.length} bytes, over ${MAX_ATTACHMENT_BYTES}`);
      out.push({ name, data, mimetype: mimeOf(name, o.mimetype ?? o.contentType) });
    } else if (typeof o.path === 'string') {
      out.push(await fromPath(o.path, dir, field, o.name, o.mimetype ?? o.contentType));
    } else {
      throw new Error(`${field} needs data (a Buffer) with a name, or a path`);
    }
  }
  return out;
}
