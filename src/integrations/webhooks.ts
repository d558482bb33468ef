import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { HttpError } from '../http/errors.js';
import { translator, type Locale } from '../i18n/index.js';
import type { Connector } from './shared/connector.js';
import { parseOrderQuickly, replayStoredWebhook, takeOrder, type IntakeDeps, type ReplayResult } from './shared/order-intake.js';
import { acceptRawBodies, rawBodyOf } from './shared/raw-body.js';
import { hasValidSignature } from './shared/signature.js';
import { shopifyConnector } from './shopify/shopify-connector.js';
import { woocommerceConnector } from './woocommerce/woocommerce-connector.js';

/** What the webhook connectors read of the configuration. */
export type WebhookConfig = Pick<Config, 'shopifyWebhookSecret' | 'shopifyTopics' | 'woocommerceWebhookSecret'>;

/** The platforms whose webhook carries the order (Nuvemshop's carries an id to fetch: src/integrations/nuvemshop/). */
export function orderWebhookConnectors(config: WebhookConfig): Connector[] {
  return [shopifyConnector(config.shopifyWebhookSecret, config.shopifyTopics), woocommerceConnector(config.woocommerceWebhookSecret)];
}

/** The largest webhook body taken: a big order with hundreds of lines is well under it. */
export const WEBHOOK_BODY_LIMIT = 2 * 1024 * 1024;

/**
 * POST /webhooks/shopify and /webhooks/woocommerce: outside /api and its bearer token, each
 * authenticated by its platform's signature over the raw body, checked before anything is
 * parsed. A bad or missing signature stores nothing (401); a body that is not JSON is a 400;
 * everything signed and parsed is a webhook_events row and a 200, also when it records nothing
 * (no phone, a topic not taken): a platform that keeps getting errors stops sending.
 */
export function webhookRoutes(deps: IntakeDeps & { config: WebhookConfig; locale: Locale }) {
  const connectors = orderWebhookConnectors(deps.config);
  const t = translator(deps.locale);
  return async function routes(app: FastifyInstance): Promise<void> {
    acceptRawBodies(app, WEBHOOK_BODY_LIMIT);
    for (const connector of connectors) {
      app.post(connector.path, async (request) => {
        if (connector.secret === null) {
          throw new HttpError(404, 'connector_off', t('webhook.off', { platform: connector.label, variable: connector.secretVariable }));
        }
        const raw = rawBodyOf(request.body);
        if (connector.isPing?.(raw)) return { ok: true };
        if (!hasValidSignature(raw, connector.secret, request.headers[connector.signatureHeader], connector.encoding)) {
          throw new HttpError(401, 'bad_signature', t('webhook.bad_signature', { platform: connector.label, header: connector.signatureHeader }));
        }
        const body = raw.toString('utf8');
        const parsed = parseOrderQuickly(body);
        if (!parsed.ok) throw new HttpError(400, parsed.problem, t(`webhook.${parsed.problem}`, { detail: parsed.detail }));
        const topic = headerText(request.headers[connector.topicHeader]);
        const { event, outcome } = await takeOrder(deps, connector.adapter, { topic, body, order: parsed.order });
        return {
          status: outcome.status,
          reason: outcome.reason,
          webhookEvent: event.id,
          purchase: outcome.purchaseId,
          ...(outcome.issues ? { issues: outcome.issues } : {}),
        };
      });
    }
  };
}

/**
 * Runs a stored webhook through its platform's path again (the Integrações page): its row gets
 * the new outcome. Nuvemshop's rows are not replayed here (their order is fetched: see
 * src/integrations/nuvemshop/).
 */
export function replayWebhook(deps: IntakeDeps & { config: WebhookConfig }, id: number): Promise<ReplayResult> {
  return replayStoredWebhook(deps, orderWebhookConnectors(deps.config).map((connector) => connector.adapter), id);
}

function headerText(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value)?.trim().toLowerCase() ?? '';
}
