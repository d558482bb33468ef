import type { Shop } from '../helpers/shop.js';

const DAY = 86_400_000;

/**
 * Ten buyers whose RFM scores are worked out by hand in docs/metrics.md's example, through the
 * public API (purchases with purchasedAt and total), plus one erased big spender who must appear
 * nowhere. `[purchases, days since the last one, total in reais]`.
 */
export const RFM_FIXTURE = {
  A: [5, 1, 500],
  B: [4, 2, 400],
  C: [1, 3, 50],
  D: [1, 4, 30],
  E: [3, 30, 150],
  F: [2, 60, 100],
  G: [3, 200, 300],
  H: [1, 300, 20],
  I: [1, 400, 40],
  J: [2, 100, 60],
} as const;

export type FixtureName = keyof typeof RFM_FIXTURE | 'erased';

/** The expected segment of each fixture customer (worked out by hand from the rules in docs/metrics.md). */
export const EXPECTED_RFM: Record<string, (keyof typeof RFM_FIXTURE)[]> = {
  'mais-valiosos': ['A', 'B'],
  novos: ['C', 'D'],
  fieis: ['E'],
  'maior-potencial': ['F'],
  'em-risco': ['G', 'J'],
  perdidos: ['H', 'I'],
};

/** Buys the fixture; returns each name's customer id. Customer i's phone is (11) 9000-000i. */
export async function buyFixture(shop: Shop): Promise<Record<FixtureName, number>> {
  const now = shop.clock.now();
  const ids = {} as Record<FixtureName, number>;
  let order = 0;
  const names = [...Object.keys(RFM_FIXTURE), 'erased'] as FixtureName[];
  for (const [index, name] of names.entries()) {
    const [count, daysAgo, total] = name === 'erased' ? [6, 1, 9000] : RFM_FIXTURE[name];
    for (let k = count - 1; k >= 0; k -= 1) {
      order += 1;
      const answer = await shop.buy({
        externalId: `fixture-${order}`,
        customer: { phone: `+55119900000${String(index).padStart(2, '0')}`, name: `Cliente ${name}`, consent: { marketing: index % 2 === 0 } },
        items: [{ sku: index < 3 ? 'CAFE-250' : 'CHA-100', name: 'Produto', quantity: 1, unitPrice: total / count }],
        total: total / count,
        purchasedAt: new Date(now - (daysAgo + 7 * k) * DAY).toISOString(),
      });
      ids[name] = answer.customer.id;
    }
  }
  const erased = await shop.api({ method: 'DELETE', url: `/api/customers/${ids.erased}` });
  if (erased.statusCode !== 200) throw new Error(erased.body);
  return ids;
}
