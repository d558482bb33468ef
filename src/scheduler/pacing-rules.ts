import type { Config } from '../config.js';
import type { QuietHours, Weekday } from '../domain/local-time.js';
import type { ColdRules } from './cold-budget.js';

/** How customer messages are paced: what the send governor obeys and the campaigns' send estimate foresees. */
export interface PacingRules {
  timezone: string;
  quietHours: QuietHours | null;
  sendDays: readonly Weekday[] | null;
  gapSeconds: { min: number; max: number };
  dailyCap: number;
  /** Messages to customers who never wrote to the shop (issue 18): COLD_DAILY_CAP, COLD_WARMUP, COLD_QUOTA_MARGIN. */
  cold: ColdRules;
}

/** The pacing the configuration sets, read in one place for the governor and the estimate. */
export function pacingRulesOf(
  config: Pick<Config, 'timezone' | 'quietHours' | 'sendDays' | 'sendGapSeconds' | 'dailySendCap' | 'coldDailyCap' | 'coldWarmup' | 'coldQuotaMarginPercent'>,
): PacingRules {
  return {
    timezone: config.timezone,
    quietHours: config.quietHours,
    sendDays: config.sendDays,
    gapSeconds: config.sendGapSeconds,
    dailyCap: config.dailySendCap,
    cold: { dailyCap: config.coldDailyCap, warmup: config.coldWarmup, quotaMarginPercent: config.coldQuotaMarginPercent },
  };
}
