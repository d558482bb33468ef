import type { MappedOrder, OrderAdapter, PhoneCandidate } from '../shared/order-intake.js';
import { amountAt, objectAt, readQuantity, textAt, utcDateTime } from '../shared/order-fields.js';

/**
 * A Nuvemshop order as its REST API answers `GET /{store_id}/orders/{id}`
 * (resources/order.md of TiendaNube/api-docs) into the shared intake path.
 * The API writes quantities and prices as strings ("1", "39.90") or numbers,
 * dates as "2026-11-20T13:00:00+0000", and `sku` may be null or missing.
 */

/** What Nuvemshop fills in when the buyer gave no e-mail (resources/order.md, Customer): not an address. */
const PLACEHOLDER_EMAILS = new Set(['email@naoinformado.com', 'email@noinformado.com']);

/** `unnamedProduct`: the name of a line the API gave without one (the documented single order has none). */
export function nuvemshopAdapter(unnamedProduct: (productId: string) => string): OrderAdapter {
  return {
    platform: 'nuvemshop',
    orderRef: (order) => textAt(order, 'id') ?? null,
    ignored: (_topic, order) => whyNotASale(order),
    map: (order) => mapNuvemshopOrder(order, unnamedProduct),
  };
}

/**
 * Only paid orders are sales: an order/created webhook for an order still
 * waiting for its boleto or Pix is left alone (order/paid brings it when it is
 * paid); a cancelled one, even paid before, is not a sale to thank for.
 */
export function whyNotASale(order: Record<string, unknown>): string | null {
  if (textAt(order, 'status') === 'cancelled') return 'status_ignored';
  if (textAt(order, 'payment_status') !== 'paid') return 'not_paid';
  const products = order.products;
  if (!Array.isArray(products) || products.length === 0) return 'invalid_order';
  return null;
}

/**
 * The order as the body of POST /api/purchases. Where the phone is: the
 * customer's, then the order's billing phone, then the shipping address's,
 * then the customer's default address (the shared path takes the first one
 * WhatsApp can reach, read in the country of the address it came with).
 */
export function mapNuvemshopOrder(order: Record<string, unknown>, unnamedProduct: (productId: string) => string): MappedOrder {
  const customer = objectAt(order, 'customer');
  const shipping = objectAt(order, 'shipping_address');
  const home = objectAt(customer, 'default_address');
  const phones: PhoneCandidate[] = [
    { value: textAt(customer, 'phone'), country: textAt(home, 'country') ?? textAt(order, 'billing_country') },
    { value: textAt(order, 'billing_phone'), country: textAt(order, 'billing_country') },
    { value: textAt(customer, 'billing_phone'), country: textAt(customer, 'billing_country') },
    { value: textAt(shipping, 'phone'), country: textAt(shipping, 'country') },
    { value: textAt(home, 'phone'), country: textAt(home, 'country') },
  ];

  const name = textAt(customer, 'name') ?? textAt(order, 'billing_name') ?? textAt(shipping, 'name');
  const email = textAt(customer, 'email');
  const products = Array.isArray(order.products) ? (order.products as unknown[]) : [];
  const items = products.map((line) => {
    const product = typeof line === 'object' && line !== null ? (line as Record<string, unknown>) : {};
    const sku = textAt(product, 'sku');
    const price = amountAt(product, 'price');
    return {
      ...(sku !== undefined ? { sku } : {}),
      name: textAt(product, 'name') ?? unnamedProduct(textAt(product, 'product_id') ?? textAt(product, 'variant_id') ?? '?'),
      quantity: readQuantity(amountAt(product, 'quantity')) ?? 1,
      ...(price !== undefined ? { unitPrice: price } : {}),
    };
  });
  // Paid is when the sale happened (a boleto may be paid days after the order).
  const purchasedAt = utcDateTime(textAt(order, 'paid_at') ?? textAt(order, 'created_at'));
  const total = amountAt(order, 'total');
  const currency = textAt(order, 'currency');

  return {
    phones,
    body: {
      externalId: `nuvemshop:${textAt(order, 'id') ?? ''}`,
      customer: {
        ...(name !== undefined ? { name } : {}),
        ...(email !== undefined && !PLACEHOLDER_EMAILS.has(email.toLowerCase()) ? { email } : {}),
      },
      items,
      ...(total !== undefined ? { total } : {}),
      ...(currency !== undefined ? { currency } : {}),
      ...(purchasedAt !== undefined ? { purchasedAt } : {}),
      source: 'nuvemshop',
    },
  };
}
