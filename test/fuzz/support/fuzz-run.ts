import type fc from 'fast-check';

/**
 * How the fuzz suites run fast-check: FUZZ_RUNS cases per property (10,000 by
 * default), a seed printed before each property runs so that any run can be
 * repeated (FUZZ_SEED), and FUZZ_PATH to replay the exact counterexample of a
 * failure (fast-check prints its seed and path when a property fails, after
 * shrinking it to a small case).
 */
export function fuzzRuns(): number {
  const raw = process.env.FUZZ_RUNS;
  if (raw === undefined || raw === '') return 10_000;
  const runs = Number(raw);
  if (!Number.isSafeInteger(runs) || runs < 1) throw new Error(`FUZZ_RUNS must be a positive integer, not ${raw}`);
  return runs;
}

/** One seed for the whole file: given (FUZZ_SEED), or drawn once and printed. */
const SEED = process.env.FUZZ_SEED !== undefined && process.env.FUZZ_SEED !== '' ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);

/**
 * fast-check's parameters for the property `name`, its seed printed (with how to replay it:
 * `command`, the suite's npm script by default, is what runs the property again). `name` must be
 * part of the test's full name (its describe's and its own), for `-t '<name>'` to find it.
 */
export function fuzzParameters<T>(name: string, runs = fuzzRuns(), command = 'npm run test:fuzz --'): fc.Parameters<T> {
  if (!Number.isSafeInteger(SEED)) throw new Error(`FUZZ_SEED must be an integer, not ${process.env.FUZZ_SEED}`);
  const path = process.env.FUZZ_PATH;
  console.log(`[fuzz] ${name}: ${runs} runs, seed ${SEED}${path ? `, path ${path}` : ''} (replay: FUZZ_SEED=${SEED}${path ? ` FUZZ_PATH=${path}` : ''} ${command} -t '${name}')`);
  return { numRuns: runs, seed: SEED, ...(path ? { path, endOnFailure: true } : {}), verbose: 1 };
}

/** Counts by label, printed as "400×9,311 404×689". */
export class Tally {
  readonly counts = new Map<string, number>();
  add(label: string): void {
    this.counts.set(label, (this.counts.get(label) ?? 0) + 1);
  }
  get total(): number {
    let sum = 0;
    for (const count of this.counts.values()) sum += count;
    return sum;
  }
  toString(): string {
    return [...this.counts.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([label, count]) => `${label}×${count.toLocaleString('en')}`)
      .join(' ');
  }
}
