// Filters render exactly like py42's templates (py42_payloads.json), validation
// names the problem, and OR mode flattens as R1 describes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as f from '../../../src/lib/code42/filters';
import { V1FileEvents, V1Alerts, Code42Client } from '../../../src/lib/code42';

const payloads = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../shared/vectors/code42/py42_payloads.json'), 'utf8')) as Record<string, unknown>;
const template = (name: string) => payloads[`tests/sdk/queries/conftest.py::${name} (python str.format template)`] as string;

/** Python str.format: undouble braces, substitute positional fields. */
function format(t: string, ...args: unknown[]): string {
  return t.replace(/\{\{|\}\}|\{(\d+)\}/g, (m, i: string | undefined) => (m === '{{' ? '{' : m === '}}' ? '}' : String(args[Number(i)])));
}

describe('py42 filter rendering', () => {
  const cases: Array<[string, f.FilterGroup, unknown[]]> = [
    ['EXISTS', f.exists('fileName'), ['fileName']],
    ['NOT_EXISTS', f.notExists('fileName'), ['fileName']],
    ['IS', f.is('eventType', 'CREATED'), ['eventType', 'CREATED']],
    ['IS_NOT', f.isNot('eventType', 'CREATED'), ['eventType', 'CREATED']],
    ['IS_IN', f.isIn('exposure', ['a', 'b', 'c']), ['exposure', 'a', 'b', 'c']],
    ['NOT_IN', f.notIn('exposure', ['a', 'b', 'c']), ['exposure', 'a', 'b', 'c']],
    ['IN_RANGE', f.inRange('eventTimestamp', '2020-01-01T00:00:00.000Z', '2020-01-02T00:00:00.000Z'), ['eventTimestamp', '2020-01-01T00:00:00.000Z', '2020-01-02T00:00:00.000Z']],
    ['ON_OR_AFTER', f.onOrAfter('insertionTimestamp', '2020-01-01T00:00:00.200Z'), ['insertionTimestamp', '2020-01-01T00:00:00.200Z']],
    ['ON_OR_BEFORE', f.onOrBefore('insertionTimestamp', '2020-01-01T00:00:00.200Z'), ['insertionTimestamp', '2020-01-01T00:00:00.200Z']],
    ['CONTAINS', f.contains('filePath', 'Downloads'), ['filePath', 'Downloads']],
    ['NOT_CONTAINS', f.notContains('filePath', 'Downloads'), ['filePath', 'Downloads']],
    ['WITHIN_THE_LAST', f.withinTheLast('eventTimestamp', 'PT15M'), ['eventTimestamp', 'PT15M']],
  ];
  for (const [name, group, args] of cases) {
    it(`${name} renders like py42`, () => {
      const expected = format(template(name), ...args);
      assert.deepEqual(JSON.parse(JSON.stringify(group)), JSON.parse(expected));
      // Same key order as py42 (operator, term, value).
      assert.equal(JSON.stringify(group), JSON.stringify(JSON.parse(expected)));
    });
  }

  const client = new Code42Client({ url: 'http://127.0.0.1:9', credentials: { authType: 'apiClient', id: 'x', secret: 'y' } });
  it('the file-event query body matches JSON_QUERY_BASE / search_all_file_events shapes', () => {
    const base = payloads['tests/sdk/queries/fileevents/test_file_event_query.py::JSON_QUERY_BASE'] as string;
    const g = f.is('eventType', 'CREATED');
    const fe = new V1FileEvents(client, { groups: [g], groupClause: 'AND', orMode: false, pageSize: 10000, overlapMs: 0 });
    const body = fe.body({ v: 1, ts: Date.parse('2020-01-01T00:00:00.200Z'), ids: [], recent: [] }, '');
    const expected = JSON.parse(format(base, 'AND', `${JSON.stringify(g)},${JSON.stringify(f.onOrAfter('insertionTimestamp', '2020-01-01T00:00:00.200Z'))}`, 1, 10000, 'asc', 'insertionTimestamp'));
    delete expected.pgNum;
    const { pgToken, ...rest } = body;
    assert.equal(pgToken, '', 'the first page sends pgToken ""');
    assert.deepEqual(rest, expected);
    const vector = payloads['tests/clients/test_securitydata.py::test_search_all_file_events_calls_search_with_expected_params_when_pg_token_is_passed'] as { expected_post_json: Record<string, unknown> };
    assert.deepEqual(Object.keys(body), Object.keys(vector.expected_post_json), 'py42 key order');
  });

  it('the alert query body matches the alert JSON_QUERY_BASE', () => {
    const base = payloads['tests/sdk/queries/alerts/test_alert_query.py::JSON_QUERY_BASE'] as string;
    const g = f.is('state', 'OPEN');
    const al = new V1Alerts(client, { groups: [g], groupClause: 'AND', orMode: false, pageSize: 500, overlapMs: 0, details: false });
    const body = al.body('TENANT', { v: 1, createdAt: '2021-01-01T09:40:05.2837100Z', ids: [] }, 0);
    const expected = JSON.parse(format(base, '"TENANT"', 'AND', `${JSON.stringify(g)},${JSON.stringify(f.onOrAfter('createdAt', '2021-01-01T09:40:05.283710Z'))}`, 0, 500, 'asc', 'CreatedAt'));
    assert.deepEqual(body, expected);
    assert.equal(JSON.stringify(Object.keys(body)), JSON.stringify(Object.keys(expected)));
  });
});

describe('filter validation', () => {
  const opts = { terms: f.FILE_EVENT_TERMS };
  it('accepts {groups}, an array of groups, one group, and empty text', () => {
    const g = { filterClause: 'AND', filters: [{ operator: 'IS', term: 'eventType', value: 'CREATED' }] };
    assert.deepEqual(f.parseFilters(JSON.stringify({ groupClause: 'AND', groups: [g] }), opts).groups, [g]);
    assert.deepEqual(f.parseFilters(JSON.stringify([g]), opts).groups, [g]);
    assert.deepEqual(f.parseFilters(JSON.stringify(g), opts).groups, [g]);
    assert.deepEqual(f.parseFilters('  ', opts).groups, []);
    assert.deepEqual(f.parseFilters('[{"filters":[{"operator":"EXISTS","term":"exposure"}]}]', opts).groups[0].filters[0], { operator: 'EXISTS', term: 'exposure', value: null });
  });
  it('names the problem', () => {
    assert.throws(() => f.parseFilters('{"groups": [', opts), /^Error: filters is not valid JSON/);
    assert.throws(() => f.parseFilters('[{"filters":[{"operator":"LIKE","term":"fileName","value":"x"}]}]', opts), /filters\.groups\[0\]\.filters\[0\]\.operator must be one of IS, IS_NOT/);
    assert.throws(() => f.parseFilters('[{"filters":[{"operator":"IS","term":"nope","value":"x"}]}]', opts), /term "nope" is not a known search term/);
    assert.throws(() => f.parseFilters('[{"filters":[{"operator":"EXISTS","term":"fileName","value":"x"}]}]', opts), /value must be null for EXISTS/);
    assert.throws(() => f.parseFilters('[{"filters":[{"operator":"IS","term":"fileName","value":null}]}]', opts), /value must be a string for IS/);
    assert.doesNotThrow(() => f.parseFilters('[{"filters":[{"operator":"IS","term":"nope","value":"x"}]}]', { ...opts, allowUnknownTerms: true }));
    assert.doesNotThrow(() => f.parseFilters('[{"filters":[{"operator":"IS","term":"removableMediaVendor","value":"x"}]}]', opts));
  });
});

describe('OR mode', () => {
  it('flattens non-exempt filters into one OR group and keeps exempt groups AND-ed', () => {
    const groups = [f.isIn('eventType', ['CREATED', 'MODIFIED']), f.is('deviceUserName', 'a@b.c'), f.inRange('eventTimestamp', 'A', 'B'), f.exists('exposure')];
    assert.deepEqual(f.toOrQuery(groups), [
      { filterClause: 'AND', filters: [...f.inRange('eventTimestamp', 'A', 'B').filters, ...f.exists('exposure').filters] },
      { filterClause: 'OR', filters: [...groups[0].filters, ...groups[1].filters] },
    ]);
  });
  it('the OR group stands alone when nothing is exempt, and the exempt list is configurable', () => {
    const groups = [f.is('fileName', 'a'), f.is('osHostName', 'h')];
    assert.deepEqual(f.toOrQuery(groups), [{ filterClause: 'OR', filters: [...groups[0].filters, ...groups[1].filters] }]);
    assert.deepEqual(f.toOrQuery(groups, f.parseExemptList('osHostName:IS')), [{ filterClause: 'AND', filters: groups[1].filters }, { filterClause: 'OR', filters: groups[0].filters }]);
    assert.throws(() => f.parseExemptList('x:LIKE'), /orExempt: operator "LIKE"/);
  });
  it('the cursor group is appended after the OR query, AND-ed', () => {
    const client = new Code42Client({ url: 'http://127.0.0.1:9', credentials: { authType: 'apiClient', id: 'x', secret: 'y' } });
    const fe = new V1FileEvents(client, { groups: [f.is('fileName', 'a'), f.is('osHostName', 'h')], groupClause: 'AND', orMode: true, pageSize: 10, overlapMs: 5000 });
    const body = fe.body({ v: 1, ts: 10_000, ids: [], recent: [] }, 'tok');
    assert.equal(body.groupClause, 'AND');
    assert.deepEqual(body.groups, [{ filterClause: 'OR', filters: [{ operator: 'IS', term: 'fileName', value: 'a' }, { operator: 'IS', term: 'osHostName', value: 'h' }] }, f.onOrAfter('insertionTimestamp', '1970-01-01T00:00:05.000Z')]);
  });
  it('form filters compile to IS-in groups', () => {
    assert.deepEqual(f.fileEventFormGroups({ exposureTypes: f.splitList('RemovableMedia, IsPublic'), usernames: f.splitList('') }), [f.isIn('exposure', ['RemovableMedia', 'IsPublic'])]);
  });
});
