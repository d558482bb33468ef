import { expect } from 'vitest';
import type { Shop } from '../helpers/shop.js';

let order = 0;

/**
 * A customer made through the public seams: a purchase (with or without marketing consent), then
 * tags through PATCH /api/customers/:id. Answers the customer's id and phone (E.164).
 */
export async function addCustomer(shop: Shop, phone: string, options: { consent: boolean; tags?: string[]; total?: number }): Promise<{ id: number; phone: string }> {
  order += 1;
  const bought = await shop.buy({
    externalId: `pedido-c${order}-${phone.replace(/\D/g, '')}`,
    customer: { phone, name: `Cliente ${phone.slice(-4)}`, consent: { marketing: options.consent } },
    items: [{ sku: 'CAFE-250', name: 'Café', quantity: 1, unitPrice: options.total ?? 10 }],
  });
  if (options.tags) {
    const patched = await shop.api({ method: 'PATCH', url: `/api/customers/${bought.customer.id}`, payload: { tags: options.tags } });
    expect(patched.statusCode, patched.body).toBe(200);
  }
  return { id: bought.customer.id, phone: bought.customer.phone };
}

/** A custom segment of the customers with every one of `tags` (POST /api/segments): its id. */
export async function segmentOf(shop: Shop, name: string, tags: string[]): Promise<string> {
  const response = await shop.api({ method: 'POST', url: '/api/segments', payload: { name, filters: { tags } } });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string }>().id;
}

export async function createCampaign(shop: Shop, body: Record<string, unknown>): Promise<{ id: number; recipients: number; excluded: Record<string, number>; variants: Record<string, number>; seed: number }> {
  const response = await shop.api({ method: 'POST', url: '/api/campaigns', payload: body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

export async function campaignResults(shop: Shop, id: number) {
  const response = await shop.api({ method: 'GET', url: `/api/campaigns/${id}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().campaign;
}

/** A Brazilian mobile number, distinct for each n < 10,000. */
export function phoneOf(n: number): string {
  return `+55119${String(1000_0000 + n * 7919 % 9000_0000).padStart(8, '0')}`;
}
