// Signed Shopify webhooks through the full route (signature over the raw body, mapping, intake,
// enrolment, the webhook_events row) against a bare Fastify route, in the same run on the same
// machine. Target (issue 19): at least half the requests per second of the bare route.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { mulberry32 } from './lib/random.js';
import { formatRate, machine } from './lib/report.js';
import { startServer } from './lib/server-process.js';

const TARGET = 0.5;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 8);
const WARMUP_S = 3;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = 100;
const PIPELINING = 10;
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

async function load(url: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${url}/webhooks/shopify`,
    connections: CONNECTIONS,
    pipelining: PIPELINING,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const { body, signature } = webhook();
          return {
            ...request,
            body,
            headers: { 'content-type': 'application/json', 'x-shopify-topic': 'orders/paid', 'x-shopify-hmac-sha256': signature },
          };
        },
      },
    ],
  });
}

interface Measure {
  rate: number;
  cpuMicrosPerRequest: number;
}

async function measure(mode: 'bare' | 'app'): Promise<Measure> {
  const server = await startServer('webhooks-server.mjs', [mode], { BENCH_SECRET: secret });
  customersCreated = 0;
  random = mulberry32(42);
  try {
    await load(server.url, WARMUP_S);
    server.reset();
    const result = await load(server.url, DURATION_S);
    const { cpuMicrosPerRequest } = await server.report();
    const bad = result.non2xx + result.errors + result.timeouts;
    if (bad > 0) throw new Error(`${mode}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
    return { rate: result.requests.average, cpuMicrosPerRequest };
  } finally {
    await server.stop();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export async function run(): Promise<boolean> {
  console.log(`webhooks benchmark: signed Shopify orders/paid, autocannon -c ${CONNECTIONS} -p ${PIPELINING}, ${DURATION_S} s after ${WARMUP_S} s warm-up, ${ROUNDS} rounds`);
  console.log(`machine: ${machine()}`);
  const rounds: { bare: Measure; app: Measure; ratio: number; cpuRatio: number }[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    const [first, second] = round % 2 === 1 ? (['bare', 'app'] as const) : (['app', 'bare'] as const);
    const measured = { [first]: await measure(first), [second]: await measure(second) } as Record<'bare' | 'app', Measure>;
    const ratio = measured.app.rate / measured.bare.rate;
    const cpuRatio = measured.bare.cpuMicrosPerRequest / measured.app.cpuMicrosPerRequest;
    rounds.push({ ...measured, ratio, cpuRatio });
    console.log(
      `round ${round}: bare route ${formatRate(measured.bare.rate)} (${measured.bare.cpuMicrosPerRequest.toFixed(0)} µs CPU/request); ` +
        `POST /webhooks/shopify ${formatRate(measured.app.rate)} (${measured.app.cpuMicrosPerRequest.toFixed(0)} µs CPU/request); ratio ${ratio.toFixed(2)} (CPU ${cpuRatio.toFixed(2)})`,
    );
  }
  const ratio = median(rounds.map((round) => round.ratio));
  console.log(`bare Fastify route:     ${formatRate(median(rounds.map((round) => round.bare.rate)))} (median)`);
  console.log(`POST /webhooks/shopify: ${formatRate(median(rounds.map((round) => round.app.rate)))} (median)`);
  console.log(`CPU per request, bare / webhook: ${median(rounds.map((round) => round.cpuRatio)).toFixed(2)} (median of the rounds)`);
  console.log(`ratio: ${ratio.toFixed(2)} (median of the rounds; target >= ${TARGET}) ${ratio >= TARGET ? 'PASS' : 'FAIL'}`);
  return ratio >= TARGET;
}
