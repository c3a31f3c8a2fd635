// Loads the shared public test vectors (`../shared/vectors` beside the project).
import fs from 'node:fs';
import path from 'node:path';
import { VECTORS_DIR } from '../../support/vectors';

export { VECTORS_DIR };

export function loadVector<T = any>(relative: string): T { // eslint-disable-line @typescript-eslint/no-explicit-any
  return JSON.parse(fs.readFileSync(path.join(VECTORS_DIR, relative), 'utf8')) as T;
}

export interface Code42CliVectors {
  fixtures: Record<string, Record<string, unknown>>;
  fixture_map: Record<string, string>;
  cases: Array<{ test: string; fixture: string; assert: string; source?: string; field?: string; value?: string; set_eventType?: string; signature_id?: string }>;
  full_string_vectors: Array<{ test: string; expected: string }>;
}

export const code42cli = (): Code42CliVectors => loadVector('code42/cef_verbatim_code42cli_tests.json');
export const py42Payloads = (): Record<string, unknown> => loadVector('code42/py42_payloads.json');

/** A fresh copy of a fixture, by the test-case fixture name or the fixture's own name. */
export function fixture(v: Code42CliVectors, name: string): Record<string, unknown> {
  return structuredClone(v.fixtures[v.fixture_map[name] ?? name]);
}
