import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { count, fixture, fixtureText, postWebhook, SHOPIFY_SECRET, storedRows, toJson } from './webhook-requests.js';

// Shopify's documented order webhook (test/fixtures/integrations/shopify/orders-paid.json) through
// the real route: signature, topic, the phone's fallbacks, consent, replays.

let t: TestApp;
afterEach(async () => {
  await t.close();
});

async function start(env: Record<string, string> = {}) {
  t = await createTestApp({ env: { SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET, ...env }, flows: SHIPPED_FLOWS });
}

/** The documented order, bought by a Brazilian whose number is only in the shipping address. */
function brazilianOrder(): Record<string, unknown> {
  const order = fixture('shopify/orders-paid.json');
  const shipping = order.shipping_address as Record<string, unknown>;
  Object.assign(shipping, { phone: '(11) 91234-5678', country_code: 'BR', country: 'Brazil' });
  (order.customer as Record<string, unknown>).first_name = 'Ana';
  (order.customer as Record<string, unknown>).last_name = 'Souza';
  return order;
}

describe('POST /webhooks/shopify', () => {
  it('records the documented orders/paid webhook as a purchase, with the order currency, and starts the flows', async () => {
    await start();
    const response = await postWebhook(t, 'shopify', brazilianOrder());
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'recorded', reason: null, webhookEvent: 1, purchase: 1 });

    const purchase = t.repos.purchases.findByExternalId('shopify:820982911946154508');
    expect(purchase).toMatchObject({
      currency: 'USD',
      totalCents: 38800,
      source: 'shopify',
      purchasedAt: Date.parse('2022-01-01T00:00:00Z'),
      items: [
        { sku: 'IPOD2008PINK', name: 'IPod Nano - 8GB', quantity: 1, unitPriceCents: 19900 },
        { sku: 'IPOD2008PINK', name: 'IPod Nano - 8GB', quantity: 1, unitPriceCents: 19900 },
      ],
    });
    const customer = t.repos.customers.findById(purchase!.customerId);
    expect(customer).toMatchObject({ phone: '+5511912345678', name: 'Ana Souza', email: 'john@example.com' });
    expect(count(t, 'flow_runs')).toBeGreaterThan(0);
    expect(t.repos.webhookEvents.find(1)).toMatchObject({
      platform: 'shopify',
      topic: 'orders/paid',
      orderRef: '820982911946154508',
      status: 'recorded',
      purchaseId: purchase!.id,
      attempts: 1,
      // Its order is a purchase: the body (addresses, e-mail, the whole order) is not kept.
      body: null,
    });
  });

  it('keeps a SKU written as a number past 2^53 to its last digit, as it keeps the order id, whichever reading finds it', async () => {
    await start();
    // A short order id (read quickly), and the other ids of the sample still 18 digits that fregues never reads.
    const order = brazilianOrder();
    order.id = 1001;
    const lines = order.line_items as Record<string, unknown>[];
    lines[0]!.sku = '7891234567890123456';
    const raw = toJson(order);
    expect(raw).toContain('"sku":7891234567890123456');
    expect(raw).toContain('"id":866550311766439020');
    expect((await postWebhook(t, 'shopify', raw)).json()).toMatchObject({ status: 'recorded' });
    const purchase = t.repos.purchases.findByExternalId('shopify:1001');
    expect(purchase?.items.map((item) => item.sku)).toEqual(['7891234567890123456', 'IPOD2008PINK']);
  });

  it('needs no admin token: the signature is the authentication', async () => {
    await start();
    // postWebhook sends no Authorization header; /api would answer 401.
    const response = await postWebhook(t, 'shopify', brazilianOrder());
    expect(response.statusCode).toBe(200);
  });

  it('takes the phone from the customer first, then the billing address, then the shipping address', async () => {
    await start();
    const order = brazilianOrder();
    Object.assign(order.billing_address as object, { phone: '+55 21 98888-7777', country_code: 'BR' });
    await postWebhook(t, 'shopify', order);
    expect(t.repos.customers.findByPhone('+5521988887777')).toBeDefined();

    const second = brazilianOrder();
    second.id = 2;
    Object.assign(second.customer as object, { phone: '+5531977776666' });
    Object.assign(second.billing_address as object, { phone: '+55 21 98888-7777', country_code: 'BR' });
    await postWebhook(t, 'shopify', second);
    expect(t.repos.purchases.findByExternalId('shopify:2')?.customerId).toBe(t.repos.customers.findByPhone('+5531977776666')?.id);
  });

  it('stores the documented sample, whose phones are not numbers, as skipped with no_phone and answers 200', async () => {
    await start();
    const response = await postWebhook(t, 'shopify', fixtureText('shopify/orders-paid.json'));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'skipped', reason: 'no_phone', purchase: null });
    expect(count(t, 'purchases')).toBe(0);
    expect(count(t, 'customers')).toBe(0);
    const [event] = t.repos.webhookEvents.listRecent('shopify', 10);
    expect(event).toMatchObject({ status: 'skipped', reason: 'no_phone', orderRef: '820982911946154508' });
    // Kept as received, for the page and for a replay.
    expect(t.repos.webhookEvents.find(event!.id)!.body).toBe(fixtureText('shopify/orders-paid.json'));
  });

  it('answers a repeated webhook 200 and changes nothing', async () => {
    await start();
    const order = brazilianOrder();
    await postWebhook(t, 'shopify', order);
    const before = storedRows(t) as Record<string, unknown[]>;
    const again = await postWebhook(t, 'shopify', order);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ status: 'duplicate', purchase: 1 });
    const after = storedRows(t) as Record<string, unknown[]>;
    for (const table of ['customers', 'purchases', 'consent_events', 'flow_runs', 'outbox']) expect(after[table], table).toEqual(before[table]);
    expect(t.repos.webhookEvents.listRecent('shopify', 10).map((event) => event.status)).toEqual(['duplicate', 'recorded']);
  });

  it.each([
    ['missing', null],
    ['made with another secret', 'x'],
    ['not base64', 'não-é-base64'],
    ['hex instead of base64', 'hex'],
  ])('refuses a signature %s with 401 and stores nothing', async (_case, kind) => {
    await start();
    const order = brazilianOrder();
    const raw = toJson(order);
    const { signBody } = await import('../../src/integrations/shared/signature.js');
    const signature =
      kind === null ? null : kind === 'x' ? signBody(raw, 'outro-segredo-qualquer', 'base64') : kind === 'hex' ? signBody(raw, SHOPIFY_SECRET, 'hex') : kind;
    const before = storedRows(t);
    const response = await postWebhook(t, 'shopify', raw, { signature });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('bad_signature');
    expect(response.json().error.message).toContain('x-shopify-hmac-sha256');
    expect(storedRows(t)).toEqual(before);
  });

  it('refuses a body changed after it was signed', async () => {
    await start();
    const raw = toJson(brazilianOrder());
    const { signBody } = await import('../../src/integrations/shared/signature.js');
    const signature = signBody(raw, SHOPIFY_SECRET, 'base64');
    const response = await postWebhook(t, 'shopify', raw.replace('"388.00"', '"1.00"'), { signature });
    expect(response.statusCode).toBe(401);
    expect(count(t, 'webhook_events')).toBe(0);
  });

  it('answers a signed body that is not JSON 400 with the reason, and stores nothing', async () => {
    await start();
    const response = await postWebhook(t, 'shopify', '{"id": 1, "line_items": [');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'invalid_json' });
    expect(response.json().error.message).toMatch(/JSON/);
    const array = await postWebhook(t, 'shopify', '[1,2]');
    expect(array.statusCode).toBe(400);
    expect(array.json().error.code).toBe('not_an_object');
    expect(count(t, 'webhook_events')).toBe(0);
  });

  it('answers 404 saying which variable turns it on when SHOPIFY_WEBHOOK_SECRET is empty', async () => {
    t = await createTestApp();
    const response = await postWebhook(t, 'shopify', brazilianOrder());
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toMatchObject({ code: 'connector_off' });
    expect(response.json().error.message).toContain('SHOPIFY_WEBHOOK_SECRET');
    expect(count(t, 'webhook_events')).toBe(0);
  });

  it('takes orders/create only when SHOPIFY_TOPICS lists it', async () => {
    await start();
    const skipped = await postWebhook(t, 'shopify', brazilianOrder(), { topic: 'orders/create' });
    expect(skipped.json()).toMatchObject({ status: 'skipped', reason: 'topic_ignored' });
    expect(count(t, 'purchases')).toBe(0);
    await t.close();

    await start({ SHOPIFY_TOPICS: 'orders/paid,orders/create' });
    const taken = await postWebhook(t, 'shopify', brazilianOrder(), { topic: 'orders/create' });
    expect(taken.json()).toMatchObject({ status: 'recorded' });
    // The same order paid later is the same purchase.
    const paid = await postWebhook(t, 'shopify', brazilianOrder(), { topic: 'orders/paid' });
    expect(paid.json()).toMatchObject({ status: 'duplicate', purchase: 1 });
  });

  it('reads quantities and prices sent as strings or numbers, and an order without processed_at by created_at', async () => {
    await start();
    const order = brazilianOrder();
    const lines = order.line_items as Record<string, unknown>[];
    lines[0]!.quantity = '3';
    lines[1]!.price = 49.9;
    lines[1]!.sku = '';
    delete order.processed_at;
    order.created_at = '2026-11-19T22:30:00-03:00';
    expect((await postWebhook(t, 'shopify', order)).statusCode).toBe(200);
    expect(t.repos.purchases.findByExternalId('shopify:820982911946154508')).toMatchObject({
      purchasedAt: Date.parse('2026-11-20T01:30:00Z'),
      items: [
        { sku: 'IPOD2008PINK', quantity: 3, unitPriceCents: 19900 },
        { sku: null, quantity: 1, unitPriceCents: 4990 },
      ],
    });
  });

  it('keeps the sale when an optional detail cannot be read (an e-mail without domain, a date in the future)', async () => {
    await start();
    const order = brazilianOrder();
    (order.customer as Record<string, unknown>).email = 'ana-sem-dominio';
    order.processed_at = '2031-01-01T00:00:00Z';
    const response = await postWebhook(t, 'shopify', order);
    expect(response.json()).toMatchObject({ status: 'recorded' });
    const purchase = t.repos.purchases.findByExternalId('shopify:820982911946154508')!;
    expect(purchase.purchasedAt).toBe(t.clock.now());
    expect(t.repos.customers.findById(purchase.customerId)?.email).toBeNull();
  });

  it('skips an order it cannot read (no line items) with invalid_order and the problems, answering 200', async () => {
    await start();
    const order = brazilianOrder();
    order.line_items = [];
    const response = await postWebhook(t, 'shopify', order);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'skipped', reason: 'invalid_order' });
    expect(response.json().issues[0].path).toBe('items');
    expect(count(t, 'purchases')).toBe(0);
  });
});

describe('Shopify marketing consent', () => {
  function withConsent(sms: string | undefined, email: string | undefined): Record<string, unknown> {
    const order = brazilianOrder();
    const customer = order.customer as Record<string, unknown>;
    if (sms) customer.sms_marketing_consent = { state: sms, opt_in_level: 'single_opt_in', consent_updated_at: '2026-11-19T10:00:00-03:00', consent_collected_from: 'SHOPIFY' };
    if (email) customer.email_marketing_consent = { state: email, opt_in_level: 'single_opt_in', consent_updated_at: null };
    return order;
  }

  function customer() {
    return t.repos.customers.findByPhone('+5511912345678')!;
  }

  it('grants WhatsApp consent from SMS subscribed, with source shopify, even when e-mail is unsubscribed', async () => {
    await start();
    await postWebhook(t, 'shopify', withConsent('subscribed', 'unsubscribed'));
    expect(customer().consent).toMatchObject({ marketing: 'granted', source: 'shopify' });
  });

  it('revokes it from SMS unsubscribed', async () => {
    await start();
    const first = withConsent('subscribed', undefined);
    await postWebhook(t, 'shopify', first);
    const second = withConsent('unsubscribed', 'subscribed');
    second.id = 2;
    await postWebhook(t, 'shopify', second);
    expect(customer().consent).toMatchObject({ marketing: 'revoked', source: 'shopify' });
  });

  it('never revokes it from the e-mail consent alone', async () => {
    await start();
    await postWebhook(t, 'shopify', withConsent('subscribed', undefined));
    const second = withConsent('not_subscribed', 'unsubscribed');
    second.id = 2;
    await postWebhook(t, 'shopify', second);
    expect(customer().consent).toMatchObject({ marketing: 'granted', source: 'shopify' });
    const third = withConsent(undefined, undefined);
    third.id = 3;
    await postWebhook(t, 'shopify', third);
    expect(customer().consent.marketing).toBe('granted');
  });
});
