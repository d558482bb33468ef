import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signBody } from '../../src/integrations/shared/signature.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { ACCESS_TOKEN, FakeNuvemshopApi, STORE_ID } from './fake-nuvemshop-api.js';
import { APP_SECRET, brazilianOrder, nuvemshopEnv, ORDER_ID, postWebhook, webhookBody } from './nuvemshop-helpers.js';

let api: FakeNuvemshopApi;
let t: TestApp;

beforeEach(async () => {
  api = await new FakeNuvemshopApi().start();
  api.orders.set(ORDER_ID, brazilianOrder());
});

afterEach(async () => {
  await t?.close();
  await api.stop();
});

const rows = () => t.repos.webhookEvents.listRecent('nuvemshop', 50);
const purchaseCount = () => t.db.sqlite.prepare('SELECT count(*) FROM purchases').pluck().get() as number;

describe('POST /webhooks/nuvemshop', () => {
  it('answers 200 at once with a pending row, then fetches the order and records the purchase', async () => {
    t = await createTestApp({ env: nuvemshopEnv(api) });
    const response = await postWebhook(t.app, webhookBody());
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'pending', reason: null, purchase: null });

    await t.nuvemshop!.fetcher.settled();
    const [row] = rows();
    expect(row).toMatchObject({ topic: 'order/paid', orderRef: ORDER_ID, status: 'recorded', reason: null, attempts: 1 });
    const purchase = t.repos.purchases.findByExternalId(`nuvemshop:${ORDER_ID}`)!;
    expect(row!.purchaseId).toBe(purchase.id);
    // "39.90" and quantity "1" as the API writes them; the order's own currency and paid_at (+0000).
    expect(purchase).toMatchObject({ totalCents: 3990, currency: 'BRL', source: 'nuvemshop', purchasedAt: Date.parse('2026-11-20T13:00:00Z') });
    expect(purchase.items).toEqual([{ sku: 'CAFE-250', name: 'Café especial 250 g', quantity: 1, unitPriceCents: 3990 }]);
    expect(t.repos.customers.findById(purchase.customerId)).toMatchObject({ phone: '+5511912345678', name: 'Ana Souza' });

    // As the API documentation asks: Nuvemshop's own header name, a lowercase bearer, a User-Agent.
    const [fetch] = api.requests;
    expect(fetch).toMatchObject({ method: 'GET', path: `/v1/${STORE_ID}/orders/${ORDER_ID}` });
    expect(fetch!.headers.authentication).toBe(`bearer ${ACCESS_TOKEN}`);
    expect(fetch!.headers['user-agent']).toMatch(/^fregues\/\S+ \(.+\)$/);
  });

  it('refuses a wrong, missing or foreign signature with 401 and stores nothing', async () => {
    t = await createTestApp({ env: nuvemshopEnv(api) });
    const body = webhookBody();
    const attempts = [
      signBody(body, 'another-app-secret', 'hex'),
      signBody(webhookBody({ id: 1 }), APP_SECRET, 'hex'),
      signBody(body, APP_SECRET, 'base64'),
      '',
      null,
    ];
    for (const signature of attempts) {
      const response = await postWebhook(t.app, body, signature);
      expect(response.statusCode).toBe(401);
      expect(response.json().error).toMatchObject({ code: 'bad_signature' });
      expect(response.json().error.message).toContain('x-linkedstore-hmac-sha256');
    }
    // The body's bytes are what is signed: the same JSON written otherwise is not.
    const respaced = (await postWebhook(t.app, JSON.stringify(JSON.parse(body), null, 1), signBody(body, APP_SECRET, 'hex'))).statusCode;
    expect(respaced).toBe(401);
    await t.nuvemshop!.fetcher.settled();
    expect(rows()).toEqual([]);
    expect(api.requests).toEqual([]);
  });

  it('takes the signature in upper-case hex too', async () => {
    t = await createTestApp({ env: nuvemshopEnv(api) });
    const body = webhookBody();
    const response = await postWebhook(t.app, body, signBody(body, APP_SECRET, 'hex').toUpperCase());
    expect(response.statusCode).toBe(200);
  });

  it('records the same order once when the webhook comes again (a replay changes nothing)', async () => {
    t = await createTestApp({ env: nuvemshopEnv(api) });
    for (let i = 0; i < 3; i += 1) {
      expect((await postWebhook(t.app, webhookBody())).statusCode).toBe(200);
      await t.nuvemshop!.fetcher.settled();
    }
    expect(purchaseCount()).toBe(1);
    expect(rows().map((row) => row.status)).toEqual(['duplicate', 'duplicate', 'recorded']);
    expect(new Set(rows().map((row) => row.purchaseId)).size).toBe(1);
  });

  it('takes order/paid only by default: order/created is stored as skipped and not fetched', async () => {
    t = await createTestApp({ env: nuvemshopEnv(api) });
    const response = await postWebhook(t.app, webhookBody({ event: 'order/created' }));
    expect(response.json()).toMatchObject({ status: 'skipped', reason: 'topic_ignored' });
    await t.nuvemshop!.fetcher.settled();
    expect(api.requests).toEqual([]);
  });

  it('with NUVEMSHOP_EVENTS=order/paid,order/created: an order created and not yet paid waits for order/paid', async () => {
    t = await createTestApp({ env: nuvemshopEnv(api, { NUVEMSHOP_EVENTS: 'order/paid, order/created' }) });
    api.orders.set(ORDER_ID, brazilianOrder({ payment_status: 'pending', paid_at: null }));
    await postWebhook(t.app, webhookBody({ event: 'order/created' }));
    await t.nuvemshop!.fetcher.settled();
    expect(rows()[0]).toMatchObject({ status: 'skipped', reason: 'not_paid' });
    expect(purchaseCount()).toBe(0);

    api.orders.set(ORDER_ID, brazilianOrder());
    await postWebhook(t.app, webhookBody());
    await t.nuvemshop!.fetcher.settled();
    expect(rows()[0]).toMatchObject({ topic: 'order/paid', status: 'recorded' });
    expect(purchaseCount()).toBe(1);
  });

  it('stores a paid order without a usable phone as skipped (no_phone), never a 5xx', async () => {
    t = await createTestApp({ env: nuvemshopEnv(api) });
    const order = brazilianOrder();
    api.orders.set(ORDER_ID, {
      ...order,
      customer: { ...order.customer, phone: null, default_address: { ...order.customer.default_address, phone: '' } },
      billing_phone: '',
      shipping_address: { ...order.shipping_address, phone: null },
    });
    expect((await postWebhook(t.app, webhookBody())).statusCode).toBe(200);
    await t.nuvemshop!.fetcher.settled();
    expect(rows()[0]).toMatchObject({ status: 'skipped', reason: 'no_phone', purchaseId: null });
    expect(purchaseCount()).toBe(0);
  });

  it('stores a webhook of another store (same app secret) as skipped without fetching it', async () => {
    t = await createTestApp({ env: nuvemshopEnv(api) });
    const response = await postWebhook(t.app, webhookBody({ store_id: 999 }));
    expect(response.json()).toMatchObject({ status: 'skipped', reason: 'store_mismatch' });
    await t.nuvemshop!.fetcher.settled();
    expect(api.requests).toEqual([]);
  });

  it('answers 400 with the path for a signed body that is not a webhook, and stores nothing', async () => {
    t = await createTestApp({ env: nuvemshopEnv(api) });
    const notJson = await postWebhook(t.app, '{"store_id": 271146,');
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe('invalid_json');
    const noId = await postWebhook(t.app, JSON.stringify({ store_id: Number(STORE_ID), event: 'order/paid' }));
    expect(noId.statusCode).toBe(400);
    expect(noId.json().error).toMatchObject({ code: 'invalid_webhook', issues: [{ path: 'id', message: 'obrigatório: o número do pedido (só dígitos)' }] });
    expect(rows()).toEqual([]);
  });

  it('answers 404 saying which variable turns it on when NUVEMSHOP_APP_SECRET is empty', async () => {
    t = await createTestApp({ env: { NUVEMSHOP_STORE_ID: STORE_ID, NUVEMSHOP_ACCESS_TOKEN: ACCESS_TOKEN, NUVEMSHOP_API_URL: api.url } });
    expect(t.nuvemshop).toBeUndefined();
    const response = await postWebhook(t.app, webhookBody());
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toMatchObject({ code: 'connector_off' });
    expect(response.json().error.message).toContain('NUVEMSHOP_APP_SECRET');
    expect(rows()).toEqual([]);
  });

  it('keeps the webhook as failed (not_configured) when the store or its token is missing', async () => {
    t = await createTestApp({ env: { NUVEMSHOP_APP_SECRET: APP_SECRET, NUVEMSHOP_API_URL: api.url } });
    const response = await postWebhook(t.app, webhookBody());
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'failed', reason: 'not_configured' });
    expect(api.requests).toEqual([]);
  });
});
