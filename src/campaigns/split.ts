/**
 * The A/B split (issue 21): a campaign's recipients shuffled by a seeded
 * pseudo-random generator and dealt to the variants in turn, so that the
 * groups differ by one at most and the same seed and members always give the
 * same split (the seed is stored with the campaign). Pure.
 */

/** The variants' keys, in order: a campaign has one, two or three. */
export const VARIANT_KEYS = ['a', 'b', 'c'] as const;
export type VariantKey = (typeof VARIANT_KEYS)[number];

/** mulberry32: a small, well-mixed 32-bit generator; floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Each customer's variant: the ids sorted (the order they came in does not
 * matter), shuffled with the seed (Fisher–Yates), then dealt a, b, c, a, …
 */
export function splitVariants(customerIds: readonly number[], seed: number, variants: number): Map<number, VariantKey> {
  if (!Number.isInteger(variants) || variants < 1 || variants > VARIANT_KEYS.length) throw new RangeError(`variants: 1 to ${VARIANT_KEYS.length}, not ${variants}`);
  const order = [...customerIds].sort((a, b) => a - b);
  const random = seededRandom(seed);
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const split = new Map<number, VariantKey>();
  order.forEach((id, index) => split.set(id, VARIANT_KEYS[index % variants]!));
  return split;
}
