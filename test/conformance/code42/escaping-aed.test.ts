// Conformance: code42cli's AED_EVENT_DICT parses back (spec escaping, with the parser
// written from the CEF specification) to its mapped values, with the keys of the
// reference's full expected string. test/unit/cef/escaping.test.ts checks the same on
// secflow's own full event.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFormatter } from '../../../src/lib/cef';
import { extensionMap, parseCef } from '../../unit/cef/cef-parser';
import { code42cli, fixture } from './vectors';

describe('spec escaping on code42cli\'s full fixture', () => {
  it('the AED fixture parses back to the mapped values with spec escaping', () => {
    const v = code42cli();
    const event = fixture(v, 'AED_EVENT_DICT');
    const parsed = extensionMap(parseCef(compileFormatter({ escaping: 'spec' })(event)));
    assert.equal(parsed.shost, event.osHostName);
    assert.equal(parsed.filePath, event.filePath);
    assert.equal(parsed.sproc, event.processName);
    // The same keys, in the same order, as the reference's full expected string.
    const expectedKeys = [...v.full_string_vectors[0].expected.split('|')[7].matchAll(/(?:^| )([A-Za-z0-9]+)=/g)].map((m) => m[1]);
    assert.deepEqual(Object.keys(parsed), expectedKeys);
  });
});
