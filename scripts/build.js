#!/usr/bin/env node
// Builds the package: TypeScript → CommonJS in dist/, then puts each editor
// .html (and the icons and locales) beside its compiled .js, as Node-RED requires.
// It also checks that package.json registers exactly the nodes that exist, so a
// node can't be built but never loaded.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
fs.rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

const editorSrc = path.join(root, 'nodes');
const editorDst = path.join(dist, 'nodes');
fs.mkdirSync(editorDst, { recursive: true });
for (const entry of fs.readdirSync(editorSrc)) {
  fs.cpSync(path.join(editorSrc, entry), path.join(editorDst, entry), { recursive: true });
}

// Editor plugins' .html beside their compiled .js, likewise.
const pluginSrc = path.join(root, 'plugins');
for (const entry of fs.readdirSync(pluginSrc)) {
  fs.cpSync(path.join(pluginSrc, entry), path.join(dist, 'plugins', entry), { recursive: true });
}

const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const registered = pkg['node-red'].nodes;
const problems = [];
for (const file of fs.readdirSync(path.join(root, 'src', 'nodes')).filter((f) => f.endsWith('.ts'))) {
  const type = file.replace(/\.ts$/, '');
  if (registered[type] !== `dist/nodes/${type}.js`) problems.push(`package.json node-red.nodes is missing "${type}": "dist/nodes/${type}.js"`);
  if (!fs.existsSync(path.join(editorSrc, `${type}.html`))) problems.push(`nodes/${type}.html is missing`);
}
for (const [type, file] of Object.entries({ ...registered, ...pkg['node-red'].plugins })) {
  if (!fs.existsSync(path.join(root, file))) problems.push(`package.json registers ${type} but ${file} was not built`);
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`built ${Object.keys(registered).length} node(s) into dist/`);
