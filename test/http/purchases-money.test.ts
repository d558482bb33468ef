import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

function post(body: unknown) {
  return t.api({ method: 'POST', url: '/api/purchases', payload: body as Record<string, unknown> });
}

const customer = { phone: '11912345678' };

describe('POST /api/purchases: prices as Brazilians type them', () => {
  it.each([
    ['R$ 39,90', 3990],
    ['R$1.039,90', 103990],
    ['1.039,90', 103990],
    ['39,90', 3990],
    ['39.90', 3990],
    [39.9, 3990],
    ['R$ 39', 3900],
    ['1039,9', 103990],
  ] as const)('unitPrice %j is %i cents, and so is total', async (price, cents) => {
    const response = await post({ customer, items: [{ name: 'Café', unitPrice: price }], total: price });
    expect(response.statusCode).toBe(201);
    const { purchase } = response.json();
    expect(purchase.items[0].unitPriceCents).toBe(cents);
    expect(purchase.totalCents).toBe(cents);
  });

  it('refuses "1.039" and "1,039" as ambiguous, with the path, the value and nothing stored', async () => {
    const response = await post({ customer, items: [{ name: 'Café', unitPrice: '1.039' }], total: '1,039' });
    expect(response.statusCode).toBe(400);
    const issues = response.json().error.issues as { path: string; message: string }[];
    expect(issues.map((issue) => issue.path)).toEqual(['items.0.unitPrice', 'total']);
    expect(issues[0]?.message).toContain('"1.039" é ambíguo');
    expect(issues[1]?.message).toContain('"1,039" é ambíguo');
    expect(t.db.sqlite.prepare('SELECT count(*) FROM purchases').pluck().get()).toBe(0);
  });

  it('says what is wrong with a price that is not one', async () => {
    const response = await post({ customer, items: [{ name: 'Café', unitPrice: '39,90 reais' }, { name: 'Pão', unitPrice: '' }] });
    const issues = response.json().error.issues as { path: string; message: string }[];
    expect(issues).toEqual([
      { path: 'items.0.unitPrice', message: expect.stringContaining('R$ 39,90, 1.039,90 ou 39.90') },
      { path: 'items.1.unitPrice', message: 'informe o valor' },
    ]);
  });
});
