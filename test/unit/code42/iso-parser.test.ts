// IsoMsParser (the extractor's per-event insertion-time parser) agrees with
// parseIsoMs on every input: same epoch ms, same error, whatever came before.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IsoMsParser, parseIsoMs } from '../../../src/lib/code42/time';

function outcome(f: () => number): number | string {
  try {
    return f();
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

describe('IsoMsParser', () => {
  it('matches parseIsoMs on a run of times across seconds, minutes, hours and days', () => {
    const parser = new IsoMsParser();
    const start = Date.UTC(2025, 11, 31, 22, 58, 0, 0);
    for (let ms = start; ms < start + 3 * 3_600_000; ms += 997) {
      const text = new Date(ms).toISOString();
      assert.equal(parser.parse(text), parseIsoMs(text), text);
      assert.equal(parser.parse(text), ms);
    }
  });

  it('matches parseIsoMs (value or error) on odd and invalid times right after a cached hour', () => {
    const odd = [
      '2026-01-01T00:61:00.000Z', '2026-01-01T00:00:60.000Z', '2026-01-01T00:0a:00.000Z', '2026-01-01T00:00:00.00aZ',
      '2026-01-01T00:00:00.1234567Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.5Z', '2026-01-01T00:00:00.000+01',
      '2026-01-01T24:00:00.000Z', '2026-01-01T24:30:00.000Z', '2026-01-01T23:59:59.999Z', '2026-02-30T00:00:00.000Z',
      '2026-01-01 00:00:00.000Z', '2026-01-01T00:00:00.000z', 'not a time', '',
    ];
    for (const text of odd) {
      const parser = new IsoMsParser();
      // Prime the cache with the same hour (and with hour 24), then parse the odd value.
      parser.parse('2026-01-01T00:00:00.000Z');
      outcome(() => parser.parse('2026-01-01T24:00:00.000Z'));
      assert.deepEqual(outcome(() => parser.parse(text)), outcome(() => parseIsoMs(text)), text);
    }
  });
});
