import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CampaignRequest } from '../../campaigns/campaign-types.js';
import type { CampaignOutcome, CampaignService } from '../../campaigns/campaigns.js';
import { formatPath } from '../../domain/validation.js';
import { ASK_KINDS } from '../../flows/flow-schema.js';
import { translate } from '../../i18n/index.js';
import { strictObject } from '../../intake/validate.js';
import { HttpError } from '../errors.js';
import { apiSchema } from '../openapi.js';
import { parseOrReject, type RouteContext } from './context.js';

/** A sendAt this far in the past is taken as "now" (a clock a little behind); further back is a mistake. */
const PAST_GRACE_MS = 5 * 60_000;
const MAX_AHEAD_MS = 366 * 86_400_000;

/**
 * POST /api/campaigns (and /preview), GET /api/campaigns, GET /api/campaigns/:id,
 * POST /api/campaigns/:id/cancel (issue 21; docs/api.md, "Campaigns").
 */
export function campaignRoutes(ctx: RouteContext, campaigns: CampaignService) {
  const { locale } = ctx;
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(locale, key, params);
  // Each kind of message is its own strict object: a key of another kind is named as unknown.
  const message = z.union([
    strictObject({ text: z.string() }, locale),
    strictObject({ image: z.string(), caption: z.string().optional() }, locale),
    strictObject(
      {
        ask: strictObject(
          { kind: z.enum(ASK_KINDS), question: z.string(), options: z.array(z.string()).min(2).max(12).optional(), poll: z.boolean().optional() },
          locale,
        ),
      },
      locale,
    ),
  ], { error: () => t('campaign.error.message_kind') });
  const body = strictObject(
    {
      name: z.string().trim().min(1).max(80).optional(),
      segment: z.string().min(1).max(80),
      message: message.optional(),
      variants: z.array(message).min(2).max(3).optional(),
      sendAt: z.iso.datetime({ offset: true }).optional(),
      attributionDays: z.number().int().min(1).max(90).optional(),
      seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    },
    locale,
  ).superRefine((value, refine) => {
    if ((value.message === undefined) === (value.variants === undefined)) {
      refine.addIssue({ code: 'custom', path: ['message'], message: t('campaign.error.message_or_variants') });
    }
  });
  const params = strictObject({ id: z.coerce.number().int().positive() }, locale);

  /** The body as the service takes it; a sendAt in the past or too far ahead is refused here, with its path. */
  const requestOf = (input: unknown): CampaignRequest => {
    const parsed = parseOrReject(body, input, locale);
    const now = ctx.clock.now();
    let sendAt: number | undefined;
    if (parsed.sendAt !== undefined) {
      sendAt = Date.parse(parsed.sendAt);
      if (sendAt < now - PAST_GRACE_MS) throw invalid([{ path: 'sendAt', message: t('campaign.error.send_at_past') }]);
      if (sendAt > now + MAX_AHEAD_MS) throw invalid([{ path: 'sendAt', message: t('campaign.error.send_at_far') }]);
      sendAt = Math.max(now, sendAt);
    }
    return { ...parsed, sendAt };
  };
  const invalid = (issues: { path: string; message: string }[]) => new HttpError(400, 'validation_failed', t('error.validation_failed'), issues);
  const valueOf = <T>(outcome: CampaignOutcome<T>, segment: string): T => {
    if (outcome.ok) return outcome.value;
    if (outcome.error === 'no_segment') throw new HttpError(404, 'segment_not_found', t('segments.error.not_found', { id: segment }));
    throw invalid(outcome.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })));
  };
  const notFound = (id: number) => new HttpError(404, 'campaign_not_found', t('campaign.error.not_found', { id }));

  return async function routes(app: FastifyInstance): Promise<void> {
    const create = apiSchema({
      tag: 'campaigns',
      summary: 'Send a one-off message (or 2–3 variants) to the consenting members of a segment',
      description:
        'Exactly one of `message` (`{ text }`, `{ image, caption? }` with image a file under FLOWS_DIR, or `{ ask: { kind, question, options?, poll? } }`) and `variants` (2 or 3 messages split at random, seeded). Texts are Liquid as in flows (`customer.*`, `shop.*`). Only customers with marketing consent who have not opted out, are not paused and are under the contact budget are enrolled; the others are counted by reason. Everything is stored in one transaction; the messages go through the send governor from `sendAt` (default now).',
      body,
      response: {
        201: '`{ id, recipients, excluded: { reason: count }, variants: { a: n, b: n }, sendAt, seed }`.',
        404: 'segment_not_found.',
      },
    });
    app.post('/campaigns', { schema: create }, async (request, reply) => {
      const input = requestOf(request.body);
      return reply.status(201).send(valueOf(campaigns.create(input), input.segment));
    });

    const preview = apiSchema({
      tag: 'campaigns',
      summary: 'What a campaign would do, without storing anything',
      description: 'The same body as POST /api/campaigns. Answers the texts rendered for a sample recipient, who would receive it and who would not (by reason), and the estimated time to send under the pacing rules (docs/api.md says what the estimate assumes).',
      body,
      response: {
        200: '`{ recipients, excluded, sample: { customerId, name } | null, variants: [{ key, recipients, content }], estimate: { firstSendAt, lastSendAt, durationSeconds, days, queuedAhead, unplaced } }`.',
        404: 'segment_not_found.',
      },
    });
    app.post('/campaigns/preview', { schema: preview }, async (request) => {
      const input = requestOf(request.body);
      return valueOf(campaigns.preview(input), input.segment);
    });

    const list = apiSchema({
      tag: 'campaigns',
      summary: 'The campaigns, newest first',
      response: { 200: '`{ campaigns: [{ id, name, segment, status, sendAt, createdAt, cancelledAt, variants, recipients, excluded }] }`.' },
    });
    app.get('/campaigns', { schema: list }, async () => ({ campaigns: campaigns.list() }));

    const one = apiSchema({
      tag: 'campaigns',
      summary: "A campaign's status and results per variant",
      description: 'Each rate comes with its counts (`{ count, of, rate }`); with 2 or 3 variants, replies and purchases are compared (Fisher\'s exact test or chi-square, p < 0.05) with a verdict in words.',
      params,
      response: { 200: '`{ campaign: { …summary, attributionDays, seed, results: [...], comparisons: [...] } }`.', 404: 'campaign_not_found.' },
    });
    app.get('/campaigns/:id', { schema: one }, async (request) => {
      const { id } = parseOrReject(params, request.params, locale, 'params');
      const campaign = campaigns.get(id);
      if (!campaign) throw notFound(id);
      return { campaign };
    });

    const cancel = apiSchema({
      tag: 'campaigns',
      summary: 'Cancel a campaign: what has not gone yet is not sent',
      description: 'Queued messages are recorded as skipped (`cancelled_by_seller`) and runs that have not sent stop; messages already sent stay sent, and a question already asked still takes its answer. Cancelling again changes nothing.',
      params,
      response: { 200: '`{ cancelled: true, runs, messages, alreadyCancelled }`.', 404: 'campaign_not_found.' },
    });
    app.post('/campaigns/:id/cancel', { schema: cancel }, async (request) => {
      const { id } = parseOrReject(params, request.params, locale, 'params');
      const result = campaigns.cancel(id);
      if (!result) throw notFound(id);
      return { cancelled: true, ...result };
    });
  };
}
