import assert from 'node:assert/strict';
import { test } from 'node:test';
import { facilityCode, severityCode } from '../../../src/lib/syslog';

test('facility names map to RFC 5424 codes 0..23', () => {
  assert.equal(facilityCode('kern'), 0);
  assert.equal(facilityCode('user'), 1);
  assert.equal(facilityCode('AUTH'), 4);
  assert.equal(facilityCode('authpriv'), 10);
  assert.equal(facilityCode('local0'), 16);
  assert.equal(facilityCode('local7'), 23);
  assert.equal(facilityCode(13), 13);
  assert.equal(facilityCode('5'), 5);
});

test('severity names map to codes 0..7, with common aliases', () => {
  assert.deepEqual(['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'].map(severityCode), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(severityCode('error'), 3);
  assert.equal(severityCode('warn'), 4);
  assert.equal(severityCode(' Informational '), 6);
  assert.equal(severityCode(7), 7);
});

test('an unknown facility or severity throws an error naming the value', () => {
  assert.throws(() => facilityCode('local8'), /facility .*"local8"/);
  assert.throws(() => facilityCode(24), /facility must be 0\.\.23.*24/);
  assert.throws(() => facilityCode(-1), /facility/);
  assert.throws(() => facilityCode(1.5), /facility/);
  assert.throws(() => severityCode('loud'), /severity .*"loud"/);
  assert.throws(() => severityCode(8), /severity must be 0\.\.7.*8/);
});
