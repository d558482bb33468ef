// A route of the service against a bare Fastify route at the same path, in the same run on the same
// machine: each in its own pinned server process (bench/servers/<script> with "bare" or "app"),
// loaded by autocannon, rounds alternating which side goes first. Used by the intake and the
// webhooks benchmarks; the verdict is the median of the rounds' request-rate ratios.
import autocannon from 'autocannon';
import { formatRate, machine } from './report.js';
import { startServer } from './server-process.js';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 8);
const WARMUP_S = 3;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = 100;
const PIPELINING = 10;

export interface RouteComparison {
  /** The benchmark's name and what it sends, for the first line ("intake benchmark: …"). */
  title: string;
  /** The route as printed ("POST /api/purchases") and the word for the CPU ratio ("intake"). */
  route: string;
  side: string;
  path: string;
  /** Environment of both servers (bench/servers/route-server.mjs): BENCH_TOKEN, BENCH_CONFIG. */
  serverEnv: Record<string, string>;
  target: number;
  /** Called before each server is measured: the same sequence of requests for both sides. */
  reset(): void;
  /** The next request: its body and headers. */
  request(): { body: string; headers: Record<string, string> };
}

interface Measure {
  rate: number;
  cpuMicrosPerRequest: number;
}

export async function compareWithBareRoute(comparison: RouteComparison): Promise<boolean> {
  console.log(`${comparison.title}, autocannon -c ${CONNECTIONS} -p ${PIPELINING}, ${DURATION_S} s after ${WARMUP_S} s warm-up, ${ROUNDS} rounds`);
  console.log(`machine: ${machine()}`);
  const rounds: { bare: Measure; app: Measure; ratio: number; cpuRatio: number }[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    // Alternate which goes first, so that a slow spell of the machine does not always hit the same side.
    const [first, second] = round % 2 === 1 ? (['bare', 'app'] as const) : (['app', 'bare'] as const);
    const measured = { [first]: await measure(comparison, first), [second]: await measure(comparison, second) } as Record<'bare' | 'app', Measure>;
    const ratio = measured.app.rate / measured.bare.rate;
    const cpuRatio = measured.bare.cpuMicrosPerRequest / measured.app.cpuMicrosPerRequest;
    rounds.push({ ...measured, ratio, cpuRatio });
    console.log(`round ${round}: bare route ${describe(measured.bare)}; ${comparison.route} ${describe(measured.app)}; ratio ${ratio.toFixed(2)} (CPU ${cpuRatio.toFixed(2)})`);
  }
  const ratio = median(rounds.map((round) => round.ratio));
  const width = Math.max('bare Fastify route'.length, comparison.route.length) + 2;
  console.log(`${'bare Fastify route:'.padEnd(width)}${formatRate(median(rounds.map((round) => round.bare.rate)))} (median)`);
  console.log(`${`${comparison.route}:`.padEnd(width)}${formatRate(median(rounds.map((round) => round.app.rate)))} (median)`);
  // For the record, not the verdict: how many requests one core could serve of each, from the CPU time
  // the servers spent. Steadier than the rates: the bare route is often held back by the load generator.
  console.log(`CPU per request, bare / ${comparison.side}: ${median(rounds.map((round) => round.cpuRatio)).toFixed(2)} (median of the rounds)`);
  console.log(`ratio: ${ratio.toFixed(2)} (median of the rounds; target >= ${comparison.target}) ${ratio >= comparison.target ? 'PASS' : 'FAIL'}`);
  return ratio >= comparison.target;
}

async function measure(comparison: RouteComparison, mode: 'bare' | 'app'): Promise<Measure> {
  const server = await startServer('route-server.mjs', [mode, comparison.path], comparison.serverEnv);
  comparison.reset();
  try {
    await load(comparison, server.url, WARMUP_S);
    server.reset();
    const result = await load(comparison, server.url, DURATION_S);
    const { cpuMicrosPerRequest } = await server.report();
    const bad = result.non2xx + result.errors + result.timeouts;
    if (bad > 0) throw new Error(`${mode}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
    return { rate: result.requests.average, cpuMicrosPerRequest };
  } finally {
    await server.stop();
  }
}

function load(comparison: RouteComparison, url: string, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: `${url}${comparison.path}`,
    connections: CONNECTIONS,
    pipelining: PIPELINING,
    duration: seconds,
    requests: [{ method: 'POST', setupRequest: (request) => ({ ...request, ...comparison.request() }) }],
  });
}

function describe(measure: Measure): string {
  return `${formatRate(measure.rate)} (${measure.cpuMicrosPerRequest.toFixed(0)} µs CPU/request)`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
