import { describe, expect, it } from 'vitest';
import { NO_LIMITS_READ, type CappingStatus, type NewChatCap, type WhatsAppLimits } from '../../src/channels/channel.js';
import { coldBudgetInForce, coldWindows, decideCold, LOCK_RECHECK_MS, lockHolds, type ColdInput, type ColdRules } from '../../src/scheduler/cold-budget.js';

const TZ = 'America/Sao_Paulo';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Friday 20 November 2026, 10:00 in São Paulo. */
const NOW = Date.parse('2026-11-20T13:00:00Z');
/** Midnight starting that Friday, and the next one, in São Paulo. */
const FRIDAY = Date.parse('2026-11-20T03:00:00Z');
const SATURDAY = Date.parse('2026-11-21T03:00:00Z');
/** The defaults of .env.example. */
const DEFAULTS: ColdRules = { dailyCap: 30, warmup: [5, 5, 5, 10, 10, 10, 10, 20, 20, 20, 20, 20, 20, 20], quotaMarginPercent: 20 };
/** A number linked long ago: past the ramp. */
const LONG_AGO = NOW - 60 * DAY;

/** WhatsApp's cap as Baileys' fetchNewChatMessageCap() gives it, converted: a cycle of a week from Monday. */
function cap(overrides: Partial<NewChatCap> = {}): NewChatCap {
  return {
    total: 50,
    used: 0,
    cycleStart: Date.parse('2026-11-16T00:00:00Z'),
    cycleEnd: Date.parse('2026-11-23T00:00:00Z'),
    status: 'none',
    readAt: NOW - HOUR,
    ...overrides,
  };
}

function input(overrides: Partial<ColdInput> = {}): ColdInput {
  return { now: NOW, timezone: TZ, rules: DEFAULTS, limits: NO_LIMITS_READ, linkedAt: LONG_AGO, ...overrides };
}

const counts = (sentToday = 0, sentSinceQuotaRead = 0, alreadyReached = false) => ({ sentToday, sentSinceQuotaRead, alreadyReached });
const withCap = (c: Partial<NewChatCap>): WhatsAppLimits => ({ ...NO_LIMITS_READ, cap: cap(c) });

describe('the budget in force', () => {
  it('past the ramp and without WhatsApp’s quota read: COLD_DAILY_CAP', () => {
    expect(coldBudgetInForce(input())).toEqual({ perDay: 30, quotaLeft: null, rampDay: null });
  });

  it.each([
    { linked: NOW - 2 * HOUR, day: 1, perDay: 5 },
    // Linked at 23:30 on Thursday: Friday is the second local day, though not 24 hours later.
    { linked: Date.parse('2026-11-20T02:30:00Z'), day: 2, perDay: 5 },
    { linked: NOW - 3 * DAY, day: 4, perDay: 10 },
    { linked: NOW - 7 * DAY, day: 8, perDay: 20 },
    { linked: NOW - 13 * DAY, day: 14, perDay: 20 },
  ])('on day $day of the ramp: $perDay', ({ linked, day, perDay }) => {
    expect(coldBudgetInForce(input({ linkedAt: linked }))).toEqual({ perDay, quotaLeft: null, rampDay: day });
  });

  it('a number whose link time is unknown is on its first day (the safer end)', () => {
    expect(coldBudgetInForce(input({ linkedAt: null })).perDay).toBe(5);
  });

  it('the ramp never goes above COLD_DAILY_CAP', () => {
    expect(coldBudgetInForce(input({ linkedAt: NOW - 8 * DAY, rules: { ...DEFAULTS, dailyCap: 12 } })).perDay).toBe(12);
  });

  it('COLD_WARMUP=off: the cap alone from the first day', () => {
    expect(coldBudgetInForce(input({ linkedAt: NOW, rules: { ...DEFAULTS, warmup: [] } }))).toEqual({ perDay: 30, quotaLeft: null, rampDay: null });
  });

  it('WhatsApp’s quota: what is left less COLD_QUOTA_MARGIN percent of the total, rounded up', () => {
    // 50 total, 20 % = 10 kept; 12 used: 28 left.
    expect(coldBudgetInForce(input({ limits: withCap({ used: 12 }) })).quotaLeft).toBe(28);
    // 7 total: 20 % is 1.4, kept as 2.
    expect(coldBudgetInForce(input({ limits: withCap({ total: 7, used: 0 }) })).quotaLeft).toBe(5);
    expect(coldBudgetInForce(input({ limits: withCap({ used: 45 }) })).quotaLeft).toBe(0);
  });

  it('a first warning halves both (rounded down)', () => {
    expect(coldBudgetInForce(input({ limits: withCap({ used: 11, status: 'first_warning' }) }))).toEqual({ perDay: 15, quotaLeft: 14, rampDay: null });
    expect(coldBudgetInForce(input({ linkedAt: NOW, limits: withCap({ status: 'first_warning' }) })).perDay).toBe(2);
  });

  it.each(['second_warning', 'capped'] as CappingStatus[])('%s: nothing', (status) => {
    expect(coldBudgetInForce(input({ limits: withCap({ status }) }))).toMatchObject({ perDay: 0, quotaLeft: 0 });
  });

  it('a cap read in a cycle that has ended: the same quota, renewed, in the cycle that follows', () => {
    const ended = withCap({ status: 'capped', used: 50, cycleStart: NOW - 30 * HOUR, cycleEnd: NOW - 6 * HOUR, readAt: NOW - 7 * HOUR });
    expect(coldBudgetInForce(input({ limits: ended }))).toEqual({ perDay: 30, quotaLeft: 40, rampDay: null });
    // Every cold message of the new cycle counts: from its start.
    expect(coldWindows(NOW, TZ, ended)).toMatchObject({ reachedSince: NOW - 6 * HOUR, quotaSince: NOW - 6 * HOUR });
    expect(decideCold(input({ limits: ended }), counts(0, 39))).toEqual({ go: true });
    expect(decideCold(input({ limits: ended }), counts(0, 40))).toEqual({ go: false, reason: 'cold_budget', until: NOW + 18 * HOUR });
  });

  it('a cap whose cycle ended and whose start is unknown says nothing of the current cycle', () => {
    const unknown = withCap({ status: 'capped', cycleStart: null, cycleEnd: NOW - 1 });
    expect(coldBudgetInForce(input({ limits: unknown }))).toEqual({ perDay: 30, quotaLeft: null, rampDay: null });
    expect(decideCold(input({ limits: unknown }), counts())).toEqual({ go: true });
  });
});

describe('the windows', () => {
  it('count the day in TIMEZONE and WhatsApp’s cycle from the later of its start and the read', () => {
    expect(coldWindows(NOW, TZ, NO_LIMITS_READ)).toEqual({ dayStart: FRIDAY, nextDay: SATURDAY, reachedSince: FRIDAY, quotaSince: null });
    expect(coldWindows(NOW, TZ, withCap({}))).toEqual({ dayStart: FRIDAY, nextDay: SATURDAY, reachedSince: cap().cycleStart, quotaSince: NOW - HOUR + 1 });
  });
});

describe('a cold message', () => {
  it('goes within the budget', () => {
    expect(decideCold(input(), counts(29))).toEqual({ go: true });
  });

  it('waits for the next local day once COLD_DAILY_CAP customers got one today', () => {
    expect(decideCold(input(), counts(30))).toEqual({ go: false, reason: 'cold_budget', until: SATURDAY });
  });

  it('waits for the end of WhatsApp’s cycle once its quota less the margin is spent', () => {
    const limits = withCap({ used: 30 });
    expect(decideCold(input({ limits }), counts(5, 9))).toEqual({ go: true });
    expect(decideCold(input({ limits }), counts(5, 10))).toEqual({ go: false, reason: 'cold_budget', until: cap().cycleEnd });
  });

  it('both spent: waits for the later', () => {
    const limits = withCap({ used: 40, cycleEnd: NOW + 2 * HOUR });
    expect(decideCold(input({ limits }), counts(30, 0))).toEqual({ go: false, reason: 'cold_budget', until: SATURDAY });
  });

  it('a customer already reached in this cycle spends nothing again', () => {
    expect(decideCold(input(), counts(30, 0, true))).toEqual({ go: true });
  });

  it.each(['second_warning', 'capped'] as CappingStatus[])('%s: waits for the cycle’s end, even for a customer reached before', (status) => {
    expect(decideCold(input({ limits: withCap({ status }) }), counts(0, 0, true))).toEqual({ go: false, reason: 'cold_budget', until: cap().cycleEnd });
    // No end known: looked at again the next day.
    expect(decideCold(input({ limits: withCap({ status, cycleEnd: null }) }), counts())).toEqual({ go: false, reason: 'cold_budget', until: SATURDAY });
  });

  it('a time lock holds every cold message until it ends', () => {
    const lock = { active: true, endsAt: NOW + 5 * HOUR, kind: 'BIZ_QUALITY', readAt: NOW };
    expect(decideCold(input({ limits: { ...NO_LIMITS_READ, lock } }), counts(0, 0, true))).toEqual({ go: false, reason: 'reachout_lock', until: NOW + 5 * HOUR });
    expect(lockHolds({ ...NO_LIMITS_READ, lock }, NOW + 5 * HOUR)).toBe(false);
    expect(decideCold(input({ now: NOW + 5 * HOUR, limits: { ...NO_LIMITS_READ, lock } }), counts())).toEqual({ go: true });
  });

  it('a lock without an end is looked at again in a quarter of an hour; a lock lifted holds nothing', () => {
    const open = { active: true, endsAt: null, kind: null, readAt: NOW };
    expect(decideCold(input({ limits: { ...NO_LIMITS_READ, lock: open } }), counts())).toEqual({ go: false, reason: 'reachout_lock', until: NOW + LOCK_RECHECK_MS });
    const lifted = { active: false, endsAt: NOW + HOUR, kind: 'DEFAULT', readAt: NOW };
    expect(decideCold(input({ limits: { ...NO_LIMITS_READ, lock: lifted } }), counts())).toEqual({ go: true });
  });
});
