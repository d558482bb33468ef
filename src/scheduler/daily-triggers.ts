import { startOfLocalDay } from '../domain/local-time.js';
import { enrollRun, passesFilter } from './enroll.js';
import type { RunnerContext } from './runner-context.js';
import { atLocalTimeOn, birthdaysGreetedOn, inactiveSinceWindow } from './trigger-times.js';

/** How many days of missed daily triggers a late tick catches up (birthday messages expire the same day anyway). */
const DAILY_CATCH_UP_DAYS = 7;
const EVALUATED_UNTIL = 'daily.evaluated_until';

/**
 * The birthday and inactivity triggers, once per local day in TIMEZONE,
 * catching up the days a stopped service missed (at most a week back). The
 * database keeps the last day evaluated; this object only remembers, in
 * memory, that today is done, so that most ticks cost nothing.
 */
export class DailyTriggers {
  readonly #ctx: RunnerContext;
  /** The next local midnight after the last day whose daily triggers ran (in memory; the database has the truth). */
  #doneBefore: number | undefined;

  constructor(ctx: RunnerContext) {
    this.#ctx = ctx;
  }

  /** Enrols whoever the days not yet evaluated bring; returns how many runs started. */
  run(): number {
    const { repos, timezone, clock } = this.#ctx;
    const now = clock.now();
    // Done for today: most ticks stop here, without any local-day arithmetic.
    if (this.#doneBefore !== undefined && now < this.#doneBefore) return 0;
    const today = startOfLocalDay(now, timezone);
    const last = repos.schedulerState.get(EVALUATED_UNTIL);
    let day = last === undefined ? today : Math.max(startOfLocalDay(Number(last), timezone, 1), startOfLocalDay(now, timezone, -DAILY_CATCH_UP_DAYS));
    let enrolled = 0;
    for (; day <= today; day = startOfLocalDay(day, timezone, 1)) {
      enrolled += repos.transaction(() => {
        const count = this.#birthdaysOn(day) + this.#inactivityOn(day);
        repos.schedulerState.set(EVALUATED_UNTIL, String(day));
        return count;
      });
    }
    this.#doneBefore = startOfLocalDay(today, timezone, 1);
    return enrolled;
  }

  #birthdaysOn(day: number): number {
    const ctx = this.#ctx;
    let count = 0;
    for (const flow of ctx.flows.values()) {
      if (flow.trigger.type !== 'birthday' || flow.enabled === false) continue;
      const { year, monthDays } = birthdaysGreetedOn(day, flow.trigger.daysBefore, ctx.timezone);
      const wakeAt = atLocalTimeOn(day, flow.trigger.at, ctx.timezone);
      for (const monthDay of monthDays) {
        for (const customer of ctx.repos.customers.withBirthdayOn(monthDay)) {
          if (!passesFilter(ctx, flow.filter, customer, [])) continue;
          if (enrollRun(ctx, flow, customer, `birthday:${year}`, null, wakeAt)) count += 1;
        }
      }
    }
    return count;
  }

  #inactivityOn(day: number): number {
    const ctx = this.#ctx;
    let count = 0;
    for (const flow of ctx.flows.values()) {
      if (flow.trigger.type !== 'inactivity' || flow.enabled === false) continue;
      const { from, to } = inactiveSinceWindow(day, flow.trigger.days, ctx.timezone);
      const wakeAt = atLocalTimeOn(day, flow.trigger.at, ctx.timezone);
      for (const { customer, purchaseId } of ctx.repos.customers.lastBoughtBetween(from, to)) {
        if (!passesFilter(ctx, flow.filter, customer, [])) continue;
        if (enrollRun(ctx, flow, customer, `inactivity:${purchaseId}`, purchaseId, wakeAt)) count += 1;
      }
    }
    return count;
  }
}
