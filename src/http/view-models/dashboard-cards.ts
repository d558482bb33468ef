import { formatMoney } from '../../domain/money.js';
import { type Locale, pluralizer, translator } from '../../i18n/index.js';
import { formatDuration, formatRate } from '../../reports/kpi-text.js';
import type { Change, WeeklyReport } from '../../reports/weekly.js';

/** One number of the Painel: its name, the value, the change against the week before and a line of detail. */
export interface DashboardCard {
  name: string;
  value: string;
  /** "+3", "−2", or '' when nothing changed or there is nothing to compare with. */
  delta: string;
  detail: string;
}

/**
 * The week's numbers as the Painel's cards, from the same report as the
 * owner's weekly summary; '—' for a number that cannot be computed yet (no
 * NPS answer, no sale in any currency).
 */
export function buildDashboardCards(report: WeeklyReport, locale: Locale): DashboardCard[] {
  const t = translator(locale);
  const n = pluralizer(locale);
  const number = (value: number) => new Intl.NumberFormat(locale).format(value);
  const percent = (value: number) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value);
  const oneDecimal = (value: number) => new Intl.NumberFormat(locale, { minimumFractionDigits: 1 }).format(value);
  const money = (cents: number, currency: string) => formatMoney(cents, currency, locale);
  const currency = report.revenue.currency;

  /** "+3" / "−2" / "" against the week before; `format` shows the difference's unit. */
  function delta(change: Change, format: (value: number) => string = number): string {
    if (change.change === null || change.change === 0) return '';
    return `${change.change > 0 ? '+' : '−'}${format(Math.abs(change.change))}`;
  }

  return [
    {
      name: 'NPS',
      value: report.nps.value === null ? '—' : number(report.nps.value),
      delta: delta(report.nps),
      detail: t('summary.nps_counts', {
        promoters: n('count.promoters', report.nps.promoters),
        passives: n('count.passives', report.nps.passives),
        detractors: n('count.detractors', report.nps.detractors),
      }),
    },
    { name: t('page.dashboard.purchases'), value: number(report.purchases.value ?? 0), delta: delta(report.purchases), detail: '' },
    {
      name: t('page.dashboard.revenue'),
      value: currency === null ? '—' : money(report.revenue.value ?? 0, currency),
      delta: currency === null ? '' : delta(report.revenue, (cents) => money(cents, currency)),
      detail: report.revenue.others.map((other) => money(other.cents, other.currency)).join(' · '),
    },
    {
      name: t('page.dashboard.new_customers'),
      value: number(report.newCustomers.value ?? 0),
      delta: delta(report.newCustomers),
      detail: n('page.dashboard.returning', report.returningCustomers),
    },
    {
      name: t('page.dashboard.replies'),
      value: number(report.replies.value ?? 0),
      delta: delta(report.replies),
      detail: report.replyRate.value === null ? '' : t('page.dashboard.reply_rate', { rate: percent(report.replyRate.value), asked: n('count.asked', report.replyRate.asked) }),
    },
    {
      name: 'CSAT',
      value: report.csat.value === null ? '—' : oneDecimal(report.csat.value),
      delta: delta(report.csat, oneDecimal),
      detail: report.csat.answers > 0 ? n('page.dashboard.csat_answers', report.csat.answers) : '',
    },
    {
      name: t('page.dashboard.messages'),
      value: number(report.messages.sent),
      delta: '',
      detail: t('page.dashboard.messages_detail', {
        delivered: n('count.messages_delivered', report.messages.delivered),
        read: n('count.messages_read', report.messages.read),
        failed: report.messages.failed + report.messages.unknown,
      }),
    },
    { name: t('page.dashboard.referrals'), value: number(report.referrals.value ?? 0), delta: delta(report.referrals), detail: '' },
    { name: t('page.dashboard.opt_outs'), value: number(report.optOuts.value ?? 0), delta: delta(report.optOuts), detail: '' },
    {
      name: t('page.dashboard.repurchase'),
      value: report.repurchase.rate === null ? '—' : percent(report.repurchase.rate),
      delta: '',
      detail: t('page.dashboard.repurchase_detail', { repeated: number(report.repurchase.repeated), cohort: n('count.new_customers', report.repurchase.cohort) }),
    },
    {
      name: t('page.dashboard.at_risk'),
      value: number(report.atRisk.count),
      delta: '',
      detail: t('page.dashboard.at_risk_detail', { days: report.atRisk.inactivityDays }),
    },
    ...kpiCards(report, locale),
  ];
}

/** Issue 21: churn, time to resolve and reputation, each with the counts behind it (docs/metrics.md, Post-sale KPIs). */
function kpiCards(report: WeeklyReport, locale: Locale): DashboardCard[] {
  const t = translator(locale);
  const n = pluralizer(locale);
  const number = (value: number) => new Intl.NumberFormat(locale).format(value);
  const { churn, timeToResolve: resolve, reputation } = report;
  const duration = (ms: number | null) => (ms === null ? '—' : formatDuration(ms, locale));

  const resolveDetail = [
    resolve.firstReply.cases > 0
      ? t('kpi.card.resolve_first', { median: duration(resolve.firstReply.medianMs), mean: duration(resolve.firstReply.meanMs), cases: n('kpi.count.cases', resolve.firstReply.cases) })
      : null,
    resolve.end.cases > 0 ? t('kpi.card.resolve_end', { median: duration(resolve.end.medianMs), mean: duration(resolve.end.meanMs), cases: n('kpi.count.cases', resolve.end.cases) }) : null,
    resolve.open > 0 ? t('kpi.card.resolve_open', { open: n('kpi.count.open', resolve.open), unanswered: number(resolve.unanswered) }) : null,
  ].filter((part): part is string => part !== null);

  return [
    {
      name: t('kpi.card.churn'),
      value: churn.rate === null ? '—' : formatRate(churn.rate, locale),
      delta: '',
      detail:
        churn.active === 0
          ? t('kpi.card.churn_none', { days: churn.inactivityDays })
          : t('kpi.card.churn_detail', { churned: number(churn.churned), active: n('kpi.count.active', churn.active), days: churn.inactivityDays }),
    },
    {
      name: t('kpi.card.resolve'),
      value: duration(resolve.firstReply.medianMs),
      delta: '',
      detail: resolveDetail.length === 0 ? t('kpi.card.resolve_none') : resolveDetail.join(' · '),
    },
    reputation.measured
      ? {
          name: t('kpi.card.reputation'),
          value: reputation.rate === null ? '—' : formatRate(reputation.rate, locale),
          delta: '',
          detail:
            reputation.asked === 0
              ? t('kpi.card.reputation_none')
              : t('kpi.card.reputation_detail', { followed: number(reputation.followed), asked: n('kpi.count.asked_review', reputation.asked) }),
        }
      : { name: t('kpi.card.reputation'), value: t('kpi.not_measured'), delta: '', detail: t(`kpi.reputation.${reputation.reason}`) },
  ];
}
