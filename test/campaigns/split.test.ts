import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seededRandom, splitVariants } from '../../src/campaigns/split.js';

describe('the A/B split', () => {
  it('is the same for the same seed and members, whatever their order', () => {
    const ids = Array.from({ length: 10 }, (_, i) => i + 1);
    const split = splitVariants(ids, 42, 2);
    expect(Object.fromEntries(split)).toEqual(Object.fromEntries(splitVariants([...ids].reverse(), 42, 2)));
    // Fixed seed, fixed answer: a change of the generator or the deal shows here.
    expect([...split].filter(([, key]) => key === 'a').map(([id]) => id).sort((x, y) => x - y)).toEqual(SEED_42_A);
    expect(Object.fromEntries(splitVariants(ids, 43, 2))).not.toEqual(Object.fromEntries(split));
  });

  it('gives equal groups, ±1, to 2 or 3 variants', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 1_000_000 }), { maxLength: 300 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom(2, 3), (ids, seed, variants) => {
        const split = splitVariants(ids, seed, variants);
        expect(split.size).toBe(ids.length);
        const sizes = ['a', 'b', 'c'].slice(0, variants).map((key) => [...split.values()].filter((one) => one === key).length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('draws from a generator that covers [0, 1) evenly', () => {
    const random = seededRandom(7);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i += 1) buckets[Math.floor(random() * 10)]! += 1;
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});

const SEED_42_A = [1, 3, 4, 5, 9];
