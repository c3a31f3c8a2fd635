// Filters render exactly as py42 renders them (hand-written JSON in
// test/fixtures/code42/filters.ts, key order included), query bodies have py42's
// shape, validation names the problem, and OR mode flattens as R1 describes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as f from '../../../src/lib/code42/filters';
import { V1FileEvents, V1Alerts, Code42Client } from '../../../src/lib/code42';
import { FILTER_CASES, FILE_EVENT_BODY, ALERT_BODY } from '../../fixtures/code42/filters';

describe('py42 filter rendering', () => {
  const built: Record<string, f.FilterGroup> = {
    EXISTS: f.exists('removableMediaVendor'),
    NOT_EXISTS: f.notExists('removableMediaVendor'),
    IS: f.is('osHostName', 'WS-RGOMEZ-07'),
    IS_NOT: f.isNot('osHostName', 'WS-RGOMEZ-07'),
    IS_IN: f.isIn('eventType', ['CREATED', 'MODIFIED', 'READ_BY_APP']),
    NOT_IN: f.notIn('source', ['Endpoint', 'GoogleDrive']),
    IN_RANGE: f.inRange('eventTimestamp', '2023-05-14T00:00:00.000Z', '2023-05-15T00:00:00.000Z'),
    ON_OR_AFTER: f.onOrAfter('insertionTimestamp', '2023-05-14T08:25:02.960Z'),
    ON_OR_BEFORE: f.onOrBefore('insertionTimestamp', '2023-05-14T08:25:02.960Z'),
    CONTAINS: f.contains('fileName', 'forecast'),
    NOT_CONTAINS: f.notContains('fileName', 'forecast'),
    WITHIN_THE_LAST: f.withinTheLast('eventTimestamp', 'PT30M'),
  };
  for (const { name, json } of FILTER_CASES) {
    it(`${name} renders like py42, key order included`, () => {
      assert.equal(JSON.stringify(built[name]), json);
    });
  }

  const client = new Code42Client({ url: 'http://127.0.0.1:9', credentials: { authType: 'apiClient', id: 'x', secret: 'y' } });
  it('the first file-event page: filters, then the cursor group, token "" and py42\'s key order', () => {
    const fe = new V1FileEvents(client, { groups: [f.is('eventType', 'CREATED')], groupClause: 'AND', orMode: false, pageSize: 10000, overlapMs: 0 });
    const body = fe.body({ v: 1, ts: Date.parse('2023-05-14T08:25:02.960Z'), ids: [], recent: [] }, '');
    assert.equal(JSON.stringify(body), FILE_EVENT_BODY);
  });

  it('the alert query: tenant, the cursor floored to µs, page 0 of 500, py42\'s key order', () => {
    const al = new V1Alerts(client, { groups: [f.is('state', 'OPEN')], groupClause: 'AND', orMode: false, pageSize: 500, overlapMs: 0, details: false });
    const body = al.body('T-42', { v: 1, createdAt: '2022-11-03T14:07:19.6184420Z', ids: [] }, 0);
    assert.equal(JSON.stringify(body), ALERT_BODY);
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
