import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TestApp } from '../helpers/app.js';
import { quoteUnsafeIntegers } from '../../src/integrations/shared/order-intake.js';
import { signBody } from '../../src/integrations/shared/signature.js';

export const SHOPIFY_SECRET = 'shpss_0123456789abcdef0123456789abcdef';
export const WOO_SECRET = 'woo-secret-que-a-loja-digitou-2026';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/integrations');

/** A fixture's text as the platform sends it. */
export function fixtureText(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

/**
 * A fixture of a platform's documented payload (see test/fixtures/integrations/README.md), as a
 * fresh object. Shopify's ids do not fit a double: they are kept as their digits here and
 * written back as JSON numbers by toJson, as Shopify writes them.
 */
export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(quoteUnsafeIntegers(fixtureText(name))) as Record<string, unknown>;
}

export function toJson(order: Record<string, unknown>): string {
  return JSON.stringify(order).replace(/"(-?\d{16,})"/g, '$1');
}

/** POSTs the body as the platform does: raw bytes, their signature, the topic header. No bearer token. */
export function postWebhook(
  t: TestApp,
  platform: 'shopify' | 'woocommerce',
  body: string | Record<string, unknown>,
  options: { topic?: string; signature?: string | null; secret?: string; contentType?: string } = {},
) {
  const raw = typeof body === 'string' ? body : toJson(body);
  const secret = options.secret ?? (platform === 'shopify' ? SHOPIFY_SECRET : WOO_SECRET);
  const signature = options.signature === undefined ? signBody(raw, secret, 'base64') : options.signature;
  const headers: Record<string, string> =
    platform === 'shopify'
      ? { 'x-shopify-topic': options.topic ?? 'orders/paid', 'x-shopify-shop-domain': 'loja-da-ana.myshopify.com', 'x-shopify-api-version': '2025-01' }
      : { 'x-wc-webhook-topic': options.topic ?? 'order.created', 'x-wc-webhook-resource': 'order', 'x-wc-webhook-source': 'https://lojadaana.com.br/' };
  if (signature !== null) headers[platform === 'shopify' ? 'x-shopify-hmac-sha256' : 'x-wc-webhook-signature'] = signature;
  return t.app.inject({
    method: 'POST',
    url: `/webhooks/${platform}`,
    payload: raw,
    headers: { 'content-type': options.contentType ?? 'application/json', ...headers },
  });
}

/** Every row of the tables a webhook may write, to prove that a refused one wrote nothing. */
export function storedRows(t: TestApp): unknown {
  const tables = ['customers', 'purchases', 'consent_events', 'flow_runs', 'outbox', 'webhook_events'];
  return Object.fromEntries(tables.map((table) => [table, t.db.sqlite.prepare(`SELECT * FROM ${table}`).all()]));
}

export function count(t: TestApp, table: string): number {
  return t.db.sqlite.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck().get() ?? 0;
}
