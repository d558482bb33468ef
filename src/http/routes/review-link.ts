import type { FastifyInstance } from 'fastify';
import { runOfReviewToken } from '../../domain/review-link.js';
import { translate, type Locale } from '../../i18n/index.js';
import type { Clock } from '../../scheduler/clock.js';
import type { Repositories } from '../../storage/repositories/index.js';

export interface ReviewLinkRouteDeps {
  repos: Pick<Repositories, 'reviewLinks'>;
  clock: Clock;
  /** SHOP_REVIEW_URL: where every review link leads; null: no link leads anywhere. */
  shopReviewUrl: string | null;
  locale: Locale;
}

/**
 * Link-preview fetchers (a chat app drawing the link's card, a crawler):
 * they are sent on, but a person did not open anything.
 */
const PREVIEW_AGENTS = /facebookexternalhit|whatsapp|telegrambot|slackbot|twitterbot|discordbot|linkedinbot|skypeuripreview|googlebot|bingbot|bot\b|crawler|spider|preview/i;

/**
 * GET /r/<token> (public, issue 21): a review request's tracked link. The
 * token names the flow run the message belonged to (src/domain/review-link.ts),
 * so one customer; the first open by a person is recorded once (a reload, a
 * second tap, a HEAD or a link preview adds nothing), then 302 to
 * SHOP_REVIEW_URL. An unknown or forged token is a 404 and records nothing.
 * Nothing personal is in the URL or in the answer.
 */
export function reviewLinkRoute(deps: ReviewLinkRouteDeps) {
  return async function routes(app: FastifyInstance): Promise<void> {
    app.get<{ Params: { token: string } }>('/r/:token', async (request, reply) => {
      void reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
      const runId = deps.shopReviewUrl ? runOfReviewToken(deps.repos.reviewLinks.key(), request.params.token) : null;
      if (runId === null || !deps.shopReviewUrl) {
        return reply.status(404).type('text/plain; charset=utf-8').send(translate(deps.locale, 'kpi.redirect.gone'));
      }
      const person = request.method === 'GET' && !PREVIEW_AGENTS.test(request.headers['user-agent'] ?? '');
      // A run whose customer was erased still leads to the review page, and counts for nobody.
      if (person && deps.repos.reviewLinks.customerOfRun(runId) !== null) deps.repos.reviewLinks.recordOpen(runId, deps.clock.now());
      return reply.redirect(deps.shopReviewUrl, 302);
    });
  };
}
