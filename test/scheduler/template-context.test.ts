import { describe, expect, it } from 'vitest';
import type { Customer, Purchase, PurchaseItem } from '../../src/domain/customer.js';
import { templateContext } from '../../src/scheduler/template-context.js';
import { aCustomer } from '../helpers/customer.js';

const SHOP = { name: 'Café da Serra', reviewUrl: 'https://g.page/r/CafeDaSerra/review', locale: 'pt-BR' as const };

function customer(overrides: Partial<Customer> = {}): Customer {
  return aCustomer({ name: 'Ana Souza Lima', email: 'ana@example.com', tags: ['vip'], consent: { marketing: 'granted', at: 1, source: 'api', text: null }, ...overrides });
}

function item(name: string, sku: string | null = null, quantity = 1): PurchaseItem {
  return { sku, name, quantity, unitPriceCents: null };
}

function purchase(overrides: Partial<Purchase> = {}): Purchase {
  return {
    id: 3,
    customerId: 7,
    externalId: 'pedido-1001',
    items: [item('Café especial 250 g', 'CAFE-250', 2)],
    totalCents: 12990,
    currency: 'BRL',
    source: 'api',
    purchasedAt: Date.parse('2026-11-20T15:00:00Z'),
    createdAt: Date.parse('2026-11-20T15:00:00Z'),
    ...overrides,
  };
}

describe('templateContext', () => {
  it('gives the shop, the customer, the purchase and the last answer as templates name them', () => {
    const answer = { stepId: 'pesquisa', value: '9', comment: 'chegou rápido', outcome: 'promoter' };
    expect(templateContext(SHOP, customer(), purchase(), answer)).toEqual({
      shop: { name: 'Café da Serra', review_url: 'https://g.page/r/CafeDaSerra/review' },
      customer: {
        name: 'Ana Souza Lima',
        first_name: 'Ana',
        phone: '+5511912345678',
        whatsapp_link: 'https://wa.me/5511912345678',
        email: 'ana@example.com',
        tags: ['vip'],
      },
      purchase: {
        external_id: 'pedido-1001',
        total: 'R$\u00a0129,90',
        currency: 'BRL',
        items: [{ sku: 'CAFE-250', name: 'Café especial 250 g', quantity: 2 }],
        products: 'Café especial 250 g',
        purchased_at: '2026-11-20T15:00:00.000Z',
      },
      answer: { value: '9', comment: 'chegou rápido' },
    });
  });

  it('joins the products as a sentence in the shop’s language', () => {
    const items = [item('Café'), item('Filtro'), item('Coador')];
    expect(templateContext(SHOP, customer(), purchase({ items: items.slice(0, 2) }), null).purchase.products).toBe('Café e Filtro');
    expect(templateContext(SHOP, customer(), purchase({ items }), null).purchase.products).toBe('Café, Filtro e Coador');
    expect(templateContext({ ...SHOP, locale: 'en' }, customer(), purchase({ items }), null).purchase.products).toBe('Café, Filtro and Coador');
    expect(templateContext({ ...SHOP, locale: 'es' }, customer(), purchase({ items }), null).purchase.products).toBe('Café, Filtro y Coador');
    expect(templateContext(SHOP, customer(), purchase({ items: [] }), null).purchase.products).toBe('');
  });

  it('writes the total in the shop’s locale and the purchase’s currency; none when it is not known', () => {
    expect(templateContext({ ...SHOP, locale: 'en' }, customer(), purchase(), null).purchase.total).toBe('R$129.90');
    expect(templateContext(SHOP, customer(), purchase({ totalCents: 1500, currency: 'JPY' }), null).purchase).toMatchObject({ total: 'JP¥\u00a01.500', currency: 'JPY' });
    expect(templateContext(SHOP, customer(), purchase({ totalCents: null }), null).purchase.total).toBe('');
  });

  it('leaves empty what is not known: a run without a purchase, a customer without name, e-mail or phone, no answer yet', () => {
    const context = templateContext(SHOP, customer({ name: null, email: null, phone: null, tags: [] }), undefined, null);
    expect(context.customer).toEqual({ name: '', first_name: '', phone: '', whatsapp_link: '', email: '', tags: [] });
    expect(context.purchase).toEqual({ external_id: '', total: '', currency: '', items: [], products: '', purchased_at: '' });
    expect(context.answer).toEqual({ value: '', comment: '' });
  });

  it('an item without a SKU is listed with an empty one', () => {
    expect(templateContext(SHOP, customer(), purchase({ items: [item('Brinde', null)] }), null).purchase.items).toEqual([{ sku: '', name: 'Brinde', quantity: 1 }]);
  });
});
