import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeEntities, utcDateTime } from '../../src/integrations/shared/order-fields.js';
import { hasLongNumber, parseOrder, quoteUnsafeIntegers } from '../../src/integrations/shared/order-intake.js';
import { hasValidSignature, signBody } from '../../src/integrations/shared/signature.js';
import { replayWebhook } from '../../src/integrations/webhooks.js';
import { GroupCommit } from '../../src/storage/group-commit.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { count, fixture, postWebhook, SHOPIFY_SECRET, WOO_SECRET } from './webhook-requests.js';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

function shopifyOrder(id: number, phone: string): Record<string, unknown> {
  const order = fixture('shopify/orders-paid.json');
  order.id = id;
  Object.assign(order.customer as object, { phone, first_name: 'Beatriz', last_name: 'Nogueira', email: 'bia.nogueira@example.com.br' });
  Object.assign(order.billing_address as object, { country_code: 'BR' });
  return order;
}

function replayDeps(app: TestApp, config = app.config) {
  return {
    repos: app.repos,
    writes: new GroupCommit(app.db),
    clock: app.clock,
    intake: { locale: config.locale, defaultCountry: config.defaultCountry, currency: config.currency, clock: app.clock },
    flows: { runner: app.flows.runner, enroll: app.flows.runner.enrollForPurchase.bind(app.flows.runner) },
    config,
  };
}

describe('replayWebhook', () => {
  it('runs a stored webhook through the same path again and gives its row the new outcome', async () => {
    t = await createTestApp({ env: { SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET }, flows: SHIPPED_FLOWS });
    const response = await postWebhook(t, 'shopify', shopifyOrder(5001, '+5511912345678'), { topic: 'orders/create' });
    expect(response.json()).toMatchObject({ status: 'skipped', reason: 'topic_ignored' });
    const id = response.json().webhookEvent as number;

    // The seller turned orders/create on; the page's button replays the webhook.
    const deps = replayDeps(t, { ...t.config, shopifyTopics: ['orders/paid', 'orders/create'] });
    t.clock.advance(60_000);
    const replayed = await replayWebhook(deps, id);
    expect(replayed).toMatchObject({ ok: true, outcome: { status: 'recorded' } });
    // Its order is a purchase now: the body is not kept.
    expect(t.repos.webhookEvents.find(id)).toMatchObject({ status: 'recorded', reason: null, attempts: 2, finishedAt: t.clock.now(), body: null });
    expect(t.repos.purchases.findByExternalId('shopify:5001')).toBeDefined();
    expect(count(t, 'webhook_events')).toBe(1);

    // Again: there is nothing left to replay, and nothing changes.
    const runs = count(t, 'flow_runs');
    expect(await replayWebhook(deps, id)).toEqual({ ok: false, problem: 'already_purchase' });
    expect(t.repos.webhookEvents.find(id)).toMatchObject({ status: 'recorded', attempts: 2 });
    expect(count(t, 'purchases')).toBe(1);
    expect(count(t, 'flow_runs')).toBe(runs);
  });

  it('says why it cannot replay: an unknown id, a Nuvemshop row (fetched, not carried)', async () => {
    t = await createTestApp();
    const deps = replayDeps(t);
    expect(await replayWebhook(deps, 99)).toEqual({ ok: false, problem: 'not_found' });
    const row = t.repos.webhookEvents.record({ platform: 'nuvemshop', topic: 'order/paid', orderRef: '1', body: '{"store_id":1,"event":"order/paid","id":1}', receivedAt: t.clock.now() });
    expect(await replayWebhook(deps, row.id)).toEqual({ ok: false, problem: 'not_replayable' });
  });
});

describe('erasing a customer whose order came by webhook', () => {
  it('leaves nothing of them in webhook_events', async () => {
    t = await createTestApp({ env: { SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET, WOOCOMMERCE_WEBHOOK_SECRET: WOO_SECRET } });
    await postWebhook(t, 'shopify', shopifyOrder(6001, '+55 (11) 91234-5678'));
    // An order of theirs that was skipped (no items) mentions their number in another form.
    const skipped = shopifyOrder(6002, '(11) 91234-5678');
    skipped.line_items = [];
    expect((await postWebhook(t, 'shopify', skipped)).json()).toMatchObject({ reason: 'invalid_order' });
    // Someone else's orders stay: the recorded one as its row, the skipped one whole.
    await postWebhook(t, 'shopify', shopifyOrder(6003, '+5521988887777'));
    const otherSkipped = shopifyOrder(6004, '+5521988887777');
    otherSkipped.line_items = [];
    expect((await postWebhook(t, 'shopify', otherSkipped)).json()).toMatchObject({ reason: 'invalid_order' });

    const customer = t.repos.customers.findByPhone('+5511912345678')!;
    expect((await t.api({ method: 'DELETE', url: `/api/customers/${customer.id}` })).statusCode).toBe(200);

    const rows = t.db.sqlite.prepare<[], { orderRef: string; body: string | null }>('SELECT order_ref AS orderRef, body FROM webhook_events ORDER BY id').all();
    expect(rows.map((row) => row.orderRef)).toEqual(['6002', '6003', '6004']);
    const bodies = rows.flatMap((row) => (row.body === null ? [] : [row.body]));
    expect(bodies).toHaveLength(2);
    for (const body of bodies) {
      for (const needle of ['91234-5678', '5511912345678']) expect(body).not.toContain(needle);
    }
    expect(bodies.some((body) => body.includes('+5521988887777'))).toBe(true);
  });
});

describe('hasValidSignature', () => {
  const raw = Buffer.from('{"id":1}');
  it('accepts the HMAC-SHA256 of the raw body in the platform encoding only', () => {
    expect(hasValidSignature(raw, 's3cr3t-s3cr3t', signBody(raw, 's3cr3t-s3cr3t', 'base64'), 'base64')).toBe(true);
    expect(hasValidSignature(raw, 's3cr3t-s3cr3t', signBody(raw, 's3cr3t-s3cr3t', 'hex'), 'hex')).toBe(true);
    expect(hasValidSignature(raw, 's3cr3t-s3cr3t', signBody(raw, 's3cr3t-s3cr3t', 'hex').toUpperCase(), 'hex')).toBe(true);
    expect(hasValidSignature(raw, 's3cr3t-s3cr3t', signBody(raw, 's3cr3t-s3cr3t', 'hex'), 'base64')).toBe(false);
    expect(hasValidSignature(raw, 's3cr3t-s3cr3t', undefined, 'base64')).toBe(false);
    expect(hasValidSignature(raw, 's3cr3t-s3cr3t', ['a', 'b'], 'base64')).toBe(false);
    expect(hasValidSignature(raw, 's3cr3t-s3cr3t', '', 'base64')).toBe(false);
  });

  it('refuses every other signature (property)', () => {
    fc.assert(
      fc.property(fc.string(), (given) => {
        fc.pre(given.trim() !== signBody(raw, 'k-k-k-k-k', 'base64'));
        expect(hasValidSignature(raw, 'k-k-k-k-k', given, 'base64')).toBe(false);
      }),
    );
  });
});

describe('reading what platforms write', () => {
  it('decodes the HTML entities WordPress writes in names, and leaves unknown ones', () => {
    expect(decodeEntities('Camiseta &ndash; Azul')).toBe('Camiseta – Azul');
    expect(decodeEntities('P&amp;B &#8211; &#x2013; &#039;x&#039;')).toBe("P&B – – 'x'");
    expect(decodeEntities('&foo; &#0; &#xD800; & solto')).toBe('&foo; &#0; &#xD800; & solto');
  });

  it('reads a date without a zone as UTC and writes +0000 as an ISO offset', () => {
    expect(utcDateTime('2017-03-22T19:28:02')).toBe('2017-03-22T19:28:02Z');
    expect(utcDateTime('2017-03-22 19:28:02')).toBe('2017-03-22T19:28:02Z');
    expect(utcDateTime('2026-11-20T10:00:00+0000')).toBe('2026-11-20T10:00:00+00:00');
    expect(utcDateTime('2021-12-31T19:00:00-05:00')).toBe('2021-12-31T19:00:00-05:00');
    expect(utcDateTime('ontem')).toBe('ontem');
  });

  it('finds the numbers JSON.parse may have rounded in what fregues took of an order', () => {
    expect(hasLongNumber({ externalId: 'shopify:820982911946154508' })).toBe(true);
    expect(hasLongNumber({ items: [{ sku: 'CAFE-250', quantity: 2 }, { sku: String(2 ** 60) }] })).toBe(true);
    expect(hasLongNumber([{ total: 2 ** 53 }])).toBe(true);
    expect(hasLongNumber({ externalId: 'shopify:5450789469', phone: '+5511912345678', total: 2 ** 53 - 1, price: 39.9, none: null })).toBe(false);
    expect(hasLongNumber(undefined)).toBe(false);
  });

  it('keeps integers a double cannot hold as their digits, and touches nothing inside strings', () => {
    const text = '{"id": 820982911946154508, "note": "pedido 820982911946154508, ok", "n": [12345678901234567890, 1.5e300, 42]}';
    const parsed = parseOrder(text);
    expect(parsed).toEqual({
      ok: true,
      order: { id: '820982911946154508', note: 'pedido 820982911946154508, ok', n: ['12345678901234567890', 1.5e300, 42] },
    });
    expect(quoteUnsafeIntegers('{"a":"x\\"9007199254740993"}')).toBe('{"a":"x\\"9007199254740993"}');
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const json = JSON.stringify(value);
        // What changes: only integers past 2^53, which become the digits they were written with.
        const asDigits = (_key: string, v: unknown) => (typeof v === 'number' && !Number.isSafeInteger(v) && /^-?\d+$/.test(String(v)) ? String(v) : v);
        expect(JSON.parse(quoteUnsafeIntegers(json))).toEqual(JSON.parse(json, asDigits));
      }),
    );
  });
});
