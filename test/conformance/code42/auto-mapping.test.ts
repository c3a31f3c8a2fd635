// Conformance: the `auto` CEF mapping on code42cli's four fixtures and py42's sample
// alert. test/unit/cef/file-event-v2.test.ts checks the same on secflow's own events.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFormatter } from '../../../src/lib/cef';
import { parseCef } from '../../unit/cef/cef-parser';
import { code42cli, fixture, py42Payloads } from './vectors';

describe('auto mapping on the upstream fixtures', () => {
  const vectors = code42cli();
  const auto = compileFormatter({ mapping: 'auto' });
  const autoNone = compileFormatter({ mapping: 'auto', escaping: 'none' });

  it('v1 events (all four code42cli fixtures, partial ones included) are formatted byte for byte as the file-event mapping, both escapings', () => {
    for (const name of ['AED_EVENT_DICT', 'AED_REMOVABLE_MEDIA_EVENT_DICT', 'AED_CLOUD_ACTIVITY_EVENT_DICT', 'AED_EMAIL_EVENT_DICT']) {
      const event = fixture(vectors, name);
      assert.equal(autoNone(event), compileFormatter({ mapping: 'file-event', escaping: 'none' })(event), name);
      assert.equal(auto(event), compileFormatter({ mapping: 'file-event' })(event), name);
    }
    assert.equal(autoNone(fixture(vectors, 'AED_EVENT_DICT')), vectors.full_string_vectors[0].expected.replace(/\n$/, ''));
  });

  it('py42\'s ALERT_A goes to the alert mapping', () => {
    const alert = py42Payloads()['tests/clients/test_alerts.py::ALERT_A'] as Record<string, unknown>;
    assert.equal(auto(alert), compileFormatter({ mapping: 'alert' })(alert));
    assert.equal(parseCef(auto(alert)).product, 'Alerts');
  });

  it('a configured product applies to a v1 fixture', () => {
    const f = compileFormatter({ mapping: 'auto', productName: 'SIEM feed' });
    assert.equal(parseCef(f(fixture(vectors, 'AED_EVENT_DICT'))).product, 'SIEM feed');
  });
});
