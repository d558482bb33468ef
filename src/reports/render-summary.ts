/**
 * The weekly summary as the owner reads it on WhatsApp: short lines,
 * *bold* headings, a few emojis, most important first (NPS, who needs a
 * call, referrals, then the rest), always under 1,000 characters. A quiet
 * week gets two honest lines instead of a table of zeros.
 */
import { formatMoney } from '../domain/money.js';
import { waMeLink } from '../domain/phone.js';
import { type Locale, pluralizer, translator, type Translate } from '../i18n/index.js';
import type { ChartText, TrendPoint } from './chart.js';
import { churnLine, reputationLine, resolveLine } from './kpi-text.js';
import type { Change, WeeklyReport } from './weekly.js';

export const SUMMARY_MAX_CHARS = 1_000;
/** Names listed under a heading before "…and N more". */
const LIST_MAX = 3;
const QUOTE_MAX = 60;
const SPARKS = '▁▂▃▄▅▆▇█';

export interface SummaryOptions {
  locale: Locale;
  shopName: string;
  /** Sent after its time had passed (the service was down). */
  late?: boolean;
  /**
   * WhatsApp's new-chat quota in the owner's words ("37 de 50 conversas novas
   * usadas neste ciclo, renova em 12/12": reports/new-chat-quota.ts), read by
   * the caller from the channel's last reading; none: no line.
   */
  whatsapp?: string | null;
}

export interface RenderedSummary {
  text: string;
  chart: { points: TrendPoint[]; text: ChartText };
}

export function renderSummary(report: WeeklyReport, options: SummaryOptions): RenderedSummary {
  const { locale } = options;
  const t = translator(locale);
  const n = pluralizer(locale);
  const number = (value: number) => new Intl.NumberFormat(locale).format(value);
  const percent = (value: number) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value);
  const dayMonth = (time: number) => new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', timeZone: 'UTC' }).format(time);
  const monday = (m: { year: number; month: number; day: number }) => Date.UTC(m.year, m.month - 1, m.day);
  const firstMonday = monday(report.trend.at(-1)?.monday ?? { year: 1970, month: 1, day: 1 });

  const head = [t('summary.title', { shop: options.shopName }), t('summary.dates', { from: dayMonth(firstMonday), to: dayMonth(firstMonday + 6 * 86_400_000) })];
  if (options.late) head.push(t('summary.late'));

  const chart = {
    points: report.trend.map((week) => ({ label: dayMonth(monday(week.monday)), nps: week.nps, replies: week.replies })),
    text: { title: t('summary.chart_title'), nps: 'NPS', replies: t('summary.chart_replies'), noData: t('summary.chart_no_data') },
  };

  // The account's state, not the week's: said in a quiet week too, right after the numbers that matter most.
  const whatsapp = options.whatsapp ? t('summary.whatsapp', { quota: options.whatsapp }) : null;

  if (report.quiet) {
    const lines = [...head, '', t('summary.quiet')];
    if (whatsapp) lines.push(whatsapp);
    // Customers drift away and cases close in a week with no sale too (issue 21).
    for (const line of [churnLine(report, locale), resolveLine(report, locale)]) if (line) lines.push(line);
    const birthdays = birthdayLine(report, t, dayMonth);
    if (birthdays) lines.push(birthdays);
    return { text: fit(lines), chart };
  }

  // Blocks in order of importance; when the text is too long, the last lines go first.
  const lines: string[] = [...head, ''];
  const spark = (values: (number | null)[]) => sparkline(values);

  if (report.nps.value === null) lines.push(t('summary.nps_none'));
  else {
    lines.push(t('summary.nps', { value: number(report.nps.value), change: arrow(report.nps, number), spark: spark(report.trend.map((w) => w.nps)) }).trimEnd());
    lines.push(
      t('summary.nps_counts', {
        promoters: n('count.promoters', report.nps.promoters),
        passives: n('count.passives', report.nps.passives),
        detractors: n('count.detractors', report.nps.detractors),
      }),
    );
  }

  const waiting = [
    ...report.attention.detractors.map((d) =>
      t('summary.detractor', { name: d.name ?? d.phone, score: d.score, comment: d.comment ? ` ("${quote(d.comment)}")` : '', link: waMeLink(d.phone) }),
    ),
    ...report.attention.questions.map((q) => t('summary.question', { name: q.name ?? q.phone, text: quote(q.text ?? ''), link: waMeLink(q.phone) })),
  ];
  if (waiting.length > 0) {
    lines.push('', t('summary.attention'), ...waiting.slice(0, LIST_MAX));
    if (waiting.length > LIST_MAX) lines.push(t('summary.more', { count: waiting.length - LIST_MAX }));
  }

  const people = report.referrals.people;
  if (people.length > 0) {
    lines.push('', t('summary.referrals', { count: people.length }));
    for (const person of people.slice(0, LIST_MAX)) {
      lines.push(t('summary.referral', { friend: person.name ? `${person.name} ${person.phone}` : person.phone, referrer: person.referrer ?? '—' }));
    }
    if (people.length > LIST_MAX) lines.push(t('summary.more', { count: people.length - LIST_MAX }));
  }
  // Issue 21: referrals that became customers, whether or not anyone was referred this week.
  if ((report.referrals.converted ?? 0) > 0) {
    if (people.length === 0) lines.push('');
    lines.push(t('rewards.summary.converted', { count: report.referrals.converted! }));
  }

  lines.push('');
  const revenue =
    report.revenue.value !== null && report.revenue.currency !== null && report.revenue.value > 0
      ? ` · ${money(report.revenue.value, report.revenue.currency, locale)}${arrow(report.revenue, (cents) => money(Math.abs(cents), report.revenue.currency!, locale))}`
      : '';
  lines.push(
    t('summary.sales', { count: number(report.purchases.value ?? 0), change: arrow(report.purchases, number), revenue, spark: spark(report.trend.map((w) => w.purchases)) }).trimEnd(),
  );
  lines.push(t('summary.customers', { new: `${number(report.newCustomers.value ?? 0)}${arrow(report.newCustomers, number)}`, returning: number(report.returningCustomers) }));
  if (report.replyRate.asked > 0 && report.replyRate.value !== null) {
    lines.push(
      t('summary.replies', {
        answered: number(report.replyRate.answered),
        asked: number(report.replyRate.asked),
        rate: percent(report.replyRate.value),
        change: arrow(report.replyRate, (value) => `${number(Math.round(Math.abs(value) * 100))} p.p.`),
      }),
    );
  } else if ((report.replies.value ?? 0) > 0) lines.push(t('summary.replies_plain', { count: number(report.replies.value ?? 0) }));
  const m = report.messages;
  if (m.sent + m.failed + m.unknown > 0) {
    let line = t('summary.messages', { sent: n('count.messages_sent', m.sent), delivered: n('count.messages_delivered', m.delivered), read: n('count.messages_read', m.read) });
    if (m.failed > 0) line += t('summary.messages_failed', { failed: n('count.messages_failed', m.failed) });
    if (m.unknown > 0) line += t('summary.messages_unknown', { count: number(m.unknown) });
    lines.push(line);
  }
  if (whatsapp) lines.push(whatsapp);
  if (report.csat.value !== null) lines.push(t('summary.csat', { value: new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(report.csat.value) }));
  if ((report.optOuts.value ?? 0) > 0) lines.push(t('summary.opt_outs', { count: `${number(report.optOuts.value ?? 0)}${arrow(report.optOuts, number)}` }));
  if (report.repurchase.rate !== null) lines.push(t('summary.repurchase', { rate: percent(report.repurchase.rate), cohort: number(report.repurchase.cohort) }));
  // Issue 21: churn and time to resolve, one short line each; reputation only when it is measured.
  for (const line of [churnLine(report, locale), resolveLine(report, locale), reputationLine(report, locale)]) if (line) lines.push(line);
  if (report.atRisk.count > 0) lines.push(t('summary.at_risk', { count: number(report.atRisk.count), days: report.atRisk.inactivityDays }));
  const birthdays = birthdayLine(report, t, dayMonth);
  if (birthdays) lines.push(birthdays);
  return { text: fit(lines), chart };
}

/** " ↑3", " ↓3", " =", or nothing without a week before to compare with. */
function arrow(value: Change, format: (magnitude: number) => string): string {
  if (value.change === null) return '';
  if (value.change === 0) return ' =';
  return ` ${value.change > 0 ? '↑' : '↓'}${format(Math.abs(value.change))}`;
}

/** The eight weeks as bars from low to high; a week without a value is a dot. */
export function sparkline(values: readonly (number | null)[]): string {
  const known = values.filter((value): value is number => value !== null);
  if (known.length < 2) return '';
  const low = Math.min(...known);
  const span = Math.max(...known) - low;
  return values.map((value) => (value === null ? '·' : SPARKS[span === 0 ? 3 : Math.round(((value - low) / span) * (SPARKS.length - 1))])).join('');
}

function money(cents: number, currency: string, locale: Locale): string {
  return formatMoney(cents, currency, locale, { rounded: true });
}

/** One line of what a customer wrote: no line breaks or WhatsApp formatting marks, and short. */
function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').replace(/[*_~`]/g, '').trim();
  return flat.length > QUOTE_MAX ? `${flat.slice(0, QUOTE_MAX - 1)}…` : flat;
}

function birthdayLine(report: WeeklyReport, t: Translate, dayMonth: (time: number) => string): string | null {
  if (report.birthdays.length === 0) return null;
  const year = new Date(report.to).getUTCFullYear();
  const named = report.birthdays.slice(0, LIST_MAX).map((b) => {
    const [month = 1, day = 1] = b.monthDay.split('-').map(Number);
    return `${b.name ?? b.phone} (${dayMonth(Date.UTC(year, month - 1, day))})`;
  });
  const more = report.birthdays.length > LIST_MAX ? ` ${t('summary.more', { count: report.birthdays.length - LIST_MAX })}` : '';
  return t('summary.birthdays', { list: named.join(', ') + more });
}

/** Joins the lines, dropping the least important (the last) until the text fits. */
function fit(lines: string[]): string {
  const kept = [...lines];
  let text = join(kept);
  while (text.length > SUMMARY_MAX_CHARS && kept.length > 3) {
    kept.pop();
    text = join(kept);
  }
  return text.length > SUMMARY_MAX_CHARS ? `${text.slice(0, SUMMARY_MAX_CHARS - 1)}…` : text;
}

function join(lines: string[]): string {
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}
