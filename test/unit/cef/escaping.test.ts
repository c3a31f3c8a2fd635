// `spec` escaping: whatever a value holds, a CEF parser written from the
// specification (./cef-parser.ts) reads back the original header fields,
// extension values and labels. `none` writes values untouched.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFormatter, escapeExtensionSpec, escapeHeaderSpec } from '../../../src/lib/cef';
import { extensionMap, parseCef } from './cef-parser';
import { FULL_EVENT, FULL_EVENT_EXTENSION, copy } from '../../fixtures/code42/file-events-v1';

const NASTY = ['back\\slash', 'eq=uals', 'pi|pe', 'cr\rlf\nboth\r\n', 'trailing\\', ' k=v lookalike', '\\=\\|', 'a\\nb (backslash n)', '=', '|', 'mixed \\|=\r\n| end'];

/** Header fields lose line breaks (CR and LF become one space each); nothing else. */
const headerView = (s: string): string => s.replace(/[\r\n]/g, ' ');

describe('spec escaping (file-event mapping)', () => {
  for (const value of NASTY) {
    it(`round-trips ${JSON.stringify(value)} in header fields and extension values`, () => {
      const event = { eventType: value, fileName: value, filePath: `/dir/${value}`, removableMediaName: value, osHostName: value };
      const out = compileFormatter({ escaping: 'spec', vendor: `V ${value}`, productName: `P ${value}`, severity: `S ${value}` })(event);
      assert.ok(!out.includes('\n') && !out.includes('\r'), 'a record is one line');
      const parsed = parseCef(out);
      assert.equal(parsed.vendor, headerView(`V ${value}`));
      assert.equal(parsed.product, headerView(`P ${value}`));
      assert.equal(parsed.severity, headerView(`S ${value}`));
      assert.equal(parsed.name, headerView(value));
      assert.deepEqual(extensionMap(parsed), {
        filePath: `/dir/${value}`, fname: value, shost: value, cs3: value, cs3Label: 'Code42AEDRemovableMediaName',
      });
    });
  }

  it('the exact escapes of the contract', () => {
    assert.equal(escapeHeaderSpec('a\\b|c\rd\ne'), 'a\\\\b\\|c d e');
    assert.equal(escapeExtensionSpec('a\\b=c\rd\ne|f'), 'a\\\\b\\=c\\rd\\ne|f');
    const out = compileFormatter({ escaping: 'spec' })({ eventType: 'T|1', fileName: 'x=1\ny' });
    assert.ok(out.endsWith('|C42000|T\\|1|5|fname=x\\=1\\ny'), out);
  });

  it('`none` leaves values untouched (the reference behaviour, open to injection)', () => {
    const out = compileFormatter({ escaping: 'none' })({ eventType: 'T|1', fileName: 'x=1\ny' });
    assert.ok(out.endsWith('|C42000|T|1|5|fname=x=1\ny'), out);
  });
});

/** mulberry32: a small seeded generator, so a failure can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['\\', '=', '|', '\r', '\n', ' ', 'a', 'Z', '0', 'é', '😀', ' key=', '\\n', '\\=', '\\|', 'cs1Label=', '\t', '"', "'"];

function randomString(next: () => number, minLength: number): string {
  const n = minLength + Math.floor(next() * 12);
  let s = '';
  for (let i = 0; i < n; i++) s += PIECES[Math.floor(next() * PIECES.length)];
  return s;
}

describe('spec escaping, property-style (random strings through a user mapping)', () => {
  const seed = Number(process.env.CEF_SEED ?? 20240601);
  it(`2,000 random records parse back to their values (seed ${seed}; CEF_SEED replays)`, () => {
    const next = rng(seed);
    for (let round = 0; round < 2000; round++) {
      const label = randomString(next, 1);
      const mapping = {
        signatureId: { field: 'sig' }, name: { field: 'name' }, severity: { field: 'sev' },
        extension: [
          { key: 'msg', from: 'a' },
          { key: 'cs1', from: 'b', label },
          { key: 'suser', from: ['missing', 'c'] },
          { key: 'act', from: 'd.e' },
        ],
      };
      const event = { sig: randomString(next, 1), name: randomString(next, 1), sev: randomString(next, 1), a: randomString(next, 0), b: randomString(next, 0), c: randomString(next, 0), d: { e: randomString(next, 0) } };
      const vendor = randomString(next, 1);
      const productName = randomString(next, 1);
      const out = compileFormatter({ mapping: 'custom', customMapping: mapping, escaping: 'spec', vendor, productName })(event);
      const context = `round ${round}: ${JSON.stringify(out)}`;
      assert.ok(!/[\r\n]/.test(out), context);
      const parsed = parseCef(out);
      assert.deepEqual(
        [parsed.version, parsed.vendor, parsed.product, parsed.signatureId, parsed.name, parsed.severity],
        ['0', headerView(vendor), headerView(productName), headerView(event.sig), headerView(event.name), headerView(event.sev)],
        context,
      );
      assert.deepEqual(parsed.extension, [['msg', event.a], ['cs1', event.b], ['cs1Label', label], ['suser', event.c], ['act', event.d.e]], context);
    }
  });

  it('a full v1 event parses back to the mapped values with spec escaping, keys in the order of the hand-worked line', () => {
    const event = copy(FULL_EVENT);
    const parsed = extensionMap(parseCef(compileFormatter({ escaping: 'spec' })(event)));
    assert.equal(parsed.shost, event.osHostName);
    assert.equal(parsed.filePath, event.filePath);
    assert.equal(parsed.sproc, event.processName);
    assert.deepEqual(Object.keys(parsed), FULL_EVENT_EXTENSION.map(([k]) => k));
  });
});
