import { pacingRulesOf } from './pacing-rules.js';
import type { Channel } from '../channels/channel.js';
import type { Config } from '../config.js';
import { reviewTrackingOf } from '../domain/review-link.js';
import type { Flow } from '../flows/flow-types.js';
import { renderTemplate } from '../flows/render-template.js';
import { translate } from '../i18n/index.js';
import type { Repositories } from '../storage/repositories/index.js';
import type { Clock } from './clock.js';
import { FlowRunner } from './flow-runner.js';
import { SendGovernor } from './send-governor.js';
import { Scheduler } from './scheduler.js';
import { weeklySummaryFor, type WeeklySummary } from './weekly-summary.js';

export interface FlowServices {
  runner: FlowRunner;
  governor: SendGovernor;
  scheduler: Scheduler;
  /** The owner's weekly summary (sent by the scheduler's tick; the API and the CLI ask it too). */
  weekly: WeeklySummary;
}

export type FlowConfig = Pick<
  Config,
  'timezone' | 'locale' | 'defaultCountry' | 'publicUrl' | 'handoffPauseHours' | 'ownerAlertsAnytime' | 'shopName' | 'shopReviewUrl' | 'ownerPhones' | 'quietHours' | 'sendDays' | 'sendGapSeconds' | 'dailySendCap' | 'coldDailyCap' | 'coldWarmup' | 'coldQuotaMarginPercent' | 'contactCapPerWeek' | 'flowsDir' | 'tickSeconds' | 'weeklySummaryCron' | 'dataDir'
>;

export interface FlowServicesInput {
  config: FlowConfig;
  flows: Flow[];
  repos: Repositories;
  channel: Channel;
  clock: Clock;
  random?: () => number;
  log?: (level: 'info' | 'warn' | 'error', message: string, details?: Record<string, unknown>) => void;
  /** false: no weekly summary from the tick (a dry run of one flow). Default true. */
  weeklySummary?: boolean;
}

/**
 * Puts the flows to work: the runner (enrolment and the engine), the send
 * governor and the scheduler; settles the sends a crash interrupted. The
 * assembly (src/assemble.ts) connects them to the channel's traffic.
 */
export function createFlowServices(input: FlowServicesInput): FlowServices {
  const { config, repos, channel, clock } = input;
  const log = input.log ?? (() => {});
  const runner = new FlowRunner({
    repos,
    flows: input.flows,
    clock,
    timezone: config.timezone,
    locale: config.locale,
    shopName: config.shopName,
    shopReviewUrl: config.shopReviewUrl ?? '',
    // Issue 21: review links go through the counting redirect (GET /r/<token>) only when PUBLIC_URL is public.
    reviewLinkPrefix: reviewLinkPrefixOf(config),
    ownerPhones: config.ownerPhones,
    quietHours: config.quietHours,
    sendDays: config.sendDays,
    render: (template, context) => renderTemplate(template, context, config.timezone),
    warn: (message, details) => log('warn', message, details),
  });
  const governor = new SendGovernor({
    repos,
    channel,
    clock,
    ...pacingRulesOf(config),
    contactCapPerWeek: config.contactCapPerWeek,
    ownerAlertsAnytime: config.ownerAlertsAnytime,
    flowsDir: config.flowsDir,
    ...(input.random ? { random: input.random } : {}),
    onAlert: (message) => log('error', message),
    log: (message, details) => log('warn', message, details),
  });
  // The flows now, not the start's: a win-back flow's `days` may change while the service runs.
  const weekly = weeklySummaryFor(config, { repos, clock, flows: () => runner.flows, log: (level, message, details) => log(level, message, details) });
  const scheduler = new Scheduler({
    ...(input.weeklySummary === false ? {} : { weekly }),
    runner,
    governor,
    runs: repos.runs,
    timezone: config.timezone,
    tickSeconds: config.tickSeconds,
    now: () => clock.now(),
    onError: (error) => log('error', 'scheduler tick failed', { err: error }),
  });

  for (const { flowId, runs } of runner.removedFlowsWithRuns()) {
    log('warn', translate(config.locale, 'log.flow_removed_with_runs', { id: flowId, runs }), { flowId, runs });
  }
  const { confirmed, unknown } = governor.reconcile();
  if (confirmed + unknown > 0) log('warn', 'interrupted sends settled at start', { confirmed, unknown });
  return { runner, governor, scheduler, weekly };
}

/** The tracked review links' prefix (PUBLIC_URL/r/) when opens can be counted; undefined: customers get SHOP_REVIEW_URL itself. */
function reviewLinkPrefixOf(config: Pick<FlowConfig, 'publicUrl' | 'shopReviewUrl'>): string | undefined {
  // A message that names {{ shop.review_url }} is itself the review step.
  const tracking = reviewTrackingOf({ publicUrl: config.publicUrl, shopReviewUrl: config.shopReviewUrl, hasReviewStep: true });
  return tracking.measured ? tracking.linkPrefix : undefined;
}
