// Issue 13, items 2 and 3: auditd parsing is linear in its input. Before, a
// record of 2 MB of `a a a …` took 1.9 s (4× per doubling: each token searched
// the rest of the record for `=`), and a 256 KB line of `type=type=…` 11 s (the
// KQL regex retried from every `type=`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { auditId, kqlLine, parseAuditd } from '../../../src/lib/auditd';
import { assertLinear, KB } from '../../support/linear-time';

const HEAD = 'type=SYSCALL msg=audit(1700000000.123:42): ';
const fill = (unit: string, size: number) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
const parse = (text: string) => parseAuditd(text);

test('issue case: one SYSCALL record of `a a a …` (no `=`): linear from 256 KB to 1 MB', () => {
  assertLinear('a a a', (n) => HEAD + fill('a ', n), parse);
  const [event] = parseAuditd(HEAD + fill('a ', 1000));
  assert.equal(event.EventType, 'SYSCALL');
});

test('issue case: a raw line of `type=type=…`: 32 KB → 64 KB at most 2.5× (before: 3.9×), then linear to 1 MB', () => {
  // Small sizes first, where the old parser already shows it, in about a second.
  assertLinear('type=type=, small', (n) => fill('type=', n), parse, { sizes: [32 * KB, 64 * KB], reps: 20 });
  assertLinear('type=type=', (n) => fill('type=', n), parse);
  assert.deepEqual(parseAuditd(fill('type=', 4096)), []);
});

test('other hostile shapes are linear: `type=a msg=audit(` runs, many short lines, many record types in one event, compat headers, record bodies without `=`', () => {
  assertLinear('type=a msg=audit(', (n) => fill('type=a msg=audit(', n), parse);
  assertLinear('short lines without type=', (n) => fill('x\n', n), parse);
  assertLinear('short lines type=x', (n) => fill('type=x\n', n), parse);
  assertLinear('one event, a new record type per line', (n) => {
    let s = '';
    for (let i = 0; s.length < n; i++) s += `type=T${i} msg=audit(1:1): k=v\n`;
    return s;
  }, parse);
  assertLinear('compat: msg=audit( runs in the header', (n) => `type=X ${fill('msg=audit(', n)}: a=1`, (text) => parseAuditd(text, { mode: 'compat' }));
  assertLinear('USER_LOGIN body of bare tokens', (n) => `type=USER_LOGIN msg=audit(1:1): ${fill('a ', n)}`, parse);
  assertLinear('Sentinel row: a Python literal string of escapes', (n) => `[{'EXECVE': ['a0=${fill('\\n', n)}']}]`, (text) => parseAuditd([{ AuditdMessage: text }]));
});

test('the written-out KQL search finds what the regex finds (random short lines, where the regex is cheap)', () => {
  const KQL = /type=(\S+)\s+msg=audit\(([^)]+)\):\s+([^\r]*)/;
  const AUDIT_ID = /msg=audit\(([^)]+)\)/;
  const parts = ['type=', 'msg=audit(', ')', ':', ' ', '\t', '\r', 'a', '1', ':1', '\u00a0', 'x=y', '(', '\v'];
  // A fixed generator (xorshift): the same lines on every run.
  let seed = 0x2545f491;
  const rand = (k: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % k;
  };
  for (let i = 0; i < 50_000; i++) {
    let line = '';
    for (let j = 1 + rand(10); j > 0; j--) line += parts[rand(parts.length)];
    const m = KQL.exec(line);
    assert.deepEqual(kqlLine(line), m ? { type: m[1], id: m[2], body: m[3].trimEnd() } : undefined, JSON.stringify(line));
    assert.equal(auditId(line), AUDIT_ID.exec(line)?.[1], JSON.stringify(line));
  }
});
