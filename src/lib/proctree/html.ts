// A self-contained HTML page that draws a process tree as an inline SVG,
// collapsible per node, with "Expand all" / "Collapse all". No external assets:
// the data is embedded as JSON (escaped so that it cannot close the script
// element) and the labels are set with textContent, so event text is never HTML.
import type { ProcessRow, TreeSummary } from './build';
import type { ProcSchema } from './schema';
import { seenTime } from './time';

interface HtmlNode {
  /** Parent position in the list, -1 for a top-level row. */
  p: number;
  d: number;
  label: string;
  detail: string;
  kind: 'root' | 'branch' | 'leaf' | 'isolated';
  key: string;
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that is safe inside <script>: no `<`, `>`, `&`, U+2028/9 in the raw text. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function treeToHtml(processes: readonly ProcessRow[], summary: TreeSummary, schema: ProcSchema, title = 'Process tree'): string {
  const position = new Map<string, number>();
  const nodes: HtmlNode[] = processes.map((row, i) => {
    position.set(row.source_index, i);
    const name = text(row[schema.process_name]) || '(unknown)';
    const pid = text(row[schema.process_id]);
    const time = seenTime(row, schema);
    const cmd = schema.cmd_line ? text(row[schema.cmd_line]) : '';
    const kind = row.IsRoot && row.IsLeaf ? 'isolated' : row.IsRoot ? 'root' : row.IsLeaf ? 'leaf' : 'branch';
    return {
      p: row.parent_index === null ? -1 : (position.get(row.parent_index) ?? -1),
      d: row.path.split('/').length - 1,
      label: `${name}${pid ? ` [${pid}]` : ''}${row.Synthetic ? ' (inferred parent)' : ''}`,
      detail: [time, cmd].filter(Boolean).join('  '),
      kind,
      key: row.proc_key,
    };
  });
  const stats = Object.entries(summary).map(([k, v]) => `${k}: ${v}`).join(' · ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
body { font: 13px/1.4 system-ui, sans-serif; margin: 0; background: #fbfbfd; color: #1d1d1f; }
header { position: sticky; top: 0; background: #fff; border-bottom: 1px solid #ddd; padding: 8px 16px; z-index: 1; }
h1 { font-size: 16px; margin: 0 0 4px; }
button { margin-right: 6px; }
#tree { display: block; margin: 8px 16px; }
.node text.label { font-family: ui-monospace, monospace; font-size: 12px; fill: #111; }
.node text.detail { font-family: ui-monospace, monospace; font-size: 11px; fill: #777; }
.node circle { stroke: #333; stroke-width: 1; cursor: default; }
.node.has-children circle { cursor: pointer; }
.node.root circle { fill: #c0392b; } .node.branch circle { fill: #2980b9; }
.node.leaf circle { fill: #27ae60; } .node.isolated circle { fill: #999; }
.node text.toggle { font: bold 10px monospace; fill: #fff; pointer-events: none; }
path.link { fill: none; stroke: #aaa; }
</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<div id="summary">${escapeHtml(stats)}</div>
<button id="expand-all" type="button">Expand all</button><button id="collapse-all" type="button">Collapse all</button>
</header>
<svg id="tree" xmlns="http://www.w3.org/2000/svg" role="tree"></svg>
<script id="tree-data" type="application/json">${scriptJson(nodes)}</script>
<script>
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var nodes = JSON.parse(document.getElementById('tree-data').textContent);
  var svg = document.getElementById('tree');
  var kids = nodes.map(function () { return 0; });
  nodes.forEach(function (n) { if (n.p >= 0) kids[n.p]++; });
  // Big trees start collapsed below the second level so the page opens fast.
  var collapsed = nodes.map(function (n, i) { return nodes.length > 300 && n.d >= 1 && kids[i] > 0; });
  var ROW = 22, INDENT = 20;
  function el(name, attrs) {
    var e = document.createElementNS(SVG, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }
  function render() {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var y = [], hidden = [], row = 0, width = 400;
    for (var i = 0; i < nodes.length; i++) {
      var n = nodes[i];
      hidden[i] = n.p >= 0 && (hidden[n.p] || collapsed[n.p]);
      if (hidden[i]) continue;
      y[i] = row * ROW + 12;
      var x = n.d * INDENT + 10;
      if (n.p >= 0 && y[n.p] !== undefined) {
        var px = nodes[n.p].d * INDENT + 10;
        svg.appendChild(el('path', { 'class': 'link', d: 'M' + px + ',' + (y[n.p] + 6) + ' V' + y[i] + ' H' + (x - 6) }));
      }
      var g = el('g', { 'class': 'node ' + n.kind + (kids[i] ? ' has-children' : ''), transform: 'translate(' + x + ',' + y[i] + ')', 'data-index': String(i), 'data-key': n.key });
      var c = el('circle', { r: '6' });
      var t = el('title', {});
      t.textContent = n.label + (n.detail ? '\\n' + n.detail : '');
      g.appendChild(t);
      g.appendChild(c);
      if (kids[i]) {
        var sign = el('text', { 'class': 'toggle', x: '-3', y: '3.5' });
        sign.textContent = collapsed[i] ? '+' : '-';
        g.appendChild(sign);
        c.addEventListener('click', (function (idx) { return function () { collapsed[idx] = !collapsed[idx]; render(); }; })(i));
      }
      var label = el('text', { 'class': 'label', x: '12', y: '4' });
      label.textContent = n.label;
      g.appendChild(label);
      if (n.detail) {
        var detail = el('text', { 'class': 'detail', x: String(20 + n.label.length * 7.3), y: '4' });
        detail.textContent = n.detail;
        g.appendChild(detail);
      }
      svg.appendChild(g);
      width = Math.max(width, x + 40 + (n.label.length + n.detail.length) * 7.3);
      row++;
    }
    svg.setAttribute('width', String(Math.ceil(width)));
    svg.setAttribute('height', String(row * ROW + 12));
  }
  function setAll(value) {
    for (var i = 0; i < nodes.length; i++) collapsed[i] = value && kids[i] > 0;
    render();
  }
  document.getElementById('expand-all').addEventListener('click', function () { setAll(false); });
  document.getElementById('collapse-all').addEventListener('click', function () { setAll(true); });
  render();
})();
</script>
</body>
</html>
`;
}
