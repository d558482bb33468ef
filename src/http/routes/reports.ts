import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { translator } from '../../i18n/index.js';
import { strictObject } from '../../intake/validate.js';
import { parseWeek, weekOf, weeksBefore } from '../../reports/period.js';
import type { WeeklySummary } from '../../scheduler/weekly-summary.js';
import { HttpError } from '../errors.js';
import { apiSchema } from '../openapi.js';
import { iso } from '../present.js';
import { parseOrReject, type RouteContext } from './context.js';

/**
 * GET /api/reports/weekly?week=2026-W47: the week's metrics and its summary
 * text as the owner would read it (by default the last whole week).
 * POST /api/reports/weekly/send?week=: sends it to OWNER_PHONE now, through
 * the send governor; asked for by hand, it does not count as the week's
 * scheduled summary and may be asked again.
 */
export function reportRoutes(ctx: RouteContext, weekly: WeeklySummary, timezone: string) {
  const t = translator(ctx.locale);
  const query = strictObject(
    {
      week: z
        .string()
        .refine((value) => parseWeek(value, timezone) !== undefined, t('error.report_week'))
        .optional(),
    },
    ctx.locale,
  );
  const weekFrom = (raw: unknown) => {
    const { week } = parseOrReject(query, raw, ctx.locale, 'query');
    return week === undefined ? weeksBefore(weekOf(ctx.clock.now(), timezone), 1, timezone) : parseWeek(week, timezone)!;
  };

  return async function routes(app: FastifyInstance): Promise<void> {
    const read = apiSchema({
      tag: 'reports',
      summary: "A week's summary: its metrics and its text as the owner reads it",
      description: '`?week=2026-W47`, an ISO week in TIMEZONE; by default the last whole week.',
      querystring: query,
      response: { 200: '`{ week, from, to, text, metrics, sent }`: `sent` is when the scheduled summary was queued, or null.' },
    });
    app.get('/reports/weekly', { schema: read }, async (request) => {
      const week = weekFrom(request.query);
      const { report, rendered } = weekly.prepare(week);
      const sent = ctx.repos.reports.find(week.id);
      return {
        week: week.id,
        from: iso(week.from),
        to: iso(week.to),
        text: rendered.text,
        metrics: report,
        sent: sent ? { at: iso(sent.createdAt), late: sent.late } : null,
      };
    });

    const send = apiSchema({
      tag: 'reports',
      summary: "Send a week's summary to OWNER_PHONE now",
      description: 'Through the send governor; asked for by hand it may be repeated and does not count as the scheduled summary.',
      querystring: query,
      response: { 202: '`{ queued: true, week, late, recipients }`.', 409: 'owner_phone_missing: OWNER_PHONE is not set.' },
    });
    app.post('/reports/weekly/send', { schema: send }, async (request, reply) => {
      const week = weekFrom(request.query);
      const outcome = await weekly.send(week);
      if (!outcome.queued) throw new HttpError(409, 'owner_phone_missing', t('error.owner_phone_missing'));
      return reply.status(202).send(outcome);
    });
  };
}
