import type { FastifyInstance } from 'fastify';
import { HttpError } from '../../http/errors.js';
import { translate, type Locale } from '../../i18n/index.js';
import { acceptRawBodies, rawBodyOf } from '../shared/raw-body.js';
import { hasValidSignature } from '../shared/signature.js';
import { WEBHOOK_BODY_LIMIT } from '../webhooks.js';
import type { NuvemshopConnector } from './nuvemshop-connector.js';

/** Lower case, as Node gives headers; Nuvemshop writes X-Linkedstore-HMAC-SHA256 (resources/webhook.md). */
export const NUVEMSHOP_SIGNATURE_HEADER = 'x-linkedstore-hmac-sha256';

/**
 * POST /webhooks/nuvemshop: outside /api and its bearer token, authenticated
 * by the hex HMAC-SHA256 of the raw body with NUVEMSHOP_APP_SECRET, checked
 * in constant time before anything is parsed. A bad or missing signature
 * stores nothing (401); a signed `{ store_id, event, id }` is a row and a 200
 * at once (Nuvemshop waits 40 s at most, then sends again), and the order is
 * fetched from the store's API behind it.
 */
export function nuvemshopWebhookRoute(deps: { connector: NuvemshopConnector | undefined; locale: Locale }) {
  const t = (key: Parameters<typeof translate>[1], values?: Record<string, string | number>) => translate(deps.locale, key, values);
  return async function routes(app: FastifyInstance): Promise<void> {
    acceptRawBodies(app, WEBHOOK_BODY_LIMIT);
    app.post('/webhooks/nuvemshop', async (request) => {
      const { connector } = deps;
      if (connector === undefined) throw new HttpError(404, 'connector_off', t('webhook.off', { platform: 'Nuvemshop', variable: 'NUVEMSHOP_APP_SECRET' }));
      const raw = rawBodyOf(request.body);
      if (!hasValidSignature(raw, connector.secret, request.headers[NUVEMSHOP_SIGNATURE_HEADER], 'hex')) {
        throw new HttpError(401, 'bad_signature', t('webhook.bad_signature', { platform: 'Nuvemshop', header: NUVEMSHOP_SIGNATURE_HEADER }));
      }
      const accepted = connector.accept(raw.toString('utf8'));
      if (!accepted.ok) {
        if (accepted.problem === 'invalid_webhook') throw new HttpError(400, 'invalid_webhook', t('nuvemshop.webhook.invalid'), accepted.issues);
        throw new HttpError(400, accepted.problem, t(`webhook.${accepted.problem}`, { detail: accepted.detail }));
      }
      const { event } = accepted;
      return { status: event.status, reason: event.reason, webhookEvent: event.id, purchase: event.purchaseId };
    });
  };
}
