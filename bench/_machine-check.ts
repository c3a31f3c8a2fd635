// A fixed piece of CPU work timed before each bench area, so that a reader can tell
// a slow machine from slow code: the shared 2-core machines run at speeds that differ
// by a third or more from one hour to the next, and every figure of an area moves
// with them. The work (JSON round trips of one fixed document, string and number
// handling: what the benches themselves mostly do) takes about 0.1–0.2 s.

const DOC = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => ({
  id: `e-${i.toString(36)}`, n: i, at: new Date(Date.UTC(2026, 0, 1) + i * 997).toISOString(), tags: ['a', 'b', String(i % 7)], ok: i % 3 === 0, nested: { x: i / 7, y: null },
})));

/** Milliseconds the fixed work took (the best of three runs: noise only ever adds time). */
export function machineCheckMs(): number {
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const started = process.hrtime.bigint();
    let sink = 0;
    for (let k = 0; k < 3; k++) {
      const parsed = JSON.parse(DOC) as Array<{ id: string; n: number }>;
      for (const e of parsed) sink += e.id.length + (e.n % 13);
      sink += JSON.stringify(parsed).length;
    }
    if (sink === 0) throw new Error('unreachable');
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
  }
  return Math.round(best);
}
