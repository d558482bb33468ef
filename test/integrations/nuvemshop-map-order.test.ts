import { describe, expect, it } from 'vitest';
import { nuvemshopAdapter } from '../../src/integrations/nuvemshop/map-order.js';
import { decideOrder } from '../../src/integrations/shared/order-intake.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { fixtureOrder, type Order } from './nuvemshop-helpers.js';

/** The paid order of "GET /orders" in resources/order.md (TiendaNube/api-docs). */
const documentedPaid = () => fixtureOrder('orders-list.json');
/** The pending order of "GET /orders/{id}" in resources/order.md. */
const documentedPending = () => fixtureOrder('order-single.json');

const clock = new ManualClock('2026-11-20T15:00:00Z');
const intake = { locale: 'pt-BR' as const, defaultCountry: 'BR' as const, currency: 'BRL', clock };
const adapter = nuvemshopAdapter((id) => `Produto ${id}`);
/** The order through the shared intake path, as the fetch gives it: what would be recorded, or why not. */
const decide = (order: Record<string, unknown>) => decideOrder({ intake }, adapter, 'order/paid', order);

describe('a Nuvemshop order into the intake', () => {
  it('reads the documented paid order: quantity "1", prices as strings, +0000 dates, its currency and SKU', () => {
    const decision = decide(documentedPaid());
    if (!decision.take) throw new Error(JSON.stringify(decision.outcome));
    expect(decision.input).toMatchObject({
      externalId: 'nuvemshop:450789469',
      customer: { phone: '+5491126653230', details: { name: 'John Doe', email: 'john.doe@example.com' } },
      items: [{ sku: '12331471', name: 'Pokeball', quantity: 1, unitPriceCents: 519000 }],
      totalCents: 566000,
      currency: 'USD',
      source: 'nuvemshop',
      purchasedAt: Date.parse('2022-02-23T12:25:18Z'),
    });
  });

  it('leaves an unpaid order alone (order/created before the boleto or Pix is paid)', () => {
    expect(decide(documentedPending())).toEqual({ take: false, outcome: { status: 'skipped', reason: 'not_paid', purchaseId: null } });
    expect(decide({ ...documentedPaid(), payment_status: 'authorized' })).toMatchObject({ take: false, outcome: { reason: 'not_paid' } });
  });

  it('leaves a cancelled order alone even when it had been paid', () => {
    expect(decide({ ...documentedPaid(), status: 'cancelled' })).toMatchObject({ take: false, outcome: { reason: 'status_ignored' } });
  });

  it('skips the documented single order once paid: its only phone, 555-123-0413 (US), is no WhatsApp', () => {
    expect(decide({ ...documentedPending(), payment_status: 'paid' })).toMatchObject({ take: false, outcome: { status: 'skipped', reason: 'no_phone' } });
  });

  it('reads the documented single order with a Brazilian billing phone: numeric quantity, no product name or SKU, -05:00 date', () => {
    const decision = decide({ ...documentedPending(), payment_status: 'paid', billing_country: 'BR', billing_phone: '(11) 91234-5678' });
    if (!decision.take) throw new Error(JSON.stringify(decision.outcome));
    expect(decision.input.customer.phone).toBe('+5511912345678');
    expect(decision.input.items).toEqual([{ sku: null, name: 'Produto 1234', quantity: 2, unitPriceCents: 1900 }]);
    expect(decision.input.purchasedAt).toBe(Date.parse('2008-01-10T16:00:00Z'));
  });

  it('takes the first phone WhatsApp can reach: customer, then billing, then shipping address, then default address', () => {
    const base = documentedPaid();
    const withPhones = (phones: { customer?: string; billing?: string; shipping?: string; address?: string }): Order => ({
      ...base,
      billing_country: 'BR',
      customer: { ...base.customer, phone: phones.customer ?? null, default_address: { ...base.customer.default_address, country: 'BR', phone: phones.address ?? null } },
      billing_phone: phones.billing ?? null,
      shipping_address: { ...base.shipping_address, country: 'BR', phone: phones.shipping ?? null },
    });
    const phoneOf = (order: Order) => {
      const decision = decide(order);
      return decision.take ? decision.input.customer.phone : decision.outcome.reason;
    };
    expect(phoneOf(withPhones({ customer: '+55 11 91234-5678', billing: '(21) 99876-5432' }))).toBe('+5511912345678');
    expect(phoneOf(withPhones({ customer: '', billing: '(21) 99876-5432', shipping: '11 3333-4444' }))).toBe('+5521998765432');
    // A landline is no WhatsApp: the shipping address's mobile is taken instead.
    expect(phoneOf(withPhones({ billing: '11 3333-4444', shipping: '11987654321' }))).toBe('+5511987654321');
    expect(phoneOf(withPhones({ address: '+55 (48) 99111-2222' }))).toBe('+5548991112222');
    expect(phoneOf(withPhones({}))).toBe('no_phone');
  });

  it('treats an empty or null SKU as none, Nuvemshop\'s placeholder e-mail as no e-mail, and keeps BRL', () => {
    const base = documentedPaid();
    const order: Order = {
      ...base,
      currency: 'BRL',
      total: '132.20',
      customer: { ...base.customer, email: 'email@naoinformado.com' },
      products: [
        { ...base.products[0], sku: '', quantity: '3', price: '39.90', name: 'Café especial 250 g' },
        { ...base.products[0], sku: null, quantity: 1, price: 12.5, name: 'Filtro de papel' },
      ],
    };
    const decision = decide(order);
    if (!decision.take) throw new Error(JSON.stringify(decision.outcome));
    expect(decision.input.customer.details.email).toBeUndefined();
    expect(decision.input.currency).toBe('BRL');
    expect(decision.input.totalCents).toBe(13220);
    expect(decision.input.items).toEqual([
      { sku: null, name: 'Café especial 250 g', quantity: 3, unitPriceCents: 3990 },
      { sku: null, name: 'Filtro de papel', quantity: 1, unitPriceCents: 1250 },
    ]);
  });

  it('calls an order without products invalid', () => {
    expect(decide({ ...documentedPaid(), products: [] })).toMatchObject({ take: false, outcome: { reason: 'invalid_order' } });
  });

  it('names a quantity that is not a whole number with its path', () => {
    const base = documentedPaid();
    const decision = decide({ ...base, products: [{ ...base.products[0], quantity: '1.5' }] });
    expect(decision).toMatchObject({ take: false, outcome: { status: 'skipped', reason: 'invalid_order', issues: [{ path: 'items.0.quantity' }] } });
  });
});
