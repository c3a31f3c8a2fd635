// Risky commands, command speed and risky sudo sessions against msticpy's tests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RiskyCommandStream, RulesError, commandSpeed, compilePythonMatch, loadRules, riskyCommands, riskyCommandsCompat } from '../../../src/lib/linux';

const DEFAULT_RULES = loadRules('');
test('default keeps every match at one time; compat keeps the last', () => {
  const rows = [
    { TimeGenerated: '2026-11-23T05:00:00Z', Command: '/bin/bash -i' },
    { TimeGenerated: '2026-11-23T05:00:00Z', Command: 'cat /root/.ssh/authorized_keys' },
  ];
  assert.deepEqual(riskyCommandsCompat(rows, DEFAULT_RULES), { '2026-11-23T05:00:00Z': 'cat /root/.ssh/authorized_keys' });
  assert.deepEqual(riskyCommands(rows, DEFAULT_RULES).map((m) => m.command).sort(), ['/bin/bash -i', 'cat /root/.ssh/authorized_keys']);
});

test('sorted default: a real burst of commands is a window with all its commands', () => {
  const rows = ['a', 'b', 'c', 'd'].map((c, i) => ({ TimeGenerated: `2026-11-23T05:00:0${[0, 9, 1, 2][i]}Z`, Command: c }));
  const windows = commandSpeed(rows, 'Command', 5, 2);
  assert.deepEqual(windows.map((w) => [w.index, w.rows.map((r) => r.Command), w.deltaSeconds]), [[0, ['a', 'c', 'd'], 2]]);
});

test('rules: re.match anchoring, "." refuses only \\n, Python named groups, bad JSON and bad regexes', () => {
  const r = compilePythonMatch('bash');
  assert.equal(r.test('bash -i'), true);
  assert.equal(r.test('/bin/bash'), false, 're.match is anchored at the start');
  assert.equal(compilePythonMatch('a.b').test('a\rb'), true);
  assert.equal(compilePythonMatch('a.b').test('a\nb'), false);
  assert.equal(compilePythonMatch('[.]x').test('ax'), false, 'a dot in a class stays literal');
  assert.throws(() => compilePythonMatch('(?P<w>ab)(?P=w)'), /RE2/, 'a backreference has no linear-time form');
  assert.throws(() => loadRules('{"Syslog": [".*"'), (e: Error) => e instanceof RulesError && /rules is not valid JSON/.test(e.message));
  assert.throws(() => loadRules('{"Other": []}'), /"Syslog" array/);
  assert.throws(() => loadRules('["(unclosed"]'), /rules Syslog\[0\] "\(unclosed" is not a valid regex/);
  assert.deepEqual(loadRules('["^x"]').map((x) => x.source), ['^x']);
});

test('stream: risky commands, one speed window per burst (late arrival inserted in time order), sessions marked', () => {
  const s = new RiskyCommandStream({ rules: DEFAULT_RULES, commandField: 'Command', speedEvents: 2, speedSeconds: 10 });
  const ev = (sec: number, cmd: string) => ({ TimeGenerated: `2026-11-23T05:00:${String(sec).padStart(2, '0')}Z`, Command: cmd, Computer: 'h' });
  assert.deepEqual(s.push(ev(0, 'ls')), []);
  const f1 = s.push(ev(30, '/bin/bash'));
  assert.deepEqual(f1.map((f) => f.kind), ['risky']);
  assert.deepEqual(s.push(ev(31, 'id')), []);
  // Arrives late (time 29): 29, 30, 31 are within 10 s.
  const f2 = s.push(ev(29, 'whoami'));
  assert.deepEqual(f2.map((f) => (f.kind === 'speed' ? f.rows.map((r) => r.Command) : f.kind)), [['whoami', '/bin/bash', 'id']]);
  assert.deepEqual(s.push(ev(50, 'uptime')), []);
  const risky = s.checkSession({ User: 'alice', Start: '2026-11-23T05:00:25Z', End: '2026-11-23T05:00:40Z', Computer: 'h' });
  assert.equal(risky?.Risk, 'Suspicious event pattern');
  assert.deepEqual(risky?.RiskyCommands.map((r) => r.command), ['/bin/bash']);
  assert.equal(s.checkSession({ Start: '2026-11-23T05:00:45Z', End: '2026-11-23T05:00:55Z' }), null);
  assert.equal(s.checkSession({ Start: '2026-11-23T05:00:25Z', End: null, Computer: 'other' }), null);
});

test('stream: a sudo COMMAND logged just before its session opens belongs to that session (same process)', () => {
  const s = new RiskyCommandStream({ rules: DEFAULT_RULES, commandField: 'Command', speedEvents: 10, speedSeconds: 5 });
  s.push({ TimeGenerated: '2019-07-05T18:19:52.873Z', Command: '/bin/bash', Computer: 'h', ProcessID: 77 });
  const session = { Start: '2019-07-05T18:19:52.877Z', End: '2019-07-05T18:20:10Z', Computer: 'h' };
  assert.equal(s.checkSession({ ...session, ProcessID: 77 })?.Risk, '/bin/bash');
  assert.equal(s.checkSession({ ...session, ProcessID: 78 }), null);
  assert.equal(s.checkSession(session), null);
});
