// Linear-time checks that hold on a loaded 2-core machine: times are the
// minimum of a few repetitions (noise only ever adds time), and what is
// asserted is the ratio per doubling of the input, not an absolute time.
import assert from 'node:assert/strict';

/** The fastest of up to `reps` runs of `fn`, in ms (no more runs once 300 ms have gone: a slow run says enough). */
export function minTime(fn: () => unknown, reps = 3): number {
  let best = Infinity;
  let spent = 0;
  for (let i = 0; i < reps && (i === 0 || spent < 300); i++) {
    const t = performance.now();
    fn();
    const took = performance.now() - t;
    spent += took;
    best = Math.min(best, took);
  }
  return best;
}

/** Same for an async `fn`. */
export async function minTimeAsync(fn: () => Promise<unknown>, reps = 3): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t = performance.now();
    await fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

export const KB = 1024;
export const MB = 1024 * KB;
/** Sizes for a doubling check: big enough that the work dominates timer and scheduling noise. */
export const DOUBLING_SIZES = [256 * KB, 512 * KB, MB];

/**
 * Times `run(make(size))` for each size (each size a doubling of the one before)
 * and asserts that every doubling costs at most `maxRatio` times as much. A
 * failing round is measured again (up to three rounds, keeping each size's
 * minimum): a quadratic cost stays at 4× however often it is measured.
 * Returns the times in ms, by size.
 */
export function assertLinear(label: string, make: (size: number) => string, run: (input: string) => unknown, options: { sizes?: number[]; reps?: number; maxRatio?: number } = {}): number[] {
  const sizes = options.sizes ?? DOUBLING_SIZES;
  const maxRatio = options.maxRatio ?? 2.5;
  const inputs = sizes.map(make);
  const best = sizes.map(() => Infinity);
  let ratios: number[] = [];
  for (let round = 0; round < 3; round++) {
    inputs.forEach((input, i) => {
      best[i] = Math.min(best[i], minTime(() => run(input), options.reps ?? 3));
    });
    ratios = best.slice(1).map((t, i) => t / Math.max(best[i], 0.001));
    if (ratios.every((r) => r <= maxRatio)) return best;
  }
  assert.fail(`${label}: doubling the input multiplies the time by ${ratios.map((r) => r.toFixed(2)).join(', ')} (limit ${maxRatio}); ms by size ${sizes.map((s, i) => `${s}: ${best[i].toFixed(1)}`).join(', ')}`);
}
