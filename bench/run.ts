// `npm run bench`: runs every bench/<area>.ts (or those named on the command line)
// and prints each one's rows as a table. Speed and memory are measured here,
// never asserted in timed tests.
import fs from 'node:fs';
import path from 'node:path';

type Row = Record<string, string | number>;

function printTable(title: string, rows: Row[]): void {
  console.log(`\n## ${title}`);
  if (rows.length === 0) return console.log('(no rows)');
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => (typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(2)) : String(v ?? ''));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(columns));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(columns.map((c) => cell(r[c]))));
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = fs.readdirSync(__dirname)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
    .filter((f) => only.length === 0 || only.includes(f.replace(/\.ts$/, '')))
    .sort();
  console.log(`secflow bench — node ${process.version}, ${process.platform}/${process.arch}`);
  let failed = 0;
  for (const file of files) {
    const mod = (await import(path.join(__dirname, file))) as { run?: () => Promise<Row[]> };
    if (typeof mod.run !== 'function') continue;
    const started = Date.now();
    try {
      const rows = await mod.run();
      printTable(`${file.replace(/\.ts$/, '')} (${((Date.now() - started) / 1000).toFixed(1)} s)`, rows);
    } catch (err) {
      failed++;
      console.error(`\n## ${file}: FAILED — ${(err as Error).stack ?? err}`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
