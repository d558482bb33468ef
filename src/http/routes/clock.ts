import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseDuration } from '../../flows/durations.js';
import { translator } from '../../i18n/index.js';
import { strictObject } from '../../intake/validate.js';
import type { TimeTravel } from '../../simulation/time-travel.js';
import { apiSchema } from '../openapi.js';
import { iso } from '../present.js';
import { parseOrReject, type RouteContext } from './context.js';

/**
 * POST /api/simulator/clock: time travel for the simulator. Moves the service's
 * clock forward (`{ "advance": "7d" }`) or to a moment (`{ "to": ISO }`),
 * running every tick that time would have run and draining the send queue
 * (gaps count in virtual time); answers when all work due by then is done.
 */
export function clockRoutes(ctx: RouteContext, clock: TimeTravel) {
  const t = translator(ctx.locale);
  const body = strictObject(
    {
      advance: z
        .string()
        .transform((value, issue) => {
          const parsed = parseDuration(value);
          if (parsed.ok) return parsed.value;
          issue.addIssue({ code: 'custom', message: t('flow.api.duration'), input: value });
          return z.NEVER;
        })
        .optional(),
      to: z.iso.datetime({ offset: true }).transform((value) => Date.parse(value)).optional(),
    },
    ctx.locale,
  ).refine((value) => (value.advance === undefined) !== (value.to === undefined), t('flow.api.advance_or_to'));

  return async function routes(app: FastifyInstance): Promise<void> {
    const read = apiSchema({ tag: 'simulator', summary: 'The simulated time', response: { 200: '`{ "now": ISO }`.' } });
    app.get('/simulator/clock', { schema: read }, async () => ({ now: iso(clock.now()) }));

    const travel = apiSchema({
      tag: 'simulator',
      summary: 'Move the simulated clock, running every tick on the way',
      description: 'Exactly one of `advance` (a duration as in flows: 30m, 2h, 3d, 1w, 1d12h) or `to` (ISO 8601 with seconds and a zone). A `to` in the past sets the clock back and ticks once.',
      body,
      response: { 200: '`{ from, now, ticks, advanced, sent }`, once all the work due by then is done.' },
    });
    app.post('/simulator/clock', { schema: travel }, async (request) => {
      const { advance, to } = parseOrReject(body, request.body, ctx.locale);
      const target = advance !== undefined ? clock.now() + advance : to!;
      const { from, now, ticks, advanced, sent } = await clock.travel(target);
      return { from: iso(from), now: iso(now), ticks, advanced, sent };
    });
  };
}
