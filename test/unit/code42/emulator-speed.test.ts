// The Code42 emulator's fast paths (made for the bench) give exactly what the plain
// ones give: the byte templates serialise generateFileEvent's objects, the id writer
// matches generatedEventId, in-order appends sort like the general insert, and a
// prefetched page is byte-identical to one written on request.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pageSideBySide } from '../../support/prefetch-pages';
import { ByteSink, FileEventJson, generateFileEvent, generatedEventId, writeGeneratedEventId } from '../../emulators/code42-data';
import { Code42Emulator, FILE_EVENT_PATH } from '../../emulators/code42';

const T0 = Date.UTC(2026, 0, 1);

describe('Code42 emulator data writers', () => {
  it('FileEventJson writes its variant\'s generateFileEvent with eventId and both times spliced in, for every variant, across days and odd times', () => {
    const BASE = 1_000_000_000_000; // the template time
    for (const seed of [42, 2024]) {
      const json = new FileEventJson(seed);
      const times = [T0, T0 + 999, T0 + 86_399_999, T0 + 86_400_000 + 7, 0, 5, 1.5, 253402300800000 + 1000, Date.UTC(2021, 1, 28, 23, 59, 59, 999)];
      for (let seq = 0; seq < 900; seq++) {
        const ms = times[seq % times.length] + seq * 613;
        const variant = generateFileEvent(seq % 420, BASE, seed);
        const offset = BASE - Date.parse(String(variant.eventTimestamp));
        const expected = JSON.stringify({ ...variant, eventId: generatedEventId(seq, seed), insertionTimestamp: new Date(ms).toISOString(), eventTimestamp: new Date(ms - offset).toISOString() });
        assert.equal(json.json(seq, ms), expected, `seed ${seed} seq ${seq} ms ${ms}`);
      }
    }
  });

  it('a page written into one sink is the events joined, byte for byte', () => {
    const json = new FileEventJson(7);
    const sink = new ByteSink(16); // forces growth
    const expected: string[] = [];
    for (let seq = 0; seq < 300; seq++) {
      json.write(sink, seq, T0 + seq * 37);
      expected.push(new FileEventJson(7).json(seq, T0 + seq * 37));
    }
    assert.equal(sink.result().toString('utf8'), expected.join(''));
  });

  it('writeGeneratedEventId writes generatedEventId, small and large seqs alike', () => {
    const buf = Buffer.alloc(256);
    for (const seq of [0, 1, 9, 96, 97, 4095, 99_999_999, 100_000_000, 2 ** 31, 0xffffffff, 2 ** 32, 2 ** 40 + 3]) {
      for (const seed of [42, 7]) {
        const end = writeGeneratedEventId(buf, 3, seq, seed);
        assert.equal(buf.toString('latin1', 3, end), generatedEventId(seq, seed), `seq ${seq}`);
      }
    }
  });
});

describe('Code42 emulator store and prefetch', () => {
  const emus: Code42Emulator[] = [];
  after(async () => {
    for (const emu of emus) await emu.close();
  });

  it('in-order appends give the same search order as the general insert', () => {
    const a = new Code42Emulator();
    const b = new Code42Emulator();
    // a: appends (fast path), then ties and a late batch (merge path); b: the same events out of order.
    a.addFileEvents({ count: 50, startMs: T0, stepMs: 2 });
    a.addFileEvents({ count: 20, startMs: T0 + 98, stepMs: 0 });
    a.addFileEvents({ count: 10, startMs: T0 + 1, stepMs: 3 });
    b.addFileEvents({ count: 50, startMs: T0, stepMs: 2 });
    b.addFileEvents({ count: 20, startMs: T0 + 98, stepMs: 0 });
    b.addFileEvents({ count: 10, startMs: T0 + 1, stepMs: 3 });
    const ids = a.visibleFileEventIds();
    assert.equal(ids.length, 80);
    assert.deepEqual(ids, b.visibleFileEventIds());
    // The search order is (insertion ms, eventId), whatever the path.
    const ms = (id: string) => Number(/_9182530817(\d+)_/.exec(id)![1]);
    const seqToMs = new Map<number, number>();
    for (let s = 0; s < 50; s++) seqToMs.set(s, T0 + s * 2);
    for (let s = 50; s < 70; s++) seqToMs.set(s, T0 + 98);
    for (let s = 70; s < 80; s++) seqToMs.set(s, T0 + 1 + (s - 70) * 3);
    const keys = ids.map((id) => [seqToMs.get(ms(id))!, id] as const);
    const sorted = [...keys].sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0));
    assert.deepEqual(keys, sorted);
  });

  it('with prefetch, every page of a token-paged query is byte-identical to the plain emulator\'s, and a change in between is seen', async () => {
    const plain = new Code42Emulator({ acceptAnyCredentials: true, logBodies: false });
    const ahead = new Code42Emulator({ acceptAnyCredentials: true, logBodies: false, prefetch: true });
    emus.push(plain, ahead);
    for (const emu of [plain, ahead]) emu.addGeneratedFileEvents({ count: 2_500, startMs: T0, stepMs: 1 });
    const [plainUrl, aheadUrl] = [await plain.listen(), await ahead.listen()];
    const token = async (url: string) => {
      const res = await fetch(`${url}/api/v3/oauth/token?grant_type=client_credentials`, { method: 'POST', headers: { Authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } });
      return ((await res.json()) as { access_token: string }).access_token;
    };
    const auth = { plain: await token(plainUrl), ahead: await token(aheadUrl) };
    const search = async (url: string, bearer: string, pgToken: string) => {
      const body = { groupClause: 'AND', groups: [{ filterClause: 'AND', filters: [{ term: 'insertionTimestamp', operator: 'ON_OR_AFTER', value: new Date(T0 + 100).toISOString() }] }], srtDir: 'asc', srtKey: 'insertionTimestamp', pgToken, pgSize: 1000 };
      const res = await fetch(url + FILE_EVENT_PATH, { method: 'POST', headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.equal(res.headers.get('content-length'), String(Buffer.byteLength(text)));
      return text;
    };
    // New events between pages 2 and 3: the prefetched page 3 must not be served stale.
    const pages = await pageSideBySide((side, pgToken) => (side === 'plain' ? search(plainUrl, auth.plain, pgToken) : search(aheadUrl, auth.ahead, pgToken)), () => {
      for (const emu of [plain, ahead]) emu.addGeneratedFileEvents({ count: 700, startMs: T0 + 2_500, stepMs: 1 });
    });
    assert.equal(pages, 4, '3,100 events after the bound in pages of 1,000');
    // Pages 2 and 4 came from prefetches; page 3's was dropped by the change.
    assert.equal(ahead.prefetchHits, 2);
    assert.equal(plain.prefetchHits, 0);
  });
});
