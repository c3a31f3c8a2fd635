// R3 rule 6: timestamps → epoch ms as (µs/1e6)*1000 in doubles, rounded
// half-to-even; and secflow's ISO rule used by alerts and user mappings.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFormatter, isoTimestampToCefMs, v1TimestampToCefMs } from '../../../src/lib/cef';

const base = Date.parse('2019-09-09T02:42:23Z');

describe('file-event timestamps (reference rule)', () => {
  it('the contract cases: .851Z → …851, .0005Z → …000, .0015Z → …002', () => {
    assert.equal(v1TimestampToCefMs('2019-09-09T02:42:23.851Z'), String(base + 851));
    assert.equal(v1TimestampToCefMs('2019-09-09T02:42:23.0005Z'), String(base));
    assert.equal(v1TimestampToCefMs('2019-09-09T02:42:23.0015Z'), String(base + 2));
  });

  it('whole seconds and 1–6 fraction digits; agrees with Date.parse on whole milliseconds', () => {
    assert.equal(v1TimestampToCefMs('2012-07-22T02:19:29Z'), String(Date.parse('2012-07-22T02:19:29Z')));
    for (const frac of ['.1', '.12', '.123', '.1230', '.12300', '.123000']) {
      assert.equal(v1TimestampToCefMs(`2019-09-09T02:42:23${frac}Z`), String(base + Number(frac) * 1000), frac);
    }
    assert.equal(v1TimestampToCefMs('1969-12-31T23:59:59.999Z'), '-1');
    assert.equal(v1TimestampToCefMs('2020-02-29T00:00:00Z'), String(Date.parse('2020-02-29T00:00:00Z')));
  });

  it('sub-millisecond digits round half-to-even on the double, as Python\'s "{:.0f}" does', () => {
    // 0.0025 s is not exact in binary; whichever side the double lands on decides.
    const ms = (t: string) => Number(v1TimestampToCefMs(t)) - base;
    assert.equal(ms('2019-09-09T02:42:23.000499Z'), 0);
    assert.equal(ms('2019-09-09T02:42:23.000501Z'), 1);
    assert.equal(ms('2019-09-09T02:42:23.999999Z'), 1000);
  });

  for (const bad of ['yesterday', '2019-09-09 02:42:23Z', '2019-09-09T02:42:23', '2019-09-09T02:42:23.Z', '2019-09-09T02:42:23.1234567Z', '2019-13-09T02:42:23Z', '2019-02-30T02:42:23Z', '2019-09-09T24:00:00Z', '2019-09-09T02:42:23+00:00']) {
    it(`rejects ${JSON.stringify(bad)}, naming the field`, () => {
      assert.throws(() => compileFormatter()({ eventTimestamp: bad }), (err: Error) => {
        assert.equal(err.message, `eventTimestamp: ${JSON.stringify(bad)} is not a timestamp of the form YYYY-MM-DDTHH:MM:SS(.f{1,6})Z`);
        return true;
      });
    });
  }

  it('rejects non-strings in any timestamp field, naming that field', () => {
    assert.throws(() => compileFormatter()({ insertionTimestamp: 1568069262724 }), /^Error: insertionTimestamp: 1568069262724 is not a timestamp/);
    assert.throws(() => compileFormatter()({ modifyTimestamp: { t: 1 } }), /^Error: modifyTimestamp: /);
  });
});

describe('ISO timestamps (alerts, user mappings)', () => {
  it('0–9 fraction digits, Z or an offset, exact half-to-even', () => {
    const t0 = Date.parse('2021-01-01T09:40:05Z');
    assert.equal(isoTimestampToCefMs('2021-01-01T09:40:05Z'), String(t0));
    assert.equal(isoTimestampToCefMs('2021-01-01T09:40:05.2837100Z'), String(t0 + 284));
    assert.equal(isoTimestampToCefMs('2021-01-01T09:40:05.000500000Z'), String(t0));
    assert.equal(isoTimestampToCefMs('2021-01-01T09:40:05.001500Z'), String(t0 + 2));
    assert.equal(isoTimestampToCefMs('2021-01-01T10:40:05.5+01:00'), String(t0 + 500));
    assert.equal(isoTimestampToCefMs(1609494005284), '1609494005284');
    assert.throws(() => isoTimestampToCefMs('2021-01-01T09:40:05.1234567890Z'), /is not a timestamp/);
    assert.throws(() => isoTimestampToCefMs('2021-01-01'), /is not a timestamp/);
  });
});
