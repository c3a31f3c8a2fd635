// The HTTP body and the syslog line must be byte-identical to Python's json.dumps as
// mozdef_client calls it; python3 (the reference's runtime) is the oracle here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { httpBody, lineBody, mozdefTimestamp } from '../../../src/lib/mozdef';
import { COMPLIANCE_DETAILS, VULNERABILITY_DOC } from '../../fixtures/mozdef/documents';

const hasPython = spawnSync('python3', ['-c', 'import json'], { stdio: 'ignore' }).status === 0;

function python(mode: 'http' | 'line', doc: unknown): string {
  const code = mode === 'http'
    ? 'import json,sys; sys.stdout.write(json.dumps(json.load(sys.stdin), sort_keys=True, indent=4))'
    : 'import json,sys; sys.stdout.write(json.dumps(json.load(sys.stdin)))';
  return execFileSync('python3', ['-c', code], { input: JSON.stringify(doc), encoding: 'utf8' });
}

const SAMPLES: unknown[] = [
  COMPLIANCE_DETAILS,
  VULNERABILITY_DOC,
  {
    timestamp: '2015-03-06T15:05:48.226939+00:00', processid: 4242, processname: '/usr/bin/myapp.py', hostname: 'h',
    category: 'event', source: null, details: { empty: {}, list: [], nested: { z: [1, { b: true, a: false }] } },
    summary: 'café ✓ 😀 "quoted" back\\slash \n\t\r\b\f \u0001 \u007f', tags: ['a', 'ü'], severity: 'INFO',
    numbers: [0, -1, 1.5, 32.7, 1e16, 1.25e-7, 123456789012345, 0.0001],
  },
];

test('httpBody equals json.dumps(sort_keys=True, indent=4)', { skip: !hasPython && 'python3 is not installed' }, () => {
  for (const doc of SAMPLES) assert.equal(httpBody(doc), python('http', doc));
});

test('lineBody equals json.dumps() with insertion order', { skip: !hasPython && 'python3 is not installed' }, () => {
  for (const doc of SAMPLES) assert.equal(lineBody(doc), python('line', doc));
});

test('timestamps have six fractional digits and +00:00', () => {
  assert.equal(mozdefTimestamp(new Date(Date.UTC(2015, 2, 6, 15, 5, 48, 226))), '2015-03-06T15:05:48.226000+00:00');
  assert.equal(mozdefTimestamp(new Date(Date.UTC(2020, 0, 1))), '2020-01-01T00:00:00.000000+00:00');
  assert.match(mozdefTimestamp(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}000\+00:00$/);
});
