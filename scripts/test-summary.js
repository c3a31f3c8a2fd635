#!/usr/bin/env node
// Prints the total of every suite run by scripts/run-tests.js since `--reset`.
'use strict';
const fs = require('fs');
const path = require('path');
const file = path.join(__dirname, '..', '.tmp', 'test-totals.json');
if (process.argv.includes('--reset')) {
  fs.rmSync(file, { force: true });
  process.exit(0);
}
const t = JSON.parse(fs.readFileSync(file, 'utf8'));
console.log(`\nsuites: ${t.suites.join(', ')}`);
console.log(`${t.passed} passed, ${t.failed} failed${t.skipped ? `, ${t.skipped} skipped` : ''}`);
process.exit(t.failed ? 1 : 0);
