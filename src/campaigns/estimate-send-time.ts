/**
 * How long a campaign takes to go out under the pacing rules (issue 21), by
 * simulating the send governor's schedule window by window: one message at a
 * time with the mean gap between sends, only in the hours and days allowed,
 * at most DAILY_SEND_CAP customer messages per local day (counting what
 * already went today), cold customers within the cold budget (COLD_DAILY_CAP,
 * the warm-up ramp, WhatsApp's quota less the margin, none during a time
 * lock), and the customer messages already queued going first. Cold messages
 * take the cold budget as soon as it allows and warm ones fill the rest of the
 * day, as the governor does when it holds a cold message and sends the next.
 * Not counted: the typing indicator before each send, the channel being down,
 * other flows' messages enqueued later, and the per-customer contact budget
 * (customers over it are left out of the campaign). Pure.
 */
import type { WhatsAppLimits } from '../channels/channel.js';
import { nextLocalTime, nextSendableTime, startOfLocalDay } from '../domain/local-time.js';
import { capInForce, coldBudgetInForce, lockHolds } from '../scheduler/cold-budget.js';
import type { PacingRules } from '../scheduler/pacing-rules.js';

/** What is to be sent, and what the budgets have already spent. */
export interface SendLoad {
  /** When the campaign's messages become due (its sendAt, or now). */
  start: number;
  /** Recipients who wrote to the shop before (no cold budget), and those who never did. */
  warm: number;
  cold: number;
  /** Customer messages already queued and due by `start`: they go first. */
  queuedAhead: number;
  /** Customer messages sent on the local day of `start` (0 when it is not today). */
  sentToday: number;
  /** Cold customers reached on the local day of `start`, and since WhatsApp's quota was last read. */
  coldSentToday: number;
  coldSentSinceQuotaRead: number;
  limits: WhatsAppLimits;
  linkedAt: number | null;
}

export interface SendEstimate {
  /** The first moment a message may go (quiet hours and days off pushed it), null when none can. */
  firstAt: number | null;
  /** When the last message is expected to go. */
  lastAt: number | null;
  /** lastAt − start, in ms (0 when nothing goes). */
  durationMs: number;
  /** Local days on which messages go. */
  days: number;
  /** Cold messages no estimate can place: WhatsApp's time lock has no end, or the cold budget stays at 0 for a year. */
  unplaced: number;
}

const DAY = 86_400_000;
const MAX_WINDOWS = 20_000;

export function estimateSendTime(rules: PacingRules, load: SendLoad): SendEstimate {
  const { timezone, quietHours, sendDays } = rules;
  const gap = Math.max(1, Math.ceil(((rules.gapSeconds.min + rules.gapSeconds.max) / 2) * 1000));
  const sendable = (time: number) => nextSendableTime(time, quietHours, sendDays, timezone);
  const startDay = startOfLocalDay(load.start, timezone);
  let warm = load.queuedAhead + load.warm;
  let cold = load.cold;
  let t = sendable(load.start);
  let day = startOfLocalDay(t, timezone);
  let sentDay = day === startDay ? load.sentToday : 0;
  let coldDay = day === startDay ? load.coldSentToday : 0;
  let cycle = capInForce(load.limits.cap, t)?.cycleStart ?? null;
  let coldCycle = load.coldSentSinceQuotaRead;
  let firstAt: number | null = null;
  let lastAt: number | null = null;
  let days = 0;
  let lastSendDay: number | null = null;
  let idleSince = t;

  for (let window = 0; window < MAX_WINDOWS && warm + cold > 0; window += 1) {
    const dayEnd = startOfLocalDay(t, timezone, 1);
    const locked = lockHolds(load.limits, t);
    const lockEnd = locked ? load.limits.lock!.endsAt : null;
    let windowEnd = quietHours ? Math.min(nextLocalTime(t, quietHours.startMinute, timezone), dayEnd) : dayEnd;
    if (lockEnd !== null) windowEnd = Math.min(windowEnd, lockEnd);
    const slots = Math.max(1, Math.floor((windowEnd - 1 - t) / gap) + 1);
    const budget = coldBudgetInForce({ now: t, timezone, rules: rules.cold, limits: load.limits, linkedAt: load.linkedAt });
    const coldLeft = locked ? 0 : Math.max(0, Math.min(budget.perDay - coldDay, budget.quotaLeft === null ? Number.POSITIVE_INFINITY : budget.quotaLeft - coldCycle));
    const n = Math.max(0, Math.min(slots, rules.dailyCap - sentDay));
    const c = Math.min(cold, coldLeft, n);
    const w = Math.min(warm, n - c);
    const sent = c + w;
    if (sent > 0) {
      firstAt ??= t;
      lastAt = t + (sent - 1) * gap;
      if (lastSendDay !== day) {
        days += 1;
        lastSendDay = day;
      }
      t += sent * gap;
      sentDay += sent;
      coldDay += c;
      coldCycle += c;
      cold -= c;
      warm -= w;
      idleSince = t;
    }
    if (warm + cold === 0) break;
    if (warm === 0 && t - idleSince > 366 * DAY) break;
    if (warm === 0 && locked && lockEnd === null) break;

    // Where sending may go on: the next window today, or (cap reached, or only held cold messages left) the next moment anything changes.
    const stuck = sentDay >= rules.dailyCap || (warm === 0 && coldLeft - c <= 0);
    const cycleEnd = capInForce(load.limits.cap, t)?.cycleEnd ?? null;
    const next = stuck ? Math.min(...[dayEnd, cycleEnd, lockEnd].filter((at): at is number => at !== null && at > t)) : Math.max(t, windowEnd);
    t = sendable(next);
    const nextDay = startOfLocalDay(t, timezone);
    if (nextDay !== day) {
      day = nextDay;
      sentDay = 0;
      coldDay = 0;
    }
    const nextCycle = capInForce(load.limits.cap, t)?.cycleStart ?? null;
    if (nextCycle !== cycle) {
      cycle = nextCycle;
      coldCycle = 0;
    }
  }
  return { firstAt, lastAt, durationMs: lastAt === null ? 0 : Math.max(0, lastAt - load.start), days, unplaced: cold };
}
