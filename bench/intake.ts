// Purchase intake over HTTP against a bare Fastify route, in the same run on the same machine.
// Target (design.md): the intake serves at least half the requests per second of the bare route.
import crypto from 'node:crypto';
import { compareWithBareRoute } from './lib/against-bare-route.js';
import { mulberry32 } from './lib/random.js';

// Half the purchases come from new customers, half from returning ones picked at
// random among those already created in this run, as in a shop with loyal customers.
const RETURNING_SHARE = 0.5;

const token = crypto.randomBytes(32).toString('base64url');
let sequence = 0;
let customersCreated = 0;

/** Seeded, and reseeded for each server, so that every server is sent the same mix. */
let random = mulberry32(42);

function purchase(): string {
  sequence += 1;
  const returning = customersCreated > 0 && random() < RETURNING_SHARE;
  const customer = returning ? Math.floor(random() * customersCreated) : customersCreated++;
  return JSON.stringify({
    externalId: `bench-${process.pid}-${sequence}`,
    customer: { phone: `+55119${String(10_000_000 + customer)}`, name: `Cliente ${customer}` },
    items: [
      { sku: 'CAFE-250', name: 'Café especial 250 g', quantity: 2, unitPrice: '39.90' },
      { sku: 'COADOR-02', name: 'Coador de papel nº 2', quantity: 1, unitPrice: 12.5 },
    ],
    source: 'bench',
  });
}

export function run(): Promise<boolean> {
  return compareWithBareRoute({
    title: 'intake benchmark',
    route: 'POST /api/purchases',
    side: 'intake',
    path: '/api/purchases',
    serverEnv: { BENCH_TOKEN: token },
    target: 0.5,
    reset: () => {
      customersCreated = 0;
      random = mulberry32(42);
    },
    request: () => ({ body: purchase(), headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } }),
  });
}
