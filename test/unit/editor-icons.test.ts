// Every node's icon renders in the editor: a file in nodes/icons, or a Font
// Awesome 4.7 icon from the editor's own icon map. Brand icons (fa-linux) are
// drawn as the generic arrow on the canvas, so they do not count.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

function editorIconNames(): Set<string> {
  const red = fs.readFileSync(require.resolve('@node-red/editor-client/public/red/red.js'), 'utf8');
  const start = red.indexOf('var iconMap = {');
  assert.ok(start >= 0, 'the editor defines its Font Awesome icon map');
  const body = red.slice(start, red.indexOf('};', start));
  return new Set([...body.matchAll(/"(fa-[\w-]+)":/g)].map((m) => m[1]));
}

test('every node icon is one the editor draws', () => {
  const fa = editorIconNames();
  assert.ok(fa.has('fa-terminal') && !fa.has('fa-linux'), 'the map is the non-brand one');
  const files = new Set(fs.readdirSync(path.join(ROOT, 'nodes', 'icons')));
  const bad: string[] = [];
  for (const file of fs.readdirSync(path.join(ROOT, 'nodes')).filter((f) => f.endsWith('.html'))) {
    const html = fs.readFileSync(path.join(ROOT, 'nodes', file), 'utf8');
    const icon = /\bicon:\s*'([^']+)'/.exec(html)?.[1];
    if (!icon) {
      assert.match(html, /category:\s*'config'/, `${file} declares an icon`);
      continue;
    }
    const ok = icon.startsWith('font-awesome/') ? fa.has(icon.slice('font-awesome/'.length)) : files.has(icon);
    if (!ok) bad.push(`${file}: ${icon}`);
  }
  assert.deepEqual(bad, []);
});
