// Linear-time checks that hold on a loaded 2-core machine: times are the
// minimum of a few repetitions (noise only ever adds time), and what is
// asserted is the ratio per doubling of the input, not an absolute time.
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';

// A full GC before each sample, so that garbage left by earlier runs is not
// collected during (and charged to) a later one.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/**
 * The fastest of up to `reps` samples of `fn`, in ms per run. A sample runs `fn`
 * often enough to last at least 5 ms (timer and scheduler noise stay small
 * beside it); no more samples once 300 ms have gone (a slow run says enough).
 */
export function minTime(fn: () => unknown, reps = 3): number {
  let best = Infinity;
  let spent = 0;
  let runs = 1;
  for (let i = 0; i < reps && (i === 0 || spent < 300); i++) {
    gc();
    const t = performance.now();
    for (let k = 0; k < runs; k++) fn();
    const took = performance.now() - t;
    spent += took;
    best = Math.min(best, took / runs);
    if (took < 5) runs = Math.min(1000, runs * Math.ceil(5 / Math.max(took, 0.05)));
  }
  return best;
}

export const KB = 1024;
export const MB = 1024 * KB;
/** Sizes for a doubling check: big enough that the work dominates timer and scheduling noise. */
export const DOUBLING_SIZES = [256 * KB, 512 * KB, MB];

/**
 * Times `run(make(size))` for each size (each a doubling of the one before) and
 * asserts that a doubling costs at most `maxRatio` times as much, over the whole
 * range: (t_last / t_first) ^ (1 / doublings). One step alone can exceed it
 * where the input outgrows a CPU cache; a quadratic cost gives 4 at every step.
 * The sizes are measured in rounds, in turn, each keeping its minimum: load from
 * other processes comes and goes, and a quiet moment of each size is what is
 * compared. Rounds stop once the ratio holds (at most 12). Returns ms by size.
 */
export function assertLinear(label: string, make: (size: number) => string, run: (input: string) => unknown, options: { sizes?: number[]; reps?: number; maxRatio?: number } = {}): number[] {
  const sizes = options.sizes ?? DOUBLING_SIZES;
  const maxRatio = options.maxRatio ?? 2.5;
  const inputs = sizes.map(make);
  const best = sizes.map(() => Infinity);
  let ratio = Infinity;
  for (let round = 0; round < 12; round++) {
    inputs.forEach((input, i) => {
      best[i] = Math.min(best[i], minTime(() => run(input), options.reps ?? 2));
    });
    ratio = (best[best.length - 1] / Math.max(best[0], 0.001)) ** (1 / (sizes.length - 1));
    if (round >= 1 && ratio <= maxRatio) return best;
  }
  const steps = best.slice(1).map((t, i) => (t / Math.max(best[i], 0.001)).toFixed(2));
  assert.fail(`${label}: doubling the input multiplies the time by ${ratio.toFixed(2)} (limit ${maxRatio}; steps ${steps.join(', ')}); ms by size ${sizes.map((s, i) => `${s}: ${best[i].toFixed(2)}`).join(', ')}`);
}
