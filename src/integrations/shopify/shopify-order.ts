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

  // Only what the order has: a field left out is one the purchase's reader does not see.
  const buyer: MappedOrder['body']['customer'] = {};
  if (name !== undefined) buyer.name = name;
  if (email !== undefined) buyer.email = email;
  if (consent !== undefined) buyer.consent = consent;
  const body: MappedOrder['body'] = { externalId: `shopify:${textAt(order, 'id') ?? ''}`, customer: buyer, items: lines.map(mapLine), source: 'shopify' };
  const total = amountAt(order, 'total_price');
  if (total !== undefined) body.total = total;
  const currency = textAt(order, 'currency');
  if (currency !== undefined) body.currency = currency;
  const purchasedAt = textAt(order, 'processed_at') ?? textAt(order, 'created_at');
  if (purchasedAt !== undefined) body.purchasedAt = purchasedAt;
  return { phones, body };
}

function mapLine(line: unknown): Record<string, unknown> {
  const item = typeof line === 'object' && line !== null ? (line as Record<string, unknown>) : {};
  const mapped: Record<string, unknown> = { name: textAt(item, 'name') ?? textAt(item, 'title') ?? '' };
  const sku = textAt(item, 'sku');
  if (sku !== undefined) mapped.sku = sku;
  mapped.quantity = readQuantity(amountAt(item, 'quantity')) ?? 1;
  const price = amountAt(item, 'price');
  if (price !== undefined) mapped.unitPrice = price;
  return mapped;
}

/** subscribed: granted; unsubscribed: revoked; anything else (not_subscribed, pending, redacted): says nothing. */
function whatsappConsent(sms: Record<string, unknown> | undefined): { marketing: boolean; source: string } | undefined {
  const state = textAt(sms, 'state')?.toLowerCase();
  if (state === 'subscribed') return { marketing: true, source: 'shopify' };
  if (state === 'unsubscribed') return { marketing: false, source: 'shopify' };
  return undefined;
}
