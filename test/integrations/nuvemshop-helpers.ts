import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { signBody } from '../../src/integrations/shared/signature.js';
import { ACCESS_TOKEN, STORE_ID, type FakeNuvemshopApi } from './fake-nuvemshop-api.js';

export const APP_SECRET = 'nuvem-app-secret-0123456789';
export const ORDER_ID = '450789469';

/** The environment that turns the connector on against the fake API. */
export function nuvemshopEnv(api: FakeNuvemshopApi, extra: Record<string, string> = {}): Record<string, string> {
  return { NUVEMSHOP_APP_SECRET: APP_SECRET, NUVEMSHOP_STORE_ID: STORE_ID, NUVEMSHOP_ACCESS_TOKEN: ACCESS_TOKEN, NUVEMSHOP_API_URL: api.url, ...extra };
}

type Fields = Record<string, unknown>;
/** A documented order, with the parts the tests change a copy of. */
export type Order = Fields & { customer: Fields & { default_address: Fields }; shipping_address: Fields; products: Fields[] };

/** An order of test/fixtures/integrations/nuvemshop (see its README for where each came from). */
export function fixtureOrder(file: 'orders-list.json' | 'order-single.json'): Order {
  const parsed = JSON.parse(readFileSync(new URL(`../fixtures/integrations/nuvemshop/${file}`, import.meta.url), 'utf8')) as Order | Order[];
  return Array.isArray(parsed) ? parsed[0]! : parsed;
}

/** The paid order of "GET /orders" in resources/order.md (TiendaNube/api-docs), as documented. */
export function documentedPaidOrder(): Order {
  return fixtureOrder('orders-list.json');
}

/**
 * The documented paid order as a Brazilian shop's: a Brazilian mobile, BRL,
 * "39.90", quantity "1" (a string, as the API writes it) and dates in +0000.
 */
export function brazilianOrder(overrides: Fields = {}): Order {
  const order = documentedPaidOrder();
  return {
    ...order,
    currency: 'BRL',
    subtotal: '39.90',
    total: '39.90',
    billing_country: 'BR',
    created_at: '2026-11-20T12:55:00+0000',
    paid_at: '2026-11-20T13:00:00+0000',
    customer: { ...order.customer, name: 'Ana Souza', email: 'ana@example.com.br', phone: '+55 11 91234-5678' },
    products: [{ ...order.products[0], name: 'Café especial 250 g', sku: 'CAFE-250', price: '39.90', quantity: '1' }],
    ...overrides,
  };
}

/** The webhook Nuvemshop sends (resources/webhook.md, "Example webhook content"): only ids. */
export function webhookBody(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({ store_id: Number(STORE_ID), event: 'order/paid', id: Number(ORDER_ID), ...overrides });
}

/** POST /webhooks/nuvemshop signed with the app's secret (or with `signature` as given). */
export function postWebhook(app: FastifyInstance, body: string, signature: string | null = signBody(body, APP_SECRET, 'hex')) {
  return app.inject({
    method: 'POST',
    url: '/webhooks/nuvemshop',
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-linkedstore-hmac-sha256': signature }) },
    payload: body,
  });
}
