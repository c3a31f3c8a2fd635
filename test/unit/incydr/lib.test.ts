// The pure parts of the Incydr flavour: v2 filter validation (v1 terms named with
// their v2 equivalents), the edit form → v2 terms, regions, the cursor maths, the
// µs/ns time parser, and the sessions filter parameters.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  INCYDR_REGIONS, V1_TO_V2_TERMS, advanceIncydrCursor, incydrBaseUrl, knownIncydrIds, parseIncydrAlertFilters, parseSessionFilters,
  parseV2Filters, reviveIncydrFileEventCursor, reviveSessionCursor, splitFileEventPage, v2FormGroups, v2TimeMs, V2TimeParser, v2UserGroups, FILE_EVENT_TERMS,
} from '../../../src/lib/code42';
import { seededRandom } from '../../emulators/framework';

describe('v2 filters', () => {
  it('accepts groups, an array, one group, subgroups and every v2 operator with its value shape', () => {
    const q = parseV2Filters(JSON.stringify({
      groupClause: 'OR',
      groups: [
        { filterClause: 'AND', filters: [{ term: 'event.action', operator: 'IS_ANY', value: ['file-created', 'file-deleted'] }, { term: 'file.name', operator: 'IS', value: '*.docx' }] },
        { subgroupClause: 'OR', subgroups: [{ filters: [{ term: 'risk.score', operator: 'GREATER_THAN', value: 5 }] }, { filters: [{ term: 'file.hash.md5', operator: 'EXISTS', value: null }] }] },
        { filters: [{ term: '@timestamp', operator: 'WITHIN_THE_LAST', value: 'P14D' }, { term: 'some.future.term', operator: 'ON', value: '2024-01-02' }] },
      ],
    }));
    assert.equal(q.groupClause, 'OR');
    assert.equal(q.groups.length, 3);
    assert.deepEqual(q.groups[1], { subgroupClause: 'OR', subgroups: [{ filterClause: 'AND', filters: [{ term: 'risk.score', operator: 'GREATER_THAN', value: 5 }] }, { filterClause: 'AND', filters: [{ term: 'file.hash.md5', operator: 'EXISTS', value: null }] }] });
    assert.deepEqual(parseV2Filters('[{"filters":[{"term":"user.email","operator":"IS","value":"a@b"}]}]').groups.length, 1);
    assert.deepEqual(parseV2Filters('{"filters":[{"term":"user.email","operator":"IS","value":"a@b"}]}').groups.length, 1);
    assert.deepEqual(parseV2Filters('  ').groups, []);
  });

  it('names the v2 equivalent of every v1 term', () => {
    for (const term of [...FILE_EVENT_TERMS, 'removableMediaVendor']) {
      const text = JSON.stringify([{ filters: [{ term, operator: 'IS', value: 'x' }] }]);
      assert.throws(() => parseV2Filters(text), (err: Error) => err.message.startsWith(`filters.groups[0].filters[0].term "${term}" is a v1 (legacy API) term; with apiVersion incydr use the v2 term `), term);
    }
    assert.throws(() => parseV2Filters('[{"filters":[{"term":"removableMediaSerialNumber","operator":"IS","value":"x"}]}]'), /use the v2 term destination\.removableMedia\.serialNumber$/);
    assert.equal(V1_TO_V2_TERMS.insertionTimestamp, 'event.inserted');
    assert.equal(V1_TO_V2_TERMS.md5Checksum, 'file.hash.md5');
  });

  it('rejects bad operators (CONTAINS with a hint), values and shapes, naming the path', () => {
    assert.throws(() => parseV2Filters('[{"filters":[{"term":"file.name","operator":"CONTAINS","value":"x"}]}]'), /filters\.groups\[0\]\.filters\[0\]\.operator must be one of .*no CONTAINS: use IS with \* wildcards/);
    assert.throws(() => parseV2Filters('[{"filters":[{"term":"event.action","operator":"IS_ANY","value":"file-created"}]}]'), /\.value must be a non-empty array of strings for IS_ANY/);
    assert.throws(() => parseV2Filters('[{"filters":[{"term":"file.hash.md5","operator":"EXISTS","value":"x"}]}]'), /\.value must be null for EXISTS/);
    assert.throws(() => parseV2Filters('[{"filters":[]}]'), /filters\.groups\[0\]\.filters must be a non-empty array/);
    assert.throws(() => parseV2Filters('[{"subgroups":[{"filters":[{"term":"","operator":"IS","value":"x"}]}]}]'), /filters\.groups\[0\]\.subgroups\[0\]\.filters\[0\]\.term must be a non-empty string/);
    assert.throws(() => parseV2Filters('{nope'), /^Error: filters is not valid JSON/);
    assert.throws(() => parseV2Filters('{"groupClause":"XOR","groups":[]}'), /filters\.groupClause must be "AND" or "OR"/);
  });

  it('maps the edit form to v2 terms; OR mode wraps the user groups into one OR subgroup', () => {
    const groups = v2FormGroups({ eventTypes: ['CREATED', 'READ_BY_APP', 'file-shared'], exposureTypes: ['RemovableMedia'], usernames: ['ann@example.com'], hostnames: ['host-1'], fileNames: ['*.pdf'], filePaths: ['/tmp/'] });
    const terms = groups.map((g) => ('filters' in g ? [g.filters[0].term, g.filters.map((f) => f.value)] : []));
    assert.deepEqual(terms, [
      ['event.action', ['removable-media-created', 'removable-media-modified', 'removable-media-deleted']],
      ['event.action', ['file-created', 'application-read', 'file-shared']],
      ['user.email', ['ann@example.com']], ['source.name', ['host-1']], ['file.name', ['*.pdf']], ['file.directory', ['/tmp/']],
    ]);
    assert.deepEqual(v2UserGroups({ groups, groupClause: 'AND', orMode: true }), [{ subgroupClause: 'OR', subgroups: groups }]);
    assert.equal(v2UserGroups({ groups, groupClause: 'AND', orMode: false }), groups);
  });

  it('alert filters in incydr mode are PascalCase; a camelCase term names its PascalCase form', () => {
    const q = parseIncydrAlertFilters('[{"filterClause":"OR","filters":[{"term":"State","operator":"IS","value":"OPEN"},{"term":"RiskSeverity","operator":"IS","value":"HIGH"}]}]');
    assert.equal(q.groups[0].filters.length, 2);
    assert.throws(() => parseIncydrAlertFilters('[{"filters":[{"term":"createdAt","operator":"ON_OR_AFTER","value":"2024-01-01"}]}]'), /"createdAt" is not an Incydr alert term; with apiVersion incydr alert terms are PascalCase: use CreatedAt/);
    assert.doesNotThrow(() => parseIncydrAlertFilters('[{"filters":[{"term":"NewTerm","operator":"IS","value":"x"}]}]', 'filters', true));
  });
});

describe('regions', () => {
  it('maps every region to https://api.<geo>.code42.com, empty to the URL, and rejects anything else by name', () => {
    for (const r of INCYDR_REGIONS) assert.equal(incydrBaseUrl(r, 'http://ignored'), `https://api.${r}.code42.com`);
    assert.equal(incydrBaseUrl(' UK ', ''), 'https://api.uk.code42.com');
    assert.equal(incydrBaseUrl('', 'http://127.0.0.1:18421'), 'http://127.0.0.1:18421');
    assert.throws(() => incydrBaseUrl('eu', ''), /^Error: region: "eu" is not an Incydr region; use one of us, us2, ie, gov, us7, uk, au, ca, de, za/);
    assert.throws(() => incydrBaseUrl('', ' '), /^Error: url: set a base URL or pick a region/);
  });
});

describe('Incydr file-event cursor', () => {
  it('keeps every id at the newest ms, a recent window for the look-back, never moves backwards, caps the window', () => {
    const c1 = advanceIncydrCursor(undefined, ['a', 'b', 'c', 'd'], [1000, 2000, 5000, 5000], 3000);
    assert.deepEqual({ ts: c1.ts, ids: c1.ids.sort(), recent: c1.recent.map((r) => r[0]).sort() }, { ts: 5000, ids: ['c', 'd'], recent: ['b', 'c', 'd'] });
    assert.equal(c1.v, 2);
    assert.equal(c1.api, 'incydr');
    const c2 = advanceIncydrCursor(c1, ['e', 'x'], [5000, 4000], 3000);
    assert.deepEqual(c2.ids.sort(), ['c', 'd', 'e']);
    assert.equal(c2.ts, 5000);
    assert.deepEqual([...knownIncydrIds(c2)].sort(), ['b', 'c', 'd', 'e', 'x']);
    const c3 = advanceIncydrCursor(c2, ['f'], [9000], 3000);
    assert.deepEqual(c3.ids, ['f']);
    assert.deepEqual(c3.recent.map((r) => r[0]).sort(), ['f']);
    assert.equal(advanceIncydrCursor(c3, [], [], 3000), c3);
    const ids = Array.from({ length: 20 }, (_, i) => `i${i}`);
    const capped = advanceIncydrCursor(undefined, ids, ids.map((_, i) => 100 + i), 1000, 5);
    assert.deepEqual(capped.recent.map((r) => r[0]), ['i15', 'i16', 'i17', 'i18', 'i19']);
  });

  it('advances by the run\'s repeats to the same cursor as by checking every id: look-back repeats, ids twice in a page, a repeat with another time, a cap', () => {
    // A seeded run of pages as the extractor reads them: a look-back that re-reads the
    // window, ids twice in one page, and a repeat whose time differs from the first.
    const random = seededRandom(7);
    const rand = (n: number) => Math.floor(random() * n);
    const pages: Array<Array<{ id: string; ms: number }>> = [];
    let next = 0;
    for (let p = 0; p < 40; p++) {
      const page: Array<{ id: string; ms: number }> = [];
      for (let k = 0; k < 30; k++) {
        const r = rand(10);
        if (r < 2 && next > 0) page.push({ id: `e${next - 1 - rand(Math.min(next, 60))}`, ms: 0 }); // seen before
        else page.push({ id: `e${next++}`, ms: 0 });
      }
      pages.push(page);
    }
    const msOf = new Map<string, number>();
    for (const page of pages) for (const e of page) {
      if (!msOf.has(e.id)) msOf.set(e.id, 1000 + Number(e.id.slice(1)) * 10);
      e.ms = rand(25) === 0 ? msOf.get(e.id)! + 7 : msOf.get(e.id)!; // now and then another time for the same id
    }
    for (const cap of [20_000, 45]) {
      let byRepeats = advanceIncydrCursor(undefined, [], [], 300);
      let byAll = byRepeats;
      const known = knownIncydrIds(byRepeats);
      let repeated = 0;
      for (const page of pages) {
        const { ids, times, repeats } = splitFileEventPage(page, (e) => e.id, (e) => e.ms, known);
        repeated += repeats.length;
        byRepeats = advanceIncydrCursor(byRepeats, ids, times, 300, cap, repeats);
        byAll = advanceIncydrCursor(byAll, ids, times, 300, cap);
        assert.deepEqual(byRepeats, byAll);
      }
      assert.ok(repeated > 100, `the pages repeat ids (${repeated})`);
      assert.ok(byAll.recent.length > 20, `the window holds ids (${byAll.recent.length})`);
    }
  });

  it('revives its own shape and a v1 cursor (same instant, same ids), and rejects others', () => {
    const stored = { v: 2, api: 'incydr', ts: 5, ids: ['a'], recent: [['a', 5], ['bad']] };
    assert.deepEqual(reviveIncydrFileEventCursor(JSON.stringify(stored)), { v: 2, api: 'incydr', ts: 5, ids: ['a'], recent: [['a', 5]] });
    assert.deepEqual(reviveIncydrFileEventCursor({ v: 1, ts: 7, ids: ['x'], recent: [] }), { v: 2, api: 'incydr', ts: 7, ids: ['x'], recent: [] });
    assert.equal(reviveIncydrFileEventCursor(undefined), undefined);
    assert.throws(() => reviveIncydrFileEventCursor({ v: 1, createdAt: 'x', ids: [] }), /not an Incydr file-event cursor/);
  });
});

describe('v2 times', () => {
  it('parses 0–9 fraction digits to the ms floor; the hour-cached parser agrees with the plain one', () => {
    assert.equal(v2TimeMs('2024-03-01T15:29:04.465123Z'), Date.parse('2024-03-01T15:29:04.465Z'));
    assert.equal(v2TimeMs('2024-03-01T15:29:04.465999999Z'), Date.parse('2024-03-01T15:29:04.465Z'));
    assert.equal(v2TimeMs('2024-03-01T15:29:04Z'), Date.parse('2024-03-01T15:29:04.000Z'));
    assert.equal(v2TimeMs('2024-03-01T15:29:04.4Z'), Date.parse('2024-03-01T15:29:04.400Z'));
    const p = new V2TimeParser();
    const samples = ['2024-03-01T15:00:00.000001Z', '2024-03-01T15:59:59.999999Z', '2024-03-01T15:30:00.123456789Z', '2024-03-01T16:00:00.5Z', '2024-03-01T16:01:02.003004Z', '2024-03-01T16:01:02Z', '2024-12-31T23:59:59.999000Z'];
    for (const s of [...samples, ...samples]) assert.equal(p.parse(s), v2TimeMs(s), s);
    assert.throws(() => p.parse('2024-03-01T16:61:02.003004Z'), /not an ISO-8601 UTC time/);
    assert.throws(() => p.parse('2024-03-01T16:01:02.00x004Z'), /not an ISO-8601 UTC time/);
    assert.throws(() => v2TimeMs('yesterday'), /not an ISO-8601 UTC time: "yesterday"/);
  });
});

describe('sessions filters and cursor', () => {
  it('maps friendly names to the API parameters, lists to repeated keys, and refuses the cursor\'s parameters', () => {
    assert.deepEqual(parseSessionFilters('{"states":["OPEN","OPEN_NEW_DATA"],"severities":[3,4],"actor":"u1","has_alerts":false,"rule_id":["r1"]}'), [
      ['state', 'OPEN'], ['state', 'OPEN_NEW_DATA'], ['severity', '3'], ['severity', '4'], ['actor_id', 'u1'], ['has_alerts', 'false'], ['rule_id', 'r1'],
    ]);
    assert.deepEqual(parseSessionFilters(''), []);
    assert.throws(() => parseSessionFilters('{"page_size":10}'), /filters\.page_size: set by the node's cursor/);
    assert.throws(() => parseSessionFilters('{"colour":"red"}'), /filters\.colour is not a session query parameter/);
    assert.throws(() => parseSessionFilters('{"state":"DONE"}'), /filters\.state: state must be one of OPEN/);
    assert.throws(() => parseSessionFilters('[1]'), /filters must be a JSON object of session query parameters/);
  });

  it('revives its cursor and rejects a file-event cursor', () => {
    assert.deepEqual(reviveSessionCursor({ v: 1, api: 'incydr-sessions', beginMs: 5, seen: [['s', 1, 2], ['bad']] }), { v: 1, api: 'incydr-sessions', beginMs: 5, seen: [['s', 1, 2]] });
    assert.throws(() => reviveSessionCursor({ v: 2, api: 'incydr', ts: 1, ids: [] }), /not an Incydr sessions cursor/);
  });
});
