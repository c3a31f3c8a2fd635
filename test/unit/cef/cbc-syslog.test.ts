// Mappings cbc-alert and cbc-audit against cbc-syslog's default templates, worked out by
// hand as fixtures (test/fixtures/cbc-syslog), and parsed back with the CEF and LEEF
// parsers written from the specifications.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { compileFormatter, SECFLOW_VERSION } from '../../../src/lib/cef';
import { parseCef } from './cef-parser';
import { parseLeef } from './leef-parser';

const DIR = path.join(__dirname, '..', '..', 'fixtures', 'cbc-syslog');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const events = JSON.parse(fs.readFileSync(path.join(DIR, 'events.json'), 'utf8')) as Record<string, Json>;
const expected = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as { cef: Record<string, string>; leef: Record<string, string> };
const fill = (s: string) => s.replace('{VERSION}', SECFLOW_VERSION);
const mappingFor = (name: string) => (name.startsWith('audit') ? 'cbc-audit' : 'cbc-alert');

describe('cbc-syslog templates (escaping none)', () => {
  for (const [name, line] of Object.entries(expected.cef)) {
    it(`CEF ${name} is cbc-syslog's template output`, () => {
      const format = compileFormatter({ format: 'cef', mapping: mappingFor(name), escaping: 'none' });
      assert.equal(format(events[name]), fill(line));
    });
  }
  for (const [name, line] of Object.entries(expected.leef)) {
    it(`LEEF ${name} is cbc-syslog's template output`, () => {
      const format = compileFormatter({ format: 'leef', mapping: mappingFor(name), escaping: 'none' });
      assert.equal(format(events[name]), fill(line));
    });
  }
  it('LEEF 1.0 has no delimiter field and tab-separated attributes', () => {
    const line = compileFormatter({ format: 'leef', leefVersion: '1.0', mapping: 'cbc-audit', escaping: 'none' })(events.auditQueue);
    assert.ok(line.startsWith(`LEEF:1.0|CarbonBlack|CBCSyslog|${SECFLOW_VERSION}|Audit|devTime=`));
    const parsed = parseLeef(line);
    assert.equal(parsed.delimiter, '\t');
    assert.deepEqual(Object.fromEntries(parsed.attributes).usrName, 'bs@carbonblack.com');
  });
  it('a vendor and product set on the node replace the templates\'', () => {
    const line = compileFormatter({ mapping: 'cbc-alert', escaping: 'none', vendor: 'VMware', productName: 'CBC', severity: '9' })(events.cbAnalytics);
    assert.ok(line.startsWith(`CEF:1|VMware|CBC|${SECFLOW_VERSION}|R_NET_SERVER|The application run.js acted as a network server.|9|`));
  });
  it('leef with a mapping that has no LEEF form is a clear error', () => {
    assert.throws(() => compileFormatter({ format: 'leef', mapping: 'file-event' }), /format leef: mapping file-event has no LEEF form/);
  });
});

describe('cbc-alert / cbc-audit with spec escaping, parsed back', () => {
  const hostile: Json = {
    ...events.cbAnalytics,
    reason: 'pipe | and back\\slash\nnew line',
    device_name: 'HOST=1\\x',
    device_username: 'a\tb',
    process_name: 'line1\r\nCEF:0|forged|x|1|1|1|1|',
    device_policy: 'p\\tq',
  };
  it('CEF: every value comes back as the event had it, on one line', () => {
    const line = compileFormatter({ mapping: 'cbc-alert' })(hostile);
    assert.doesNotMatch(line, /[\r\n]/);
    const parsed = parseCef(line);
    assert.equal(parsed.version, '1');
    assert.equal(parsed.name, hostile.reason.replace(/\n/g, ' '));
    const ext = Object.fromEntries(parsed.extension);
    assert.equal(ext.cs3, hostile.device_name);
    assert.equal(ext.deviceProcessName, hostile.process_name);
    assert.equal(ext.duser, hostile.device_username);
    assert.equal(ext.rt, 'May 03 2023 11:18:36');
    assert.equal(ext.threatAttackID, ':');
    assert.equal(parsed.extension.length, 28);
  });
  it('LEEF 2.0 and 1.0: every value comes back, on one line', () => {
    for (const leefVersion of ['1.0', '2.0'] as const) {
      const line = compileFormatter({ format: 'leef', leefVersion, mapping: 'cbc-alert' })(hostile);
      assert.doesNotMatch(line, /[\r\n]/);
      const parsed = parseLeef(line);
      assert.equal(parsed.version, leefVersion);
      assert.equal(parsed.eventId, 'R_NET_SERVER');
      const attrs = Object.fromEntries(parsed.attributes);
      assert.equal(attrs.resource, hostile.device_name);
      assert.equal(attrs.usrName, hostile.device_username);
      assert.equal(attrs.policy, hostile.device_policy);
      assert.equal(attrs.devTime, 'May 03 2023 11:18:36 GMT');
      assert.deepEqual(parsed.attributes.map(([k]) => k), ['cat', 'devTime', 'devTimeFormat', 'sev', 'identSrc', 'resource', 'policy', 'usrName']);
    }
  });
  it('LEEF header escapes pipes', () => {
    const line = compileFormatter({ format: 'leef', mapping: 'cbc-alert', vendor: 'A|B' })({ ...events.cbAnalytics, reason_code: 'R|1' });
    const parsed = parseLeef(line);
    assert.equal(parsed.vendor, 'A|B');
    assert.equal(parsed.eventId, 'R|1');
  });
  it('audit records of the search API parse back with their fields', () => {
    const parsed = parseCef(compileFormatter({ mapping: 'cbc-audit' })(events.auditSearch));
    assert.equal(parsed.signatureId, 'Audit Logs');
    assert.equal(parsed.name, events.auditSearch.description);
    assert.deepEqual(Object.fromEntries(parsed.extension), { rt: 'May 15 2025 12:23:27', dvchost: 'ABCDE12345', duser: 'john.doe@example.com', dvc: '10.10.1.2', cs4Label: 'Event_ID', cs4: '' });
  });
});

describe('auto picks cbc-alert and cbc-audit by shape', () => {
  it('every Carbon Black fixture: auto gives the line its own mapping gives (vendor CarbonBlack)', () => {
    for (const escaping of ['spec', 'none'] as const) {
      const auto = compileFormatter({ mapping: 'auto', escaping });
      for (const [name, event] of Object.entries(events)) {
        const own = compileFormatter({ mapping: mappingFor(name), escaping })(event);
        assert.equal(auto(event), own, `${name} (${escaping})`);
        assert.match(auto(event), /^CEF:1\|CarbonBlack\|CBCSyslog\|/, name);
      }
    }
  });
  it('a vendor set on the node applies to every picked mapping', () => {
    const auto = compileFormatter({ mapping: 'auto', vendor: 'VMware' });
    assert.match(auto(events.cbAnalytics), /^CEF:1\|VMware\|CBCSyslog\|/);
    assert.match(auto({ eventType: 'CREATED', eventId: 'e1', fileName: 'a.txt' }), /^CEF:0\|VMware\|Advanced Exfiltration Detection\|/);
  });
  it('Code42 shapes are still picked as before (a v1 file event keeps vendor Code42)', () => {
    const auto = compileFormatter({ mapping: 'auto' });
    assert.match(auto({ eventType: 'CREATED', eventId: 'e1', fileName: 'a.txt' }), /^CEF:0\|Code42\|Advanced Exfiltration Detection\|1\|C42200\|/);
  });
});
