// Issue 13, item 3: IoC extraction is linear in the text, on hostile shapes
// for every pattern (dotted runs for dns/ipv4, defanged dots, URL, e-mail,
// path and hash character runs), here without the per-field cap.
import { test } from 'node:test';
import { IOC_TYPES, IocExtractor } from '../../../src/lib/ioc';
import { assertLinear } from '../../support/linear-time';

const fill = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const extractor = new IocExtractor({ types: IOC_TYPES, maxLength: Infinity });
const compat = new IocExtractor({ types: IOC_TYPES, maxLength: Infinity, compat: true });

const SHAPES = ['a.', '1.', 'a[.]', 'a-a.', `${'a'.repeat(70)}.`, 'http://a.', 'hXXp://a%', 'a@a.', 'a.a@', 'a[at]', '/a.', './', '\\a.', 'c:\\a ', '1:', 'a:1.', 'f'.repeat(63) + ' '];

for (const unit of SHAPES) {
  test(`IoC extraction of ${JSON.stringify(unit)} repeated: linear from 256 KB to 1 MB`, () => {
    assertLinear(`ioc ${JSON.stringify(unit)}`, (n) => fill(unit, n), (text) => extractor.extract(text));
  });
}

test('compat extraction (decoded-URL re-scan from the previous offset) is linear too', () => {
  assertLinear('ioc compat url', (n) => fill('http://a.b/%41', n), (text) => compat.extract(text));
});
