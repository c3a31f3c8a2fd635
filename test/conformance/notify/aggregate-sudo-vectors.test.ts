// Conformance: aggregation (S9) on msticpy's sudo syslog rows: sudo-session
// sequences become one notification; closes with nothing buffered send nothing; a
// timeout flushes unfinished sessions. test/unit/notify/aggregate.test.ts checks the
// same on the project's own rows (test/fixtures/notify/sudo-syslog.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { Aggregator, Notifier, parseTarget, type Digest, type AggregateLine } from '../../../src/lib/notify';
import { NotifyEmulator } from '../../emulators/notify';
import { vectorPath } from '../../support/vectors';

const VECTORS = vectorPath('linux');

function rows(file: string): Array<Record<string, string>> {
  return parse(fs.readFileSync(path.join(VECTORS, file)), { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true }) as Array<Record<string, string>>;
}

const line = (body: string, over: Partial<AggregateLine> = {}): AggregateLine => ({ title: '', body, type: 'info', format: 'text', tags: undefined, ...over });

test('sudo_session_test.csv by host with /session closed/: every digest ends at a close; closes with no buffer are dropped; no line is lost', () => {
  const data = rows('sudo_session_test.csv');
  const agg = new Aggregator({ timeoutMs: 60_000, maxLines: 1000, closeWhen: /session closed/, onTimeout: () => undefined });
  const digests: Digest[] = [];
  let dropped = 0;
  for (const row of data) {
    const closing = /session closed/.test(row.SyslogMessage);
    const hadBuffer = agg.has(row.Computer);
    const d = agg.add(row.Computer, line(row.SyslogMessage, { title: `sudo on ${row.Computer}` }));
    if (d) digests.push(d);
    else if (closing) {
      assert.equal(hadBuffer, false, 'a close with a buffer must flush');
      dropped++;
    }
  }
  const rest = agg.flushAll();
  const closes = data.filter((r) => /session closed/.test(r.SyslogMessage)).length;
  assert.ok(dropped > 0, 'the vector has closes without an open session');
  assert.equal(digests.length + dropped, closes);
  assert.ok(digests.every((d) => d.reason === 'close' && /session closed/.test(d.body.split('\n').pop()!)));
  const linesOut = [...digests, ...rest].reduce((n, d) => n + d.lines, 0);
  assert.equal(linesOut + dropped, data.length);
});

test('sudo_data.csv (opens, no closes) is flushed by the timeout and delivered as one notification per host', async () => {
  const data = rows('sudo_data.csv');
  const emu = new NotifyEmulator();
  const base = await emu.listen();
  const notifier = new Notifier([parseTarget(`json://${base.replace('http://', '')}/json`)]);
  try {
    const timedOut: Digest[] = [];
    const done = new Promise<void>((resolve) => {
      const agg = new Aggregator({
        timeoutMs: 300, maxLines: 1000, closeWhen: /session closed/,
        onTimeout: (d) => { timedOut.push(d); if (agg.size === 0) resolve(); },
      });
      for (const row of data) assert.equal(agg.add(row.Computer, line(row.SyslogMessage, { title: `sudo on ${row.Computer}` })), undefined);
    });
    await done;
    const hosts = new Set(data.map((r) => r.Computer));
    assert.equal(timedOut.length, hosts.size);
    assert.equal(timedOut.reduce((n, d) => n + d.lines, 0), data.length);
    assert.ok(timedOut.every((d) => d.reason === 'timeout'));
    for (const d of timedOut) {
      const r = await notifier.notify({ title: d.title, body: d.body, type: d.type, format: d.format });
      assert.equal(r.ok, true, JSON.stringify(r));
    }
    const bodies = emu.requests('json:sink').map((e) => JSON.parse(e.body) as { title: string; message: string });
    assert.equal(bodies.length, hosts.size);
    assert.equal(bodies[0].title, timedOut[0].title);
    assert.match(bodies[0].title, /^sudo on .+ \(\d+ lines\)$/);
  } finally {
    await notifier.close();
    await emu.close();
  }
});
