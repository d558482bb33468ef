import type { Connector } from '../shared/connector.js';
import { shopifyOrderAdapter } from './shopify-order.js';

/** POST /webhooks/shopify: X-Shopify-Hmac-Sha256 is the base64 HMAC-SHA256 of the body with the app's secret. */
export function shopifyConnector(secret: string | null, topics: readonly string[]): Connector {
  return {
    platform: 'shopify',
    label: 'Shopify',
    path: '/webhooks/shopify',
    secret,
    secretVariable: 'SHOPIFY_WEBHOOK_SECRET',
    signatureHeader: 'x-shopify-hmac-sha256',
    encoding: 'base64',
    topicHeader: 'x-shopify-topic',
    adapter: shopifyOrderAdapter(topics),
  };
}
