// Alert CEF (contract S-e, secflow's own mapping) on the project's own alerts
// (test/fixtures/code42/alerts.ts): header, the extension in the contract's order,
// 7-digit createdAt rounded half-to-even to ms, severities, signature ids.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFormatter } from '../../../src/lib/cef';
import { extensionMap, parseCef } from './cef-parser';
import { ALERT_OPEN, ALERT_OPEN_RT, ALERT_RESOLVED, ALERT_RESOLVED_RT } from '../../fixtures/code42/alerts';

describe('alert CEF', () => {
  it('an alert whose fields are all strings: header and the whole extension in the contract\'s order (no cn1: observations is no list)', () => {
    for (const escaping of ['none', 'spec'] as const) {
      const p = parseCef(compileFormatter({ mapping: 'alert', escaping })(ALERT_OPEN));
      assert.deepEqual([p.version, p.vendor, p.product, p.deviceVersion, p.signatureId, p.name, p.severity], ['0', 'Code42', 'Alerts', '1', 'C42301', 'Files copied to USB', '8']);
      assert.deepEqual(p.extension, [
        ['externalId', '5f1e9d2c-7b3a-4c8e-9f10-2a3b4c5d6e7f'], ['rt', ALERT_OPEN_RT], ['suser', 'rosa.gomez@example.org'], ['suid', '1029384756102938475'],
        ['msg', 'More than 20 files moved to removable media'], ['cat', 'FedEndpointExfiltration'], ['act', 'OPEN'],
        ['cs1', 'b2c3d4e5-0000-4000-8000-00000000beef'], ['cs1Label', 'Code42AlertRuleId'], ['cs2', 'Alerting'], ['cs2Label', 'Code42AlertRuleSource'],
        ['cs3', 'Files copied to USB'], ['cs3Label', 'Code42AlertRuleName'], ['cs4', 'N/A'], ['cs4Label', 'Code42AlertTarget'], ['cs5', 'HIGH'], ['cs5Label', 'Code42AlertSeverity'],
      ]);
    }
  });

  it('an alert with JSON-string observations: the exact line, cn1 counts them', () => {
    assert.equal(compileFormatter({ mapping: 'alert' })(ALERT_RESOLVED),
      'CEF:0|Code42|Alerts|1|C42302|Public link created|5|externalId=9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d rt=1667530541040 suser=li@example.org '
      + 'suid=5647382910564738291 msg=A file was shared with anyone with the link cat=FedCloudSharePermissions act=RESOLVED '
      + 'cs1=b2c3d4e5-0000-4000-8000-00000000cafe cs1Label=Code42AlertRuleId cs2=Alerting cs2Label=Code42AlertRuleSource '
      + 'cs3=Public link created cs3Label=Code42AlertRuleName cs4=Google Drive cs4Label=Code42AlertTarget cs5=MEDIUM cs5Label=Code42AlertSeverity '
      + 'cn1=3 cn1Label=Code42AlertObservationCount');
  });

  it('rt rounds the 7-digit createdAt to ms: .6184420 → 618, .0397500 → 040, exact halves to even', () => {
    const rt = (a: Record<string, unknown>) => extensionMap(parseCef(compileFormatter({ mapping: 'alert' })(a))).rt;
    assert.equal(rt(ALERT_OPEN), ALERT_OPEN_RT);
    assert.equal(rt(ALERT_RESOLVED), ALERT_RESOLVED_RT);
    assert.equal(rt({ id: 'x', createdAt: '2022-11-03T14:07:19.6185000Z' }), '1667484439618', '.6185 → 618 (even)');
    assert.equal(rt({ id: 'x', createdAt: '2022-11-03T14:07:19.6175000Z' }), '1667484439618', '.6175 → 618 (even)');
    assert.equal(rt({ id: 'x', createdAt: '2022-11-03T14:07:19.6175001Z' }), '1667484439618', 'just above half');
    assert.equal(rt({ id: 'x', createdAt: '2022-11-03T14:07:19.9999999Z' }), '1667484440000', 'carries into the next second');
    assert.equal(rt({ id: 'x', createdAt: '2021-01-01T00:00:00.0005000Z' }), String(Date.parse('2021-01-01T00:00:00.000Z')));
    assert.equal(rt({ id: 'x', createdAt: '2021-01-01T00:00:00.0015000Z' }), String(Date.parse('2021-01-01T00:00:00.002Z')));
  });

  it('signature ids by type, severities by riskSeverity else severity, name else type else UNKNOWN', () => {
    const f = compileFormatter({ mapping: 'alert' });
    const head = (a: Record<string, unknown>) => f({ id: '1', ...a }).split('|').slice(4, 7);
    assert.deepEqual(head({ type: 'FedEndpointExfiltration', name: 'Exfil', severity: 'HIGH' }), ['C42301', 'Exfil', '8']);
    assert.deepEqual(head({ type: 'FedCloudSharePermissions', severity: 'LOW' }), ['C42302', 'FedCloudSharePermissions', '3']);
    assert.deepEqual(head({ type: 'FedFileTypeMismatch', riskSeverity: 'CRITICAL', severity: 'LOW' }), ['C42303', 'FedFileTypeMismatch', '10']);
    assert.deepEqual(head({ riskSeverity: 'MODERATE' }), ['C42300', 'UNKNOWN', '5']);
    assert.deepEqual(head({ type: 'Other', severity: 'MEDIUM' }), ['C42300', 'Other', '5']);
    assert.deepEqual(head({ severity: 'weird' }), ['C42300', 'UNKNOWN', '5']);
  });

  it('counts observations (cn1) when they are a list; configured product and severity win', () => {
    const out = compileFormatter({ mapping: 'alert', productName: 'My Alerts', severity: '9' })({ id: 'x', severity: 'HIGH', observations: [{ id: 1 }, { id: 2 }] });
    const p = parseCef(out);
    assert.equal(p.product, 'My Alerts');
    assert.equal(p.severity, '9');
    assert.deepEqual(p.extension, [['externalId', 'x'], ['cs5', 'HIGH'], ['cs5Label', 'Code42AlertSeverity'], ['cn1', '2'], ['cn1Label', 'Code42AlertObservationCount']]);
  });

  it('a bad createdAt and an object that is no alert are errors naming the problem', () => {
    const f = compileFormatter({ mapping: 'alert' });
    assert.throws(() => f({ id: 'x', createdAt: 'soon' }), /^Error: createdAt: "soon" is not a timestamp/);
    assert.throws(() => f({ foo: 1 }), /neither id nor createdAt nor type/);
  });
});
