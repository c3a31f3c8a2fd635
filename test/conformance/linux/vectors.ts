// Loads the msticpy test vectors (../shared/vectors/linux) for the Linux hunting tests.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { vectorPath } from '../../support/vectors';

export const VECTORS = vectorPath('linux');

/** A CSV vector as row objects: BOM stripped, the unnamed pandas index column dropped, cells as strings. */
export function readCsv(name: string): Array<Record<string, string>> {
  const text = fs.readFileSync(path.join(VECTORS, name), 'utf8').replace(/^\uFEFF/, '');
  const rows = parse(text, { columns: true, skip_empty_lines: true }) as Array<Record<string, string>>;
  for (const row of rows) delete row[''];
  return rows;
}

export function readText(name: string): string {
  return fs.readFileSync(path.join(VECTORS, name), 'utf8');
}
