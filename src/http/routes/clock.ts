import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseDuration } from '../../flows/durations.js';
import { translate } from '../../i18n/index.js';
import { strictObject } from '../../intake/validate.js';
import type { ManualClock } from '../../scheduler/clock.js';
import type { Scheduler } from '../../scheduler/tick.js';
import { iso } from '../present.js';
import { parseOrReject, type RouteContext } from './context.js';

/**
 * POST /api/simulator/clock: time travel for the simulator. Moves the service's
 * clock forward (`{ "advance": "7d" }`) or to a moment (`{ "to": ISO }`),
 * running every tick that time would have run and draining the send queue
 * (gaps count in virtual time); answers when all work due by then is done.
 */
export function clockRoutes(ctx: RouteContext, clock: ManualClock, scheduler: Scheduler) {
  const t = (key: Parameters<typeof translate>[1]) => translate(ctx.locale, key);
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
    app.get('/simulator/clock', async () => ({ now: iso(clock.now()) }));

    app.post('/simulator/clock', async (request) => {
      const { advance, to } = parseOrReject(body, request.body, ctx.locale);
      const from = clock.now();
      const target = advance !== undefined ? from + advance : to!;
      if (target < from) {
        // A clock set back (as real clocks sometimes are): nothing that ran runs again.
        clock.set(target);
        const result = await scheduler.tick();
        await ctx.trafficStored();
        return { from: iso(from), now: iso(clock.now()), ticks: 1, advanced: result.advanced, sent: result.sent };
      }
      const result = await scheduler.travel(clock, target);
      // The receipts of what was sent are stored before the answer.
      await ctx.trafficStored();
      return { from: iso(from), now: iso(clock.now()), ...result };
    });
  };
}
