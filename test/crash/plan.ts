/**
 * The crash suite's plan: everything random is drawn here, from the seed,
 * before anything runs (who buys what and when, who answers, how far the
 * clock moves each round, and which rounds arm a kill and how). The real
 * moment a kill lands still depends on the machine.
 */

import { mulberry32 } from '../../bench/lib/random.js';

export interface PlanOptions {
  customers: number;
  purchases: number;
  minKills: number;
}

/**
 * How a kill was aimed: right after a row was claimed (before WhatsApp has it), right after
 * the delivery log grew (WhatsApp has it, the result is not recorded), after a timer during a
 * clock move, during purchases, or with nothing due (only if too few others landed).
 */
export type KillStrategy = 'claim' | 'delivery' | 'timer' | 'intake' | 'idle';

export interface PlannedPurchase {
  externalId: string;
  phone: string;
  /** What the customer answers the survey 50 simulated minutes after buying, or null. */
  reply: string | null;
}

export const START = Date.parse('2026-03-02T12:00:00Z'); // a Monday, 09:00 in São Paulo
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const REPLY_AFTER_MS = 50 * MINUTE;
/** Past the last purchase, when every step of every flow is due (the thanks' last step: a day, then 10:00; the survey: a day). */
const DRAIN_MS = 3 * DAY;

export interface Round {
  purchases: number[];
  advanceMs: number;
  kill: { strategy: Exclude<KillStrategy, 'idle'>; param: number } | null;
  /** WhatsApp's rules on new chats played before the clock moves (issue 18), or null. */
  faults: NewChatFaults | null;
}

/**
 * The next `refuseNewChats` new chats refused with 463; a reach-out time lock of
 * `lockMinutes`. Locks stay short (at most 10 minutes): a thank-you or a question
 * held longer could meet the customer's reply before it goes, which is another test.
 */
export interface NewChatFaults {
  refuseNewChats: number;
  lockMinutes: number;
}

/** Purchases in rounds, each followed by a move of the clock; then moves until every step is due. */
export function plan(seed: number, options: PlanOptions): { purchases: PlannedPurchase[]; rounds: Round[] } {
  const random = mulberry32(seed);
  const purchases: PlannedPurchase[] = [];
  for (let j = 0; j < options.purchases; j += 1) {
    // Every customer buys once first; the rest buy again, some while their first flows still run.
    const customer = j < options.customers ? j : Math.floor(random() * options.customers);
    const reply = j < options.customers && j % 3 !== 2 ? (j % 3 === 0 ? 'sim' : 'não') : null;
    purchases.push({ externalId: `crash-${j}`, phone: `+55119${70000000 + customer}`, reply });
  }
  const rounds: Round[] = [];
  for (let next = 0; next < purchases.length; ) {
    const size = Math.min(purchases.length - next, 3 + Math.floor(random() * 10));
    rounds.push({ purchases: range(next, size), advanceMs: Math.round((5 + random() * 35) * MINUTE), kill: null, faults: null });
    next += size;
  }
  for (let drained = 0; drained < DRAIN_MS; ) {
    const advanceMs = Math.round((1 + random() * 5) * HOUR);
    rounds.push({ purchases: [], advanceMs, kill: null, faults: null });
    drained += advanceMs;
  }
  // Aim above the minimum: some armed kills wait for sends that come rounds later.
  const chance = Math.min(1, (1.2 * (options.minKills + 10)) / rounds.length);
  for (const round of rounds) {
    const [want, pick, param] = [random(), random(), random()];
    if (want >= chance) continue;
    // param: the how-manieth claim or delivery to kill after, or a timer's milliseconds.
    round.kill =
      pick < 0.25
        ? { strategy: 'claim', param: 1 + Math.floor(param * 10) }
        : pick < 0.6
          ? { strategy: 'delivery', param: 1 + Math.floor(param * 15) }
          : pick < 0.85
            ? { strategy: 'timer', param: Math.round(5 + param * 300) }
            : { strategy: 'intake', param: Math.round(param * 40) };
  }
  // Drawn apart from the rest, so that a seed's purchases, clock moves and kills stay what they were.
  const faulty = mulberry32(seed ^ 0x463);
  for (const round of rounds) {
    if (round.purchases.length === 0) continue;
    const [refuse, lock, n, minutes] = [faulty(), faulty(), faulty(), faulty()];
    const faults = { refuseNewChats: refuse < 0.3 ? 1 + Math.floor(n * 3) : 0, lockMinutes: lock < 0.08 ? 5 + Math.floor(minutes * 6) : 0 };
    if (faults.refuseNewChats > 0 || faults.lockMinutes > 0) round.faults = faults;
  }
  return { purchases, rounds };
}

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => from + i);
}

