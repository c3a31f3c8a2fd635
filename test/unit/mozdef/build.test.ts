// Building one event from node settings and message overrides (contract S1/S2):
// precedence, severities, tags, timestamps, extra fields, and that msg is untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEvent, parseSeverity, SEVERITIES, MozDefError } from '../../../src/lib/mozdef';
import { PINNED_HOST } from './helpers';

test('severity: the eight names in any case, 0-7, anything else INFO with a warning', () => {
  SEVERITIES.forEach((name, i) => {
    assert.deepEqual(parseSeverity(name.toLowerCase()), { severity: name, valid: true });
    assert.deepEqual(parseSeverity(i), { severity: name, valid: true });
  });
  for (const bad of ['CRIT', 'HIGH', 8, -1, 2.5, {}]) assert.deepEqual(parseSeverity(bad), { severity: 'INFO', valid: false });
  const built = buildEvent({ type: 'event', config: { summary: 's' }, msg: { severity: 'HIGH' }, host: PINNED_HOST });
  assert.equal(built.doc.severity, 'INFO');
  assert.deepEqual(built.warnings, ['msg.severity "HIGH" is not a MozDef severity; sent as INFO']);
});

test('precedence: msg.<field> > msg.event > msg.payload > config > type default; msg is not modified', () => {
  const msg = {
    payload: { summary: 'from payload', category: 'payload-cat', details: { p: 1 }, extraFromPayload: true, severity: 'ERROR' },
    event: { category: 'event-cat', extraFromEvent: 'x', summary: 'from event' },
    summary: 'from msg',
    tags: 'a, b ,,c',
    timestamp: Date.UTC(2020, 1, 3, 4, 5, 6, 789),
  };
  const before = structuredClone(msg);
  const { doc } = buildEvent({ type: 'event', config: { summary: 'from config', category: 'config-cat', severity: 'DEBUG', tags: 'cfg', source: 'cfg-source' }, msg, host: PINNED_HOST });
  assert.deepEqual(msg, before, 'msg untouched');
  assert.equal(doc.summary, 'from msg');
  assert.equal(doc.category, 'event-cat');
  assert.equal(doc.severity, 'ERROR');
  assert.deepEqual(doc.tags, ['a', 'b', 'c']);
  assert.equal(doc.source, 'cfg-source');
  assert.deepEqual(doc.details, { p: 1 });
  assert.equal(doc.timestamp, '2020-02-03T04:05:06.789000+00:00');
  assert.equal(doc.extraFromPayload, true);
  assert.equal(doc.extraFromEvent, 'x');
  assert.deepEqual(Object.keys(doc).slice(0, 10), ['timestamp', 'processid', 'processname', 'hostname', 'category', 'source', 'details', 'summary', 'tags', 'severity']);
  (doc.details as { p: number }).p = 2;
  assert.equal(msg.payload.details.p, 1, 'the document does not share objects with msg');
});

test('extra fields never replace core fields; a type default applies when nothing is set', () => {
  const { doc } = buildEvent({ type: 'assethint', config: {}, msg: { summary: 'host seen', details: { hostname: 'h' }, event: { processid: 7, timestamp: '2015-03-06T15:05:48.226939+00:00', hostname: 'x.example' } }, host: PINNED_HOST });
  assert.equal(doc.category, 'asset_hint');
  assert.equal(doc.processid, 7);
  assert.equal(doc.timestamp, '2015-03-06T15:05:48.226939+00:00', 'a MozDef-format timestamp is kept verbatim');
  assert.equal(doc.hostname, 'x.example');
  assert.equal(doc.source, null, 'source is always present');
});

test('bad values name the field', () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ summary: 's', timestamp: 'yesterday' }, 'msg.timestamp must be an ISO date, a Date or epoch milliseconds, got "yesterday"'],
    [{ summary: 's', event: [1] }, 'msg.event must be an object, got an array'],
    [{ payload: Buffer.from('x') }, 'msg.payload must be an object or a string, got a Buffer'],
    [{ mozdefType: 'vulnerability', payload: 'text' }, 'msg.payload must be an object (the vulnerability document), got a string'],
    [{ summary: 's', processid: 'abc' }, 'msg.processid must be an integer, got "abc"'],
  ];
  for (const [msg, text] of cases) {
    assert.throws(() => buildEvent({ type: 'event', config: {}, msg, host: PINNED_HOST }), (err: MozDefError) => err.message === text && err.code === 'EINPUT');
  }
});
