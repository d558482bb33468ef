import type { FastifyInstance } from 'fastify';
import { formatMoney } from '../../domain/money.js';
import { formatPhoneForPeople, waMeLink } from '../../domain/phone.js';
import { translator } from '../../i18n/index.js';
import { trendChartSvg } from '../../reports/chart.js';
import { parseWeek, weekOf, weeksBefore, type Week } from '../../reports/period.js';
import type { Change } from '../../reports/weekly.js';
import { guardPages, renderPage, type PageDeps } from '../pages.js';

/**
 * GET / (Painel): the week at a glance, from the same numbers and chart as the
 * owner's weekly WhatsApp summary (src/reports). The current week by default,
 * so far; ?week=2026-W47 for another. Then the people who need the owner
 * (detractors and questions nobody answered yet) and the week's referrals.
 */
export function dashboardPage(deps: PageDeps) {
  const { locale } = deps;
  const timezone = deps.config.timezone;
  const t = translator(locale);
  const number = (value: number) => new Intl.NumberFormat(locale).format(value);
  const percent = (value: number) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(value);
  const dayMonth = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', timeZone: 'UTC' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', timeZone: timezone });
  const money = (cents: number, currency: string) => formatMoney(cents, currency, locale);
  const phone = (e164: string) => formatPhoneForPeople(e164, deps.config.defaultCountry);

  /** "+3" / "−2" / "" against the week before; `format` shows the difference's unit. */
  function delta(change: Change, format: (value: number) => string = number): string {
    if (change.change === null || change.change === 0) return '';
    return `${change.change > 0 ? '+' : '−'}${format(Math.abs(change.change))}`;
  }

  function weekLabel(week: Week): string {
    const monday = Date.UTC(week.monday.year, week.monday.month - 1, week.monday.day);
    return t('page.dashboard.week_dates', { from: dayMonth.format(monday), to: dayMonth.format(monday + 6 * 86_400_000) });
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    guardPages(app, deps);

    app.get<{ Querystring: { week?: string; sent?: string } }>('/', async (request, reply) => {
      const weekly = deps.services?.weekly;
      const current = weekOf(deps.route.clock.now(), timezone);
      const asked = typeof request.query.week === 'string' ? request.query.week : undefined;
      const week = asked === undefined ? current : parseWeek(asked, timezone);
      if (!week) {
        return renderPage(reply.status(400), deps, 'dashboard', {
          title: t('page.title.dashboard'),
          nav: '/',
          problem: t('page.dashboard.bad_week', { week: asked ?? '' }),
          report: null,
        });
      }
      if (!weekly) {
        return renderPage(reply, deps, 'dashboard', { title: t('page.title.dashboard'), nav: '/', problem: null, report: null });
      }
      const { report, rendered } = weekly.prepare(week);
      const chart = trendChartSvg(rendered.chart.points, rendered.chart.text).replace(/^<\?xml[^>]*>\s*/, '');
      const currency = report.revenue.currency;
      const cards = [
        {
          name: 'NPS',
          value: report.nps.value === null ? '—' : number(report.nps.value),
          delta: delta(report.nps),
          detail: t('summary.nps_counts', { promoters: report.nps.promoters, passives: report.nps.passives, detractors: report.nps.detractors }),
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
          detail: t('page.dashboard.returning', { count: report.returningCustomers }),
        },
        {
          name: t('page.dashboard.replies'),
          value: number(report.replies.value ?? 0),
          delta: delta(report.replies),
          detail:
            report.replyRate.value === null
              ? ''
              : t('page.dashboard.reply_rate', { rate: percent(report.replyRate.value), asked: report.replyRate.asked }),
        },
        {
          name: 'CSAT',
          value: report.csat.value === null ? '—' : new Intl.NumberFormat(locale, { minimumFractionDigits: 1 }).format(report.csat.value),
          delta: delta(report.csat, (value) => new Intl.NumberFormat(locale, { minimumFractionDigits: 1 }).format(value)),
          detail: report.csat.answers > 0 ? t('page.dashboard.csat_answers', { count: report.csat.answers }) : '',
        },
        {
          name: t('page.dashboard.messages'),
          value: number(report.messages.sent),
          delta: '',
          detail: t('page.dashboard.messages_detail', {
            delivered: report.messages.delivered,
            read: report.messages.read,
            failed: report.messages.failed + report.messages.unknown,
          }),
        },
        {
          name: t('page.dashboard.referrals'),
          value: number(report.referrals.value ?? 0),
          delta: delta(report.referrals),
          detail: '',
        },
        { name: t('page.dashboard.opt_outs'), value: number(report.optOuts.value ?? 0), delta: delta(report.optOuts), detail: '' },
        {
          name: t('page.dashboard.repurchase'),
          value: report.repurchase.rate === null ? '—' : percent(report.repurchase.rate),
          delta: '',
          detail: t('page.dashboard.repurchase_detail', { repeated: report.repurchase.repeated, cohort: report.repurchase.cohort }),
        },
        {
          name: t('page.dashboard.at_risk'),
          value: number(report.atRisk.count),
          delta: '',
          detail: t('page.dashboard.at_risk_detail', { days: report.atRisk.inactivityDays }),
        },
      ];
      return renderPage(reply.header('cache-control', 'no-store'), deps, 'dashboard', {
        title: t('page.title.dashboard'),
        nav: '/',
        wide: true,
        problem: null,
        report,
        weekText: week.id === current.id ? t('page.dashboard.this_week', { dates: weekLabel(week) }) : weekLabel(week),
        previousWeek: weeksBefore(week, 1, timezone).id,
        nextWeek: week.id === current.id ? null : weeksBefore(week, -1, timezone).id,
        cards,
        chart,
        detractors: report.attention.detractors.map((person) => ({
          id: person.customerId,
          name: person.name ?? phone(person.phone),
          phone: phone(person.phone),
          link: waMeLink(person.phone),
          score: person.score,
          comment: person.comment,
          at: dateTime.format(person.at),
        })),
        questions: report.attention.questions.map((person) => ({
          id: person.customerId,
          name: person.name ?? phone(person.phone),
          phone: phone(person.phone),
          link: waMeLink(person.phone),
          text: person.text,
          at: dateTime.format(person.at),
        })),
        referrals: report.referrals.people.map((person) => ({
          name: person.name,
          phone: phone(person.phone),
          referrer: person.referrer,
        })),
        birthdays: report.birthdays.map((person) => ({ id: person.customerId, name: person.name ?? phone(person.phone), day: person.monthDay.split('-').reverse().join('/') })),
        summary: rendered.text,
        canSend: deps.config.ownerPhones.length > 0,
        sent: request.query.sent === 'yes' ? t('page.dashboard.sent') : null,
        notSent: request.query.sent === 'no' ? t('page.dashboard.not_sent') : null,
      });
    });

    app.post<{ Body: { week?: string } }>('/summary/send', async (request, reply) => {
      const weekly = deps.services?.weekly;
      const week = typeof request.body?.week === 'string' ? parseWeek(request.body.week, timezone) : undefined;
      if (!weekly || !week) return reply.redirect('/', 303);
      const outcome = await weekly.send(week);
      return reply.redirect(`/?week=${week.id}&sent=${outcome.queued ? 'yes' : 'no'}`, 303);
    });
  };
}
