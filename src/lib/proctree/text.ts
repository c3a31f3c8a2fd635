// An indented text rendering of a process tree, after msticpy's tree_to_text:
// "+ " for roots, "   " per level plus "+-- " below, and one line each for time,
// command line and account under the process line.
import type { ProcessRow } from './build';
import type { ProcSchema } from './schema';
import { seenTime } from './time';

function show(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Greedy word wrap like Python's textwrap.wrap (no hyphen splitting). */
function wrap(text: string, width: number, initialIndent: string, subsequentIndent: string): string[] {
  // Whitespace inside a line is kept (as textwrap does); it is dropped at line breaks.
  const chunks = text.trim().split(/(\s+)/).filter(Boolean);
  const lines: string[] = [];
  let line = initialIndent;
  let words = 0;
  for (let i = 0; i < chunks.length; i += 2) {
    const space = i > 0 ? chunks[i - 1] : '';
    const word = chunks[i];
    if (words > 0 && line.length + space.length + word.length > width) {
      lines.push(line);
      line = subsequentIndent + word;
    } else {
      line += (words > 0 ? space : '') + word;
    }
    words++;
  }
  if (words > 0) lines.push(line);
  return lines;
}

export function treeToText(processes: readonly ProcessRow[], schema: ProcSchema, width = 80): string {
  const out: string[] = [];
  for (const row of processes) {
    const depthCount = row.path.split('/').length - 1;
    const header = depthCount === 0 ? '+ ' : `${'   '.repeat(depthCount)}+-- `;
    const indent = `${' '.repeat(header.length)} `;
    const id = schema.idKind === 'guid' ? `PID: ${show(row[schema.process_id])}  GUID: ${show(row[schema.process_guid ?? 'process_guid'])}` : `PID: ${show(row[schema.process_id])}`;
    const first = `Process: ${show(row[schema.process_name])}  ${id}`;
    out.push(`${header} ${wrap(first, width, '', indent).join('\n')}\n`);
    const time = seenTime(row, schema) || (row.Synthetic ? 'unknown (inferred parent, not seen)' : 'unknown');
    const more = [`Time: ${time}`];
    if (schema.cmd_line) more.push(`Cmdline: ${show(row[schema.cmd_line])}`);
    const acct: string[] = [];
    if (schema.user_id) acct.push(`Account: ${show(row[schema.user_id])}`);
    if (schema.logon_id) acct.push(`Account: ${show(row[schema.logon_id])}`);
    if (acct.length) more.push(acct.join('  '));
    for (const line of more) out.push(`${wrap(line, width, indent, `${indent}   `).join('\n')}\n`);
  }
  return out.join('');
}
