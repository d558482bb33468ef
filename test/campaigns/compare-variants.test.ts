import { describe, expect, it } from 'vitest';
import { chiSquare, chiSquareSurvival, compareVariants, fisherExact } from '../../src/campaigns/compare-variants.js';

describe("Fisher's exact test (two-sided)", () => {
  it('gives the known p-values', () => {
    // Fisher's lady tasting tea: 3 of 4 right; exactly 17/35.
    expect(fisherExact(3, 1, 1, 3)).toBeCloseTo(17 / 35, 10);
    // R: fisher.test(matrix(c(1, 11, 9, 3), 2)) -> p-value = 0.002759.
    expect(fisherExact(1, 9, 11, 3)).toBeCloseTo(0.002759, 6);
    // The same table read the other way round is the same test.
    expect(fisherExact(11, 3, 1, 9)).toBeCloseTo(0.002759, 6);
    // scipy.stats.fisher_exact([[12, 88], [4, 96]]).pvalue = 0.06519694306245737.
    expect(fisherExact(12, 88, 4, 96)).toBeCloseTo(0.065196943062457, 10);
    expect(fisherExact(5, 5, 5, 5)).toBe(1);
  });
});

describe('the chi-square test', () => {
  it('has the closed-form tails of 1 and 2 degrees of freedom', () => {
    expect(chiSquareSurvival(5.991, 2)).toBeCloseTo(0.05, 4);
    expect(chiSquareSurvival(3.841, 1)).toBeCloseTo(0.05, 4);
    expect(chiSquareSurvival(6.635, 1)).toBeCloseTo(0.01, 4);
  });

  it('tests a 3×2 table: 10, 20 and 30 of 100 give 12.5 on 2 degrees of freedom', () => {
    const result = chiSquare([
      { key: 'a', count: 10, of: 100 },
      { key: 'b', count: 20, of: 100 },
      { key: 'c', count: 30, of: 100 },
    ]);
    expect(result!.statistic).toBeCloseTo(12.5, 10);
    expect(result!.df).toBe(2);
    expect(result!.pValue).toBeCloseTo(Math.exp(-6.25), 10);
  });

  it('declines when an expected count is under 5', () => {
    expect(chiSquare([{ key: 'a', count: 1, of: 10 }, { key: 'b', count: 2, of: 10 }, { key: 'c', count: 3, of: 10 }])).toBeNull();
  });
});

describe('comparing variants', () => {
  it('names the better variant only beyond chance', () => {
    expect(compareVariants([{ key: 'a', count: 1, of: 10 }, { key: 'b', count: 11, of: 14 }])).toEqual({
      test: 'fisher_exact',
      pValue: expect.closeTo(0.002759, 6),
      significant: true,
      best: 'b',
    });
    expect(compareVariants([{ key: 'a', count: 3, of: 4 }, { key: 'b', count: 1, of: 4 }])).toEqual({
      test: 'fisher_exact',
      pValue: expect.closeTo(0.4857, 4),
      significant: false,
      best: null,
    });
    expect(compareVariants([{ key: 'a', count: 10, of: 100 }, { key: 'b', count: 20, of: 100 }, { key: 'c', count: 30, of: 100 }])).toMatchObject({
      test: 'chi_square',
      significant: true,
      best: 'c',
    });
  });

  it('does not test what cannot be tested yet', () => {
    expect(compareVariants([{ key: 'a', count: 0, of: 0 }, { key: 'b', count: 1, of: 5 }])).toEqual({ test: null, significant: false });
    expect(compareVariants([{ key: 'a', count: 0, of: 5 }, { key: 'b', count: 0, of: 5 }])).toEqual({ test: null, significant: false });
    expect(compareVariants([{ key: 'a', count: 5, of: 5 }, { key: 'b', count: 5, of: 5 }])).toEqual({ test: null, significant: false });
  });
});
