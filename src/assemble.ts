import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { assembleCore, type AssemblyInput, type Core } from './assemble-core.js';
import { SimulatorChannel } from './channels/simulator/simulator-channel.js';
import { dryRunFlow } from './simulation/dry-run.js';
import { flowFilesFor } from './flows/flow-files.js';
import { createSimulation, type Simulation } from './simulation/simulation.js';
import type { AdminTokenHint } from './http/pages.js';

export interface Assembly extends Core {
  /** The HTTP service, ready for app.inject or listen. */
  app: FastifyInstance;
  /** With the simulator: the phones to play and, with a manual clock, time travel (the pages, the API, the demo). */
  simulation: Simulation | undefined;
  /** Stops ticking and taking requests, then the channel; stores what it reported last and closes the database. */
  close: () => Promise<void>;
}

/**
 * The one place the service is put together: repositories, channel, traffic,
 * flows, inbox, the simulation's capabilities and the HTTP app, and the one
 * order they shut down in. `npm start`, the demo, the tests and the intake
 * bench use it; the dry run and the inner benches use assembleCore.
 */
export async function assemble(input: AssemblyInput & { adminToken: string; adminTokenHint?: AdminTokenHint | undefined }): Promise<Assembly> {
  const core = await assembleCore(input);
  const { channel, clock, flows, traffic } = core;
  const simulation =
    channel instanceof SimulatorChannel
      ? createSimulation({
          channel,
          clock,
          scheduler: flows.scheduler,
          trafficStored: () => traffic.settled(),
          gapMs: input.config.sendGapSeconds.max * 1000,
        })
      : undefined;
  try {
    const app = await buildApp({
      config: input.config,
      db: core.db,
      clock: core.clock,
      adminToken: input.adminToken,
      adminTokenHint: input.adminTokenHint,
      logger: input.logger,
      channel: core.channel,
      flows: core.flows,
      writes: core.writes,
      traffic: core.traffic,
      simulation,
      dryRun: (flow, options) => dryRunFlow(flow, input.config, options),
      liveFlows: core.liveFlows,
      flowFiles: flowFilesFor(input.config, core.clock),
      nuvemshop: core.nuvemshop,
      campaigns: core.campaigns,
    });
    return {
      ...core,
      app,
      simulation,
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
