// The project's own mozdef_client-style cases (test/fixtures/mozdef/client-cases.ts),
// replayed step by step against secflow's message model: validation outcomes,
// construct() results, error texts and message types as contract R1/R2 says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import os from 'node:os';
import { MozDefMessage, MozDefError, TEXT, describeError } from '../../../src/lib/mozdef';
import { udpSink } from './helpers';
import { runCase } from './client-steps';
import { CLIENT_CASES } from '../../fixtures/mozdef/client-cases';

const HOST = { hostname: os.hostname(), processname: process.argv[1] ?? 'node', processid: process.pid };

test('secflow\'s own client cases behave as the contract says', async (t) => {
  const sink = await udpSink();
  t.after(() => sink.close());
  for (const c of CLIENT_CASES.cases) {
    await t.test(`${c.file}: ${c.name}`, () => runCase(CLIENT_CASES, c, sink));
  }
});

test('validation errors carry the reference text, a code and the missing fields', () => {
  const compliance = new MozDefMessage('compliance', HOST);
  compliance.summary = 'compliance item';
  compliance.details = { target: 'x', policy: { level: 'l' } };
  assert.throws(() => compliance.prepare(), (err: MozDefError) => {
    assert.equal(err.message, TEXT.postValidation);
    assert.equal(err.code, 'EPOSTVALIDATE');
    assert.ok(err.fields.includes('details.check'));
    assert.ok(err.fields.includes('details.policy.name'));
    assert.ok(!err.fields.includes('details.check.test'), 'children of a missing key are not listed again');
    return true;
  });
  const event = new MozDefMessage('event', HOST);
  assert.throws(() => event.prepare(), (err: MozDefError) => err.code === 'EVALIDATE' && err.message === TEXT.validation && err.fields[0] === 'summary'
    && describeError(err) === 'message failed validation (missing or empty: summary)');
  // [quirk fixed] RRA sets its own category; any other category fails validation.
  const rra = new MozDefMessage('rra', HOST);
  rra.summary = 'rra';
  rra.details = { metadata: { service: 's' } };
  assert.equal(rra.prepare().category, 'rra_data');
  rra.category = 'event';
  assert.equal(rra.validate(), false);
});
