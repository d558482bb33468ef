import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { translate } from '../../i18n/index.js';
import { strictObject } from '../../intake/validate.js';
import { resolveUnknownSend, UNKNOWN_RESOLUTIONS } from '../../scheduler/resolve-unknown.js';
import type { OutboxRow } from '../../storage/repositories/outbox.js';
import { HttpError } from '../errors.js';
import { apiSchema } from '../openapi.js';
import { iso } from '../present.js';
import { parseOrReject, type RouteContext } from './context.js';

/**
 * GET /api/outbox: what flows queued and what became of it (queued, sent,
 * failed, unknown, skipped, expired). POST /api/outbox/:id/resolve: the
 * seller's decision on a send of unknown outcome; a resend wakes the
 * scheduler when there is one.
 */
export function outboxRoutes(ctx: RouteContext, scheduler?: { kick(): void }) {
  const query = strictObject(
    {
      status: z.enum(['queued', 'sending', 'sent', 'failed', 'unknown', 'skipped', 'expired']).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
      before: z.coerce.number().int().positive().optional(),
    },
    ctx.locale,
  );

  const params = strictObject({ id: z.coerce.number().int().positive() }, ctx.locale);
  const resolveBody = strictObject({ as: z.enum(UNKNOWN_RESOLUTIONS) }, ctx.locale);

  return async function routes(app: FastifyInstance): Promise<void> {
    const list = apiSchema({
      tag: 'outbox',
      summary: 'What the flows queued and what became of it, newest first',
      description: '`?status=` one status only; `?limit=` 1–500 (default 100); `?before=` the `nextBefore` of the previous page.',
      querystring: query,
      response: { 200: '`{ counts (by status, the whole outbox), messages, nextBefore }`.' },
    });
    app.get('/outbox', { schema: list }, async (request) => {
      const { status, limit, before } = parseOrReject(query, request.query, ctx.locale, 'query');
      const rows = ctx.repos.outbox.list({ status, limit, before });
      return { counts: ctx.repos.outbox.countByStatus(), messages: rows.map(present), nextBefore: rows.length === limit ? (rows.at(-1)?.id ?? null) : null };
    });

    const resolve = apiSchema({
      tag: 'outbox',
      summary: "The seller's decision on a send of unknown outcome: sent, resend or discard",
      description: '`sent`: they saw it in the chat. `resend`: it goes again through the send governor (the customer may get it twice). `discard`: treated as not sent.',
      params,
      body: resolveBody,
      response: {
        200: '`{ message }`: the outbox row after the decision.',
        404: 'outbox_not_found: no outbox row with that id.',
        409: 'outbox_not_unknown: the row is not of unknown outcome.',
      },
    });
    app.post('/outbox/:id/resolve', { schema: resolve }, async (request) => {
      const { id } = parseOrReject(params, request.params, ctx.locale, 'params');
      const body = parseOrReject(resolveBody, request.body, ctx.locale);
      const result = resolveUnknownSend(ctx.repos, id, body.as, { now: ctx.clock.now() });
      if (!result.ok && result.problem === 'not_found') throw new HttpError(404, 'outbox_not_found', translate(ctx.locale, 'outbox.api.not_found', { id }));
      if (!result.ok) throw new HttpError(409, 'outbox_not_unknown', translate(ctx.locale, 'outbox.api.not_unknown', { id, status: result.status }));
      if (body.as === 'resend') scheduler?.kick();
      return { message: present(result.row) };
    });
  };
}

function present(row: OutboxRow) {
  return {
    id: row.id,
    runId: row.runId,
    stepId: row.stepId,
    customerId: row.customerId,
    to: row.purpose,
    phone: row.toPhone,
    waId: row.waId,
    content: row.content,
    status: row.status,
    dueAt: iso(row.dueAt),
    notBefore: iso(row.notBefore),
    expiresAt: iso(row.expiresAt),
    attempts: row.attempts,
    lastError: row.lastError,
    finishedAt: iso(row.finishedAt),
  };
}
