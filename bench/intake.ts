// Purchase intake over HTTP against a bare Fastify route, in the same run on the same machine.
// Target (design.md): the intake serves at least half the requests per second of the bare route.
import crypto from 'node:crypto';
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

async function load(url: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${url}/api/purchases`,
    connections: CONNECTIONS,
    pipelining: PIPELINING,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        setupRequest: (request) => ({ ...request, body: purchase() }),
      },
    ],
  });
}

interface Measure {
  rate: number;
  cpuMicrosPerRequest: number;
}

async function measure(mode: 'bare' | 'app'): Promise<Measure> {
  const server = await startServer('intake-server.mjs', [mode], { BENCH_TOKEN: token });
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

function describe(measure: Measure): string {
  return `${formatRate(measure.rate)} (${measure.cpuMicrosPerRequest.toFixed(0)} µs CPU/request)`;
}

export async function run(): Promise<boolean> {
  console.log(`intake benchmark: autocannon -c ${CONNECTIONS} -p ${PIPELINING}, ${DURATION_S} s after ${WARMUP_S} s warm-up, ${ROUNDS} rounds`);
  console.log(`machine: ${machine()}`);
  const rounds: { bare: Measure; app: Measure; ratio: number; cpuRatio: number }[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    // Alternate which goes first, so that a slow spell of the machine does not always hit the same side.
    const [first, second] = round % 2 === 1 ? (['bare', 'app'] as const) : (['app', 'bare'] as const);
    const measured = { [first]: await measure(first), [second]: await measure(second) } as Record<'bare' | 'app', Measure>;
    const ratio = measured.app.rate / measured.bare.rate;
    const cpuRatio = measured.bare.cpuMicrosPerRequest / measured.app.cpuMicrosPerRequest;
    rounds.push({ ...measured, ratio, cpuRatio });
    console.log(`round ${round}: bare route ${describe(measured.bare)}; POST /api/purchases ${describe(measured.app)}; ratio ${ratio.toFixed(2)} (CPU ${cpuRatio.toFixed(2)})`);
  }
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  const ratio = median(rounds.map((round) => round.ratio));
  console.log(`bare Fastify route:  ${formatRate(median(rounds.map((round) => round.bare.rate)))} (median)`);
  console.log(`POST /api/purchases: ${formatRate(median(rounds.map((round) => round.app.rate)))} (median)`);
  // For the record, not the verdict: how many requests one core could serve of each, from the CPU time
  // the servers spent. Steadier than the rates: the bare route is often held back by the load generator.
  console.log(`CPU per request, bare / intake: ${median(rounds.map((round) => round.cpuRatio)).toFixed(2)} (median of the rounds)`);
  console.log(`ratio: ${ratio.toFixed(2)} (median of the rounds; target >= ${TARGET}) ${ratio >= TARGET ? 'PASS' : 'FAIL'}`);
  return ratio >= TARGET;
}
