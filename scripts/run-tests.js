#!/usr/bin/env node
// Runs node:test over every *.test.ts under a folder (Node 20's --test takes no
// globs). Always with a timeout, so a test waiting for a message that never
// comes fails instead of hanging CI.
//   node scripts/run-tests.js <dir> [--timeout ms] [--concurrency n] [-- extra node args]
'use strict';
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');

const args = process.argv.slice(2);
const dir = args[0];
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i > 0 ? args[i + 1] : fallback;
};
if (!dir) {
  console.error('usage: run-tests.js <dir> [--timeout ms] [--concurrency n]');
  process.exit(2);
}
const files = fs.readdirSync(dir, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => path.join(dir, f))
  .sort();
if (files.length === 0) {
  console.error(`no tests under ${dir}`);
  process.exit(1);
}
// Timing tests (*.timing.test.ts: ratios of run times as the input doubles) run
// after the others, one file at a time, so that no other test file competes with
// them for the two cores.
const timing = files.filter((f) => f.endsWith('.timing.test.ts'));
const rest = files.filter((f) => !timing.includes(f));
const batches = [[rest, opt('--concurrency', '1')], [timing, '1']].filter(([list]) => list.length);
let out = '';
let worst = 0;
(function next(i) {
  if (i === batches.length) return finish(worst);
  const [list, concurrency] = batches[i];
  const child = spawn(process.execPath, [
    '--import', 'tsx', '--test', '--test-reporter=tap',
    `--test-timeout=${opt('--timeout', '120000')}`,
    `--test-concurrency=${concurrency}`,
    ...list,
  ], { stdio: ['inherit', 'pipe', 'inherit'] });
  let batchOut = '';
  child.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    batchOut += chunk.toString('utf8');
    if (batchOut.length > 4e6) batchOut = batchOut.slice(-1e6); // the counts are at the end
  });
  child.on('close', (status) => {
    out += `${batchOut.slice(-20000)}\n`;
    worst = worst || (status ?? 1);
    next(i + 1);
  });
})(0);

function finish(status) {
// Tally this suite into .tmp/test-totals.json; scripts/test-summary.js prints the
// grand total after the last suite, so the suite's closing line counts every test.
const count = (name) => [...out.matchAll(new RegExp(`^# ${name} (\\d+)$`, 'gm'))].reduce((sum, m) => sum + Number(m[1]), 0);
const totalsFile = path.join(__dirname, '..', '.tmp', 'test-totals.json');
fs.mkdirSync(path.dirname(totalsFile), { recursive: true });
let totals = { passed: 0, failed: 0, skipped: 0, suites: [] };
try { totals = JSON.parse(fs.readFileSync(totalsFile, 'utf8')); } catch { /* first suite */ }
totals.passed += count('pass');
totals.failed += count('fail') + count('cancelled');
totals.skipped += count('skipped');
totals.suites.push(dir);
fs.writeFileSync(totalsFile, JSON.stringify(totals));
process.exit(status ?? 1);
}
