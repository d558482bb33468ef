import cron, { type ScheduledTask } from 'node-cron';
import { startOfLocalDay } from '../domain/local-time.js';
import type { RunRepository } from '../storage/repositories/runs.js';
import type { ManualClock } from './clock.js';
import type { FlowRunner } from './flow-runner.js';
import type { SendGovernor } from './send-governor.js';

export interface SchedulerOptions {
  runner: FlowRunner;
  governor: SendGovernor;
  runs: RunRepository;
  timezone: string;
  tickSeconds: number;
  /** Runs advanced per transaction batch; a tick goes on batch after batch until nothing is due. */
  batchSize?: number;
  onError?: (error: unknown) => void;
  /** Real timers (production); the time-travel path drives the clock itself. */
  setTimer?: (work: () => void, ms: number) => () => void;
  now: () => number;
  /** The owner's weekly summary: sent by the tick when due. */
  weekly?: { runDue(): Promise<unknown> | undefined; nextDueAt(): number | null; stop?(): void };
}

export interface TickResult {
  enrolled: number;
  advanced: number;
  sent: number;
  /** When the send queue may go on. */
  sendAt: number | null;
}

const MAX_PASSES_PER_TICK = 1_000;

/**
 * node-cron only ticks: what is due comes from stored wake_at times and the
 * outbox, so work missed while the process was down is caught up at the next
 * tick (within each step's lateness), and a repeated tick finds nothing to do.
 */
export class Scheduler {
  readonly #o: Required<Omit<SchedulerOptions, 'onError'>> & Pick<SchedulerOptions, 'onError'>;
  #task: ScheduledTask | undefined;
  #cancelTimer: (() => void) | undefined;
  #ticking: Promise<TickResult> | undefined;
  #alongside: Array<() => void> = [];

  constructor(options: SchedulerOptions) {
    this.#o = {
      batchSize: 500,
      weekly: { runDue: () => undefined, nextDueAt: () => null },
      setTimer: (work, ms) => {
        const timer = setTimeout(work, ms);
        return () => clearTimeout(timer);
      },
      ...options,
    };
  }

  /** One tick: daily triggers, every due run (batch after batch), then the send queue. Ticks never overlap. */
  tick(): Promise<TickResult> {
    this.#ticking ??= this.#tick().finally(() => {
      this.#ticking = undefined;
    });
    return this.#ticking;
  }

  async #tick(): Promise<TickResult> {
    const { runner, governor, batchSize } = this.#o;
    for (const work of this.#alongside) {
      try {
        work();
      } catch (error) {
        this.#o.onError?.(error);
      }
    }
    const enrolled = runner.runDailyTriggers();
    try {
      const summary = this.#o.weekly.runDue();
      if (summary) await summary;
    } catch (error) {
      // The summary (a chart that failed to render, a full disk) must not hold up the flows.
      this.#o.onError?.(error);
    }
    let advanced = 0;
    // A run woken after downtime may pass several waits that are all in the past: it goes on
    // until it reaches one in the future. Bounded, so that a flow of zero-length waits in a loop
    // cannot hold a tick forever.
    for (let pass = 0; pass < MAX_PASSES_PER_TICK; pass += 1) {
      const count = runner.advanceDue(batchSize);
      advanced += count;
      if (count === 0) break;
      // Let requests in between batches: a big catch-up must not stall the service.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const { sent, nextAt } = await governor.drain();
    return { enrolled, advanced, sent, sendAt: nextAt };
  }

  /** Ticks now, then every TICK_SECONDS; between ticks, wakes the send queue when its next gap ends. */
  start(): void {
    const seconds = this.#o.tickSeconds;
    const expression = seconds < 60 ? `*/${seconds} * * * * *` : `0 */${seconds / 60} * * * *`;
    this.#task = cron.schedule(expression, () => void this.#tickAndPlan(), { name: 'fregues-tick', noOverlap: true });
    void this.#tickAndPlan();
  }

  async stop(): Promise<void> {
    this.#cancelTimer?.();
    await this.#task?.stop();
    await this.#ticking;
    this.#o.weekly.stop?.();
  }

  /**
   * Work that each tick starts and does not wait for: the store orders still to
   * fetch (issue 19), whose slow API must not hold up the sends.
   */
  alsoEachTick(work: () => void): void {
    this.#alongside.push(work);
  }

  /** Something happened (an answer, the channel came back): tick soon rather than at the next cron slot. */
  kick(): void {
    void this.#tickAndPlan();
  }

  async #tickAndPlan(): Promise<void> {
    try {
      const result = await this.tick();
      this.#cancelTimer?.();
      this.#cancelTimer = undefined;
      if (result.sendAt !== null) {
        const wait = Math.max(0, result.sendAt - this.#o.now());
        if (wait < this.#o.tickSeconds * 1000) this.#cancelTimer = this.#o.setTimer(() => void this.#tickAndPlan(), wait);
      }
    } catch (error) {
      this.#o.onError?.(error);
    }
  }

  /**
   * The simulator's time travel: moves a manual clock to `target`, stopping at
   * every moment something was due (a run's wake time, the end of a send gap,
   * a local midnight for the daily triggers) and ticking there, as the real
   * clock would have. Returns when all work due by `target` is done.
   */
  async travel(clock: ManualClock, target: number): Promise<{ ticks: number; advanced: number; sent: number; sendAt: number | null }> {
    let ticks = 0;
    let advanced = 0;
    let sent = 0;
    // The last tick's: when the queue may send next (the end of the pause between sends).
    let sendAt: number | null = null;
    for (let guard = 0; guard < 100_000; guard += 1) {
      const result = await this.tick();
      ticks += 1;
      advanced += result.advanced;
      sent += result.sent;
      sendAt = result.sendAt;
      const now = clock.now();
      const candidates = [this.#o.runs.nextWakeAt(), result.sendAt, startOfLocalDay(now, this.#o.timezone, 1), this.#o.weekly.nextDueAt()].filter(
        (at): at is number => at !== null && at > now,
      );
      const next = Math.min(...candidates);
      if (!Number.isFinite(next) || next > target) break;
      clock.set(next);
    }
    if (clock.now() < target) {
      clock.set(target);
      const result = await this.tick();
      ticks += 1;
      advanced += result.advanced;
      sent += result.sent;
      sendAt = result.sendAt;
    }
    return { ticks, advanced, sent, sendAt };
  }
}
