import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { matchesSku } from '../../src/flows/sku-pattern.js';
import { openDatabase, type Database } from '../../src/storage/db.js';
import { createSegmentRepository, skuLike, type SegmentRepository } from '../../src/storage/repositories/segments.js';

let db: Database;
let segments: SegmentRepository;
const SKUS = ['CAFE-250', 'cafe-500', 'CHA_1', 'CHAX1', 'X%Y', 'XaY', 'kit "natal"', 'MOEDOR'];

beforeEach(() => {
  db = openDatabase(':memory:');
  segments = createSegmentRepository(db);
  const customer = db.sqlite.prepare("INSERT INTO customers (id, phone, created_at, updated_at) VALUES (?, ?, 1, 1)");
  const purchase = db.sqlite.prepare("INSERT INTO purchases (customer_id, items, total_cents, currency, source, purchased_at, created_at) VALUES (?, ?, 100, 'BRL', 'api', 1, 1)");
  SKUS.forEach((sku, i) => {
    customer.run(i + 1, `+55119123400${String(i).padStart(2, '0')}`);
    purchase.run(i + 1, JSON.stringify([{ sku: 'BRINDE', name: 'Brinde', quantity: 1, unitPriceCents: 0 }, { sku, name: `Produto ${sku}`, quantity: 1, unitPriceCents: 100 }]));
  });
});
afterEach(() => {
  db.close();
});

describe('who bought what, in SQL, as flows match SKUs', () => {
  it.each([['CAFE-*'], ['cafe-2?0'], ['CHA_?'], ['X%Y'], ['X?Y'], ['kit "natal"'], ['*'], ['MOEDOR', 'CHA*'], ['NADA-*']])('%s', (...patterns) => {
    const expected = SKUS.flatMap((sku, i) => (matchesSku(patterns, sku) ? [i + 1] : []));
    expect([...segments.customersWhoBought(patterns)].sort((a, b) => a - b)).toEqual(expected);
    SKUS.forEach((sku, i) => expect(segments.hasBought(i + 1, patterns)).toBe(matchesSku(patterns, sku)));
  });

  it('escapes LIKE wildcards that are literal in a pattern, and looks for its longest literal run first', () => {
    expect(skuLike('CHA_?')).toEqual({ pattern: 'CHA\\__', pre: '%CHA\\_%' });
    expect(skuLike('*-250')).toEqual({ pattern: '%-250', pre: '%-250%' });
    expect(skuLike('kit "natal"')).toEqual({ pattern: 'kit "natal"', pre: null });
  });
});
