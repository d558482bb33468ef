import type { ManualClock } from '../scheduler/clock.js';
import type { Scheduler } from '../scheduler/scheduler.js';

export interface ClockTravel {
  from: number;
  now: number;
  ticks: number;
  advanced: number;
  sent: number;
  /** When the queue may send next (the end of the pause between sends, a held message's time); null: nothing queued. */
  sendAt: number | null;
}

/** Moving the simulated time: the API's /simulator/clock and the Simulador page's buttons both go through here. */
export interface TimeTravel {
  now: () => number;
  /**
   * Moves the clock to `target` as time would have passed (every tick due on
   * the way runs), or sets it back and ticks once; resolves once what was
   * sent, and its receipts, are stored.
   */
  travel: (target: number) => Promise<ClockTravel>;
  /**
   * After a customer's phone sent something: the inbox has handled it once
   * stored; the tick it kicked (or one now) sends what is due, such as the
   * bot's answer, and its receipts are stored before this resolves. An answer
   * held only by the pause between two messages (at most `gapMs`) would wait
   * forever on a clock that stands still: the clock moves by that pause, as a
   * real one would while the customer waits. Resolves with how far it moved.
   */
  settle: () => Promise<number>;
}

/** Messages in a row settle() waits for after the customer wrote (an answer, the next step, an alert). */
const ANSWERS_WAITED = 5;

export function createTimeTravel(parts: {
  clock: ManualClock;
  scheduler: Scheduler;
  /** Resolves once what the channel reported so far is stored. */
  trafficStored: () => Promise<void>;
  /** The longest pause between two sends (SEND_GAP_SECONDS' maximum). */
  gapMs: number;
}): TimeTravel {
  const { clock, scheduler, trafficStored, gapMs } = parts;
  return {
    now: () => clock.now(),

    async travel(target) {
      const from = clock.now();
      if (target < from) {
        // A clock set back (as real clocks sometimes are): nothing that ran runs again.
        clock.set(target);
        const result = await scheduler.tick();
        await trafficStored();
        return { from, now: clock.now(), ticks: 1, advanced: result.advanced, sent: result.sent, sendAt: result.sendAt };
      }
      const result = await scheduler.travel(clock, target);
      // The receipts of what was sent are stored before the answer.
      await trafficStored();
      return { from, now: clock.now(), ...result };
    },

    async settle() {
      await trafficStored();
      let result = await scheduler.tick();
      await trafficStored();
      const from = clock.now();
      for (let wait = 0; wait < ANSWERS_WAITED; wait += 1) {
        const now = clock.now();
        if (result.sendAt === null || result.sendAt <= now || result.sendAt - now > gapMs) break;
        clock.set(result.sendAt);
        result = await scheduler.tick();
        await trafficStored();
      }
      return clock.now() - from;
    },
  };
}
