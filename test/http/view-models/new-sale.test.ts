import { describe, expect, it } from 'vitest';
import { translator } from '../../../src/i18n/index.js';
import { buildSuggestions, checkSale, emptySaleForm, placeIssues, readSaleForm } from '../../../src/http/view-models/new-sale.js';

// The Nova venda form read and checked from data: no server.

const t = translator('pt-BR');
const RULES = { t, country: 'BR', currency: 'BRL', consentText: 'Aceito.' } as const;
const NONCE = 'abcdefghijklmnop0123';

describe('readSaleForm', () => {
  it('keeps the lines typed in order, drops blank ones, keeps one, and refuses a forged nonce', () => {
    const form = readSaleForm({ phone: '11 91234-5678', nonce: 'x<y', item_name_0: 'Café', item_name_1: '', item_name_2: 'Filtro', item_price_2: '12' });
    expect(form.nonce).toBe('');
    expect(form.lines.map((line) => line.name)).toEqual(['Café', 'Filtro']);
    expect(readSaleForm({}).lines).toHaveLength(1);
    expect(readSaleForm({ add: '1', item_name_0: 'Café' }).lines).toHaveLength(2);
  });
});

describe('checkSale', () => {
  it('builds the purchase body: E.164 phone, cents in the plain form, the consent with its text and the counter', () => {
    const form = { ...emptySaleForm(NONCE, '(11) 91234-5678'), name: ' Ana ', consent: true, lines: [{ name: 'Cafeteira', sku: 'CAF', quantity: '2', price: 'R$ 1.039,90' }] };
    expect(checkSale(form, RULES)).toEqual({
      ok: true,
      body: {
        externalId: `counter:${NONCE}`,
        customer: { phone: '+5511912345678', name: 'Ana', consent: { marketing: true, source: 'counter', text: 'Aceito.' } },
        items: [{ name: 'Cafeteira', sku: 'CAF', quantity: 2, unitPrice: '1039.90' }],
        source: 'counter',
      },
    });
  });

  it('names each field wrong: the phone, an ambiguous price, a quantity, a line without a product', () => {
    const form = {
      ...emptySaleForm('', '1234'),
      lines: [
        { name: 'Café', sku: '', quantity: '0', price: '1.039' },
        { name: '', sku: '', quantity: '1', price: '10' },
      ],
    };
    const result = checkSale(form, RULES);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(['item-0-price', 'item-0-quantity', 'item-1-name', 'phone']);
    expect(result.errors['item-1-name']).toBe('diga qual é o produto');
    expect(result.errors['item-0-price']).toBe(t('money.ambiguous'));
  });

  it('a price left empty is a product without a price', () => {
    const result = checkSale({ ...emptySaleForm(NONCE, '11912345678'), lines: [{ name: 'Brinde', sku: '', quantity: '', price: '' }] }, RULES);
    expect(result.ok && result.body.items).toEqual([{ name: 'Brinde', quantity: 1 }]);
  });
});

describe('placeIssues and buildSuggestions', () => {
  it('puts the reader\'s problems by their field', () => {
    expect(placeIssues([{ path: 'customer.name', message: 'longo' }, { path: 'items.1.unitPrice', message: 'caro' }, { path: 'total', message: 'x' }])).toEqual({
      name: 'longo',
      'item-1-price': 'caro',
      form: 'x',
    });
  });

  it('writes a recent item\'s price for the price field, in the seller\'s language', () => {
    const items = [{ sku: 'CAF', name: 'Café', quantity: 1, unitPriceCents: 103990 }, { sku: null, name: 'Brinde', quantity: 1, unitPriceCents: null }];
    expect(buildSuggestions(items, 'pt-BR', 'BRL')).toEqual([
      { name: 'Café', sku: 'CAF', price: '1039,90', label: 'CAF · 1039,90' },
      { name: 'Brinde', sku: '', price: '', label: '' },
    ]);
    expect(buildSuggestions(items, 'en', 'BRL')[0]!.price).toBe('1039.90');
  });
});
