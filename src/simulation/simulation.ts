import type { SimulatorChannel } from '../channels/simulator/simulator-channel.js';
import { SimulatorError } from '../channels/simulator/simulator-channel.js';
import { ManualClock, type Clock } from '../scheduler/clock.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import { createTimeTravel, type TimeTravel } from './time-travel.js';

/**
 * What the pages and the API may do with CHANNEL=simulator, handed to them by
 * the assembly: play the customers' and the shop's phones, and (with a manual
 * clock) move the time. http/ never looks at the channel's or clock's class.
 */
export interface Simulation {
  /** The simulated phone network (the service's channel). */
  phones: SimulatorChannel;
  /** Time travel, when the service's clock is a manual one. */
  travel: TimeTravel | null;
  /**
   * After a phone sent something: resolves once it is stored and handled and
   * the bot's answer is sent (moving a manual clock by the pause between two
   * sends when needed); with how far the clock moved.
   */
  settle: () => Promise<number>;
  /** The simulator refusing what a real phone could not do: its reason; anything else thrown: null. */
  refusal: (error: unknown) => string | null;
}

export function createSimulation(parts: {
  channel: SimulatorChannel;
  clock: Clock;
  scheduler: Scheduler;
  trafficStored: () => Promise<void>;
  gapMs: number;
}): Simulation {
  const { channel, clock, scheduler, trafficStored, gapMs } = parts;
  const travel = clock instanceof ManualClock ? createTimeTravel({ clock, scheduler, trafficStored, gapMs }) : null;
  return {
    phones: channel,
    travel,
    settle:
      travel?.settle ??
      (async () => {
        await trafficStored();
        await scheduler.tick();
        await trafficStored();
        return 0;
      }),
    refusal: (error) => (error instanceof SimulatorError ? error.message : null),
  };
}
