// Conformance: msticpy's session clustering on sudo_events.csv.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterSessionsCompat } from '../../../src/lib/linux';
import { readCsv } from './vectors';

test('compat: sudo_events.csv (a stray close, then an open and a close in one second) yields a session', () => {
  const sessions = clusterSessionsCompat(readCsv('sudo_events.csv'));
  assert.ok(sessions.length >= 1);
  assert.deepEqual(sessions[0], { User: 'peteb', Start: '2019-07-10T15:13:26.000Z', End: '2019-07-10T15:13:26.000Z' });
});
