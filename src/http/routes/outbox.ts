import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { strictObject } from '../../intake/validate.js';
import type { OutboxRow } from '../../storage/repositories/outbox.js';
import { iso } from '../present.js';
import { parseOrReject, type RouteContext } from './context.js';

/** GET /api/outbox: what flows queued and what became of it (queued, sent, failed, unknown, skipped, expired). */
export function outboxRoutes(ctx: RouteContext) {
  const query = strictObject(
    {
      status: z.enum(['queued', 'sending', 'sent', 'failed', 'unknown', 'skipped', 'expired']).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
      before: z.coerce.number().int().positive().optional(),
    },
    ctx.locale,
  );

  return async function routes(app: FastifyInstance): Promise<void> {
    app.get('/outbox', async (request) => {
      const { status, limit, before } = parseOrReject(query, request.query, ctx.locale, 'query');
      const rows = ctx.repos.outbox.list({ status, limit, before });
      return { counts: ctx.repos.outbox.countByStatus(), messages: rows.map(present), nextBefore: rows.length === limit ? (rows.at(-1)?.id ?? null) : null };
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
