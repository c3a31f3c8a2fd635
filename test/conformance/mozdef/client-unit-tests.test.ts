// Conformance: the upstream mozdef_client unit tests (client_unit_tests.json), replayed
// step by step against secflow's message model (test/unit/mozdef/client-steps.ts):
// validation outcomes, construct() results, error texts and message types must be what
// the upstream tests assert. test/unit/mozdef/client-cases.test.ts runs the project's
// own cases through the same runner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { vectorPath } from '../../support/vectors';
import { udpSink } from '../../unit/mozdef/helpers';
import { runCase, type ClientCases } from '../../unit/mozdef/client-steps';

const vectors = JSON.parse(fs.readFileSync(vectorPath('mozdef', 'client_unit_tests.json'), 'utf8')) as ClientCases;

test('client_unit_tests.json: all 19 upstream cases behave as upstream asserts', async (t) => {
  assert.equal(vectors.cases.length, 19);
  const sink = await udpSink();
  t.after(() => sink.close());
  for (const c of vectors.cases) {
    await t.test(`${c.file.split('/').pop()} ${c.name}`, () => runCase(vectors, c, sink));
  }
});
