// JSON and RAW formatters (contract R4 / S-f).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFormatter, pyJsonDumps } from '../../../src/lib/cef';
import { FULL_EVENT, copy } from '../../fixtures/code42/file-events-v1';
import { ALERT_RESOLVED } from '../../fixtures/code42/alerts';

describe('JSON formatter', () => {
  it('keeps the 25 non-empty keys of a full v1 event, in event order, each value non-empty', () => {
    const event = copy(FULL_EVENT);
    const parsed = JSON.parse(compileFormatter({ format: 'json' })(event));
    assert.equal(Object.keys(parsed).length, 25);
    const expectedKeys = Object.keys(event).filter((k) => event[k] !== null && !(Array.isArray(event[k]) && (event[k] as unknown[]).length === 0));
    assert.deepEqual(Object.keys(parsed), expectedKeys);
    for (const key of Object.keys(parsed)) assert.deepEqual(parsed[key], event[key]);
  });

  it('drops null, "", [] and {} at the top level; keeps 0, 0.0, false and nested empties', () => {
    const out = JSON.parse(compileFormatter({ format: 'json' })({ a: null, b: '', c: [], d: {}, e: 0, f: false, g: 0.5, h: { x: null, y: [] }, i: [null] }));
    assert.deepEqual(out, { e: 0, f: false, g: 0.5, h: { x: null, y: [] }, i: [null] });
  });

  it('pythonCompatible writes json.dumps bytes: ", " / ": " separators, float repr', () => {
    const out = compileFormatter({ format: 'json', pythonCompatible: true })({ a: 1, b: [1, 2.5, true, null], c: { d: 'x' }, e: 1e-7, f: 1e22, g: '' });
    assert.equal(out, '{"a": 1, "b": [1, 2.5, true, null], "c": {"d": "x"}, "e": 1e-07, "f": 10000000000000000000000}');
  });

  // Hand-checked against CPython 3: json.dumps({"k": "héllo\u2028\u0000\"\\😀\x7f\t"}).
  it('pythonCompatible escapes non-ASCII as \\uXXXX (astral as a surrogate pair) and control characters', () => {
    assert.equal(pyJsonDumps({ k: 'héllo\u2028\u0000"\\😀\x7f\t' }), '{"k": "h\\u00e9llo\\u2028\\u0000\\"\\\\\\ud83d\\ude00\\u007f\\t"}');
    assert.equal(pyJsonDumps(['Grüße', 'Ω', '\b\f\n\r']), '["Gr\\u00fc\\u00dfe", "\\u03a9", "\\b\\f\\n\\r"]');
    assert.equal(pyJsonDumps({}), '{}');
    assert.equal(pyJsonDumps([]), '[]');
  });

  it('pythonCompatible output is still valid JSON that parses to the same object', () => {
    const event = copy(FULL_EVENT);
    event.osHostName = 'Zoë’s 💻';
    const out = compileFormatter({ format: 'json', pythonCompatible: true })(event);
    assert.ok(/^[\x20-\x7e]*$/.test(out), 'ASCII only');
    assert.equal(out.includes('"fileSize": 48213, '), true);
    assert.deepEqual(JSON.parse(out), JSON.parse(compileFormatter({ format: 'json' })(event)));
  });

  it('formats alerts too', () => {
    const parsed = JSON.parse(compileFormatter({ format: 'json' })(ALERT_RESOLVED));
    const { notes: _notes, ...nonEmpty } = ALERT_RESOLVED;
    assert.deepEqual(parsed, nonEmpty, 'notes is null and dropped; the observations list and its JSON strings are kept');
  });
});

describe('RAW formatter', () => {
  it('keeps all 40 keys of a full v1 event, with actor null', () => {
    const event = copy(FULL_EVENT);
    const parsed = JSON.parse(compileFormatter({ format: 'raw' })(event));
    assert.equal(Object.keys(parsed).length, 40);
    assert.equal(parsed.actor, null);
    assert.deepEqual(parsed, event);
  });

  it('pythonCompatible RAW is json.dumps of the unchanged object', () => {
    assert.equal(compileFormatter({ format: 'raw', pythonCompatible: true })({ a: null, b: [], c: 'é' }), '{"a": null, "b": [], "c": "\\u00e9"}');
  });

  it('rejects what is not an object, naming what it got', () => {
    for (const format of ['raw', 'json', 'cef'] as const) {
      const f = compileFormatter({ format });
      assert.throws(() => f('text'), /event must be an object, got a string \("text"\)/);
      assert.throws(() => f([1]), /event must be an object, got an array/);
      assert.throws(() => f(null), /event must be an object, got null/);
    }
  });
});
