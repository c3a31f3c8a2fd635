// Incydr (v2) file-event CEF (contract incydr-v2 3.2, secflow's own mapping) and
// the `auto` mapping: every action of the contract's table with its signature id,
// every risk.severity, the extension in the contract's order (parsed back with the
// spec-written parser in ./cef-parser, independent of the formatter), truncated
// µs/ns times, lists, removable media on either side, escaping round-trips, and
// auto's choice between v1, v2 and alert shapes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFormatter } from '../../../src/lib/cef';
import { extensionMap, parseCef } from './cef-parser';
import { V1_CASES, FULL_EVENT, FULL_EVENT_CEF, copy } from '../../fixtures/code42/file-events-v1';
import { ALERT_OPEN } from '../../fixtures/code42/alerts';

/** A v2 event in the SDK's shape (every object present, unused leaves null or []), overridable per test. */
function v2Event(over: { event?: object; user?: object; file?: object; source?: object; destination?: object; process?: object; risk?: object; top?: object } = {}): Record<string, unknown> {
  return {
    '@timestamp': '2024-03-01T10:15:30.123Z',
    event: {
      id: '0_147e9445-2f30-4a91-8b2a-9455332e880a_1000000000000000001_1000000000000000002_0',
      inserted: '2024-03-01T10:15:51.654321Z',
      ingested: '2024-03-01T10:15:40.000Z',
      action: 'file-created', observer: 'Endpoint', detectorDisplayName: null, vector: null, xfcEventId: null, shareType: [], relatedEvents: [],
      ...over.event,
    },
    user: { email: 'alice@example.com', id: '901234567890', deviceUid: '1000000000000000002', ...over.user },
    file: {
      name: 'plan.docx', originalName: null, directory: 'C:/Users/alice/Documents/', originalDirectory: null, category: 'Document', categoryByBytes: null,
      categoryByExtension: null, mimeType: null, mimeTypeByBytes: null, mimeTypeByExtension: null, sizeInBytes: 34567, owner: 'alice',
      created: '2024-02-28T08:00:00.000Z', modified: '2024-03-01T10:15:29Z', id: null, url: null, directoryId: [], cloudDriveId: null,
      classifications: [], acquiredFrom: [], passwordProtected: false, changeType: null, archiveId: null, parentArchiveId: null,
      hash: { md5: '2c0b4d3c6f8b1d1d8a5a9f0e0d3c2b1a', sha256: 'a'.repeat(64), md5Error: null, sha256Error: null },
      ...over.file,
    },
    source: {
      category: 'Device', name: 'ALICE-LAPTOP', domain: 'alice-laptop.corp.example.com', ip: '203.0.113.7', privateIp: ['10.0.0.7', 'fe80::1'],
      operatingSystem: 'Windows 11', email: { sender: null, from: null }, removableMedia: { vendor: null, name: null, mediaName: null, serialNumber: null, busType: null, capacity: null, volumeName: [], partitionId: [] },
      tabs: [], domains: [], accountName: null, accountType: null, remoteHostname: null, user: { email: [] },
      ...over.source,
    },
    destination: {
      category: null, name: null, ip: null, privateIp: [], operatingSystem: null, printerName: null, printJobName: null, printedFilesBackupPath: null,
      email: { recipients: null, subject: null }, removableMedia: { vendor: null, name: null, mediaName: null, serialNumber: null, busType: null, capacity: null, volumeName: [], partitionId: [] },
      tabs: [], domains: [], accountName: null, accountType: null, remoteHostname: null, user: { email: [] },
      ...over.destination,
    },
    process: { executable: 'C:/Program Files/Microsoft Office/WINWORD.EXE', owner: 'alice', extension: { browser: null, version: null, loggedInUser: null }, ...over.process },
    risk: { score: 9, severity: 'MODERATE', trusted: false, trustReason: null, indicators: [{ name: 'File mismatch', id: 'i1', weight: 6 }, { name: 'Source code', id: 'i2', weight: 3 }], untrustedValues: { accountNames: [], domains: [], gitRepositoryUris: [], slackWorkspaces: [], urlPaths: [] }, ...over.risk },
    report: { id: null, name: null, description: null, type: null, count: null, headers: [] },
    git: { eventId: null, lastCommitHash: null, repositoryEmail: null, repositoryEndpointPath: null, repositoryUri: null, repositoryUser: null },
    responseControls: { preventativeControl: null, userJustification: { reason: null, text: null } },
    ...over.top,
  };
}

/** The contract's sigId table, written out independently of the lib. */
const SIGNATURE_IDS: Array<[string, string]> = [
  ['file-created', 'C42200'], ['file-modified', 'C42201'], ['file-deleted', 'C42202'], ['application-read', 'C42203'], ['file-emailed', 'C42204'],
  ['file-printed', 'C42205'], ['file-downloaded', 'C42206'], ['file-shared', 'C42207'],
  ['removable-media-created', 'C42210'], ['removable-media-modified', 'C42211'], ['removable-media-deleted', 'C42212'],
  ['sync-app-created', 'C42220'], ['sync-app-modified', 'C42221'], ['sync-app-deleted', 'C42222'],
];

const v2 = compileFormatter({ mapping: 'file-event-v2' });

function header(line: string) {
  const p = parseCef(line);
  return [p.version, p.vendor, p.product, p.deviceVersion, p.signatureId, p.name, p.severity];
}

describe('file-event-v2 CEF', () => {
  it('the full event: header and the whole extension in the contract\'s order', () => {
    const line = v2(v2Event());
    assert.deepEqual(header(line), ['0', 'Code42', 'Incydr', '2', 'C42200', 'file-created', '5']);
    assert.deepEqual(parseCef(line).extension, [
      ['externalId', '0_147e9445-2f30-4a91-8b2a-9455332e880a_1000000000000000001_1000000000000000002_0'],
      ['rt', String(Date.parse('2024-03-01T10:15:51.654Z'))],
      ['end', String(Date.parse('2024-03-01T10:15:30.123Z'))],
      ['act', 'file-created'],
      ['sourceServiceName', 'Endpoint'],
      ['suser', 'alice@example.com'],
      ['suid', '901234567890'],
      ['deviceExternalId', '1000000000000000002'],
      ['shost', 'ALICE-LAPTOP'],
      ['dvchost', 'alice-laptop.corp.example.com'],
      ['src', '203.0.113.7'],
      ['fname', 'plan.docx'],
      ['filePath', 'C:/Users/alice/Documents/'],
      ['fileType', 'Document'],
      ['fsize', '34567'],
      ['fileHash', '2c0b4d3c6f8b1d1d8a5a9f0e0d3c2b1a'],
      ['fileCreateTime', String(Date.parse('2024-02-28T08:00:00.000Z'))],
      ['fileModificationTime', String(Date.parse('2024-03-01T10:15:29.000Z'))],
      ['sproc', 'C:/Program Files/Microsoft Office/WINWORD.EXE'],
      ['spriv', 'alice'],
      ['cs5', 'a'.repeat(64)], ['cs5Label', 'Code42FileSha256'],
      ['cs6', 'File mismatch,Source code'], ['cs6Label', 'Code42RiskIndicators'],
      ['cn2', '9'], ['cn2Label', 'Code42RiskScore'],
    ]);
    // Escaping `none` gives the same bytes when nothing needs escaping.
    assert.equal(compileFormatter({ mapping: 'file-event-v2', escaping: 'none' })(v2Event()), line);
  });

  for (const [action, sig] of SIGNATURE_IDS) {
    it(`${action} → ${sig}, named by the action, act=${action}`, () => {
      const p = parseCef(v2(v2Event({ event: { action } })));
      assert.equal(p.signatureId, sig);
      assert.equal(p.name, action);
      assert.equal(extensionMap(p).act, action);
    });
  }

  it('an unknown action → C42000 under its own name; no action → C42000 UNKNOWN', () => {
    assert.deepEqual(header(v2(v2Event({ event: { action: 'file-teleported' } }))).slice(4, 6), ['C42000', 'file-teleported']);
    const none = parseCef(v2(v2Event({ event: { action: null } })));
    assert.deepEqual([none.signatureId, none.name], ['C42000', 'UNKNOWN']);
    assert.equal(extensionMap(none).act, undefined);
    assert.deepEqual(header(v2({ '@timestamp': '2024-03-01T10:15:30.123Z' })).slice(4, 7), ['C42000', 'UNKNOWN', '5']);
    // The header name escapes as a header field.
    assert.equal(parseCef(v2(v2Event({ event: { action: 'a|b\\c' } }))).name, 'a|b\\c');
  });

  it('severity from risk.severity: CRITICAL 10, HIGH 8, MODERATE 5, LOW 3, NO_RISK_INDICATED 1, anything else 5', () => {
    const cases: Array<[unknown, string]> = [['CRITICAL', '10'], ['HIGH', '8'], ['MODERATE', '5'], ['LOW', '3'], ['NO_RISK_INDICATED', '1'], ['SEVERE', '5'], [null, '5'], [7, '5']];
    for (const [severity, expected] of cases) assert.equal(parseCef(v2(v2Event({ risk: { severity } }))).severity, expected, String(severity));
    assert.equal(parseCef(v2(v2Event({ top: { risk: null } }))).severity, '5');
    // A configured severity and product win over the mapping's.
    const fixed = parseCef(compileFormatter({ mapping: 'file-event-v2', severity: '9', productName: 'Insider Risk' })(v2Event({ risk: { severity: 'LOW' } })));
    assert.deepEqual([fixed.product, fixed.severity], ['Insider Risk', '9']);
  });

  it('times with 0–9 fraction digits are truncated to ms, never rounded up', () => {
    const rt = (inserted: string) => extensionMap(parseCef(v2(v2Event({ event: { inserted } })))).rt;
    const base = Date.parse('2024-03-01T10:15:51Z');
    assert.equal(rt('2024-03-01T10:15:51Z'), String(base));
    assert.equal(rt('2024-03-01T10:15:51.9Z'), String(base + 900));
    assert.equal(rt('2024-03-01T10:15:51.999Z'), String(base + 999));
    assert.equal(rt('2024-03-01T10:15:51.999999Z'), String(base + 999), 'µs');
    assert.equal(rt('2024-03-01T10:15:51.000500Z'), String(base), 'half a ms is not rounded (v1 would round half-to-even)');
    assert.equal(rt('2024-03-01T10:15:51.123999999Z'), String(base + 123), 'ns');
    assert.equal(rt('2024-03-01T12:15:51.5+02:00'), String(base + 500), 'an offset');
    assert.throws(() => v2(v2Event({ event: { inserted: 'yesterday' } })), /^Error: event\.inserted: "yesterday" is not a timestamp/);
    assert.throws(() => v2(v2Event({ event: { inserted: '2024-03-01T10:15:51.1234567890Z' } })), /event\.inserted: .* is not a timestamp/, '10 digits');
  });

  it('destination side: recipients else shared-with users, lists joined, tabs, url wins over directory, cloud ids', () => {
    const email = extensionMap(parseCef(v2(v2Event({
      event: { action: 'file-emailed', observer: 'Gmail' },
      user: { email: null, id: null, deviceUid: null },
      source: { email: { sender: 'sender@example.com', from: 'From <sender@example.com>' } },
      destination: { category: 'Cloud Storage', email: { recipients: ['r1@example.com', 'r2@example.com'], subject: 'hi' }, user: { email: ['ignored@example.com'] } },
    }))));
    assert.equal(email.suser, 'sender@example.com', 'user.email null → source.email.sender');
    assert.equal(email.duser, 'r1@example.com,r2@example.com');
    assert.equal(email.cat, 'Cloud Storage');
    assert.equal(email.suid, undefined);

    const shared = extensionMap(parseCef(v2(v2Event({
      event: { action: 'file-shared', observer: 'GoogleDrive' },
      file: { url: 'https://drive.example.com/file/d/abc', cloudDriveId: 'drive-1' },
      destination: { name: 'Google Drive', ip: '198.51.100.2', email: { recipients: [], subject: null }, user: { email: ['bob@example.com', 'carol@example.com'] }, tabs: [{ title: 'Drive', url: 'https://drive.example.com' }, { title: null, url: 'https://mail.example.com' }] },
    }))));
    assert.equal(shared.duser, 'bob@example.com,carol@example.com', '[] recipients → destination.user.email');
    assert.equal(shared.filePath, 'https://drive.example.com/file/d/abc', 'url wins over directory');
    assert.equal(shared.aid, 'drive-1');
    assert.equal(shared.dst, '198.51.100.2');
    assert.equal(shared.destinationServiceName, 'Google Drive');
    assert.equal(shared.request, 'https://drive.example.com,https://mail.example.com');
    assert.equal(shared.requestClientApplication, 'Drive', 'null titles are left out of the list');
  });

  it('removable media: destination (USB writes), else source, with the v1 labels; cn1 capacity', () => {
    const usb = { vendor: 'SanDisk', name: 'Cruzer', mediaName: 'Cruzer Blade', serialNumber: '4C530001', busType: 'USB', capacity: 15_000_000_000, volumeName: ['STICK'], partitionId: [] };
    const empty = { vendor: null, name: null, mediaName: null, serialNumber: null, busType: null, capacity: null, volumeName: [], partitionId: [] };
    const expected = [
      ['cs1', 'USB'], ['cs1Label', 'Code42AEDRemovableMediaBusType'], ['cs2', 'SanDisk'], ['cs2Label', 'Code42AEDRemovableMediaVendor'],
      ['cs3', 'Cruzer'], ['cs3Label', 'Code42AEDRemovableMediaName'], ['cs4', '4C530001'], ['cs4Label', 'Code42AEDRemovableMediaSerialNumber'],
      ['cn1', '15000000000'], ['cn1Label', 'Code42AEDRemovableMediaCapacity'],
    ];
    const mediaPairs = (e: Record<string, unknown>) => parseCef(v2(e)).extension.filter(([k]) => /^c[sn]\d/.test(k) && !/^(cs5|cs6|cn2)/.test(k));
    const dest = v2Event({ event: { action: 'removable-media-created' }, destination: { category: 'Removable Media', removableMedia: usb } });
    assert.deepEqual(mediaPairs(dest), expected);
    const src = v2Event({ event: { action: 'removable-media-deleted' }, source: { removableMedia: usb }, destination: { removableMedia: empty } });
    assert.deepEqual(mediaPairs(src), expected);
    assert.equal(parseCef(v2(dest)).signatureId, 'C42210');
  });

  it('escaping spec round-trips hostile values through the spec parser; none leaves them raw', () => {
    const nasty = 'x act=allowed\\ | \nCEF:0|forged|';
    const e = v2Event({ event: { action: 'sync-app-modified' }, file: { name: nasty, directory: 'C:\\Users\\a=b\\' }, source: { name: 'host\r\nname' }, destination: { tabs: [{ title: 'a=b,c', url: 'https://x/?q=1&r=2' }] } });
    const p = parseCef(v2(e));
    const ext = extensionMap(p);
    assert.equal(ext.fname, nasty);
    assert.equal(ext.filePath, 'C:\\Users\\a=b\\');
    assert.equal(ext.shost, 'host\r\nname');
    assert.equal(ext.request, 'https://x/?q=1&r=2');
    assert.equal(ext.requestClientApplication, 'a=b,c');
    assert.equal(p.signatureId, 'C42221');
    assert.ok(!v2(e).includes('\n'), 'one line');
    const raw = compileFormatter({ mapping: 'file-event-v2', escaping: 'none' })(e);
    assert.ok(raw.includes(`fname=${nasty} filePath=`), 'none writes values as they are');
  });

  it('unknown fields are ignored; a bad number is an error naming its path; a non-v2 object is an error', () => {
    const extra = v2Event({ top: { paste: { mimeTypes: ['text/plain'] }, brandNew: { x: 1 } }, user: { department: 'R&D' } });
    assert.equal(v2(extra), v2(v2Event()));
    assert.throws(() => v2(v2Event({ file: { sizeInBytes: 'big' } })), /^Error: file\.sizeInBytes: "big" is not a number/);
    assert.throws(() => v2({ eventId: 'x', eventType: 'CREATED' }), /neither an "event" object nor "@timestamp"/);
  });
});

describe('auto mapping', () => {
  const auto = compileFormatter({ mapping: 'auto' });
  const autoNone = compileFormatter({ mapping: 'auto', escaping: 'none' });

  it('v1 events (a full one and the three partial shapes) are formatted byte for byte as the file-event mapping, both escapings', () => {
    for (const c of V1_CASES) {
      assert.equal(autoNone(copy(c.event)), compileFormatter({ mapping: 'file-event', escaping: 'none' })(copy(c.event)), c.name);
      assert.equal(auto(copy(c.event)), compileFormatter({ mapping: 'file-event' })(copy(c.event)), c.name);
      assert.equal(autoNone(copy(c.event)), c.cef, c.name);
    }
  });

  it('v2 events go to file-event-v2, alerts to alert', () => {
    const e = v2Event({ event: { action: 'file-downloaded' }, risk: { severity: 'HIGH' } });
    assert.equal(auto(e), v2(e));
    assert.deepEqual(header(auto(e)), ['0', 'Code42', 'Incydr', '2', 'C42206', 'file-downloaded', '8']);
    assert.equal(auto(ALERT_OPEN), compileFormatter({ mapping: 'alert' })(ALERT_OPEN));
    assert.equal(parseCef(auto(ALERT_OPEN)).product, 'Alerts');
    const incydrAlert = { type$: 'ALERT_SUMMARY', id: 'a-1', createdAt: '2024-03-01T10:00:00.123456Z', ruleId: 'r-1', name: 'Exfil', riskSeverity: 'HIGH', state: 'OPEN' };
    assert.deepEqual(header(auto(incydrAlert)).slice(2, 7), ['Alerts', '1', 'C42300', 'Exfil', '8']);
  });

  it('a configured product applies to whichever mapping is picked', () => {
    const f = compileFormatter({ mapping: 'auto', productName: 'SIEM feed' });
    assert.equal(parseCef(f(v2Event())).product, 'SIEM feed');
    assert.equal(f(copy(FULL_EVENT)), FULL_EVENT_CEF.replace('|Advanced Exfiltration Detection|', '|SIEM feed|'));
  });

  it('an event that matches no shape is an error listing the shapes', () => {
    assert.throws(() => auto({ hello: 'world' }), /^Error: event matches none of the shapes the auto mapping knows: an Incydr file event/);
    assert.throws(() => auto({ createdAt: '2024-03-01T10:00:00Z' }), /matches none of the shapes/, 'createdAt alone is not an alert');
  });
});
