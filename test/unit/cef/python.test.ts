// Python value rendering used for byte compatibility with the reference.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pyFloatRepr, pyRepr, pyStr } from '../../../src/lib/cef';

describe('Python rendering', () => {
  // Each expectation is what CPython 3 prints for the same literal.
  it('float repr: fixed between 1e-4 and 1e16, exponent outside, ".0" on integral floats', () => {
    const cases: Array<[number, string]> = [
      [0.1, '0.1'], [1.5, '1.5'], [0.0001, '0.0001'], [0.00001, '1e-05'], [1.5e-7, '1.5e-07'], [123456789.125, '123456789.125'],
      [1e15, '1000000000000000.0'], [1e16, '1e+16'], [1.2345e20, '1.2345e+20'], [-2.5, '-2.5'], [1e100, '1e+100'], [5e-324, '5e-324'], [0.30000000000000004, '0.30000000000000004'],
    ];
    for (const [x, expected] of cases) assert.equal(pyFloatRepr(x), expected, String(x));
  });

  it('str() of scalars and containers', () => {
    assert.equal(pyStr(true), 'True');
    assert.equal(pyStr(null), 'None');
    assert.equal(pyStr(86), '86');
    assert.equal(pyStr('plain'), 'plain');
    assert.equal(pyRepr({ a: [1, 'x', null], "it's": true }), `{'a': [1, 'x', None], "it's": True}`);
    assert.equal(pyRepr('a\'b"c\n'), `'a\\'b"c\\n'`);
  });
});
