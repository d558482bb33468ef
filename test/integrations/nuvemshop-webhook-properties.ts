import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBody } from '../../src/integrations/shared/signature.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { hostileBytes, hostileJson, hostileString, hugeOrOddNumber } from '../fuzz/support/hostile.js';
import { FakeNuvemshopApi, STORE_ID } from './fake-nuvemshop-api.js';
import { APP_SECRET, brazilianOrder, nuvemshopEnv, ORDER_ID, postWebhook, webhookBody } from './nuvemshop-helpers.js';

// POST /webhooks/nuvemshop under random input, run by the regular suite (a few hundred cases,
// nuvemshop-webhook.property.test.ts) and by the fuzz suite (FUZZ_RUNS cases,
// test/fuzz/nuvemshop-webhook.fuzz.test.ts): an unsigned or wrongly signed body is refused before
// it is read and stores nothing; a signed one is never a 5xx; whatever the store's API answers
// for an order, its row ends in a stated outcome, never in an error of ours.

export interface PropertyRuns {
  /** fast-check's parameters for the property `name`, its seed printed. */
  parameters<T>(name: string, runs: number): fc.Parameters<T>;
  /** Cases for the bad signatures (nothing reaches the intake). */
  refused: number;
  /** Cases that go through the intake or the store's API. */
  signed: number;
}

export function describeNuvemshopWebhookProperties(runs: PropertyRuns): void {
  let api: FakeNuvemshopApi;
  let t: TestApp;
  beforeAll(async () => {
    api = await new FakeNuvemshopApi().start();
    t = await createTestApp({ env: nuvemshopEnv(api, { LOG_LEVEL: 'silent', NUVEMSHOP_EVENTS: 'order/paid,order/created' }), nuvemshop: { timeoutMs: 2_000 } });
  });
  afterAll(async () => {
    await t.close();
    await api.stop();
  });

  const rowCount = () => t.db.sqlite.prepare('SELECT count(*) FROM webhook_events').pluck().get() as number;

  describe('POST /webhooks/nuvemshop under random input', () => {
    it('refuses any body without its own signature (401) and stores nothing (nuvemshop bad signatures)', async () => {
      const before = rowCount();
      const signatures = fc.oneof(
        fc.constant(null),
        hostileString(80),
        fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
      );
      await fc.assert(
        fc.asyncProperty(fc.oneof(hostileBytes(), fc.constant(Buffer.from(webhookBody()))), signatures, async (body, signature) => {
          fc.pre(signature !== signBody(body, APP_SECRET, 'hex'));
          const response = await t.app.inject({
            method: 'POST',
            url: '/webhooks/nuvemshop',
            headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-linkedstore-hmac-sha256': signature }) },
            payload: body,
          });
          expect(response.statusCode).toBe(401);
        }),
        runs.parameters('nuvemshop bad signatures', runs.refused),
      );
      expect(rowCount()).toBe(before);
    });

    it('answers a signed body with a 4xx that stores nothing, or a 200 with its row, never a 5xx (nuvemshop signed junk)', async () => {
      const webhook = fc.record(
        { store_id: fc.oneof(fc.constant(Number(STORE_ID)), fc.constant(STORE_ID), hostileJson()), event: fc.oneof(fc.constantFrom('order/paid', 'order/created', 'order/updated', 'app/uninstalled'), hostileJson()), id: fc.oneof(hugeOrOddNumber(), hostileJson(), fc.nat()) },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(fc.oneof(webhook.map((value) => JSON.stringify(value)), hostileBytes().map((bytes) => bytes.toString('latin1'))), async (body) => {
          const before = rowCount();
          const response = await postWebhook(t.app, body);
          expect(response.statusCode).toBeLessThan(500);
          expect(rowCount()).toBe(response.statusCode === 200 ? before + 1 : before);
          if (response.statusCode !== 200) expect(response.json().error.message).not.toBe('');
        }),
        runs.parameters('nuvemshop signed junk', runs.signed),
      );
      await t.nuvemshop!.fetcher.settled();
    });

    it('ends every fetched order, however the API writes it, in a stated outcome (nuvemshop fetched orders)', async () => {
      const value = fc.oneof(hostileJson(), hugeOrOddNumber(), hostileString(40), fc.constant(null));
      const mutation = fc.tuple(fc.constantFrom('quantity', 'price', 'sku', 'name', 'phone', 'currency', 'total', 'paid_at', 'payment_status', 'products', 'customer', 'id'), value);
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { maxLength: 3 }), async (mutations) => {
          const order = brazilianOrder();
          for (const [field, changed] of mutations) {
            if (field === 'quantity' || field === 'price' || field === 'sku' || field === 'name') order.products = [{ ...(Array.isArray(order.products) ? order.products[0] : {}), [field]: changed }];
            else if (field === 'phone') order.customer = { ...order.customer, phone: changed };
            else (order as Record<string, unknown>)[field] = changed;
          }
          api.orders.set(ORDER_ID, order);
          const response = await postWebhook(t.app, webhookBody());
          expect(response.statusCode).toBe(200);
          await t.nuvemshop!.fetcher.settled();
          const row = t.repos.webhookEvents.find(response.json().webhookEvent)!;
          expect(['recorded', 'duplicate', 'skipped', 'failed', 'retrying']).toContain(row.status);
          expect(row.reason).not.toBe('internal_error');
        }),
        runs.parameters('nuvemshop fetched orders', runs.signed),
      );
    });
  });
}
