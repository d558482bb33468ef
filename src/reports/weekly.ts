/**
 * The weekly summary's numbers: one ISO week in the shop's TIMEZONE, the week
 * before it for the changes, and eight weeks for the trend. Every definition
 * is in docs/metrics.md; the SQL is in storage/repositories/metrics.ts.
 */
import { localParts } from '../domain/local-time.js';
import type { ReviewTracking, ReviewTrackingOff } from '../domain/review-link.js';
import type { AttentionCustomer, MetricsRepository, PeriodCounts, Resolution } from '../storage/repositories/metrics.js';
import { weeksBefore, type Week } from './period.js';

const DAY_MS = 86_400_000;
/** A first purchase is followed for this long for a second one. */
export const REPURCHASE_WINDOW_DAYS = 90;
export const TREND_WEEKS = 8;

export interface Change {
  value: number | null;
  previous: number | null;
  /** value - previous, when both exist. */
  change: number | null;
}

export interface TrendWeek {
  week: string;
  monday: { year: number; month: number; day: number };
  nps: number | null;
  /** Customers who answered a question that week. */
  replies: number;
  purchases: number;
}

export interface WeeklyReport {
  week: string;
  from: number;
  to: number;
  nps: Change & { promoters: number; passives: number; detractors: number };
  purchases: Change;
  /** Revenue of the shop's main currency (the one with most revenue), in cents. */
  revenue: Change & { currency: string | null; others: { currency: string; cents: number }[] };
  newCustomers: Change;
  returningCustomers: number;
  messages: PeriodCounts['messages'];
  /** Customers who answered a question in the week. */
  replies: Change;
  /** Of the customers asked a question in the week, the share (0-1) who answered in the week. */
  replyRate: Change & { asked: number; answered: number };
  /** Average of each customer's latest CSAT (1-5) of the week, one decimal. */
  csat: Change & { answers: number };
  /** converted (issue 21): referrals that became customers in the week; absent in summaries stored before it. */
  referrals: Change & { people: PeriodCounts['referrals']; converted?: number };
  optOuts: Change;
  repurchase: { cohortFrom: number; cohortTo: number; cohort: number; repeated: number; rate: number | null };
  atRisk: { count: number; inactivityDays: number };
  birthdays: { customerId: number; name: string | null; phone: string; monthDay: string }[];
  attention: {
    detractors: (AttentionCustomer & { score: number; comment: string | null })[];
    questions: (AttentionCustomer & { text: string | null })[];
  };
  /** Issue 21: customers active at the week's start who crossed the inactivity threshold during it (docs/metrics.md, Post-sale KPIs). */
  churn: { active: number; churned: number; rate: number | null; inactivityDays: number };
  /** Issue 21: from an alert to the owner to their first reply, and to the end of the handoff (HANDOFF_PAUSE_HOURS after the last). */
  timeToResolve: Resolution & { pauseHours: number };
  /** Issue 21: of the customers sent a tracked review link in the week, those who followed it; or why it is not measured. */
  reputation: { measured: true; asked: number; followed: number; rate: number | null } | { measured: false; reason: ReviewTrackingOff };
  /** The last TREND_WEEKS weeks, oldest first, this week last. */
  trend: TrendWeek[];
  /** Nothing happened: no purchase, no message, no answer, no referral, no opt-out. */
  quiet: boolean;
}

export interface WeeklyReportDeps {
  metrics: MetricsRepository;
  timeZone: string;
  /** The shop's inactivity threshold (its win-back flow's days, or the default). */
  inactivityDays: number;
  /** HANDOFF_PAUSE_HOURS: how long after the owner's last message a handoff ends. */
  handoffPauseHours: number;
  /** Whether review-link opens can be counted (src/domain/review-link.ts). */
  reviewTracking: ReviewTracking;
  /** Now: a week not over yet counts the thresholds crossed and the handoffs ended so far, not those still to come. */
  now?: number;
}

export function npsOf(nps: { promoters: number; passives: number; detractors: number }): number | null {
  const total = nps.promoters + nps.passives + nps.detractors;
  return total === 0 ? null : Math.round((100 * (nps.promoters - nps.detractors)) / total);
}

function change(value: number | null, previous: number | null): Change {
  return { value, previous, change: value === null || previous === null ? null : round(value - previous, 3) };
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : round(part / whole, 3);
}

export function buildWeeklyReport(deps: WeeklyReportDeps, week: Week): WeeklyReport {
  const { metrics, timeZone } = deps;
  const previousWeek = weeksBefore(week, 1, timeZone);
  const now = metrics.period(week.from, week.to);
  const before = metrics.period(previousWeek.from, previousWeek.to);

  const main = now.revenue[0]?.currency ?? before.revenue[0]?.currency ?? null;
  const cents = (counts: PeriodCounts) => (main === null ? null : (counts.revenue.find((row) => row.currency === main)?.cents ?? 0));
  const csatOf = (counts: PeriodCounts) => (counts.csat.answers === 0 ? null : round(counts.csat.sum / counts.csat.answers, 1));

  const trend: TrendWeek[] = [];
  for (let back = TREND_WEEKS - 1; back >= 0; back -= 1) {
    const w = back === 0 ? week : weeksBefore(week, back, timeZone);
    const counts = back === 0 ? now : back === 1 ? before : undefined;
    const line = counts ?? metrics.trend(w.from, w.to);
    trend.push({ week: w.id, monday: w.monday, nps: npsOf(line.nps), replies: line.answered, purchases: line.purchases });
  }

  // Followed long enough: first purchases 90 to 180 days before the week ended.
  const cohortTo = week.to - REPURCHASE_WINDOW_DAYS * DAY_MS;
  const cohortFrom = cohortTo - REPURCHASE_WINDOW_DAYS * DAY_MS;
  const repurchase = metrics.repurchase(cohortFrom, cohortTo, REPURCHASE_WINDOW_DAYS * DAY_MS);

  const until = Math.min(week.to, deps.now ?? week.to);
  const churn = metrics.churn(week.from, until, deps.inactivityDays * DAY_MS);
  const tracking = deps.reviewTracking;
  const links = tracking.measured ? metrics.reviewLinks(week.from, week.to, tracking.linkPrefix) : null;

  const quiet =
    now.purchases === 0 &&
    now.messages.sent + now.messages.failed + now.messages.unknown === 0 &&
    now.answered === 0 &&
    now.referrals.length === 0 &&
    now.optOuts === 0;

  return {
    week: week.id,
    from: week.from,
    to: week.to,
    nps: { ...change(npsOf(now.nps), npsOf(before.nps)), ...now.nps },
    purchases: change(now.purchases, before.purchases),
    revenue: { ...change(cents(now), cents(before)), currency: main, others: now.revenue.filter((row) => row.currency !== main) },
    newCustomers: change(now.newCustomers, before.newCustomers),
    returningCustomers: now.returningCustomers,
    messages: now.messages,
    replies: change(now.answered, before.answered),
    replyRate: { ...change(ratio(now.askedAndAnswered, now.asked), ratio(before.askedAndAnswered, before.asked)), asked: now.asked, answered: now.askedAndAnswered },
    csat: { ...change(csatOf(now), csatOf(before)), answers: now.csat.answers },
    referrals: { ...change(now.referrals.length, before.referrals.length), people: now.referrals, converted: now.referralsConverted },
    optOuts: change(now.optOuts, before.optOuts),
    repurchase: { cohortFrom, cohortTo, ...repurchase, rate: ratio(repurchase.repeated, repurchase.cohort) },
    atRisk: { count: metrics.atRisk(week.to - deps.inactivityDays * DAY_MS), inactivityDays: deps.inactivityDays },
    birthdays: metrics.birthdays(nextMonthDays(week.to, 7, timeZone)),
    attention: { detractors: metrics.detractorsWaiting(week.from, week.to), questions: metrics.questionsWaiting(week.from, week.to) },
    churn: { ...churn, rate: ratio(churn.churned, churn.active), inactivityDays: deps.inactivityDays },
    timeToResolve: { ...metrics.resolution(week.from, until, deps.handoffPauseHours * 3_600_000), pauseHours: deps.handoffPauseHours },
    reputation: tracking.measured ? { measured: true, ...links!, rate: ratio(links!.followed, links!.asked) } : { measured: false, reason: tracking.reason },
    trend,
    quiet,
  };
}

/** "MM-DD" of the `count` local days from `from`; 29 February is celebrated on 1 March in other years. */
function nextMonthDays(from: number, count: number, timeZone: string): string[] {
  const days: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const day = localParts(from + i * DAY_MS + DAY_MS / 2, timeZone);
    days.push(`${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}`);
    const leap = (day.year % 4 === 0 && day.year % 100 !== 0) || day.year % 400 === 0;
    if (day.month === 3 && day.day === 1 && !leap) days.push('02-29');
  }
  return days;
}
