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
 * The real directory to write into: `baseDir` (the configured directory; a
 * relative one resolves against `relativeTo`, Node-RED's userDir), or `subdir`
 * inside it. Refuses anything that resolves outside, through `..`, an absolute
 * path or a symlink, before creating anything: the sub-directories are created
 * one by one (mode 0700), each inside a directory whose real path was checked.
 */
export async function resolveOutputDir(baseDir: string, subdir: unknown = '', relativeTo = process.cwd()): Promise<string> {
  if (!baseDir) throw new Error('outputDir is not set');
  if (typeof subdir !== 'string') throw new Error(`outputPath must be a string (a sub-directory of the output directory), got ${subdir === null ? 'null' : Array.isArray(subdir) ? 'an array' : typeof subdir}`);
  if (subdir.includes('\0')) throw new Error('outputPath must not contain NUL characters');
  const base = path.resolve(relativeTo, baseDir);
  await fs.mkdir(base, { recursive: true, mode: 0o700 });
  const realBase = await fs.realpath(base);
  const target = path.resolve(realBase, subdir);
  if (!inside(realBase, target)) throw new Error(`output path ${JSON.stringify(subdir)} is outside the configured directory`);
  let current = realBase;
  for (const part of path.relative(realBase, target).split(path.sep).filter(Boolean)) {
    const next = path.join(current, part);
    let real = await realpathOrMissing(next);
    if (real === undefined) {
      try {
        await fs.mkdir(next, { mode: 0o700 });
      } catch (err) {
        // EEXIST here is a dangling symlink: mkdir does not follow it, realpath could not.
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new Error(`output path ${JSON.stringify(subdir)} is outside the configured directory (through a symlink)`, { cause: err });
        throw err;
      }
      real = await fs.realpath(next);
    }
    if (!inside(realBase, real)) throw new Error(`output path ${JSON.stringify(subdir)} is outside the configured directory (through a symlink)`);
    current = real;
  }
  return current;
}

async function realpathOrMissing(p: string): Promise<string | undefined> {
  try {
    return await fs.realpath(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes (overwrites) `name` in `dir`, created 0600 (process events are sensitive); `name` must be a plain file name. */
export async function writeInside(dir: string, name: string, content: string): Promise<string> {
  if (!name || name !== path.basename(name) || name === '.' || name === '..' || /[\\/\0]/.test(name)) {
    throw new Error(`file name ${JSON.stringify(name)} is not a plain file name`);
  }
  const target = path.join(dir, name);
  if (!inside(dir, target)) throw new Error(`output path ${JSON.stringify(name)} is outside the configured directory`);
  const handle = await fs.open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
  try {
    await handle.writeFile(content, 'utf8');
  } finally {
    await handle.close();
  }
  return target;
}
