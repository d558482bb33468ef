/**
 * Sends the owner's weekly summary at WEEKLY_SUMMARY_CRON (in TIMEZONE)
 * through the send governor, once per week whatever happens: the next moment
 * it is due is stored, the tick sends what is due, and the reports table
 * (one row per ISO week) makes a repeated tick, a restart or a clock set
 * back send nothing twice. A week missed while the service was down goes at
 * the next tick, marked late; of several missed weeks only the latest goes
 * (the others are old news).
 */
import fs from 'node:fs';
import path from 'node:path';
import cron, { type ScheduledTask } from 'node-cron';
import { newMessageId as defaultMessageId } from '../channels/channel.js';
import type { Config } from '../config.js';
import { hasReviewStep, reviewTrackingOf, type ReviewTracking } from '../domain/review-link.js';
import type { Locale } from '../i18n/index.js';
import { translate } from '../i18n/index.js';
import { renderTrendChart } from '../reports/chart.js';
import { describeNewChatQuota } from '../reports/new-chat-quota.js';
import { weekOf, weeksBefore, type Week } from '../reports/period.js';
import { renderSummary, type RenderedSummary } from '../reports/render-summary.js';
import { buildWeeklyReport, type WeeklyReport } from '../reports/weekly.js';
import type { Repositories } from '../storage/repositories/index.js';
import type { Clock } from './clock.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** How far ahead (and behind) a schedule is looked for: a weekly one always has a moment in 8 days. */
const SEARCH_MINUTES = 8 * 24 * 60;
/** Sent more than this after its moment, a summary says it is late. */
const LATE_AFTER_MS = DAY;
/** A summary not sent within a week (the number stayed restricted) is not worth sending. */
const LIFETIME_MS = 7 * DAY;
const NEXT_KEY = 'weekly_summary.next_at';

export interface WeeklySummaryOptions {
  repos: Pick<Repositories, 'metrics' | 'reports' | 'outbox' | 'schedulerState' | 'transaction' | 'whatsappLimits'>;
  clock: Clock;
  timezone: string;
  locale: Locale;
  shopName: string;
  ownerPhones: string[];
  /** WEEKLY_SUMMARY_CRON. */
  cron: string;
  /** The shop's inactivity threshold in days (the customers-at-risk line); a function when the flows can change while the service runs. */
  inactivityDays: number | (() => number);
  /** HANDOFF_PAUSE_HOURS, for the time to resolve (issue 21). */
  handoffPauseHours: number;
  /** Whether review-link opens can be counted, now (the flows can change while the service runs). */
  reviewTracking: ReviewTracking | (() => ReviewTracking);
  /** Where the chart images are written (DATA_DIR/reports). */
  chartsDir: string;
  newMessageId?: () => string;
  log?: (level: 'info' | 'warn', message: string, details?: Record<string, unknown>) => void;
}

export interface PreparedSummary {
  week: Week;
  report: WeeklyReport;
  rendered: RenderedSummary;
}

export type SendOutcome =
  | { queued: true; week: string; late: boolean; recipients: number }
  | { queued: false; week: string; reason: 'already_sent' | 'no_owner_phone' };

export class WeeklySummary {
  readonly #o: WeeklySummaryOptions;
  readonly #schedule: ScheduledTask;
  /** node-cron's matcher, which walks its fields to the next moment on any clock (the service's own). */
  readonly #matcher: { getNextMatch(date: Date): Date };
  /** NEXT_KEY as stored: read once, then kept here (the tick asks on every pass). */
  #nextDue: number | null | undefined;

  constructor(options: WeeklySummaryOptions) {
    this.#o = options;
    // A task never started: only its matcher is used, on the service's own clock.
    this.#schedule = cron.createTask(options.cron, () => undefined, { timezone: options.timezone, name: 'fregues-weekly-summary-matcher' });
    // Not in node-cron's typed API (pinned in package.json): a version without it fails here, at start, not on a Monday.
    const matcher = (this.#schedule as unknown as { timeMatcher?: { getNextMatch?: (date: Date) => Date } }).timeMatcher;
    if (typeof matcher?.getNextMatch !== 'function') throw new Error('node-cron no longer exposes its time matcher: the weekly summary cannot find its moments');
    this.#matcher = matcher as { getNextMatch(date: Date): Date };
  }

  #inactivityDays(): number {
    const days = this.#o.inactivityDays;
    return typeof days === 'function' ? days() : days;
  }

  /** The week a summary due at `at` covers: the last whole week before that moment. */
  weekDueAt(at: number): Week {
    return weeksBefore(weekOf(at, this.#o.timezone), 1, this.#o.timezone);
  }

  /** The numbers, the text and the chart's data for a week; WhatsApp's new-chat quota as last read, now. */
  prepare(week: Week, late = false): PreparedSummary {
    const { repos, timezone, locale, shopName } = this.#o;
    const tracking = this.#o.reviewTracking;
    const report = buildWeeklyReport(
      {
        metrics: repos.metrics,
        timeZone: timezone,
        inactivityDays: this.#inactivityDays(),
        handoffPauseHours: this.#o.handoffPauseHours,
        reviewTracking: typeof tracking === 'function' ? tracking() : tracking,
        now: this.#o.clock.now(),
      },
      week,
    );
    const whatsapp = describeNewChatQuota(repos.whatsappLimits.read().cap, this.#o.clock.now(), { locale, timeZone: timezone });
    return { week, report, rendered: renderSummary(report, { locale, shopName, late, whatsapp }) };
  }

  /** When the next scheduled summary is due (stored, so that a restart keeps it). */
  nextDueAt(): number | null {
    if (this.#nextDue !== undefined) return this.#nextDue;
    const stored = this.#o.repos.schedulerState.get(NEXT_KEY);
    if (stored !== undefined) return (this.#nextDue = Number(stored));
    const next = this.#nextAfter(this.#o.clock.now());
    if (next !== null) this.#planNext(next);
    return next;
  }

  #planNext(at: number): void {
    this.#o.repos.schedulerState.set(NEXT_KEY, String(at));
    this.#nextDue = at;
  }

  /**
   * The tick's part: sends the summary when it is due, then plans the next one.
   * Undefined, at once, when nothing is due: a tick pays nothing for it.
   */
  runDue(): Promise<SendOutcome> | undefined {
    const now = this.#o.clock.now();
    let due = this.nextDueAt();
    if (due === null || due > now) return undefined;
    // After a long downtime, the latest moment that has passed: its week is the one worth sending.
    for (let next = this.#nextAfter(due); next !== null && next <= now; next = this.#nextAfter(next)) due = next;
    const late = now - due > LATE_AFTER_MS;
    return this.send(this.weekDueAt(due), { late, scheduled: true }).finally(() => this.#planNext(this.#nextAfter(now) ?? now + 7 * DAY));
  }

  /**
   * Queues the summary of `week` to every OWNER_PHONE: the text, then the chart.
   * A scheduled send is recorded in the reports table and happens once per week;
   * one asked for by hand (the API, the CLI) is not recorded and may be repeated.
   */
  async send(week: Week, options: { late?: boolean; scheduled?: boolean } = {}): Promise<SendOutcome> {
    const { repos, clock, ownerPhones } = this.#o;
    const scheduled = options.scheduled ?? false;
    if (scheduled && repos.reports.find(week.id)) return { queued: false, week: week.id, reason: 'already_sent' };
    if (ownerPhones.length === 0) {
      this.#o.log?.('warn', 'the weekly summary was not sent: OWNER_PHONE is not set', { week: week.id });
      return { queued: false, week: week.id, reason: 'no_owner_phone' };
    }
    const late = options.late ?? false;
    const prepared = this.prepare(week, late);
    const png = await renderTrendChart(prepared.rendered.chart.points, prepared.rendered.chart.text);
    const now = clock.now();
    const key = scheduled ? `weekly:${week.id}` : `weekly:${week.id}:asked:${now}`;
    const file = path.join(this.#o.chartsDir, `${scheduled ? week.id : `${week.id}-${now}`}.png`);
    fs.mkdirSync(this.#o.chartsDir, { recursive: true });
    fs.writeFileSync(file, png);
    const newMessageId = this.#o.newMessageId ?? defaultMessageId;
    const caption = translate(this.#o.locale, 'summary.chart_caption');
    const queued = repos.transaction(() => {
      if (scheduled && !repos.reports.record({ week: week.id, text: prepared.rendered.text, metrics: JSON.stringify(prepared.report), late, createdAt: now })) {
        return false;
      }
      const common = { runId: null, stepId: null, customerId: null, purpose: 'owner' as const, marketing: false, dueAt: now, notBefore: now, expiresAt: now + LIFETIME_MS };
      repos.outbox.enqueue(
        ownerPhones.flatMap((owner) => [
          { ...common, dedupeKey: `${key}:${owner}:text`, toPhone: owner, waId: newMessageId(), content: { kind: 'text' as const, text: prepared.rendered.text } },
          { ...common, dedupeKey: `${key}:${owner}:chart`, toPhone: owner, waId: newMessageId(), content: { kind: 'image' as const, file, caption } },
        ]),
        now,
      );
      return true;
    });
    if (!queued) return { queued: false, week: week.id, reason: 'already_sent' };
    this.#o.log?.('info', 'weekly summary queued', { week: week.id, late, recipients: ownerPhones.length });
    return { queued: true, week: week.id, late, recipients: ownerPhones.length };
  }

  stop(): void {
    void this.#schedule.destroy();
  }

  /** The first scheduled minute after `after`, within eight days; null for a schedule that never comes then. */
  #nextAfter(after: number): number | null {
    const from = Math.floor(after / MINUTE) * MINUTE + MINUTE;
    const next = this.#matcher.getNextMatch(new Date(from - 1_000)).getTime();
    return next >= from && next - from <= SEARCH_MINUTES * MINUTE ? next : null;
  }
}

/** The summary as the service configures it: the one place that reads the settings it needs. */
export function weeklySummaryFor(
  config: Pick<Config, 'timezone' | 'locale' | 'shopName' | 'ownerPhones' | 'weeklySummaryCron' | 'dataDir' | 'handoffPauseHours' | 'publicUrl' | 'shopReviewUrl'>,
  deps: Pick<WeeklySummaryOptions, 'repos' | 'clock' | 'log'> & {
    /** The flows now (a function: they change when a flow file does), for the win-back threshold. */
    flows: readonly FlowTrigger[] | (() => readonly FlowTrigger[]);
  },
): WeeklySummary {
  const { flows } = deps;
  return new WeeklySummary({
    repos: deps.repos,
    clock: deps.clock,
    timezone: config.timezone,
    locale: config.locale,
    shopName: config.shopName,
    ownerPhones: config.ownerPhones,
    cron: config.weeklySummaryCron,
    inactivityDays: typeof flows === 'function' ? () => inactivityDaysOf(flows()) : inactivityDaysOf(flows),
    handoffPauseHours: config.handoffPauseHours,
    reviewTracking: () =>
      reviewTrackingOf({ publicUrl: config.publicUrl, shopReviewUrl: config.shopReviewUrl, hasReviewStep: hasReviewStep(typeof flows === 'function' ? flows() : flows) }),
    chartsDir: path.join(config.dataDir, 'reports'),
    ...(deps.log ? { log: deps.log } : {}),
  });
}

type FlowTrigger = { trigger: { type: string; days?: number }; steps?: unknown };

/** The shop's inactivity threshold: its win-back flows' smallest `days`, or 60. */
export function inactivityDaysOf(flows: readonly FlowTrigger[]): number {
  const days = flows.flatMap((flow) => (flow.trigger.type === 'inactivity' && typeof flow.trigger.days === 'number' ? [flow.trigger.days] : []));
  return days.length > 0 ? Math.min(...days) : 60;
}
