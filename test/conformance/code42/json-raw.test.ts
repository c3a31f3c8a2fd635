// Conformance: JSON and RAW formatters (contract R4 / S-f) on code42cli's AED_EVENT_DICT
// (25 non-empty keys, 40 in all) and py42's ALERT_A. test/unit/cef/json-raw.test.ts
// checks the same on secflow's own events.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFormatter } from '../../../src/lib/cef';
import { code42cli, fixture, py42Payloads } from './vectors';

const v = code42cli();

describe('JSON formatter on the upstream fixtures', () => {
  it('keeps the 25 non-empty keys of AED_EVENT_DICT, in event order, each value non-empty', () => {
    const event = fixture(v, 'AED_EVENT_DICT');
    const parsed = JSON.parse(compileFormatter({ format: 'json' })(event));
    assert.equal(Object.keys(parsed).length, 25);
    const expectedKeys = Object.keys(event).filter((k) => event[k] !== null && !(Array.isArray(event[k]) && (event[k] as unknown[]).length === 0));
    assert.deepEqual(Object.keys(parsed), expectedKeys);
    for (const key of Object.keys(parsed)) assert.deepEqual(parsed[key], event[key]);
  });

  it('pythonCompatible output is still valid JSON that parses to the same object', () => {
    const event = fixture(v, 'AED_EVENT_DICT');
    event.osHostName = 'Zoë’s 💻';
    const out = compileFormatter({ format: 'json', pythonCompatible: true })(event);
    assert.ok(/^[\x20-\x7e]*$/.test(out), 'ASCII only');
    assert.equal(out.includes('"fileSize": 86, '), true);
    assert.deepEqual(JSON.parse(out), JSON.parse(compileFormatter({ format: 'json' })(event)));
  });

  it('formats alerts too', () => {
    const alert = py42Payloads()['tests/clients/test_alerts.py::ALERT_A'] as Record<string, unknown>;
    assert.deepEqual(JSON.parse(compileFormatter({ format: 'json' })(alert)), alert);
  });
});

describe('RAW formatter on the upstream fixtures', () => {
  it('keeps all 40 keys of AED_EVENT_DICT, with actor null', () => {
    const event = fixture(v, 'AED_EVENT_DICT');
    const parsed = JSON.parse(compileFormatter({ format: 'raw' })(event));
    assert.equal(Object.keys(parsed).length, 40);
    assert.equal(parsed.actor, null);
    assert.deepEqual(parsed, event);
  });
});
