// Writes export files only inside the configured directory: names are checked,
// every target is resolved and must stay within the directory's real path, and
// files are opened with O_NOFOLLOW so a planted symlink is not followed.
import fs from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';

export const GUID_RE = /^[A-Za-z0-9-]{1,128}$/;

export function checkGuid(guid: string, field = 'guid'): string {
  if (!GUID_RE.test(guid)) throw new Error(`${field} must be 1–128 letters, digits or dashes (a Carbon Black process GUID), got ${JSON.stringify(guid)}`);
  return guid;
}

function inside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The real directory to write into: `baseDir` (the configured directory), or
 * `subdir` inside it. Refuses anything that resolves outside, through `..`, an
 * absolute path or a symlink. Creates the directory if it does not exist.
 */
export async function resolveOutputDir(baseDir: string, subdir = ''): Promise<string> {
  if (!baseDir) throw new Error('outputDir is not set');
  const base = path.resolve(baseDir);
  await fs.mkdir(base, { recursive: true });
  const realBase = await fs.realpath(base);
  const target = path.resolve(realBase, subdir);
  if (!inside(realBase, target)) throw new Error(`output path ${JSON.stringify(subdir)} is outside the configured directory`);
  await fs.mkdir(target, { recursive: true });
  const realTarget = await fs.realpath(target);
  if (!inside(realBase, realTarget)) throw new Error(`output path ${JSON.stringify(subdir)} is outside the configured directory (through a symlink)`);
  return realTarget;
}

/** Writes (overwrites) `name` in `dir`; `name` must be a plain file name. */
export async function writeInside(dir: string, name: string, content: string): Promise<string> {
  if (!name || name !== path.basename(name) || name === '.' || name === '..' || /[\\/\0]/.test(name)) {
    throw new Error(`file name ${JSON.stringify(name)} is not a plain file name`);
  }
  const target = path.join(dir, name);
  if (!inside(dir, target)) throw new Error(`output path ${JSON.stringify(name)} is outside the configured directory`);
  const handle = await fs.open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o644);
  try {
    await handle.writeFile(content, 'utf8');
  } finally {
    await handle.close();
  }
  return target;
}
