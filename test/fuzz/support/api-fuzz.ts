import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { demoServiceOf } from '../../../src/demo/service.js';
import { seedDemoShop } from '../../../src/demo/seed.js';
import { DEMO_SHOP } from '../../../src/demo/shop.js';
import { ManualClock } from '../../../src/scheduler/clock.js';
import type { Database } from '../../../src/storage/db.js';
import { TEST_TOKEN } from '../../helpers/app.js';
import { SHIPPED_FLOWS } from '../../helpers/flows.js';
import { registered } from '../../helpers/route-recorder.js';
import { createShop } from '../../helpers/shop.js';
import { fuzzParameters, fuzzRuns, Tally } from './fuzz-run.js';
import { addressesAnotherRoute, invalidRequests, specsFromOpenApi, takesInput, type RouteSpec, type World } from './invalid-requests.js';

// Issue 8: every API route, FUZZ_RUNS (10,000) malformed or hostile requests each (wrong types,
// huge strings, deep nesting, Unicode edge cases, prototype-pollution keys, SQL-looking text,
// invalid phones, bodies that are not JSON, wrong media types, bad path and query parameters):
// every one answered with a 4xx in the error format, none with a 5xx, and nothing written.
//
// Each request is invalid by construction: it carries at least one defect that is certain from
// the route's own OpenAPI schema (generated from the zod schema its handler parses with) or from
// how every route reads a body. So the assertion can be strict: a 2xx is a route that took
// something its schema refuses, a 5xx is a crash, and any write (SQLite's total_changes(), checked
// after every request, and a digest of every table around each route's run) is a bug.

// A Monday afternoon in São Paulo.
const NOW = Date.parse('2026-11-23T17:00:00Z');

/**
 * The API fuzz, one shard of the routes (so that the shards run in parallel, one per core). Each
 * shard file must mock fastify with the route recorder first:
 * `vi.mock('fastify', async (importOriginal) => (await import('../helpers/route-recorder.js')).recordingFastify(importOriginal as never))`.
 */
export async function fuzzApiRoutes(shard: { index: number; of: number }): Promise<void> {
  registered.length = 0;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-fuzz-'));
  const t = await createShop({
    random: () => 0.37,
    flows: SHIPPED_FLOWS,
    clock: new ManualClock(NOW),
    // The rate limit is lifted: every request here comes from one of a few addresses, far faster than a person.
    env: { SHOP_NAME: DEMO_SHOP.name, OWNER_PHONE: DEMO_SHOP.owner, DATA_DIR: dataDir, API_RATE_LIMIT: '1000000' },
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  // A shop with history: three weeks of the demo shop's purchases, messages, answers and
  // referrals; a customer erased, one paused, sends of unknown outcome (the simulator failed them).
  await seedDemoShop(demoServiceOf(t.app, t.simulator, t.clock, TEST_TOKEN), NOW, 3);
  await t.api({ method: 'POST', url: '/api/simulator/faults', payload: { failNextSends: 3 } });
  await t.buy({ externalId: 'fuzz-unknown', customer: { phone: '+5511955550000', name: 'Teste' }, items: [{ name: 'Café' }] });
  await t.travel('2d');
  const customerIds = t.db.sqlite.prepare('SELECT id FROM customers ORDER BY id').pluck().all() as number[];
  await t.api({ method: 'DELETE', url: `/api/customers/${customerIds[1]}` });
  await t.api({ method: 'POST', url: `/api/customers/${customerIds[2]}/pause` });
  await t.traffic.settled();

  const count = (table: string) => t.db.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  const seeded = { customers: count('customers'), purchases: count('purchases'), messages: count('messages'), outbox: count('outbox'), unknown: t.db.sqlite.prepare("SELECT count(*) FROM outbox WHERE status = 'unknown'").pluck().get() as number, runs: count('flow_runs'), answers: count('answers') };

  const document = (await t.api({ method: 'GET', url: '/docs/json' })).json<Parameters<typeof specsFromOpenApi>[0]>();
  const specs = specsFromOpenApi(document);
  const apiRoutes = [...new Map(registered.filter((route) => route.url.startsWith('/api/') && route.method !== 'HEAD' && route.method !== 'OPTIONS').map((route) => [`${route.method} ${route.url}`, route])).values()];

  const world: World = {
    integerIds: t.db.sqlite.prepare('SELECT id FROM customers UNION SELECT id FROM outbox ORDER BY 1 LIMIT 50').pluck().all() as number[],
    stringIds: [...new Set([...SHIPPED_FLOWS.map((flow) => flow.id), ...(t.db.sqlite.prepare('SELECT DISTINCT flow_id FROM flow_runs').pluck().all() as string[])])],
  };

  /** sha256 over every row of every table, each table's rows sorted: equal digests, equal contents. */
  function digest(db: Database): string {
    const hash = createHash('sha256');
    const tables = db.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
    for (const table of tables) {
      const rows = (db.sqlite.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]).map((row) =>
        JSON.stringify(row, (_key, value: unknown) => (Buffer.isBuffer(value) ? value.toString('base64') : typeof value === 'bigint' ? String(value) : value)),
      );
      rows.sort();
      hash.update(`${table}\n${rows.join('\n')}\n`);
    }
    return hash.digest('hex');
  }

  const totalChanges = t.db.sqlite.prepare('SELECT total_changes()').pluck();
  const isJson = (line: string) => {
    try {
      JSON.parse(line);
      return true;
    } catch {
      return false;
    }
  };

  /** What is wrong with the answer to a request that must be refused, or null. */
  function problemWith(status: number, body: string, contentType: string | undefined, changes: number, errors: string[]): string | null {
    if (status < 400 || status >= 500) return `answered ${status}`;
    // The token is given, and the rate limit is out of reach: these would hide what the route does.
    if (status === 401 || status === 403 || status === 429) return `answered ${status}`;
    if (changes !== 0) return `wrote ${changes} rows`;
    if (errors.length > 0) return `logged an error or a line that is not JSON: ${errors[0]!.slice(0, 300)}`;
    if (!contentType?.startsWith('application/json')) return `answered ${contentType ?? 'no content type'}, not JSON`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return 'answered a body that is not JSON';
    }
    const error = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
    if (typeof error?.code !== 'string' || typeof error.message !== 'string' || error.message === '') return `answered ${body.slice(0, 200)}, not the error format`;
    return null;
  }

  const fuzzed: RouteSpec[] = [];
  const skipped: string[] = [];
  const undocumented: string[] = [];
  for (const route of apiRoutes) {
    const spec = specs.get(`${route.method} ${route.url}`);
    if (!spec) undocumented.push(`${route.method} ${route.url}`);
    else if (takesInput(spec)) fuzzed.push(spec);
    else skipped.push(`${route.method} ${route.url}`);
  }

  describe(`every API route refuses malformed and hostile input with a 4xx, writing nothing (shard ${shard.index + 1} of ${shard.of})`, () => {
    it.runIf(shard.index === 0)('knows every /api route the service registers from the OpenAPI document', () => {
      expect(apiRoutes.length).toBeGreaterThanOrEqual(24);
      expect(undocumented).toEqual([]);
      console.log(`[fuzz] seeded: ${JSON.stringify(seeded)}`);
      console.log(`[fuzz] ${fuzzed.length} routes fuzzed; taking no input (GET without parameters): ${skipped.join(', ')}`);
      // The read-only routes without input are all that is left out.
      expect(skipped.every((route) => route.startsWith('GET '))).toBe(true);
      expect(seeded.unknown).toBeGreaterThan(0);
    });

    // The routes are known once the app is built: one test each, so a new route is fuzzed without a line here.
    for (const [index, route] of apiRoutes.entries()) {
      if (index % shard.of !== shard.index) continue;
      const name = `${route.method} ${route.url}`;
      it(name, async (context) => {
        const spec = fuzzed.find((candidate) => `${candidate.method} ${candidate.url}` === name);
        if (!spec) {
          context.skip();
          return;
        }
        const before = digest(t.db);
        const statuses = new Tally();
        const families = new Tally();
        // Its own address per route: the rate limit counts per address.
        const remoteAddress = `10.8.${index}.1`;
        const started = performance.now();
        t.logs.length = 0;
        await fc.assert(
          fc.asyncProperty(invalidRequests(spec, world).filter((request) => !addressesAnotherRoute(request.url, spec, apiRoutes)), async (request) => {
            const changesBefore = totalChanges.get() as number;
            const response = await t.app.inject({
              method: request.method,
              url: request.url,
              headers: { authorization: `Bearer ${TEST_TOKEN}`, ...request.headers },
              remoteAddress,
              ...(request.payload !== undefined ? { payload: request.payload } : {}),
            });
            await t.traffic.settled();
            const changes = (totalChanges.get() as number) - changesBefore;
            // An error logged, or a line that masking left unreadable as JSON, is a problem too.
            const errors = t.logs.filter((line) => /"level":(50|60)/.test(line) || !isJson(line));
            t.logs.length = 0;
            statuses.add(String(response.statusCode));
            families.add(request.family.replace(/ at .*$/, ''));
            const problem = problemWith(response.statusCode, response.body, response.headers['content-type'] as string | undefined, changes, errors);
            if (problem) {
              throw new Error(`${request.family}: ${request.method} ${request.url.slice(0, 300)} ${problem}\n  body sent: ${String(request.payload ?? '').slice(0, 300)}\n  answer: ${response.body.slice(0, 300)}`);
            }
          }),
          fuzzParameters(name),
        );
        const seconds = (performance.now() - started) / 1000;
        console.log(`[fuzz] ${name}: ${statuses.total} requests in ${seconds.toFixed(1)} s; statuses ${statuses.toString()}\n  kinds: ${families.toString()}`);
        if (!process.env.FUZZ_PATH) expect(statuses.total).toBeGreaterThanOrEqual(fuzzRuns());
        expect(digest(t.db)).toBe(before);
      });
    }
  });
}
