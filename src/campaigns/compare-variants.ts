/**
 * Whether one variant of a campaign did better than another beyond chance
 * (issue 21). Two variants: Fisher's exact test, two-sided, on the 2×2 table
 * of customers who did / did not (replied, bought) among those the message
 * reached. Three: Pearson's chi-square test of independence on the 3×2 table
 * (2 degrees of freedom), only when every expected count is at least 5, as the
 * test asks. A difference is called only when p < 0.05. Pure.
 */

/** One variant's count of customers who did something, among `of`. */
export interface VariantCount {
  key: string;
  count: number;
  of: number;
}

export type VariantTest = 'fisher_exact' | 'chi_square';

export type Comparison =
  /** Too few to test: a variant reached nobody yet, nobody or everybody did it, or (chi-square) an expected count under 5. */
  | { test: null; significant: false }
  | { test: VariantTest; pValue: number; significant: boolean; /** The variant with the highest rate, when significant. */ best: string | null };

export const SIGNIFICANCE = 0.05;

export function compareVariants(groups: readonly VariantCount[]): Comparison {
  if (groups.length < 2 || groups.some((group) => group.of === 0 || group.count < 0 || group.count > group.of)) return { test: null, significant: false };
  const total = groups.reduce((sum, group) => sum + group.of, 0);
  const did = groups.reduce((sum, group) => sum + group.count, 0);
  if (did === 0 || did === total) return { test: null, significant: false };
  let test: VariantTest;
  let pValue: number;
  if (groups.length === 2) {
    const [x, y] = groups as [VariantCount, VariantCount];
    test = 'fisher_exact';
    pValue = fisherExact(x.count, x.of - x.count, y.count, y.of - y.count);
  } else {
    const chi = chiSquare(groups);
    if (chi === null) return { test: null, significant: false };
    test = 'chi_square';
    pValue = chi.pValue;
  }
  const significant = pValue < SIGNIFICANCE;
  const best = significant ? [...groups].sort((a, b) => b.count / b.of - a.count / a.of)[0]!.key : null;
  return { test, pValue, significant, best };
}

/**
 * Fisher's exact test, two-sided, of the table [[a, b], [c, d]]: the
 * probability, with the margins fixed, of a table as likely as this one or
 * less (the convention of R's fisher.test, with its relative tolerance).
 */
export function fisherExact(a: number, b: number, c: number, d: number): number {
  const row1 = a + b;
  const col1 = a + c;
  const n = a + b + c + d;
  const logFactorial = logFactorials(n);
  const logP = (x: number) =>
    logFactorial[row1]! + logFactorial[n - row1]! + logFactorial[col1]! + logFactorial[n - col1]! -
    logFactorial[n]! - logFactorial[x]! - logFactorial[row1 - x]! - logFactorial[col1 - x]! - logFactorial[n - row1 - col1 + x]!;
  const observed = logP(a);
  let p = 0;
  for (let x = Math.max(0, row1 + col1 - n); x <= Math.min(row1, col1); x += 1) {
    const lp = logP(x);
    if (lp <= observed + 1e-7) p += Math.exp(lp);
  }
  return Math.min(1, p);
}

/** Pearson's chi-square test of a k×2 table (did / did not per group); null when an expected count is under 5. */
export function chiSquare(groups: readonly VariantCount[]): { statistic: number; df: number; pValue: number } | null {
  const total = groups.reduce((sum, group) => sum + group.of, 0);
  const did = groups.reduce((sum, group) => sum + group.count, 0);
  let statistic = 0;
  for (const group of groups) {
    const expectedDid = (group.of * did) / total;
    const expectedNot = group.of - expectedDid;
    if (expectedDid < 5 || expectedNot < 5) return null;
    statistic += (group.count - expectedDid) ** 2 / expectedDid + (group.of - group.count - expectedNot) ** 2 / expectedNot;
  }
  const df = groups.length - 1;
  return { statistic, df, pValue: chiSquareSurvival(statistic, df) };
}

/** P(X ≥ x) for a chi-square variable with 1 or 2 degrees of freedom (closed forms). */
export function chiSquareSurvival(x: number, df: number): number {
  if (x <= 0) return 1;
  if (df === 2) return Math.exp(-x / 2);
  if (df === 1) return erfc(Math.sqrt(x / 2));
  throw new RangeError(`chi-square with ${df} degrees of freedom is not needed here`);
}

/** The complementary error function (Numerical Recipes' erfcc, relative error under 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + z / 2);
  const r =
    t *
    Math.exp(
      -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

function logFactorials(n: number): Float64Array {
  const table = new Float64Array(n + 1);
  for (let i = 2; i <= n; i += 1) table[i] = table[i - 1]! + Math.log(i);
  return table;
}
