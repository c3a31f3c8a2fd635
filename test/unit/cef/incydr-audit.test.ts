// The incydr-audit CEF mapping: every audit event type the Incydr emulator serves,
// formatted by `incydr-audit` and by `auto` (the same line), parsed back with the
// project's own CEF parser: signature id = type$, actor → suser/suid, first IP → src,
// time → rt/end, the user acted on → duser, the type's own fields → msg, escaping of
// pipes, equals signs, backslashes and newlines. Other shapes are not mistaken for it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFormatter } from '../../../src/lib/cef';
import { auditEventDigest } from '../../../src/lib/code42';
import { canonicalJson } from '../../../src/lib/util/canonical-json';
import { AUDIT_TYPES, AuditLogStore } from '../../emulators/incydr-audit';
import { extensionMap, parseCef } from './cef-parser';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const COMMON = ['type$', 'actorId', 'actorName', 'actorAgent', 'actorIpAddress', 'actorType', 'timestamp'];

describe('CEF mapping incydr-audit', () => {
  const store = new AuditLogStore(() => Date.UTC(2026, 5, 1));
  const start = Date.UTC(2026, 4, 1, 12, 0, 0, 123);
  // Three events of each type (different actors where the type has several).
  const records = store.add({ count: AUDIT_TYPES.length * 3, startMs: start, stepMs: 1001 });
  const events = records.map((r) => store.event(r));
  const byMapping = compileFormatter({ mapping: 'incydr-audit' });
  const auto = compileFormatter({ mapping: 'auto' });

  it('formats every audit event type in the emulator, and parses back to the event', () => {
    const seen = new Set<string>();
    for (const e of events as Json[]) {
      const line = byMapping(e);
      assert.equal(auto(e), line, 'auto picks incydr-audit');
      const p = parseCef(line);
      const x = extensionMap(p);
      seen.add(p.signatureId);
      assert.equal(p.version, '0');
      assert.equal(p.vendor, 'Code42');
      assert.equal(p.product, 'Incydr Audit');
      assert.equal(p.deviceVersion, '1');
      assert.equal(p.signatureId, e['type$']);
      assert.equal(p.name, /::([^/]+)/.exec(e['type$'])![1]);
      assert.equal(x.act, p.name);
      assert.ok(['3', '5'].includes(p.severity));
      assert.equal(x.rt, String(Date.parse(e.timestamp)));
      assert.equal(x.end, x.rt);
      assert.equal(x.suser, e.actorName);
      assert.equal(x.suid, e.actorId);
      assert.equal(x.cs1, e.actorType);
      assert.equal(x.cs1Label, 'Code42ActorType');
      assert.equal(x.externalId, auditEventDigest(e));
      if (e.actorIpAddress) {
        assert.equal(x.src, e.actorIpAddress.split(',')[0].trim());
        assert.equal(x.cs2, e.actorIpAddress);
      } else {
        assert.equal(x.src, undefined);
        assert.equal(x.cs2, undefined);
      }
      if (e.actorAgent) assert.equal(x.requestClientApplication, e.actorAgent);
      else assert.equal(x.requestClientApplication, undefined);
      assert.equal(x.duser, e.userName ?? e.subjectUsername);
      assert.equal(x.duid, e.userId);
      assert.equal(x.cs3, e.resourceId);
      const own = Object.fromEntries(Object.entries(e).filter(([k]) => !COMMON.includes(k)));
      assert.deepEqual(JSON.parse(x.msg), own);
      assert.equal(x.msg, canonicalJson(own));
    }
    assert.deepEqual([...seen].sort(), AUDIT_TYPES.map((t) => t.type).sort(), 'every type');
  });

  it('keeps hostile text inside its field (pipes, equals, backslashes, newlines) and rates access changes higher', () => {
    const e = { ...(events[0] as Json), 'type$': 'audit_log::role|x=1/1', actorName: 'eve\\ | = \n cs9=forged', note: 'a|b=c\\d\ne' };
    const p = parseCef(byMapping(e));
    const x = extensionMap(p);
    assert.equal(p.signatureId, 'audit_log::role|x=1/1');
    assert.equal(p.severity, '5');
    assert.equal(x.suser, 'eve\\ | = \n cs9=forged');
    assert.equal(x.cs9, undefined, 'no forged key');
    assert.equal(JSON.parse(x.msg).note, 'a|b=c\\d\ne');
    const login = (events as Json[]).find((v) => v['type$'] === 'audit_log::logged_in/1')!;
    assert.equal(parseCef(byMapping(login)).severity, '3');
    assert.equal(parseCef(compileFormatter({ mapping: 'incydr-audit', severity: '7', productName: 'Console' })(login)).severity, '7');
  });

  it('the SDK test event shape (two IPs, a SYSTEM actor with nulls) formats; other shapes are refused or not mistaken', () => {
    const sdkLike = { 'type$': 'audit_log::federation_metadata_updated/1', actorId: 'thwl', actorName: 'SYSTEM', actorAgent: null, actorIpAddress: null, timestamp: '2022-09-28T19:57:10.072Z', actorType: 'SYSTEM', federationId: '1034183599256332463' };
    const x = extensionMap(parseCef(auto(sdkLike)));
    assert.equal(x.rt, '1664395030072');
    assert.equal(x.suser, 'SYSTEM');
    assert.equal(x.src, undefined);
    assert.deepEqual(JSON.parse(x.msg), { federationId: '1034183599256332463' });
    assert.throws(() => byMapping({ hello: 'world' }), /no type\$ or timestamp of an Incydr audit-log event/);
    // A v2 file event and an alert still go to their own mappings under auto.
    assert.match(auto({ event: { id: 'e1', action: 'file-created', inserted: '2024-01-01T00:00:00.000Z' } }), /^CEF:0\|Code42\|Incydr\|2\|C42200\|/);
    assert.match(auto({ id: 'a1', createdAt: '2024-01-01T00:00:00.0000000Z', ruleId: 'r', type: 'FedEndpointExfiltration', actorId: 'x' }), /^CEF:0\|Code42\|Alerts\|/);
  });
});
