import type { Connector } from '../shared/connector.js';
import { woocommerceOrderAdapter } from './woocommerce-order.js';

/**
 * POST /webhooks/woocommerce: X-WC-Webhook-Signature is the base64 HMAC-SHA256 of the body with
 * the webhook's secret. When a webhook is saved, WooCommerce first sends an unsigned ping
 * (`webhook_id=12`, form-encoded) and keeps the webhook only if it gets a 2xx.
 */
export function woocommerceConnector(secret: string | null): Connector {
  return {
    platform: 'woocommerce',
    label: 'WooCommerce',
    path: '/webhooks/woocommerce',
    secret,
    secretVariable: 'WOOCOMMERCE_WEBHOOK_SECRET',
    signatureHeader: 'x-wc-webhook-signature',
    encoding: 'base64',
    topicHeader: 'x-wc-webhook-topic',
    isPing: (raw) => raw.length < 40 && /^webhook_id=\d+$/.test(raw.toString('latin1')),
    adapter: woocommerceOrderAdapter(),
  };
}
