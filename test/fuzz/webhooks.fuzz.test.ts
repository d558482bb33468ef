import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signBody } from '../../src/integrations/shared/signature.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { count, fixture, SHOPIFY_SECRET, toJson, WOO_SECRET } from '../integrations/webhook-requests.js';
import { fuzzParameters, fuzzRuns, Tally } from './support/fuzz-run.js';
import { deeplyNestedJson, hostileBytes, hostileJson, hostileString, hugeOrOddNumber } from './support/hostile.js';

// Issue 19: the webhook routes under random input. A body with a bad or missing signature is
// refused (401) before anything reads it, whatever it is (not JSON, deeply nested, huge), and
// nothing is stored; a correctly signed body of junk (the documented orders mutated anywhere,
// random JSON, random bytes, any topic) gets a 4xx or a 200 with a stored row, never a 5xx.

const PLATFORMS = [
  { name: 'shopify', secret: SHOPIFY_SECRET, signature: 'x-shopify-hmac-sha256', topic: 'x-shopify-topic', topics: ['orders/paid', 'orders/create', 'orders/updated'], order: 'shopify/orders-paid.json' },
  { name: 'woocommerce', secret: WOO_SECRET, signature: 'x-wc-webhook-signature', topic: 'x-wc-webhook-topic', topics: ['order.created', 'order.updated', 'order.deleted'], order: 'woocommerce/order-727.json' },
] as const;
/** Each case goes through the whole intake: a fifth of FUZZ_RUNS (2,000 by default). */
const SIGNED_RUNS = process.env.FUZZ_WEBHOOK_RUNS ? Number(process.env.FUZZ_WEBHOOK_RUNS) : Math.ceil(fuzzRuns() / 5);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET, WOOCOMMERCE_WEBHOOK_SECRET: WOO_SECRET, SHOPIFY_TOPICS: 'orders/paid,orders/create', LOG_LEVEL: 'silent' } });
});
afterAll(async () => {
  await t.close();
});

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value)) return [prefix, ...value.flatMap((item, index) => pathsOf(item, [...prefix, index]))];
  if (typeof value === 'object' && value !== null) return [prefix, ...Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
  return [prefix];
}

/** The documented order with a Brazilian phone (so that many cases get as far as the intake), then mutated. */
const mutatedOrder = (file: string) =>
  fc
    .tuple(
      fc.array(fc.tuple(fc.nat(), fc.oneof(hostileJson(), hugeOrOddNumber(), hostileString(60), fc.constant(undefined))), { maxLength: 4 }),
      fc.constantFrom('11 91234-5678', '+5521988887777', '', 'x'),
      fc.nat(),
    )
    .map(([mutations, phone, id]) => {
      const order = fixture(file);
      order.id = id;
      const customer = (order.customer ?? order.billing) as Record<string, unknown>;
      customer.phone = phone;
      for (const [at, value] of mutations) {
        const paths = pathsOf(order).filter((path) => path.length > 0);
        const path = paths[at % paths.length]!;
        let holder = order as Record<string | number, unknown>;
        for (const part of path.slice(0, -1)) holder = holder[part] as Record<string | number, unknown>;
        if (value === undefined) delete holder[path.at(-1)!];
        else holder[path.at(-1)!] = value;
      }
      return Buffer.from(toJson(order));
    });

const anyBody = (file: string) =>
  fc.oneof(
    { arbitrary: mutatedOrder(file), weight: 6 },
    { arbitrary: hostileJson().map((value) => Buffer.from(JSON.stringify(value) ?? 'undefined')), weight: 2 },
    { arbitrary: hostileBytes(), weight: 2 },
    { arbitrary: fc.constantFrom(Buffer.from(deeplyNestedJson(100_000, 'array')), Buffer.from(deeplyNestedJson(50_000, 'object')), Buffer.alloc(0)), weight: 1 },
  );

function post(platform: (typeof PLATFORMS)[number], body: Buffer, signature: string | undefined, topic: string) {
  return t.app.inject({
    method: 'POST',
    url: `/webhooks/${platform.name}`,
    payload: body,
    headers: { 'content-type': 'application/json', [platform.topic]: topic, ...(signature === undefined ? {} : { [platform.signature]: signature }) },
  });
}

describe.each(PLATFORMS)('POST /webhooks/$name under random input', (platform) => {
  it(`refuses every body without its signature before reading it (${platform.name} bad signatures)`, async () => {
    const tally = new Tally();
    const stored = count(t, 'webhook_events');
    const purchases = count(t, 'purchases');
    await fc.assert(
      fc.asyncProperty(
        anyBody(platform.order),
        fc.oneof(
          fc.constant(undefined),
          hostileString(80),
          fc.uint8Array({ minLength: 32, maxLength: 32 }).map((bytes) => Buffer.from(bytes).toString('base64')),
          fc.constant('wrong-secret'),
        ),
        fc.constantFrom(...platform.topics),
        async (body, given, topic) => {
          const signature = given === 'wrong-secret' ? signBody(body, 'outro-segredo-12345', 'base64') : given;
          fc.pre(signature === undefined || signature.trim() !== signBody(body, platform.secret, 'base64'));
          const response = await post(platform, body, signature, topic);
          tally.add(String(response.statusCode));
          // Not 400 for a body that is not JSON: the signature is checked first.
          expect(response.statusCode).toBe(401);
          expect(response.json().error.code).toBe('bad_signature');
        },
      ),
      fuzzParameters(`${platform.name} bad signatures`),
    );
    expect(count(t, 'webhook_events')).toBe(stored);
    expect(count(t, 'purchases')).toBe(purchases);
    console.log(`[fuzz] ${platform.name} bad signatures: ${tally.toString()}`);
  });

  it(`answers signed junk with a 4xx or a stored 200, never a 5xx (${platform.name} signed junk)`, async () => {
    const tally = new Tally();
    await fc.assert(
      fc.asyncProperty(
        anyBody(platform.order),
        fc.oneof({ arbitrary: fc.constantFrom(...platform.topics), weight: 4 }, { arbitrary: hostileString(30), weight: 1 }),
        async (body, topic) => {
        const before = count(t, 'webhook_events');
        const response = await post(platform, body, signBody(body, platform.secret, 'base64'), topic.replace(/[^\x20-\x7e]/g, ''));
        const answer = response.json();
        tally.add(response.statusCode === 200 ? `200:${answer.status}${answer.reason ? `:${answer.reason}` : ''}` : String(response.statusCode));
        expect(response.statusCode, response.body).toBeLessThan(500);
        if (response.statusCode === 200 && answer.ok !== true) {
          expect(['recorded', 'duplicate', 'skipped']).toContain(answer.status);
          expect(count(t, 'webhook_events')).toBe(before + 1);
          if (answer.status !== 'skipped') expect(answer.purchase).toEqual(expect.any(Number));
        } else if (response.statusCode !== 200) {
          expect(response.statusCode).toBeGreaterThanOrEqual(400);
          expect(answer.error.message).toEqual(expect.any(String));
          expect(count(t, 'webhook_events')).toBe(before);
        }
        },
      ),
      fuzzParameters(`${platform.name} signed junk`, SIGNED_RUNS),
    );
    const orphans = t.db.sqlite
      .prepare<[], number>("SELECT count(*) FROM webhook_events WHERE status IN ('recorded', 'duplicate') AND purchase_id IS NULL")
      .pluck()
      .get();
    expect(orphans).toBe(0);
    console.log(`[fuzz] ${platform.name} signed junk: ${tally.toString()}`);
  });
});
