import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { assembleCore, type AssemblyInput, type Core } from './assemble-core.js';
import { dryRunFlow } from './simulation/dry-run.js';

export interface Assembly extends Core {
  /** The HTTP service, ready for app.inject or listen. */
  app: FastifyInstance;
  /** Stops ticking and taking requests, then the channel; stores what it reported last and closes the database. */
  close: () => Promise<void>;
}

/**
 * The one place the service is put together: repositories, channel, traffic,
 * flows, inbox and the HTTP app, and the one order they shut down in.
 * `npm start`, the demo, the CLI's dry run, the tests and the benches all use it.
 */
export async function assemble(input: AssemblyInput & { adminToken: string }): Promise<Assembly> {
  const core = await assembleCore(input);
  try {
    const app = await buildApp({
      config: input.config,
      db: core.db,
      clock: core.clock,
      adminToken: input.adminToken,
      logger: input.logger,
      channel: core.channel,
      flows: core.flows,
      writes: core.writes,
      traffic: core.traffic,
      simulation: core.simulation,
      dryRun: (flow, options) => dryRunFlow(flow, input.config, options),
    });
    return {
      ...core,
      app,
      close: async () => {
        // Requests stop before the channel and the database: nothing writes while they close.
        await core.flows.scheduler.stop();
        await app.close();
        await core.close();
      },
    };
  } catch (error) {
    await core.close();
    throw error;
  }
}
