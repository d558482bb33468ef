import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { assemble } from '../../src/assemble.js';
import type { AssemblyInput } from '../../src/assemble-core.js';
import type { NuvemshopConnector } from '../../src/integrations/nuvemshop/nuvemshop-connector.js';
import type { RecordedTraffic } from '../../src/inbox/record-traffic.js';
import type { FlowServices } from '../../src/scheduler/flow-services.js';
import type { Repositories } from '../../src/storage/repositories/index.js';
import { pino } from 'pino';
import type { Channel } from '../../src/channels/channel.js';
import { SimulatorChannel } from '../../src/channels/simulator/simulator-channel.js';
import type { Flow } from '../../src/flows/flow-types.js';
import type { LiveFlows } from '../../src/flows/live-flows.js';
import { loadConfig, type Config } from '../../src/config.js';
import { loggerOptions } from '../../src/logger.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { openDatabase, type Database } from '../../src/storage/db.js';

export const TEST_TOKEN = 'test-token-0123456789abcdefghijklmnop';

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  repos: Repositories;
  clock: ManualClock;
  config: Config;
  /** The channel the app drives: a started simulator unless the test gave one. */
  channel: Channel;
  /** The channel's traffic as stored in the record. */
  traffic: RecordedTraffic;
  /** The flows at work (none unless the test gave some): runner, send governor, scheduler. */
  flows: FlowServices;
  /** FLOWS_DIR loaded again on reload() (no watcher unless the test asks: `watchFlows`). */
  liveFlows: LiveFlows;
  /** The simulator, when the test did not give its own channel. */
  simulator: SimulatorChannel;
  /** With NUVEMSHOP_APP_SECRET: the Nuvemshop connector (its order fetches: fetcher.settled(), fetchDueOrders()). */
  nuvemshop: NuvemshopConnector | undefined;
  /** Every log line the app wrote, as written (after redaction and masking). */
  logs: string[];
  /** app.inject with the admin token already set. */
  api(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function createTestApp(
  options: {
    env?: Record<string, string>;
    clock?: ManualClock;
    /** The channel, or how to make it over the app's own database (the WhatsApp adapter keeps its session there). */
    channel?: Channel | ((parts: { db: Database; repos: Repositories; clock: ManualClock }) => Channel);
    dbFile?: string;
    flows?: Flow[];
    random?: () => number;
    /** The Nuvemshop connector's fetch timeout and retry policy. */
    nuvemshop?: AssemblyInput['nuvemshop'];
    /** Watch FLOWS_DIR as the service does (closed with the app). */
    watchFlows?: boolean;
  } = {},
): Promise<TestApp> {
  const config = loadConfig({ LOG_LEVEL: 'info', ...options.env }, '/tmp/fregues-test');
  const db = openDatabase(options.dbFile ?? ':memory:');
  const clock = options.clock ?? new ManualClock('2026-11-20T15:00:00Z');
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const logger = pino(loggerOptions(config.logLevel), sink);
  const simulator = new SimulatorChannel({ clock, locale: config.locale });
  const given = options.channel;
  if (!given) await simulator.start();
  const assembly = await assemble({
    config,
    db,
    clock,
    flows: options.flows ?? [],
    logger,
    adminToken: TEST_TOKEN,
    random: options.random ?? (() => 0),
    channel: given === undefined ? simulator : typeof given === 'function' ? ({ db, repos }) => given({ db, repos, clock }) : given,
    ...(options.nuvemshop ? { nuvemshop: options.nuvemshop } : {}),
    ...(options.watchFlows ? { watchFlows: true } : {}),
  });
  const { app, repos, channel, traffic, flows } = assembly;
  await app.ready();
  return {
    app,
    db,
    repos,
    clock,
    config,
    channel,
    traffic,
    flows,
    liveFlows: assembly.liveFlows,
    simulator,
    nuvemshop: assembly.nuvemshop,
    logs,
    api: (inject) =>
      app.inject({ ...inject, headers: { authorization: `Bearer ${TEST_TOKEN}`, ...inject.headers } }),
    close: () => assembly.close(),
  };
}

/** A valid purchase body; override what a test is about. */
export function purchaseBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    externalId: 'pedido-1001',
    customer: { phone: '(11) 91234-5678', name: 'Ana Souza' },
    items: [{ sku: 'CAFE-250', name: 'Café especial 250 g', quantity: 2, unitPrice: 39.9 }],
    ...overrides,
  };
}
