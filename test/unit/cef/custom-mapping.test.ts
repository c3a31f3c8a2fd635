// User JSON → CEF mappings (contract S-e "User mapping"): validation with
// readable errors, and formatting.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFormatter, parseCustomMapping } from '../../../src/lib/cef';
import { parseCef } from './cef-parser';

const MAPPING = {
  product: 'Door Access',
  signatureId: { field: 'kind', map: { open: '100', forced: '101' }, default: '199' },
  name: { field: 'kind', default: 'UNKNOWN' },
  severity: { field: 'level', map: { info: '3', alarm: '9' } },
  extension: [
    { key: 'suser', from: ['user.email', 'user.name'] },
    { key: 'rt', from: 'time', type: 'timestamp', required: true },
    { key: 'cnt', from: 'count', type: 'number' },
    { key: 'cs1', from: 'tags', type: 'list', label: 'Tags' },
    { key: 'request', from: 'tabs[].url', type: 'list' },
  ],
};

describe('custom mapping: formatting', () => {
  it('header items from fields with maps and defaults; first non-empty source wins; lists join', () => {
    const f = compileFormatter({ mapping: 'custom', customMapping: JSON.stringify(MAPPING), vendor: 'ACME' });
    const p = parseCef(f({ kind: 'forced', level: 'alarm', user: { email: null, name: 'bob' }, time: '2024-01-02T03:04:05.678Z', count: '7', tags: ['a', 'b'], tabs: [{ url: 'u1' }, { url: null }, { url: 'u2' }] }));
    assert.deepEqual([p.vendor, p.product, p.deviceVersion, p.signatureId, p.name, p.severity], ['ACME', 'Door Access', '1', '101', 'forced', '9']);
    assert.deepEqual(p.extension, [['suser', 'bob'], ['rt', String(Date.parse('2024-01-02T03:04:05.678Z'))], ['cnt', '7'], ['cs1', 'a,b'], ['cs1Label', 'Tags'], ['request', 'u1,u2']]);
    const q = parseCef(f({ kind: 'other', time: '2024-01-02T03:04:05Z' }));
    assert.deepEqual([q.signatureId, q.name, q.severity], ['199', 'other', '5']);
    assert.deepEqual(q.extension, [['rt', String(Date.parse('2024-01-02T03:04:05Z'))]]);
  });

  it('a required field that is missing, and a value of the wrong type, are errors naming the field', () => {
    const f = compileFormatter({ mapping: 'custom', customMapping: MAPPING });
    assert.throws(() => f({ kind: 'open' }), /^Error: time: missing; the mapping requires it for rt$/);
    assert.throws(() => f({ time: 'yesterday' }), /^Error: time: "yesterday" is not a timestamp/);
    assert.throws(() => f({ time: '2024-01-02T03:04:05Z', count: 'many' }), /^Error: count: "many" is not a number$/);
  });

  it('constant header strings', () => {
    const f = compileFormatter({ mapping: 'custom', customMapping: { signatureId: 'X1', name: 'Thing', severity: '2', extension: [{ key: 'msg', from: 'm' }] } });
    assert.equal(f({ m: 'hi' }), 'CEF:0|Code42|Custom|1|X1|Thing|2|msg=hi');
  });
});

describe('custom mapping: validation', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['not JSON', '{"extension": [', /^customMapping: is not valid JSON/],
    ['empty text', '  ', /^customMapping: is empty/],
    ['not an object', '[1]', /^customMapping: must be a JSON object, got \[1\]/],
    ['no extension list', { product: 'x' }, /^customMapping\.extension: must be a list/],
    ['unknown top-level property', { extension: [], vendor: 'x' }, /^customMapping: unknown property "vendor"/],
    ['bad key', { extension: [{ key: 'bad key', from: 'a' }] }, /^customMapping\.extension\[0\]\.key: "bad key" must match \^\[A-Za-z0-9_\]\+\$/],
    ['duplicate key', { extension: [{ key: 'msg', from: 'a' }, { key: 'msg', from: 'b' }] }, /^customMapping\.extension\[1\]\.key: "msg" is used twice/],
    ['cs key without label', { extension: [{ key: 'cs2', from: 'a' }] }, /^customMapping\.extension\[0\]\.label: cs2 is a CEF custom key and needs a label/],
    ['cn key without label', { extension: [{ key: 'cn1', from: 'a', type: 'number' }] }, /^customMapping\.extension\[0\]\.label: cn1 is a CEF custom key/],
    ['bad type', { extension: [{ key: 'msg', from: 'a', type: 'date' }] }, /^customMapping\.extension\[0\]\.type: must be one of string, number, timestamp, list, got "date"/],
    ['empty from', { extension: [{ key: 'msg', from: [] }] }, /^customMapping\.extension\[0\]\.from: must be a dot path/],
    ['bad path', { extension: [{ key: 'msg', from: ['a..b'] }] }, /^customMapping\.extension\[0\]\.from\[0\]: "a\.\.b" is not a dot path/],
    ['unknown item property', { extension: [{ key: 'msg', from: 'a', lable: 'x' }] }, /^customMapping\.extension\[0\]: unknown property "lable"/],
    ['bad header item', { signatureId: [1], extension: [] }, /^customMapping\.signatureId: must be a string or an object/],
    ['header item without field', { name: { map: {} }, extension: [] }, /^customMapping\.name\.field: must be a dot path string/],
    ['bad required', { extension: [{ key: 'msg', from: 'a', required: 'yes' }] }, /^customMapping\.extension\[0\]\.required: must be true or false/],
  ];
  for (const [what, input, expected] of cases) {
    it(`${what} → ${expected.source.slice(1, 60)}`, () => {
      const matches = (err: Error) => {
        assert.match(err.message, expected);
        return true;
      };
      assert.throws(() => parseCustomMapping(input), matches);
      // The formatter validates when it is built, before any event.
      assert.throws(() => compileFormatter({ mapping: 'custom', customMapping: input }), matches);
    });
  }

  it('mapping custom without a customMapping, and an unknown mapping name', () => {
    assert.throws(() => compileFormatter({ mapping: 'custom' }), /^Error: customMapping: required when mapping is custom/);
    assert.throws(() => compileFormatter({ mapping: 'file-event-v3' }), /^Error: mapping must be one of file-event, file-event-v2, alert, incydr-audit, cbc-alert, cbc-audit, auto, custom; got "file-event-v3"/);
    assert.throws(() => compileFormatter({ mapping: 'toString' }), /^Error: mapping must be one of/);
  });

  it('escaping and format are validated; cef is an alias of spec', () => {
    assert.throws(() => compileFormatter({ escaping: 'html' as never }), /^Error: escaping must be one of spec \(alias cef\), none; got "html"/);
    assert.throws(() => compileFormatter({ format: 'xml' as never }), /^Error: format must be one of cef, leef, json, raw; got "xml"/);
    assert.equal(compileFormatter({ escaping: 'cef' })({ fileName: 'a=b' }), compileFormatter({ escaping: 'spec' })({ fileName: 'a=b' }));
  });
});
