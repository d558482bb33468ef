import type { MappedOrder, OrderAdapter } from '../shared/order-intake.js';
import { amountAt, decodeEntities, joinName, objectAt, readQuantity, textAt, utcDateTime } from '../shared/order-fields.js';

const TOPICS = new Set(['order.created', 'order.updated']);
/** Paid orders: pending, on-hold, cancelled, failed, refunded or a draft are not a sale (yet). */
const PAID = new Set(['processing', 'completed']);

/**
 * WooCommerce's order (the body of its order.* webhooks, the REST API order object) as a purchase.
 * WordPress writes names with HTML entities, `"sku": ""` for a product without one, and
 * `date_created_gmt` without a zone (it is UTC).
 */
export function woocommerceOrderAdapter(): OrderAdapter {
  return {
    platform: 'woocommerce',
    orderRef: (order) => textAt(order, 'id') ?? null,
    ignored: (topic, order) => {
      if (!TOPICS.has(topic)) return 'topic_ignored';
      return PAID.has(textAt(order, 'status')?.toLowerCase() ?? '') ? null : 'status_ignored';
    },
    map: mapWooOrder,
  };
}

function mapWooOrder(order: Record<string, unknown>): MappedOrder {
  const billing = objectAt(order, 'billing');
  const shipping = objectAt(order, 'shipping');
  const name = joinName(textAt(billing, 'first_name'), textAt(billing, 'last_name'));
  const email = textAt(billing, 'email');
  const lines = Array.isArray(order.line_items) ? order.line_items : [];
  const total = amountAt(order, 'total');
  const currency = textAt(order, 'currency');
  const purchasedAt = utcDateTime(textAt(order, 'date_created_gmt'));

  return {
    phones: [
      { value: textAt(billing, 'phone'), country: textAt(billing, 'country') },
      // Recent WooCommerce versions have a shipping phone too.
      { value: textAt(shipping, 'phone'), country: textAt(shipping, 'country') },
    ],
    body: {
      externalId: `woocommerce:${textAt(order, 'id') ?? ''}`,
      customer: {
        ...(name !== undefined ? { name: decodeEntities(name) } : {}),
        ...(email !== undefined ? { email } : {}),
      },
      items: lines.map((line: unknown) => {
        const item = typeof line === 'object' && line !== null ? (line as Record<string, unknown>) : {};
        const sku = textAt(item, 'sku');
        const price = amountAt(item, 'price');
        return {
          name: decodeEntities(textAt(item, 'name') ?? ''),
          ...(sku !== undefined ? { sku: decodeEntities(sku) } : {}),
          quantity: readQuantity(amountAt(item, 'quantity')) ?? 1,
          ...(price !== undefined ? { unitPrice: price } : {}),
        };
      }),
      ...(total !== undefined ? { total } : {}),
      ...(currency !== undefined ? { currency } : {}),
      ...(purchasedAt !== undefined ? { purchasedAt } : {}),
      source: 'woocommerce',
    },
  };
}
