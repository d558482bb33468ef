// A benchmark server (`route-server.mjs <bare|app> <path>`), run from the compiled dist/ as in
// production: `bare` is an empty Fastify route at POST <path>, `app` the service as assemble()
// puts it together for `npm start`, on a SQLite file with the production pragmas and the shipped
// flows in flows/ (each purchase enrols its customer in the same transaction), with the
// variables of BENCH_CONFIG (JSON) on top (a webhook's secret). Both use the service's logger
// settings and write their logs to stdout. It reports the CPU time it spent per request when asked.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { pino } from 'pino';
import { JSON_BODY_LIMIT } from '../../dist/app.js';
import { assemble } from '../../dist/assemble.js';
import { loadConfig } from '../../dist/config.js';
import { loggerOptions } from '../../dist/logger.js';
import { systemClock } from '../../dist/scheduler/clock.js';
import { SimulatorChannel } from '../../dist/channels/simulator/simulator-channel.js';
import { openDatabase } from '../../dist/storage/db.js';
import { loadFlows, formatFlowErrors } from '../../dist/flows/load-flows.js';

const FLOWS_DIR = path.resolve(import.meta.dirname, '../../flows');

const [mode, route = '/api/purchases'] = process.argv.slice(2);
const logger = pino(loggerOptions('info'));
let close = async () => {};

let app;
if (mode === 'bare') {
  app = Fastify({ loggerInstance: logger, bodyLimit: JSON_BODY_LIMIT });
  app.post(route, async (_request, reply) => reply.status(201).send({ ok: true }));
  close = () => app.close();
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-bench-'));
  const config = loadConfig({ DATA_DIR: dir, API_RATE_LIMIT: '1000000', FLOWS_DIR, ...JSON.parse(process.env.BENCH_CONFIG ?? '{}') }, dir);
  const loaded = process.env.BENCH_NO_FLOWS ? { flows: [], errors: [] } : loadFlows(config.flowsDir, { locale: config.locale });
  if (loaded.errors.length > 0) throw new Error(formatFlowErrors(loaded.errors));
  const channel = new SimulatorChannel({ clock: systemClock });
  await channel.start();
  // Put together as `npm start` puts it (the assembly): the group commit, the recorded traffic,
  // the inbox. The scheduler is not started: this measures intake and enrolment, not sending.
  // The admin token: the API's (the webhooks do not use it).
  const assembly = await assemble({
    config,
    db: openDatabase(config.databaseFile),
    channel,
    clock: systemClock,
    flows: loaded.flows,
    logger,
    adminToken: process.env.BENCH_TOKEN || 'bench-token-not-used-by-webhooks-0123456789',
  });
  app = assembly.app;
  close = async () => {
    await assembly.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}

let requests = 0;
let cpu = process.cpuUsage();
app.addHook('onResponse', async () => {
  requests += 1;
});
process.on('message', (message) => {
  if (message === 'reset') {
    requests = 0;
    cpu = process.cpuUsage();
  } else if (message === 'report') {
    const used = process.cpuUsage(cpu);
    process.send?.({ requests, cpuMicrosPerRequest: (used.user + used.system) / requests, heapUsedBytes: process.memoryUsage().heapUsed, rssBytes: process.memoryUsage().rss });
  }
});

const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.send?.({ port: Number(new URL(address).port) });
process.once('SIGTERM', () => {
  void close().then(() => process.exit(0));
});
