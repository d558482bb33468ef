/**
 * The post-sale KPIs (issue 21: churn, time to resolve, reputation) in the
 * owner's words, for the weekly summary and the Painel alike: each rate with
 * the counts behind it, never a bare percentage. Definitions: docs/metrics.md.
 */
import { type Locale, pluralizer, translator } from '../i18n/index.js';
import type { WeeklyReport } from './weekly.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "45 min", "2 h", "2 h 15 min", "1 dia e 3 h": minutes under a day, hours beyond. */
export function formatDuration(ms: number, locale: Locale): string {
  const t = translator(locale);
  const n = pluralizer(locale);
  if (ms < HOUR) return t('kpi.duration.minutes', { minutes: Math.max(0, Math.round(ms / MINUTE)) });
  if (ms < DAY) {
    const minutes = Math.round(ms / MINUTE);
    const [hours, rest] = [Math.floor(minutes / 60), minutes % 60];
    if (hours === 24) return n('kpi.duration.days', 1);
    return rest === 0 ? t('kpi.duration.hours', { hours }) : t('kpi.duration.hours_minutes', { hours, minutes: rest });
  }
  const hoursTotal = Math.round(ms / HOUR);
  const [days, hours] = [Math.floor(hoursTotal / 24), hoursTotal % 24];
  return hours === 0 ? n('kpi.duration.days', days) : t('kpi.duration.days_hours', { days: n('kpi.duration.days', days), hours });
}

/** A rate to one decimal when it needs one: "2,5%", "40%". */
export function formatRate(rate: number, locale: Locale): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

/** The summary's churn line ("📉 … 3 de 120 clientes ativos (2,5%) …"); null when nobody was active at the week's start. */
export function churnLine(report: WeeklyReport, locale: Locale): string | null {
  const { churn } = report;
  if (churn.active === 0 || churn.rate === null) return null;
  const number = new Intl.NumberFormat(locale);
  return translator(locale)('kpi.summary.churn', {
    churned: number.format(churn.churned),
    active: pluralizer(locale)('kpi.count.active', churn.active),
    rate: formatRate(churn.rate, locale),
    days: churn.inactivityDays,
  });
}

/** The summary's time-to-resolve line (medians, with their cases, and the open ones); null without a case. */
export function resolveLine(report: WeeklyReport, locale: Locale): string | null {
  const { firstReply, end, open } = report.timeToResolve;
  const t = translator(locale);
  const n = pluralizer(locale);
  const parts: string[] = [];
  if (firstReply.medianMs !== null) parts.push(t('kpi.summary.resolve_first', { median: formatDuration(firstReply.medianMs, locale), cases: n('kpi.count.cases', firstReply.cases) }));
  if (end.medianMs !== null) parts.push(t('kpi.summary.resolve_end', { median: formatDuration(end.medianMs, locale), cases: n('kpi.count.cases', end.cases) }));
  if (open > 0) parts.push(n('kpi.count.open', open));
  return parts.length === 0 ? null : t('kpi.summary.resolve', { parts: parts.join(', ') });
}

/** The summary's reputation line, only when it is measured and someone was asked. */
export function reputationLine(report: WeeklyReport, locale: Locale): string | null {
  const { reputation } = report;
  if (!reputation.measured || reputation.asked === 0 || reputation.rate === null) return null;
  return translator(locale)('kpi.summary.reputation', {
    followed: new Intl.NumberFormat(locale).format(reputation.followed),
    asked: pluralizer(locale)('kpi.count.asked_review', reputation.asked),
    rate: formatRate(reputation.rate, locale),
  });
}
