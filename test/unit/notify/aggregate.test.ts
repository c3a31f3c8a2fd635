// Aggregation (S9): sudo-session sequences become one notification; closes
// with nothing buffered send nothing; a timeout flushes an unfinished session.
// Rows are the project's own (test/fixtures/notify/sudo-syslog.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Aggregator, parseCloseWhen, Notifier, parseTarget, type Digest, type AggregateLine } from '../../../src/lib/notify';
import { NotifyEmulator } from '../../emulators/notify';
import {
  SUDO_SESSIONS, SUDO_SESSIONS_DIGESTS, SUDO_SESSIONS_EMPTY_CLOSES, SUDO_SESSIONS_LEFT_OPEN, SUDO_OPEN_ONLY, SUDO_OPEN_ONLY_LINES,
} from '../../fixtures/notify/sudo-syslog';

const line = (body: string, over: Partial<AggregateLine> = {}): AggregateLine => ({ title: '', body, type: 'info', format: 'text', tags: undefined, ...over });
const bodyOf = (rows: number[]) => rows.map((n) => SUDO_SESSIONS[n - 1].SyslogMessage).join('\n');

test('start, commands and "Finished" become one digest: lines joined, title with the count, most severe type, first tags', () => {
  const agg = new Aggregator({ timeoutMs: 60_000, maxLines: 50, closeWhen: parseCloseWhen('Finished'), onTimeout: () => assert.fail('no timeout expected') });
  assert.equal(agg.add('s-1', line('session started by alice', { title: 'sudo web-1', tags: 'soc' })), undefined);
  assert.equal(agg.add('s-1', line('COMMAND=/usr/bin/id', { type: 'warning' })), undefined);
  assert.equal(agg.add('s-2', line('other session')), undefined);
  assert.equal(agg.add('s-1', line('COMMAND=/bin/cat /etc/shadow', { type: 'failure' })), undefined);
  const digest = agg.add('s-1', line('Finished', { tags: 'other' }));
  assert.deepEqual(digest, {
    key: 's-1', reason: 'close', lines: 4, title: 'sudo web-1 (4 lines)',
    body: 'session started by alice\nCOMMAND=/usr/bin/id\nCOMMAND=/bin/cat /etc/shadow\nFinished',
    type: 'failure', format: 'text', tags: 'soc',
  });
  assert.equal(agg.size, 1, 's-2 is still open');
  assert.deepEqual(agg.flushAll().map((d) => [d.key, d.reason, d.title]), [['s-2', 'shutdown', 's-2 (1 line)']]);
});

test('maxLines and msg.flush flush; a close or flush with nothing buffered sends nothing', () => {
  const agg = new Aggregator({ timeoutMs: 60_000, maxLines: 3, closeWhen: /session closed/, onTimeout: () => undefined });
  assert.equal(agg.add('h', line('session closed for user root')), undefined);
  assert.equal(agg.add('h', line(''), true), undefined);
  agg.add('h', line('a'));
  agg.add('h', line('b'));
  assert.equal(agg.add('h', line('c'))?.reason, 'maxLines');
  agg.add('h', line('d'));
  const manual = agg.add('h', line(''), true);
  assert.deepEqual([manual?.reason, manual?.lines, manual?.body], ['manual', 1, 'd']);
  assert.throws(() => parseCloseWhen('/([/'), /closeWhen is not a valid regular expression/);
  assert.ok((parseCloseWhen('/SESSION closed/i') as RegExp).test('session closed'));
});

test('sudo sessions by host with /session closed/: each digest ends at its close; closes with no buffer send nothing; no line is lost', () => {
  const agg = new Aggregator({ timeoutMs: 60_000, maxLines: 1000, closeWhen: /session closed/, onTimeout: () => undefined });
  const digests: Digest[] = [];
  const emptyCloses: number[] = [];
  SUDO_SESSIONS.forEach((row, i) => {
    const closing = /session closed/.test(row.SyslogMessage);
    const hadBuffer = agg.has(row.Computer);
    const d = agg.add(row.Computer, line(row.SyslogMessage, { title: `sudo on ${row.Computer}` }));
    if (d) digests.push(d);
    else if (closing) {
      assert.equal(hadBuffer, false, 'a close with a buffer must flush');
      emptyCloses.push(i + 1);
    }
  });
  assert.deepEqual(digests.map((d) => ({ key: d.key, reason: d.reason, lines: d.lines, title: d.title, body: d.body })), SUDO_SESSIONS_DIGESTS.map((e) => ({
    key: e.key, reason: 'close', lines: e.rows.length, title: `sudo on ${e.key} (${e.rows.length} lines)`, body: bodyOf(e.rows),
  })));
  assert.deepEqual(emptyCloses, SUDO_SESSIONS_EMPTY_CLOSES);
  const rest = agg.flushAll();
  assert.deepEqual(rest.map((d) => ({ key: d.key, reason: d.reason, body: d.body })), SUDO_SESSIONS_LEFT_OPEN.map((e) => ({ key: e.key, reason: 'shutdown', body: bodyOf(e.rows) })));
  const linesOut = [...digests, ...rest].reduce((n, d) => n + d.lines, 0);
  assert.equal(linesOut + emptyCloses.length, SUDO_SESSIONS.length);
});

test('sessions with opens and no closes are flushed by the timeout and delivered as one notification per host', async () => {
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
      for (const row of SUDO_OPEN_ONLY) assert.equal(agg.add(row.Computer, line(row.SyslogMessage, { title: `sudo on ${row.Computer}` })), undefined);
    });
    await done;
    assert.deepEqual(Object.fromEntries(timedOut.map((d) => [d.key, d.lines])), SUDO_OPEN_ONLY_LINES);
    assert.ok(timedOut.every((d) => d.reason === 'timeout'));
    for (const d of timedOut) {
      assert.equal(d.title, `sudo on ${d.key} (${d.lines} ${d.lines === 1 ? 'line' : 'lines'})`);
      assert.equal(d.body, SUDO_OPEN_ONLY.filter((r) => r.Computer === d.key).map((r) => r.SyslogMessage).join('\n'));
      const r = await notifier.notify({ title: d.title, body: d.body, type: d.type, format: d.format });
      assert.equal(r.ok, true, JSON.stringify(r));
    }
    const bodies = emu.requests('json:sink').map((e) => JSON.parse(e.body) as { title: string; message: string });
    assert.deepEqual(bodies.map((b) => [b.title, b.message]), timedOut.map((d) => [d.title, d.body]));
  } finally {
    await notifier.close();
    await emu.close();
  }
});
