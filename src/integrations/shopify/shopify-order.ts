import type { MappedOrder, OrderAdapter, PhoneCandidate } from '../shared/order-intake.js';
import { amountAt, joinName, objectAt, readQuantity, textAt } from '../shared/order-fields.js';

/** The topics that may record a purchase; SHOPIFY_TOPICS picks among them (orders/paid by default). */
export const SHOPIFY_ORDER_TOPICS = ['orders/paid', 'orders/create'] as const;

/**
 * Shopify's order (the body of its orders/* webhooks, the Admin REST order object) as a purchase.
 * The phone is the customer's, else the billing address's, else the shipping address's: a guest
 * checkout often has it only in an address. Only the SMS (WhatsApp) marketing consent says
 * anything about WhatsApp: the e-mail consent is another channel's and never revokes it.
 */
export function shopifyOrderAdapter(topics: readonly string[]): OrderAdapter {
  return {
    platform: 'shopify',
    orderRef: (order) => textAt(order, 'id') ?? null,
    ignored: (topic) => (topics.includes(topic) ? null : 'topic_ignored'),
    map: mapShopifyOrder,
  };
}

function mapShopifyOrder(order: Record<string, unknown>): MappedOrder {
  const customer = objectAt(order, 'customer');
  const billing = objectAt(order, 'billing_address');
  const shipping = objectAt(order, 'shipping_address');
  const home = objectAt(customer, 'default_address');
  const country = textAt(billing, 'country_code') ?? textAt(shipping, 'country_code') ?? textAt(home, 'country_code');
  const phones: PhoneCandidate[] = [
    { value: textAt(customer, 'phone'), country },
    { value: textAt(order, 'phone'), country },
    { value: textAt(billing, 'phone'), country: textAt(billing, 'country_code') },
    { value: textAt(shipping, 'phone'), country: textAt(shipping, 'country_code') },
  ];
  const name =
    joinName(textAt(customer, 'first_name'), textAt(customer, 'last_name')) ??
    textAt(billing, 'name') ??
    joinName(textAt(billing, 'first_name'), textAt(billing, 'last_name')) ??
    textAt(shipping, 'name');
  const email = textAt(customer, 'email') ?? textAt(order, 'email') ?? textAt(order, 'contact_email');
  const consent = whatsappConsent(objectAt(customer, 'sms_marketing_consent'));
  const lines = Array.isArray(order.line_items) ? order.line_items : [];

  return {
    phones,
    body: {
      externalId: `shopify:${textAt(order, 'id') ?? ''}`,
      customer: {
        ...(name !== undefined ? { name } : {}),
        ...(email !== undefined ? { email } : {}),
        ...(consent !== undefined ? { consent } : {}),
      },
      items: lines.map((line: unknown) => {
        const item = typeof line === 'object' && line !== null ? (line as Record<string, unknown>) : {};
        const sku = textAt(item, 'sku');
        const price = amountAt(item, 'price');
        return {
          name: textAt(item, 'name') ?? textAt(item, 'title') ?? '',
          ...(sku !== undefined ? { sku } : {}),
          quantity: readQuantity(amountAt(item, 'quantity')) ?? 1,
          ...(price !== undefined ? { unitPrice: price } : {}),
        };
      }),
      ...optional('total', amountAt(order, 'total_price')),
      ...optional('currency', textAt(order, 'currency')),
      ...optional('purchasedAt', textAt(order, 'processed_at') ?? textAt(order, 'created_at')),
      source: 'shopify',
    },
  };
}

/** subscribed: granted; unsubscribed: revoked; anything else (not_subscribed, pending, redacted): says nothing. */
function whatsappConsent(sms: Record<string, unknown> | undefined): { marketing: boolean; source: string } | undefined {
  const state = textAt(sms, 'state')?.toLowerCase();
  if (state === 'subscribed') return { marketing: true, source: 'shopify' };
  if (state === 'unsubscribed') return { marketing: false, source: 'shopify' };
  return undefined;
}

function optional<K extends string>(key: K, value: unknown): Partial<Record<K, unknown>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, unknown>);
}
