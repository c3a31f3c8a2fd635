// Conformance: alert CEF (contract S-e, secflow's own mapping) on py42's ALERT_A / ALERT_B.
// secflow's own alerts (test/fixtures/code42/alerts.ts) check the same in test/unit/cef/alert.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFormatter } from '../../../src/lib/cef';
import { extensionMap, parseCef } from '../../unit/cef/cef-parser';
import { py42Payloads } from './vectors';

const payloads = py42Payloads();
const ALERTS = ['A', 'B'].map((n) => payloads[`tests/clients/test_alerts.py::ALERT_${n}`] as Record<string, string>);

/** Epoch ms of a 7-digit createdAt, rounded half-to-even, computed independently of the lib via BigInt. */
function expectedMs(iso: string): string {
  const m = /^(.{19})\.(\d{7})Z$/.exec(iso)!;
  const wholeMs = BigInt(Date.parse(`${m[1]}Z`)) + BigInt(m[2].slice(0, 3));
  const rest = Number(m[2].slice(3)); // 4 digits of 100 ns → 0..9999
  return String(rest > 5000 || (rest === 5000 && wholeMs % 2n === 1n) ? wholeMs + 1n : wholeMs);
}

describe('alert CEF on py42 sample alerts', () => {
  for (const alert of ALERTS) {
    it(`ALERT_${alert.id}: header and extension in the contract's order`, () => {
      for (const escaping of ['none', 'spec'] as const) {
        const out = compileFormatter({ mapping: 'alert', escaping })(alert);
        const p = parseCef(out);
        assert.deepEqual([p.version, p.vendor, p.product, p.deviceVersion, p.signatureId, p.name, p.severity], ['0', 'Code42', 'Alerts', '1', 'C42300', alert.name, '5']);
        assert.deepEqual(p.extension, [
          ['externalId', alert.id], ['rt', expectedMs(alert.createdAt)], ['suser', alert.actor], ['suid', alert.actorId], ['msg', alert.description], ['cat', alert.type], ['act', alert.state],
          ['cs1', alert.ruleId], ['cs1Label', 'Code42AlertRuleId'], ['cs2', alert.ruleSource], ['cs2Label', 'Code42AlertRuleSource'], ['cs3', alert.name], ['cs3Label', 'Code42AlertRuleName'],
          ['cs4', alert.target], ['cs4Label', 'Code42AlertTarget'], ['cs5', alert.severity], ['cs5Label', 'Code42AlertSeverity'],
        ]);
      }
    });
  }

  it('rt rounds the 7-digit createdAt to ms: .2837100 → 284, .5284760 → 528', () => {
    const [a, b] = ALERTS.map((x) => extensionMap(parseCef(compileFormatter({ mapping: 'alert' })(x))).rt);
    assert.equal(a, String(Date.parse('2021-01-01T09:40:05.284Z')));
    assert.equal(b, String(Date.parse('2021-02-02T18:24:15.528Z')));
    const half = (t: string) => extensionMap(parseCef(compileFormatter({ mapping: 'alert' })({ id: 'x', createdAt: t }))).rt;
    assert.equal(half('2021-01-01T00:00:00.0005000Z'), String(Date.parse('2021-01-01T00:00:00.000Z')));
    assert.equal(half('2021-01-01T00:00:00.0015000Z'), String(Date.parse('2021-01-01T00:00:00.002Z')));
  });
});
