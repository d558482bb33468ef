// Signed Shopify webhooks through the full route (signature over the raw body, mapping, intake,
// enrolment, the webhook_events row) against a bare Fastify route, in the same run on the same
// machine. Target (issue 19): at least half the requests per second of the bare route.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { compareWithBareRoute } from './lib/against-bare-route.js';
import { mulberry32 } from './lib/random.js';

const RETURNING_SHARE = 0.5;

const secret = crypto.randomBytes(32).toString('hex');
/** Shopify's documented order webhook (test/fixtures/integrations/shopify/orders-paid.json), as text. */
const documented = fs.readFileSync(path.resolve(import.meta.dirname, '../test/fixtures/integrations/shopify/orders-paid.json'), 'utf8');
let sequence = 0;
let customersCreated = 0;
let random = mulberry32(42);

/** The documented order with its id and customer changed: each webhook a new order, half from returning customers. */
function webhook(): { body: string; signature: string } {
  sequence += 1;
  const returning = customersCreated > 0 && random() < RETURNING_SHARE;
  const customer = returning ? Math.floor(random() * customersCreated) : customersCreated++;
  const body = documented
    .replace('"id": 820982911946154508', `"id": ${5_000_000_000_000 + process.pid * 10_000_000 + sequence}`)
    .replace('"phone": null,\n    "currency"', `"phone": "+55119${String(10_000_000 + customer)}",\n    "currency"`)
    .replace('"first_name": "John"', `"first_name": "Cliente ${customer}"`);
  return { body, signature: crypto.createHmac('sha256', secret).update(body).digest('base64') };
}

export function run(): Promise<boolean> {
  return compareWithBareRoute({
    title: 'webhooks benchmark: signed Shopify orders/paid',
    route: 'POST /webhooks/shopify',
    side: 'webhook',
    path: '/webhooks/shopify',
    serverEnv: { BENCH_CONFIG: JSON.stringify({ SHOPIFY_WEBHOOK_SECRET: secret }) },
    target: 0.5,
    reset: () => {
      customersCreated = 0;
      random = mulberry32(42);
    },
    request: () => {
      const { body, signature } = webhook();
      return { body, headers: { 'content-type': 'application/json', 'x-shopify-topic': 'orders/paid', 'x-shopify-hmac-sha256': signature } };
    },
  });
}
