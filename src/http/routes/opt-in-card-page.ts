import type { FastifyInstance } from 'fastify';
import { translator } from '../../i18n/index.js';
import { createOptIn, OPT_IN_CODE_LIFETIME_MS } from '../../intake/opt-in.js';
import type { OptInRef } from '../../domain/opt-in-code.js';
import { guardPages, renderPage, type PageDeps } from '../pages.js';
import { buildOptInCard, CARD_FORMATS, type CardFormat } from '../view-models/opt-in-card.js';

/**
 * GET /card: a card to print for the counter or the package, with the QR of
 * the shop's click-to-chat link, the shop's name and one line of text. With
 * ?purchase=<id> (or ?pending=<id>, a purchase that came without a phone) the
 * link names that purchase's code; without, it is the shop's own link. Laid
 * out for an A6 sheet, or with ?format=receipt for an 80 mm receipt printer;
 * only the card is printed (fregues.css, @media print).
 */
export function optInCardPage(deps: PageDeps) {
  const { locale } = deps;
  const { repos, clock } = deps.route;
  const t = translator(locale);
  const optIn = createOptIn({ repos, locale, shopPhone: () => deps.channel.linkedPhone ?? repos.whatsappLimits.shopPhone() });

  /** The purchase (or pending one) asked for, when it exists and its code is still accepted. */
  function refOf(query: { purchase?: unknown; pending?: unknown }): { ref: OptInRef | null; asked: string | null } {
    const since = clock.now() - OPT_IN_CODE_LIFETIME_MS;
    for (const kind of ['purchase', 'pending'] as const) {
      const asked = query[kind];
      if (asked === undefined) continue;
      // An id from the address: digits only, as many as an SQLite rowid has at most; anything else is shown as "?".
      if (typeof asked !== 'string' || !/^\d{1,15}$/.test(asked)) return { ref: null, asked: typeof asked === 'string' ? asked.slice(0, 20) : '?' };
      const found = kind === 'purchase' ? repos.purchases.find(Number(asked)) : repos.pendingPurchases.find(Number(asked));
      return { ref: found && found.createdAt >= since ? { kind, id: found.id } : null, asked };
    }
    return { ref: null, asked: null };
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    guardPages(app, deps);

    app.get<{ Querystring: { purchase?: unknown; pending?: unknown; format?: unknown } }>('/card', async (request, reply) => {
      const { ref, asked } = refOf(request.query);
      const format: CardFormat = CARD_FORMATS.find((known) => known === request.query.format) ?? 'a6';
      const page = { title: t('page.title.opt_in_card'), nav: '/customers' };
      if (asked !== null && ref === null) {
        return renderPage(reply.status(404), deps, 'opt-in-card', { ...page, card: null, problem: t('page.card.not_found', { id: asked }) });
      }
      const offer = ref === null ? null : optIn.offer(ref);
      const link = ref === null ? optIn.shopLink(deps.config.shopName) : (offer?.link ?? null);
      if (link === null) return renderPage(reply.status(409), deps, 'opt-in-card', { ...page, card: null, problem: t('page.card.no_number') });
      const card = await buildOptInCard({
        locale,
        shopName: deps.config.shopName,
        link,
        code: offer?.code ?? null,
        format,
        base: ref === null ? '/card' : `/card?${ref.kind}=${ref.id}`,
      });
      return renderPage(reply.header('cache-control', 'no-store'), deps, 'opt-in-card', { ...page, card, problem: null });
    });
  };
}
