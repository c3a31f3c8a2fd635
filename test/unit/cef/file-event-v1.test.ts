// The v1 file-event CEF mapping (contract R3, byte-compatible with code42cli's
// formatter) on the project's own events (test/fixtures/code42/file-events-v1.ts):
// whole lines worked out by hand, header parts, signature ids, dropping, JSON/RAW
// key counts, and the R3 rules on small events.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFormatter, type FormatterOptions } from '../../../src/lib/cef';
import { parseCef } from './cef-parser';
import {
  V1_CASES, FULL_EVENT, FULL_EVENT_EXTENSION, REMOVABLE_MEDIA_EVENT, EMAIL_EVENT, SIGNATURE_IDS, copy,
} from '../../fixtures/code42/file-events-v1';

const parts = (line: string): string[] => line.split('|');
const extension = (line: string): string => parts(line).at(-1)!;

function cef(event: Record<string, unknown>, options: FormatterOptions = {}): string {
  return compileFormatter({ escaping: 'none', ...options })(event);
}

describe('v1 file-event CEF on secflow\'s own events', () => {
  for (const c of V1_CASES) {
    for (const escaping of ['none', 'spec', 'cef'] as const) {
      it(`${c.name}: the whole line, byte for byte, escaping ${escaping}, no trailing newline`, () => {
        assert.equal(compileFormatter({ escaping })(copy(c.event)), c.cef);
      });
    }
  }

  it('the full event parses back (spec parser) to the mapped pairs in event order', () => {
    assert.deepEqual(parseCef(compileFormatter({ escaping: 'spec' })(copy(FULL_EVENT))).extension, FULL_EVENT_EXTENSION);
  });

  it('header: CEF:0, vendor Code42, default product and severity, configured product and severity win', () => {
    const p = parts(cef(copy(FULL_EVENT)));
    assert.deepEqual([p[0], p[1], p[2], p[3], p[6]], ['CEF:0', 'Code42', 'Advanced Exfiltration Detection', '1', '5']);
    const custom = parts(cef(copy(FULL_EVENT), { productName: 'Insider Risk Feed', severity: '7' }));
    assert.deepEqual([custom[2], custom[6]], ['Insider Risk Feed', '7']);
  });

  for (const [eventType, sig] of SIGNATURE_IDS) {
    it(`eventType ${eventType} → signature id ${sig}, named by the type`, () => {
      const event = copy(FULL_EVENT);
      event.eventType = eventType;
      assert.deepEqual(parts(cef(event)).slice(4, 6), [sig, eventType]);
    });
  }

  it('null and [] values leave no "=None " and no empty "= " pair; unmapped fields are left out', () => {
    const ext = extension(cef(copy(FULL_EVENT)));
    assert.ok(!ext.includes('=None '));
    assert.ok(!ext.includes('= '));
    assert.ok(!/(^| )(actor|url|cloudDriveId|sha256Checksum|fileOwner|privateIpAddresses)=/.test(ext));
    const marked = cef({ ...copy(FULL_EVENT), unmappedFieldName: 'MARKER-31337' });
    assert.ok(!marked.includes('MARKER-31337'));
    assert.equal(marked, cef(copy(FULL_EVENT)));
  });

  it('removable media: event order cs2 cs3 cs4 cn1 cs1, each key followed by its label', () => {
    const keys = extension(cef(copy(REMOVABLE_MEDIA_EVENT))).split(' ').filter((kv) => kv.includes('=')).map((kv) => kv.split('=')[0]);
    assert.deepEqual(keys, ['cs2', 'cs2Label', 'cs3', 'cs3Label', 'cs4', 'cs4Label', 'cn1', 'cn1Label', 'cs1', 'cs1Label']);
  });

  it('email alone ends with |C42000|UNKNOWN|5|suser=… duser=…', () => {
    assert.ok(cef(copy(EMAIL_EVENT)).endsWith('|C42000|UNKNOWN|5|suser=noreply@vendor.example duser=ana@example.org,li@example.org'));
  });

  it('JSON keeps the 25 non-empty keys in event order, each value non-empty and unchanged', () => {
    const parsed = JSON.parse(compileFormatter({ format: 'json' })(copy(FULL_EVENT)));
    assert.deepEqual(Object.keys(parsed), [
      'eventId', 'eventType', 'eventTimestamp', 'insertionTimestamp', 'filePath', 'fileName', 'fileType', 'fileCategory', 'fileSize', 'fileOwner',
      'md5Checksum', 'sha256Checksum', 'createTimestamp', 'modifyTimestamp', 'deviceUserName', 'osHostName', 'domainName', 'publicIpAddress',
      'privateIpAddresses', 'deviceUid', 'userUid', 'source', 'exposure', 'processOwner', 'processName',
    ]);
    for (const [key, value] of Object.entries(parsed)) {
      assert.ok(value !== null && value !== '' && !(Array.isArray(value) && value.length === 0), `${key} is empty`);
      assert.deepEqual(value, FULL_EVENT[key]);
    }
  });

  it('RAW keeps all 40 keys, actor null', () => {
    const parsed = JSON.parse(compileFormatter({ format: 'raw' })(copy(FULL_EVENT)));
    assert.equal(Object.keys(parsed).length, 40);
    assert.equal(parsed.actor, null);
    assert.deepEqual(parsed, FULL_EVENT);
  });

  it('the same formatter gives the same bytes for many events in a row (no state leaks between calls)', () => {
    const format = compileFormatter({ escaping: 'none' });
    for (let i = 0; i < 60; i++) {
      const c = V1_CASES[i % V1_CASES.length];
      assert.equal(format(copy(c.event)), c.cef);
    }
  });
});

describe('R3 rules on small events', () => {
  it('collision: a shared key sits at its first field\'s position and takes the last field\'s value', () => {
    const out = cef({ actor: 'a@x', fileName: 'f', deviceUserName: 'd@x', emailSender: 's@x' });
    assert.ok(out.endsWith('|suser=s@x fname=f'), out);
    // url after filePath: filePath's position, url's value (the cloud fixture's outcome).
    assert.ok(cef({ filePath: '/p/', eventId: 'e', url: 'https://u' }).endsWith('|filePath=https://u externalId=e'));
  });

  it('eventName is UNKNOWN when eventType is absent and None when it is null; unknown types get C42000', () => {
    assert.equal(parts(cef({ eventId: 'x' }))[5], 'UNKNOWN');
    const nullType = parts(cef({ eventId: 'x', eventType: null }));
    assert.deepEqual([nullType[4], nullType[5]], ['C42000', 'None']);
    assert.deepEqual(parts(cef({ eventType: 'PRINTED' })).slice(4, 6), ['C42000', 'PRINTED']);
    assert.equal(parts(cef({ eventType: 'toString' }))[4], 'C42000');
  });

  // JSON.parse cannot tell 2 from 2.0, so integral numbers print as Python ints.
  it('values print as Python str() would: True/False, ints, float repr; "" is kept', () => {
    const ext = parts(cef({ fileName: '', fileSize: 1.5e-5, source: true, osHostName: false, domainName: 1e16, publicIpAddress: 2.0, md5Checksum: -1.25e-7, exposure: ['a', 'b'] })).at(-1);
    assert.equal(ext, 'fname= fsize=1.5e-05 sourceServiceName=True shost=False dvchost=10000000000000000 src=2 fileHash=-1.25e-07 reason=a,b');
  });

  it('lists: duser objects become cloudUsername, non-objects are dropped, nothing left keeps the list; a non-string item is an error', () => {
    assert.ok(cef({ sharedWith: [{ cloudUsername: 'a' }, 'x', { cloudUsername: 'b' }] }).endsWith('duser=a,b'));
    assert.ok(cef({ sharedWith: ['x', 'y'] }).endsWith('duser=x,y'));
    assert.throws(() => cef({ sharedWith: [{ name: 'a' }] }), /sharedWith: .*cloudUsername/);
    assert.throws(() => cef({ exposure: ['a', 5] }), /exposure: list item 1 is not a string/);
    // As in the reference: a string or an object passes through str(); a number is not iterable.
    assert.ok(cef({ emailRecipients: 'one@x' }).endsWith('duser=one@x'));
    assert.ok(cef({ emailRecipients: { a: 'b' } }).endsWith("duser={'a': 'b'}"));
    assert.throws(() => cef({ emailRecipients: 5 }), /^Error: emailRecipients: 5 is not a list$/);
    assert.throws(() => cef({ eventType: ['CREATED'] }), /^Error: eventType: \["CREATED"\] is not a string$/);
  });

  it('a non-scalar custom-key value renders as JSON (the one S-e change, in both modes)', () => {
    for (const escaping of ['none', 'spec'] as const) {
      assert.ok(cef({ removableMediaName: { a: 1 } }, { escaping }).includes('cs3={"a":1} cs3Label'));
    }
    assert.ok(cef({ removableMediaName: ['a', 'b'] }).includes('cs3=["a","b"] cs3Label'));
  });

  it('an object with none of the file-event fields is an error, not an empty record', () => {
    assert.throws(() => cef({ hello: 'world' }), /none of the fields of a Code42 file event/);
  });
});
