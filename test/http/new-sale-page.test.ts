import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/scheduler/clock.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { openPages, type PagesClient } from '../helpers/pages.js';

// Nova venda through app.inject, signed in as the seller's phone is: the form is read back from the
// page (its nonce), filled the way a seller types at the counter, and the sale checked in the record.

const ANA = '+5511912345678';
/** Friday 20 November 2026, 10:00 in São Paulo. */
const START = '2026-11-20T13:00:00Z';

let client: PagesClient | undefined;
afterEach(async () => {
  await client?.app.close();
  client = undefined;
});

async function open(options: Parameters<typeof openPages>[0] = {}): Promise<PagesClient> {
  client = await openPages({ clock: new ManualClock(START), flows: SHIPPED_FLOWS, env: { SHOP_NAME: 'Café da Serra' }, ...options });
  return client;
}

/** The empty form's nonce, as the browser gets it with the page. */
async function nonceOf(c: PagesClient): Promise<string> {
  const page = await c.get('/sales/new');
  expect(page.statusCode).toBe(200);
  const nonce = /name="nonce" value="([^"]+)"/.exec(page.body)?.[1];
  expect(nonce).toMatch(/^[A-Za-z0-9_-]{16,}$/);
  return nonce!;
}

/** The text of the page's main element, tags removed and spaces collapsed. */
function mainText(body: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(body)?.[1] ?? '';
  return main.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Posts a sale and follows the answer's redirect to the sale's page. */
async function sell(c: PagesClient, fields: Record<string, string>) {
  const posted = await c.post('/sales/new', { nonce: await nonceOf(c), item_qty_0: '1', ...fields });
  expect(posted.statusCode, mainText(posted.body)).toBe(303);
  const location = posted.headers.location as string;
  expect(location).toMatch(/^\/sales\/\d+$/);
  return { location, id: Number(location.split('/')[2]), page: await c.get(location) };
}

describe('Nova venda', () => {
  it('needs the session, is in the menu, and fits a phone: tel keyboard, the recent items to pick', async () => {
    const c = await open();
    expect((await c.app.app.inject({ method: 'GET', url: '/sales/new' })).statusCode).toBe(401);
    await c.app.buy({ items: [{ sku: 'CAFE-250', name: 'Café especial 250 g', quantity: 1, unitPrice: 39.9 }] });
    const page = await c.get('/sales/new');
    expect(page.body).toContain('<a href="/sales/new" aria-current="page">Nova venda</a>');
    expect(page.body).toContain('type="tel" inputmode="tel"');
    expect(page.body).toContain('<option value="Café especial 250 g" data-sku="CAFE-250" data-price="39,90">CAFE-250 · 39,90</option>');
    expect(page.body).toContain('<script src="/assets/new-sale.js" defer></script>');
    expect((await c.get('/assets/new-sale.js')).statusCode).toBe(200);
    expect(mainText(page.body)).toContain('Aceito receber mensagens de Café da Serra no WhatsApp');
  });

  it('finds a returning customer by the phone typed any way; the lookup says who it is', async () => {
    const c = await open();
    const ana = c.app.repos.customers.create({ phone: ANA, details: { name: 'Ana Souza' } }, c.app.clock.now());
    for (const typed of ['(11) 91234-5678', '11912345678', '+55 11 91234 5678', '011 9 1234-5678']) {
      const lookup = await c.app.app.inject({ method: 'GET', url: `/sales/lookup?phone=${encodeURIComponent(typed)}`, cookies: c.cookies, headers: { accept: 'application/json' } });
      expect(lookup.json(), typed).toEqual({ phone: '(11) 91234-5678', known: true, text: 'Cliente: Ana Souza' });
    }
    const { page, id } = await sell(c, { phone: '11 9 1234 5678', item_name_0: 'Café especial 250 g', item_price_0: '39,90' });
    expect(c.app.repos.purchases.find(id)).toMatchObject({ customerId: ana.id, source: 'counter', totalCents: 3990 });
    expect(c.app.repos.customers.list({ limit: 10 })).toHaveLength(1);
    expect(mainText(page.body)).toContain('Venda registrada para Ana Souza (11) 91234-5678');
    expect(c.app.repos.customers.findById(ana.id)?.name).toBe('Ana Souza');
  });

  it('a new number asks for a name and makes a new customer with it', async () => {
    const c = await open();
    const lookup = await c.app.app.inject({ method: 'GET', url: '/sales/lookup?phone=21998765432', cookies: c.cookies, headers: { accept: 'application/json' } });
    expect(lookup.json()).toEqual({ phone: '(21) 99876-5432', known: false, text: 'Número novo: qual é o nome do cliente?' });
    const { id } = await sell(c, { phone: '(21) 99876-5432', name: 'Bruno Lima', item_name_0: 'Moedor manual', item_qty_0: '2', item_price_0: 'R$ 149,00' });
    const purchase = c.app.repos.purchases.find(id)!;
    expect(c.app.repos.customers.findById(purchase.customerId)).toMatchObject({ phone: '+5521998765432', name: 'Bruno Lima' });
    expect(purchase).toMatchObject({ items: [{ sku: null, name: 'Moedor manual', quantity: 2, unitPriceCents: 14900 }], totalCents: 29800 });
  });

  it('takes "R$ 1.039,90" as a Brazilian types it, and a picked item keeps its SKU', async () => {
    const c = await open();
    const { id, page } = await sell(c, { phone: ANA, item_name_0: 'Cafeteira italiana', item_sku_0: 'CAF-IT', item_price_0: 'R$ 1.039,90' });
    expect(c.app.repos.purchases.find(id)).toMatchObject({ items: [{ sku: 'CAF-IT', name: 'Cafeteira italiana', quantity: 1, unitPriceCents: 103990 }], totalCents: 103990, currency: 'BRL' });
    expect(mainText(page.body)).toContain('1 × Cafeteira italiana, R$ 1.039,90 cada');
    expect(mainText(page.body)).toContain('Total: R$ 1.039,90');
  });

  it('refuses an ambiguous price with the field and reason, keeps everything typed, and stores nothing', async () => {
    const c = await open();
    const nonce = await nonceOf(c);
    const form = { nonce, phone: '(11) 91234-5678', name: 'Ana', item_name_0: 'Café <b>especial</b>', item_qty_0: '3', item_price_0: '1.039', consent: '1' };
    const response = await c.post('/sales/new', form);
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/<p class="error field-error" id="item-0-price-error">[^<]*amb[ií]g/i);
    expect(response.body).toContain('aria-describedby="item-0-price-error"');
    for (const [name, value] of [['phone', '(11) 91234-5678'], ['name', 'Ana'], ['item_name_0', 'Café &lt;b&gt;especial&lt;/b&gt;'], ['item_qty_0', '3'], ['item_price_0', '1.039'], ['nonce', nonce]]) {
      expect(response.body, name).toMatch(new RegExp(`name="${name}"[^>]*value="${value!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
    }
    expect(response.body).toMatch(/name="consent" value="1" checked/);
    expect(c.app.repos.customers.list({ limit: 10 })).toEqual([]);

    const bad = await c.post('/sales/new', { nonce, phone: '1234', item_name_0: '', item_price_0: '10', item_qty_0: 'dois' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('id="phone-error"');
    expect(bad.body).toContain('id="item-0-name-error">diga qual é o produto</p>');
    expect(bad.body).toContain('id="item-0-quantity-error">use um número inteiro de 1 a 100000</p>');
  });

  it('records the consent with the exact text shown and the counter as its source; unticked changes nothing', async () => {
    const c = await open();
    const { id } = await sell(c, { phone: ANA, name: 'Ana', item_name_0: 'Café', consent: '1' });
    const customer = c.app.repos.customers.findById(c.app.repos.purchases.find(id)!.customerId)!;
    const shown = 'Aceito receber mensagens de Café da Serra no WhatsApp sobre a minha compra, com dicas e ofertas. Posso parar quando quiser respondendo SAIR.';
    expect(customer.consent).toMatchObject({ marketing: 'granted', source: 'counter', text: shown });
    expect((await c.get('/sales/new')).body).toContain(`<span>${shown}</span>`);

    const bruno = await sell(c, { phone: '+5521998765432', item_name_0: 'Café' });
    expect(c.app.repos.customers.findById(c.app.repos.purchases.find(bruno.id)!.customerId)!.consent.marketing).toBe('unknown');
  });

  it('a double submit of the same form is stored once and answers the same sale', async () => {
    const c = await open();
    const fields = { nonce: await nonceOf(c), phone: ANA, name: 'Ana', item_name_0: 'Café', item_qty_0: '1', item_price_0: '39,90' };
    const first = await c.post('/sales/new', fields);
    const second = await c.post('/sales/new', fields);
    expect(first.statusCode).toBe(303);
    expect(second.headers.location).toBe(first.headers.location);
    const customer = c.app.repos.customers.findByPhone(ANA)!;
    expect(c.app.repos.purchases.listByCustomer(customer.id)).toHaveLength(1);
    expect(c.app.repos.runs.listFor(customer.id).filter((run) => run.flowId === 'pos-compra')).toHaveLength(1);
    // The used form filled in with another sale (the back button) is not taken for the first one.
    const reused = await c.post('/sales/new', { ...fields, item_name_0: 'Filtro de papel' });
    expect(reused.statusCode).toBe(409);
    expect(mainText(reused.body)).toContain('Este formulário já registrou outra venda');
    expect(reused.body).toMatch(/name="item_name_0"[^>]*value="Filtro de papel"/);
    const fresh = /name="nonce" value="([^"]+)"/.exec(reused.body)![1]!;
    expect(fresh).not.toBe(fields.nonce);
    expect(c.app.repos.purchases.listByCustomer(customer.id)).toHaveLength(1);
    expect((await c.post('/sales/new', { ...fields, nonce: fresh, item_name_0: 'Filtro de papel' })).statusCode).toBe(303);
    expect(c.app.repos.purchases.listByCustomer(customer.id).map((purchase) => purchase.items[0]!.name)).toEqual(['Café', 'Filtro de papel']);
  });

  it('the answer names the flows started and shows the QR of the sale for the customer to scan', async () => {
    const c = await open();
    const { id, page } = await sell(c, { phone: ANA, name: 'Ana', item_name_0: 'Café' });
    expect(page.statusCode).toBe(200);
    const text = mainText(page.body);
    expect(text).toContain('Fluxos iniciados com esta venda Pós-compra · próximo passo em');
    const code = /Pedido #([A-Z0-9]+)/.exec(text)?.[1];
    expect(code).toBeDefined();
    expect(page.body).toMatch(/<img class="opt-in-card-qr" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+" alt="https:\/\/wa\.me\/5511900000000\?text=[^"]*/);
    expect(page.body).toContain(`<a href="/card?purchase=${id}">Imprimir o cartão</a>`);
    // The same code the API gives for this purchase: the card page shows it too.
    expect(mainText((await c.get(`/card?purchase=${id}`)).body)).toContain(`Pedido #${code}`);
    expect((await c.get('/sales/999')).statusCode).toBe(404);
  });

  it('"+ Outro produto" adds a line without recording anything; two products make one sale', async () => {
    const c = await open();
    const nonce = await nonceOf(c);
    const more = await c.post('/sales/new', { nonce, phone: ANA, item_name_0: 'Café', item_qty_0: '2', item_price_0: '39,90', add: '1' });
    expect(more.statusCode).toBe(200);
    expect(more.body).toContain('name="item_name_1"');
    expect(more.body).toMatch(/name="item_name_0"[^>]*value="Café"/);
    expect(c.app.repos.customers.list({ limit: 10 })).toEqual([]);
    const done = await c.post('/sales/new', { nonce, phone: ANA, item_name_0: 'Café', item_qty_0: '2', item_price_0: '39,90', item_name_1: 'Filtro', item_qty_1: '1', item_price_1: '12' });
    expect(done.statusCode).toBe(303);
    const purchases = c.app.repos.purchases.listByCustomer(c.app.repos.customers.findByPhone(ANA)!.id);
    expect(purchases).toMatchObject([{ totalCents: 9180, items: [{ name: 'Café' }, { name: 'Filtro' }] }]);
  });
});
