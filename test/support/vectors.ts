// Where the shared public test vectors are: `../shared/vectors` beside the project
// (as on the developers' machines and in CI).
import path from 'node:path';

export const VECTORS_DIR = path.resolve(__dirname, '../../../shared/vectors');

/** A path inside the shared vectors, e.g. vectorPath('linux', 'auditd_log.txt'). */
export function vectorPath(...parts: string[]): string {
  return path.join(VECTORS_DIR, ...parts);
}
