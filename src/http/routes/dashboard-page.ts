import type { FastifyInstance } from 'fastify';
import { translator } from '../../i18n/index.js';
import { trendChartSvg } from '../../reports/chart.js';
import { parseWeek, weekOf, weeksBefore, type Week } from '../../reports/period.js';
import { guardPages, renderPage, type PageDeps } from '../pages.js';
import { buildDashboardCards } from '../view-models/dashboard-cards.js';
import { buildDashboardPeople } from '../view-models/dashboard-people.js';
import type { ViewLocale } from '../view-models/view-locale.js';
import { buildWhatsAppLimits } from '../view-models/whatsapp-limits.js';

/**
 * GET / (Painel): the week at a glance, from the same numbers and chart as the
 * owner's weekly WhatsApp summary (src/reports). The current week by default,
 * so far; ?week=2026-W47 for another. Then the people who need the owner
 * (detractors and questions nobody answered yet) and the week's referrals.
 * A card on top says how many new chats WhatsApp still allows this cycle and
 * whether it locked them (the same words as Conectar).
 */
export function dashboardPage(deps: PageDeps) {
  const { locale } = deps;
  const timezone = deps.config.timezone;
  const t = translator(locale);
  const view: ViewLocale = { locale, timeZone: timezone, country: deps.config.defaultCountry };
  const dayMonth = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', timeZone: 'UTC' });

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
      const limits = buildWhatsAppLimits(deps.route.repos.whatsappLimits.read(), deps.route.clock.now(), view);
      if (!weekly) {
        return renderPage(reply, deps, 'dashboard', { title: t('page.title.dashboard'), nav: '/', problem: null, report: null, limits });
      }
      const { report, rendered } = weekly.prepare(week);
      const chart = trendChartSvg(rendered.chart.points, rendered.chart.text).replace(/^<\?xml[^>]*>\s*/, '');
      return renderPage(reply.header('cache-control', 'no-store'), deps, 'dashboard', {
        title: t('page.title.dashboard'),
        nav: '/',
        wide: true,
        problem: null,
        report,
        limits,
        weekText: week.id === current.id ? t('page.dashboard.this_week', { dates: weekLabel(week) }) : weekLabel(week),
        previousWeek: weeksBefore(week, 1, timezone).id,
        nextWeek: week.id === current.id ? null : weeksBefore(week, -1, timezone).id,
        cards: buildDashboardCards(report, locale),
        chart,
        ...buildDashboardPeople(report, view),
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
