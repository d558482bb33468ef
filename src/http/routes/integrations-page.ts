import fs from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import { translator } from '../../i18n/index.js';
import { packagePath } from '../../package-path.js';
import { replayWebhook } from '../../integrations/webhooks.js';
import type { NuvemshopConnector } from '../../integrations/nuvemshop/nuvemshop-connector.js';
import { keepsBody, type WebhookEventSummary, type WebhookPlatform } from '../../storage/repositories/webhook-events.js';
import { guardPages, renderPage, type PageDeps } from '../pages.js';
import { renderMarkdown } from '../render-markdown.js';
import { buildIntegrations, describeOutcome, PAGE_PLATFORMS, type PlatformSettings, type RecordedPurchase } from '../view-models/integrations.js';

/** The last webhooks each platform's card lists. */
const RECENT = 10;

/**
 * What each platform still needs from the environment, from the loaded config:
 * the variable names only, so that no secret ever reaches a page.
 */
export function platformSettings(config: Config): PlatformSettings[] {
  const missingOf = (pairs: [string, unknown][]) => pairs.filter(([, value]) => value === null || value === undefined || value === '').map(([name]) => name);
  const { nuvemshop } = config;
  return [
    {
      platform: 'nuvemshop',
      missing: missingOf([
        ['NUVEMSHOP_STORE_ID', nuvemshop.storeId],
        ['NUVEMSHOP_ACCESS_TOKEN', nuvemshop.accessToken],
        ['NUVEMSHOP_APP_SECRET', nuvemshop.appSecret],
      ]),
      topics: [...nuvemshop.events],
    },
    { platform: 'shopify', missing: missingOf([['SHOPIFY_WEBHOOK_SECRET', config.shopifyWebhookSecret]]), topics: config.shopifyTopics },
    { platform: 'woocommerce', missing: missingOf([['WOOCOMMERCE_WEBHOOK_SECRET', config.woocommerceWebhookSecret]]), topics: ['order.created', 'order.updated'] },
  ];
}

/**
 * GET /integrations (Integrações): each store platform's state, its webhook
 * address, where to paste it and the last webhooks with what became of them;
 * POST /integrations/webhooks/:id/replay runs one again through its connector
 * and answers 303 back to the page, which says the new outcome.
 * GET /integrations/guide is docs/integrations.md, the seller's guide.
 */
export function integrationsPage(deps: PageDeps & { nuvemshop?: Pick<NuvemshopConnector, 'replay' | 'fetcher'> | undefined }) {
  const { locale, config } = deps;
  const { repos } = deps.route;
  const t = translator(locale);
  const view = { locale, timeZone: config.timezone };

  let guide: string | undefined;
  const readGuide = () => (guide ??= renderMarkdown(fs.readFileSync(packagePath('docs', 'integrations.md'), 'utf8'), { dropTitle: true }));

  function purchasesOf(events: readonly WebhookEventSummary[]): Map<number, RecordedPurchase> {
    const found = new Map<number, RecordedPurchase>();
    for (const event of events) {
      if (event.purchaseId === null || found.has(event.purchaseId)) continue;
      const purchase = repos.purchases.find(event.purchaseId);
      const customer = purchase && repos.customers.findById(purchase.customerId);
      if (purchase && customer) found.set(event.purchaseId, { customerId: customer.id, name: customer.name, erased: customer.erasedAt !== null });
    }
    return found;
  }

  function page(notice: string | null, problem: string | null) {
    const events: Partial<Record<WebhookPlatform, WebhookEventSummary[]>> = {};
    for (const platform of PAGE_PLATFORMS) events[platform] = repos.webhookEvents.listRecent(platform, RECENT);
    const all = Object.values(events).flat();
    return {
      title: t('page.title.integrations'),
      nav: '/integrations',
      notice,
      problem,
      ...buildIntegrations({ publicUrl: config.publicUrl, platforms: platformSettings(config), events, purchases: purchasesOf(all) }, view),
    };
  }

  /**
   * Runs stored webhook `id` again, and waits for its new outcome: an order that came in the
   * webhook (Shopify, WooCommerce) goes through the intake again; a Nuvemshop order is fetched
   * again from the store. Null when done, or why it could not be.
   */
  async function replay(id: number): Promise<string | null> {
    const stored = repos.webhookEvents.find(id)!;
    if (!keepsBody(stored.status)) return t('page.integrations.problem.already_purchase');
    if (stored.platform === 'nuvemshop') {
      if (!deps.nuvemshop?.replay(id)) return t('page.integrations.reason.not_configured');
      await deps.nuvemshop.fetcher.settled();
      return null;
    }
    const result = await replayWebhook({ ...deps.route, config }, id);
    if (result.ok) return null;
    return result.problem === 'not_found' ? t('page.integrations.not_found', { id }) : t(`page.integrations.problem.${result.problem}`);
  }

  function show(reply: FastifyReply, data: ReturnType<typeof page>) {
    return renderPage(reply.header('cache-control', 'no-store'), deps, 'integrations', data);
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    guardPages(app, deps);

    app.get<{ Querystring: { replayed?: string } }>('/integrations', async (request, reply) => {
      const asked = request.query.replayed;
      const id = typeof asked === 'string' && /^\d{1,15}$/.test(asked) ? Number(asked) : null;
      const event = id === null ? undefined : repos.webhookEvents.find(id);
      const notice = event
        ? t('page.integrations.replayed', { id: event.id, outcome: describeOutcome(event, purchasesOf([event]).get(event.purchaseId ?? 0), view) })
        : null;
      return show(reply, page(notice, null));
    });

    app.get('/integrations/guide', async (_request, reply) =>
      renderPage(reply, deps, 'integrations-guide', { title: t('page.title.integrations_guide'), nav: '/integrations', html: readGuide() }),
    );

    app.post<{ Params: { id: string } }>('/integrations/webhooks/:id/replay', async (request, reply) => {
      const id = /^\d{1,15}$/.test(request.params.id) ? Number(request.params.id) : null;
      if (id === null || id < 1 || !repos.webhookEvents.find(id)) {
        return show(reply.status(404), page(null, t('page.integrations.not_found', { id: request.params.id })));
      }
      const problem = await replay(id);
      if (problem !== null) return show(reply.status(409), page(null, t('page.integrations.replay_failed', { id, reason: problem })));
      return reply.redirect(`/integrations?replayed=${id}#webhook-${id}`, 303);
    });
  };
}
