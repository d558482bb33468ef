import type { NewChatCap, WhatsAppLimits } from '../channels/channel.js';
import { startOfLocalDay } from '../domain/local-time.js';

/**
 * The cold budget (issue 18): how many customers who never wrote to the shop
 * may get a first message now. WhatsApp caps new chats per cycle and answers
 * a number that goes past it with a reach-out time lock (463 on every new
 * chat); a freshly linked number is watched more closely still. So a cold
 * message goes only within the smallest of WhatsApp's remaining quota less a
 * margin, the warm-up ramp of the number's first days and COLD_DAILY_CAP, and
 * none at all while WhatsApp says the cap is near (second warning), reached,
 * or the account is locked. Pure: the governor passes the counts in.
 */

/** The seller's settings for cold messages (src/config.ts). */
export interface ColdRules {
  /** COLD_DAILY_CAP: new chats per local day. */
  dailyCap: number;
  /** COLD_WARMUP: the cap on each local day since the number was linked, day 1 first; empty: no ramp. */
  warmup: readonly number[];
  /** COLD_QUOTA_MARGIN: percent of WhatsApp's quota never used. */
  quotaMarginPercent: number;
}

export type ColdHoldReason = 'cold_budget' | 'reachout_lock';

export type ColdDecision = { go: true } | { go: false; reason: ColdHoldReason; until: number };

/** What the budget counts against: the local day, and WhatsApp's cycle as last read. */
export interface ColdWindows {
  dayStart: number;
  nextDay: number;
  /** A customer sent a cold message since then does not spend again: WhatsApp's cycle when known, else the day. */
  reachedSince: number;
  /** Our cold sends from then on are not in WhatsApp's `used` count yet; null when no quota of the current cycle was read. */
  quotaSince: number | null;
}

/** The budget in force at a moment, before what was already sent. */
export interface ColdBudgetInForce {
  /** New chats allowed today: the ramp and COLD_DAILY_CAP, halved at a first warning, 0 at a second warning or capped. */
  perDay: number;
  /** New chats WhatsApp's quota leaves, less the margin (halved at a first warning), as of `quotaSince`; null: no quota read. */
  quotaLeft: number | null;
  /** Day of the warm-up ramp, 1 on the day the number was linked; null when past the ramp (or no ramp). */
  rampDay: number | null;
}

export interface ColdInput {
  now: number;
  timezone: string;
  rules: ColdRules;
  limits: WhatsAppLimits;
  /** When the number was linked; null counts as today (the safer end of the ramp). */
  linkedAt: number | null;
}

export interface ColdCounts {
  /** Distinct cold customers sent to since `dayStart`. */
  sentToday: number;
  /** Distinct cold customers sent to since `quotaSince` (0 when it is null). */
  sentSinceQuotaRead: number;
  /** This customer already got a cold message since `reachedSince`. */
  alreadyReached: boolean;
}

const DAY = 86_400_000;
/** A time lock without an end time is looked at again this often (the channel re-reads it meanwhile). */
export const LOCK_RECHECK_MS = 15 * 60_000;

/**
 * The cap in force at `now`. Read in an earlier cycle (the channel reads again
 * every few minutes, but not while disconnected, and a cycle may end between
 * reads): the same quota, renewed, in the cycle that follows by the read's own
 * cycle length, as WhatsApp renews it; not assumed gone, which would open every
 * new chat at once. Null: nothing known of the current cycle.
 */
export function capInForce(cap: NewChatCap | null, now: number): NewChatCap | null {
  if (cap === null) return null;
  if (cap.cycleEnd === null || now < cap.cycleEnd) return cap;
  if (cap.cycleStart === null || cap.cycleEnd <= cap.cycleStart) return null;
  const length = cap.cycleEnd - cap.cycleStart;
  const cycleStart = cap.cycleStart + Math.floor((now - cap.cycleStart) / length) * length;
  // Read as the cycle began: every cold message of this cycle is ours to count.
  return { total: cap.total, used: 0, cycleStart, cycleEnd: cycleStart + length, status: 'none', readAt: cycleStart - 1 };
}

/** Whether the account's reach-out time lock holds at `now`. */
export function lockHolds(limits: WhatsAppLimits, now: number): boolean {
  const { lock } = limits;
  return lock !== null && lock.active && (lock.endsAt === null || lock.endsAt > now);
}

export function coldWindows(now: number, timezone: string, limits: WhatsAppLimits): ColdWindows {
  const dayStart = startOfLocalDay(now, timezone);
  const cap = capInForce(limits.cap, now);
  return {
    dayStart,
    nextDay: startOfLocalDay(now, timezone, 1),
    reachedSince: cap?.cycleStart ?? dayStart,
    // From the millisecond after the read: a send finished in the read's own millisecond was in it (the
    // channel reports the count a send changed before the send's result is stored); the margin covers the rest.
    quotaSince: cap !== null && cap.total !== null ? Math.max(cap.readAt + 1, cap.cycleStart ?? 0) : null,
  };
}

export function coldBudgetInForce(input: ColdInput): ColdBudgetInForce {
  const { now, timezone, rules } = input;
  const cap = capInForce(input.limits.cap, now);
  if (cap !== null && (cap.status === 'second_warning' || cap.status === 'capped')) return { perDay: 0, quotaLeft: 0, rampDay: null };
  const halve = cap?.status === 'first_warning' ? (n: number) => Math.floor(n / 2) : (n: number) => n;
  const linkedDay = startOfLocalDay(input.linkedAt ?? now, timezone);
  // Local days, not 24-hour spans: a number linked at 23:00 starts its second day at midnight.
  const index = Math.max(0, Math.round((startOfLocalDay(now, timezone) - linkedDay) / DAY));
  const ramp = index < rules.warmup.length ? rules.warmup[index]! : Number.POSITIVE_INFINITY;
  const perDay = halve(Math.min(rules.dailyCap, ramp));
  let quotaLeft: number | null = null;
  if (cap !== null && cap.total !== null) {
    const margin = Math.ceil((cap.total * rules.quotaMarginPercent) / 100);
    quotaLeft = halve(Math.max(0, cap.total - (cap.used ?? 0) - margin));
  }
  return { perDay, quotaLeft, rampDay: index < rules.warmup.length ? index + 1 : null };
}

/**
 * May a cold message go now? Held: why, and the first moment it may (the end
 * of the lock, of WhatsApp's cycle, or the next local day); the governor moves
 * the message there, so that warm messages behind it keep going.
 */
export function decideCold(input: ColdInput, counts: ColdCounts): ColdDecision {
  const { now, limits } = input;
  const windows = coldWindows(now, input.timezone, limits);
  if (lockHolds(limits, now)) return { go: false, reason: 'reachout_lock', until: limits.lock!.endsAt ?? now + LOCK_RECHECK_MS };
  const cap = capInForce(limits.cap, now);
  const cycleEnd = cap?.cycleEnd ?? windows.nextDay;
  // Near or at the cap: not even a customer reached earlier in the cycle, whose chat WhatsApp may still count as new.
  if (cap !== null && (cap.status === 'second_warning' || cap.status === 'capped')) return { go: false, reason: 'cold_budget', until: cycleEnd };
  if (counts.alreadyReached) return { go: true };
  const budget = coldBudgetInForce(input);
  const waits: number[] = [];
  if (counts.sentToday >= budget.perDay) waits.push(windows.nextDay);
  if (budget.quotaLeft !== null && counts.sentSinceQuotaRead >= budget.quotaLeft) waits.push(cycleEnd);
  if (waits.length === 0) return { go: true };
  return { go: false, reason: 'cold_budget', until: Math.max(...waits) };
}
