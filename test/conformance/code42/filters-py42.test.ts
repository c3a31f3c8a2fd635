// Conformance: filters and query bodies render exactly like py42's templates
// (py42_payloads.json). test/unit/code42/filters.test.ts checks the same on
// hand-written JSON (test/fixtures/code42/filters.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { vectorPath } from '../../support/vectors';
import * as f from '../../../src/lib/code42/filters';
import { V1FileEvents, V1Alerts, Code42Client } from '../../../src/lib/code42';

const payloads = JSON.parse(fs.readFileSync(vectorPath('code42', 'py42_payloads.json'), 'utf8')) as Record<string, unknown>;
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
