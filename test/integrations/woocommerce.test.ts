import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { count, fixture, fixtureText, postWebhook, storedRows, WOO_SECRET } from './webhook-requests.js';

// The order of WooCommerce's REST API docs (test/fixtures/integrations/woocommerce/order-727.json),
// the body of its order.* webhooks, through the real route.

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ env: { WOOCOMMERCE_WEBHOOK_SECRET: WOO_SECRET }, flows: SHIPPED_FLOWS });
});
afterEach(async () => {
  await t.close();
});

/** The documented order with a Brazilian customer's billing phone. */
function brazilianOrder(): Record<string, unknown> {
  const order = fixture('woocommerce/order-727.json');
  Object.assign(order.billing as object, { first_name: 'Jo&atilde;o', last_name: 'Silva', phone: '11 91234-5678', country: 'BR' });
  return order;
}

describe('POST /webhooks/woocommerce', () => {
  it('records the documented order: empty SKU is no SKU, entities decoded, date_created_gmt read as UTC, currency kept', async () => {
    const response = await postWebhook(t, 'woocommerce', brazilianOrder());
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'recorded', purchase: 1 });
    const purchase = t.repos.purchases.findByExternalId('woocommerce:727');
    expect(purchase).toMatchObject({
      currency: 'USD',
      totalCents: 2935,
      source: 'woocommerce',
      purchasedAt: Date.parse('2017-03-22T19:28:02Z'),
      items: [
        { sku: null, name: 'Woo Single #1', quantity: 2, unitPriceCents: 300 },
        { sku: 'Bar3', name: 'Ship Your Idea – Color: Black, Size: M Test', quantity: 1, unitPriceCents: 1200 },
      ],
    });
    expect(t.repos.customers.findById(purchase!.customerId)).toMatchObject({ phone: '+5511912345678', name: 'João Silva', email: 'john.doe@example.com' });
    expect(count(t, 'flow_runs')).toBeGreaterThan(0);
  });

  it('stores the documented order as it comes (a US number that does not exist) as skipped no_phone, with 200', async () => {
    const response = await postWebhook(t, 'woocommerce', fixtureText('woocommerce/order-727.json'));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'skipped', reason: 'no_phone' });
    expect(count(t, 'purchases')).toBe(0);
    expect(t.repos.webhookEvents.listRecent('woocommerce', 5)[0]).toMatchObject({ orderRef: '727', topic: 'order.created', status: 'skipped' });
  });

  it('decodes numeric entities and &amp; in product names', async () => {
    const order = brazilianOrder();
    const lines = order.line_items as Record<string, unknown>[];
    lines[0]!.name = 'Caf&eacute; P&amp;B &#8211; 250 g';
    lines[1]!.name = 'Caneca &#x2013; &quot;Bom dia&quot; &unknown;';
    await postWebhook(t, 'woocommerce', order);
    expect(t.repos.purchases.findByExternalId('woocommerce:727')?.items.map((item) => item.name)).toEqual([
      'Café P&B – 250 g',
      'Caneca – "Bom dia" &unknown;',
    ]);
  });

  it('takes an order only when it is processing or completed, and the same order later changes nothing', async () => {
    const pending = brazilianOrder();
    pending.status = 'pending';
    expect((await postWebhook(t, 'woocommerce', pending)).json()).toMatchObject({ status: 'skipped', reason: 'status_ignored' });
    expect(count(t, 'purchases')).toBe(0);

    const paid = brazilianOrder();
    paid.status = 'processing';
    expect((await postWebhook(t, 'woocommerce', paid, { topic: 'order.updated' })).json()).toMatchObject({ status: 'recorded' });
    const before = storedRows(t) as Record<string, unknown[]>;
    const completed = brazilianOrder();
    completed.status = 'completed';
    expect((await postWebhook(t, 'woocommerce', completed, { topic: 'order.updated' })).json()).toMatchObject({ status: 'duplicate', purchase: 1 });
    const after = storedRows(t) as Record<string, unknown[]>;
    for (const table of ['customers', 'purchases', 'flow_runs', 'outbox']) expect(after[table], table).toEqual(before[table]);
  });

  it('skips topics other than order.created and order.updated', async () => {
    expect((await postWebhook(t, 'woocommerce', brazilianOrder(), { topic: 'order.deleted' })).json()).toMatchObject({
      status: 'skipped',
      reason: 'topic_ignored',
    });
  });

  it('answers the ping WooCommerce sends when a webhook is saved with 200, storing nothing', async () => {
    const before = storedRows(t);
    const response = await postWebhook(t, 'woocommerce', 'webhook_id=12', { signature: null, contentType: 'application/x-www-form-urlencoded' });
    expect(response.statusCode).toBe(200);
    expect(storedRows(t)).toEqual(before);
  });

  it('refuses a bad or missing signature with 401 and stores nothing', async () => {
    const before = storedRows(t);
    const missing = await postWebhook(t, 'woocommerce', brazilianOrder(), { signature: null });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error.message).toContain('x-wc-webhook-signature');
    const wrong = await postWebhook(t, 'woocommerce', brazilianOrder(), { secret: 'the-shopify-one-by-mistake' });
    expect(wrong.statusCode).toBe(401);
    expect(storedRows(t)).toEqual(before);
  });

  it('reads quantities and totals sent as strings, prices with too many decimals left out, odd dates', async () => {
    const order = brazilianOrder();
    const lines = order.line_items as Record<string, unknown>[];
    lines[0]!.quantity = '2';
    lines[1]!.price = 3.3333333333;
    order.total = '29.35';
    order.date_created_gmt = '2026-11-20 13:05:09';
    await postWebhook(t, 'woocommerce', order);
    expect(t.repos.purchases.findByExternalId('woocommerce:727')).toMatchObject({
      totalCents: 2935,
      purchasedAt: Date.parse('2026-11-20T13:05:09Z'),
      items: [{ quantity: 2, unitPriceCents: 300 }, { quantity: 1, unitPriceCents: null }],
    });
  });

  it('falls back on the shipping phone when billing has none', async () => {
    const order = brazilianOrder();
    Object.assign(order.billing as object, { phone: '' });
    Object.assign(order.shipping as object, { phone: '+55 (21) 98888-7777', country: 'BR' });
    await postWebhook(t, 'woocommerce', order);
    expect(t.repos.customers.findByPhone('+5521988887777')).toBeDefined();
  });

  it('answers 404 with the reason when WOOCOMMERCE_WEBHOOK_SECRET is empty', async () => {
    await t.close();
    t = await createTestApp();
    const response = await postWebhook(t, 'woocommerce', brazilianOrder());
    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toContain('WOOCOMMERCE_WEBHOOK_SECRET');
  });
});
