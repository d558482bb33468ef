import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createShop, type Shop } from '../helpers/shop.js';
import { buyFixture, EXPECTED_RFM, type FixtureName } from './fixture.js';

let shop: Shop;
let ids: Record<FixtureName, number>;
beforeEach(async () => {
  shop = await createShop();
  ids = await buyFixture(shop);
});
afterEach(async () => {
  await shop.close();
});

interface Listed {
  id: string;
  name: string;
  kind: string;
  count: number;
}

async function members(segment: string): Promise<number[]> {
  const found: number[] = [];
  let before: number | null | undefined;
  do {
    const response = await shop.api({ method: 'GET', url: `/api/segments/${segment}/customers?limit=2${before ? `&before=${before}` : ''}` });
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json<{ customers: { id: number }[]; nextBefore: number | null }>();
    found.push(...page.customers.map((c) => c.id));
    before = page.nextBefore;
  } while (before);
  return found.sort((a, b) => a - b);
}

const idsOf = (names: readonly FixtureName[]) => names.map((name) => ids[name]).sort((a, b) => a - b);

describe('built-in RFM segments over the API', () => {
  it('lists every built-in segment with its name in the shop language and its count', async () => {
    const response = await shop.api({ method: 'GET', url: '/api/segments' });
    expect(response.statusCode).toBe(200);
    const { segments } = response.json<{ segments: Listed[] }>();
    expect(segments).toEqual([
      { id: 'mais-valiosos', name: 'Mais valiosos', kind: 'built-in', count: 2 },
      { id: 'maior-potencial', name: 'Maior potencial', kind: 'built-in', count: 1 },
      { id: 'fieis', name: 'Fiéis', kind: 'built-in', count: 1 },
      { id: 'novos', name: 'Novos', kind: 'built-in', count: 2 },
      { id: 'em-risco', name: 'Em risco', kind: 'built-in', count: 2 },
      { id: 'perdidos', name: 'Perdidos', kind: 'built-in', count: 2 },
      { id: 'abaixo-de-zero', name: 'Abaixo de zero', kind: 'built-in', count: 0 },
    ]);
  });

  it('puts each buyer in exactly the segment worked out by hand, and the erased one in none', async () => {
    for (const [segment, names] of Object.entries(EXPECTED_RFM)) {
      expect({ segment, members: await members(segment) }).toEqual({ segment, members: idsOf(names) });
    }
  });

  it('puts detractors and customers the owner is handling in Abaixo de zero, as well as in their RFM segment', async () => {
    const now = shop.clock.now();
    shop.repos.answers.record({ customerId: ids.F, runId: null, stepId: 'nps', kind: 'nps', value: '6', comment: 'demorou', messageWaId: 'wa-f', at: now - 1000 });
    // A later promoter answer wins: A is not a detractor any more.
    shop.repos.answers.record({ customerId: ids.A, runId: null, stepId: 'nps', kind: 'nps', value: '3', comment: null, messageWaId: 'wa-a1', at: now - 2000 });
    shop.repos.answers.record({ customerId: ids.A, runId: null, stepId: 'nps', kind: 'nps', value: '10', comment: null, messageWaId: 'wa-a2', at: now - 1000 });
    shop.repos.customers.pauseUntil(ids.H, now + 3_600_000, now);
    expect(await members('abaixo-de-zero')).toEqual(idsOf(['F', 'H']));
    expect(await members('maior-potencial')).toEqual(idsOf(['F']));
    // The handoff over, H is no longer below zero.
    await shop.travel('2h');
    expect(await members('abaixo-de-zero')).toEqual(idsOf(['F']));
  });
});

describe('custom segments over the API', () => {
  it('saves one from filters, counts it, pages through its members, and deletes it', async () => {
    const created = await shop.api({
      method: 'POST',
      url: '/api/segments',
      payload: { name: 'Clientes de café', filters: { products: ['cafe-*'], purchasesMin: 1 } },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ id: 'clientes-de-cafe', kind: 'custom', count: 3 });
    expect(await members('clientes-de-cafe')).toEqual(idsOf(['A', 'B', 'C']));

    const again = await shop.api({ method: 'POST', url: '/api/segments', payload: { name: 'Clientes de café', filters: { consent: 'granted', contact: 'cold' } } });
    expect(again.json()).toMatchObject({ id: 'clientes-de-cafe-2', count: 5 });
    expect(await members('clientes-de-cafe-2')).toEqual(idsOf(['A', 'C', 'E', 'G', 'I']));

    const list = await shop.api({ method: 'GET', url: '/api/segments' });
    expect(list.json<{ segments: Listed[] }>().segments.slice(7).map(({ id, kind, count }) => ({ id, kind, count }))).toEqual([
      { id: 'clientes-de-cafe', kind: 'custom', count: 3 },
      { id: 'clientes-de-cafe-2', kind: 'custom', count: 5 },
    ]);

    expect((await shop.api({ method: 'DELETE', url: '/api/segments/clientes-de-cafe' })).statusCode).toBe(204);
    expect((await shop.api({ method: 'GET', url: '/api/segments/clientes-de-cafe/customers' })).statusCode).toBe(404);
    expect((await shop.api({ method: 'DELETE', url: '/api/segments/clientes-de-cafe' })).statusCode).toBe(404);
    const builtin = await shop.api({ method: 'DELETE', url: '/api/segments/perdidos' });
    expect(builtin.statusCode).toBe(409);
    expect(builtin.json()).toMatchObject({ error: { code: 'segment_built_in' } });
  });

  it('filters by total spent and by last purchase between two dates', async () => {
    const response = await shop.api({
      method: 'POST',
      url: '/api/segments',
      payload: { name: 'Meio', filters: { totalMinCents: 5000, totalMaxCents: 30000, lastPurchaseFrom: '2026-01-01', lastPurchaseTo: '2026-11-17' } },
    });
    // C (R$ 50, 3 days ago, 2026-11-17), E (R$ 150), F (R$ 100), J (R$ 60), G (R$ 300, 2026-05-04).
    expect(response.json()).toMatchObject({ count: 5 });
    expect(await members('meio')).toEqual(idsOf(['C', 'E', 'F', 'G', 'J']));
  });

  it('refuses a bad filter with 400, naming the path and the reason, and saves nothing', async () => {
    const response = await shop.api({
      method: 'POST',
      url: '/api/segments',
      payload: { name: 'Ruim', filters: { purchasesMin: -1, nps: 'feliz', lastPurchaseFrom: '2026-13-01', totalMinCents: 500, totalMaxCents: 100, idade: 3 } },
    });
    expect(response.statusCode).toBe(400);
    const paths = response.json<{ error: { code: string; issues: { path: string; message: string }[] } }>().error.issues.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['filters', 'filters.purchasesMin', 'filters.nps', 'filters.lastPurchaseFrom']));
    const list = await shop.api({ method: 'GET', url: '/api/segments' });
    expect(list.json<{ segments: Listed[] }>().segments).toHaveLength(7);

    const order = await shop.api({ method: 'POST', url: '/api/segments', payload: { name: 'Ruim', filters: { totalMinCents: 500, totalMaxCents: 100 } } });
    expect(order.statusCode).toBe(400);
    expect(order.json<{ error: { issues: { path: string; message: string }[] } }>().error.issues).toEqual([
      { path: 'filters.totalMaxCents', message: 'o fim do intervalo não pode ser menor que o começo' },
    ]);
  });

  it('answers 404 for a segment that does not exist', async () => {
    const response = await shop.api({ method: 'GET', url: '/api/segments/nao-existe/customers' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'segment_not_found' } });
  });
});
