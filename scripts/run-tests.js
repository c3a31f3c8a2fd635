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
const child = spawn(process.execPath, [
  '--import', 'tsx', '--test', '--test-reporter=tap',
  `--test-timeout=${opt('--timeout', '120000')}`,
  `--test-concurrency=${opt('--concurrency', '1')}`,
  ...files,
], { stdio: ['inherit', 'pipe', 'inherit'] });
let out = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  out += chunk.toString('utf8');
  if (out.length > 4e6) out = out.slice(-1e6); // the counts are at the end
});
child.on('close', (status) => finish(status));

function finish(status) {
// Tally this suite into .tmp/test-totals.json; scripts/test-summary.js prints the
// grand total after the last suite, so the suite's closing line counts every test.
const count = (name) => Number((new RegExp(`^# ${name} (\\d+)$`, 'm').exec(out) || [])[1] || 0);
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
