import { describe, expect, it } from 'vitest';
import { estimateSendTime, type SendLoad } from '../../src/campaigns/estimate-send-time.js';
import type { PacingRules } from '../../src/scheduler/pacing-rules.js';
import { NO_LIMITS_READ } from '../../src/channels/channel.js';

// Friday 2026-11-20, 12:00 in São Paulo (UTC−3); quiet hours 20:00–09:00.
const NOON = Date.parse('2026-11-20T15:00:00Z');
const at = (local: string) => Date.parse(`${local}-03:00`);

const rules: PacingRules = {
  timezone: 'America/Sao_Paulo',
  quietHours: { startMinute: 20 * 60, endMinute: 9 * 60 },
  sendDays: null,
  gapSeconds: { min: 20, max: 60 },
  dailyCap: 200,
  cold: { dailyCap: 30, warmup: [], quotaMarginPercent: 20 },
};
const load = (overrides: Partial<SendLoad>): SendLoad => ({
  start: NOON,
  warm: 0,
  cold: 0,
  queuedAhead: 0,
  sentToday: 0,
  coldSentToday: 0,
  coldSentSinceQuotaRead: 0,
  limits: NO_LIMITS_READ,
  linkedAt: null,
  ...overrides,
});

describe('the estimated time to send a campaign', () => {
  it('spaces the messages by the mean gap', () => {
    const estimate = estimateSendTime(rules, load({ warm: 100 }));
    expect(estimate).toEqual({ firstAt: NOON, lastAt: NOON + 99 * 40_000, durationMs: 99 * 40_000, days: 1, unplaced: 0 });
  });

  it('waits for the end of the quiet hours', () => {
    const estimate = estimateSendTime(rules, load({ start: at('2026-11-20T22:00:00'), warm: 1 }));
    expect(estimate.firstAt).toBe(at('2026-11-21T09:00:00'));
    expect(estimate.lastAt).toBe(at('2026-11-21T09:00:00'));
  });

  it('stops at the daily cap, counting what went today and what is queued ahead', () => {
    // Cap 2: one already sent today and one queued ahead leave nothing today; 5 recipients take Sat (2), Sun (2), Mon (1).
    const estimate = estimateSendTime({ ...rules, dailyCap: 2 }, load({ warm: 5, sentToday: 1, queuedAhead: 1 }));
    expect(estimate.firstAt).toBe(NOON);
    expect(estimate.lastAt).toBe(at('2026-11-23T09:00:00'));
    expect(estimate.days).toBe(4);
  });

  it('sends cold customers within the cold budget, warm ones meanwhile', () => {
    // 3 new chats a day, 2 spent today: 10 cold go 1 on Friday, then 3 on Saturday, Sunday and Monday at 09:00;
    // the 20 warm go on Friday afternoon.
    const estimate = estimateSendTime({ ...rules, cold: { ...rules.cold, dailyCap: 3 } }, load({ warm: 20, cold: 10, coldSentToday: 2 }));
    expect(estimate.lastAt).toBe(at('2026-11-23T09:00:00') + 2 * 40_000);
    expect(estimate.days).toBe(4);
  });

  it('follows the warm-up ramp day by day', () => {
    const estimate = estimateSendTime({ ...rules, cold: { ...rules.cold, warmup: [1, 2, 4] } }, load({ cold: 7, linkedAt: NOON }));
    // Friday 1, Saturday 2, Sunday 4.
    expect(estimate.lastAt).toBe(at('2026-11-22T09:00:00') + 3 * 40_000);
  });

  it('leaves unplaced the cold messages a time lock without an end holds', () => {
    const limits = { ...NO_LIMITS_READ, lock: { active: true, endsAt: null } } as unknown as SendLoad['limits'];
    const estimate = estimateSendTime(rules, load({ warm: 2, cold: 3, limits }));
    expect(estimate.unplaced).toBe(3);
    expect(estimate.lastAt).toBe(NOON + 40_000);
  });

  it('keeps to the send days', () => {
    const estimate = estimateSendTime({ ...rules, sendDays: ['mon', 'tue', 'wed', 'thu', 'fri'], dailyCap: 1 }, load({ warm: 2 }));
    expect(estimate.lastAt).toBe(at('2026-11-23T09:00:00'));
  });
});
