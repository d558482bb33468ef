import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { purchaseBody } from '../helpers/app.js';
import { createShop, type Shop } from '../helpers/shop.js';

let t: Shop;
beforeEach(async () => {
  t = await createShop();
});
afterEach(async () => {
  await t.close();
});

function addMessage(customerId: number, waId: string, direction: 'in' | 'out', text: string) {
  t.repos.messages.record(
    { customerId, direction, waId, kind: 'text', text, status: direction === 'in' ? 'received' : 'sent' },
    t.clock.now(),
  );
}

function addReferralAnswer(customerId: number, waId: string) {
  const answer = t.repos.answers.record({
    customerId, runId: null, stepId: 'indique', kind: 'referral', value: '+5521988887777,+5531977776666', comment: null, messageWaId: waId, at: t.clock.now(),
  });
  t.repos.referrals.record(customerId, [{ name: 'Carla', phone: '+5521988887777' }, { name: null, phone: '+5531977776666' }], answer.id, t.clock.now());
  return answer;
}

describe('customer record', () => {
  it('GET /api/customers/:id returns the customer with purchases, messages and consent history', async () => {
    const { customer } = await t.buy({ customer: { phone: '11912345678', name: 'Ana', consent: { marketing: true, text: 'Aceito' } } });
    t.clock.advance(60_000);
    await t.buy({ externalId: 'pedido-1002', customer: { phone: '11912345678' }, items: [{ name: 'Coador', unitPrice: 25 }] });
    addMessage(customer.id, 'WA-OUT-1', 'out', 'Obrigado pela compra!');
    addMessage(customer.id, 'WA-IN-1', 'in', 'nota 9, mas atrasou');

    const response = await t.api({ method: 'GET', url: `/api/customers/${customer.id}` });
    expect(response.statusCode).toBe(200);
    const record = response.json();
    expect(record.customer).toMatchObject({ id: customer.id, phone: '+5511912345678', name: 'Ana', consent: { marketing: 'granted' } });
    expect(record.purchases.map((p: { externalId: string }) => p.externalId)).toEqual(['pedido-1001', 'pedido-1002']);
    expect(record.messages).toMatchObject([
      { direction: 'out', waId: 'WA-OUT-1', text: 'Obrigado pela compra!', status: 'sent' },
      { direction: 'in', waId: 'WA-IN-1', text: 'nota 9, mas atrasou', status: 'received' },
    ]);
    expect(record.consentHistory).toHaveLength(1);
    expect(record.answers).toEqual([]);
    expect(record.referrals).toEqual([]);
  });

  it('GET /api/customers/:id shows the answers, oldest first, and the people the customer recommended', async () => {
    const { customer } = await t.buy();
    t.clock.advance(60_000);
    const nps = t.repos.answers.record({
      customerId: customer.id, runId: null, stepId: 'pesquisa', kind: 'nps', value: '9', comment: 'mas a entrega atrasou', messageWaId: 'WA-IN-9', at: t.clock.now(),
    });
    t.clock.advance(60_000);
    const referral = addReferralAnswer(customer.id, 'WA-IN-REF');

    const record = (await t.api({ method: 'GET', url: `/api/customers/${customer.id}` })).json();
    expect(record.answers).toEqual([
      { id: nps.id, runId: null, stepId: 'pesquisa', kind: 'nps', value: '9', comment: 'mas a entrega atrasou', messageWaId: 'WA-IN-9', at: '2026-11-20T15:01:00.000Z' },
      { id: referral.id, runId: null, stepId: 'indique', kind: 'referral', value: '+5521988887777,+5531977776666', comment: null, messageWaId: 'WA-IN-REF', at: '2026-11-20T15:02:00.000Z' },
    ]);
    expect(record.referrals).toEqual([
      { id: expect.any(Number), name: 'Carla', phone: '+5521988887777', createdAt: '2026-11-20T15:02:00.000Z' },
      { id: expect.any(Number), name: null, phone: '+5531977776666', createdAt: '2026-11-20T15:02:00.000Z' },
    ]);
    // Runs and consent history are still there, and the people recommended are not customers.
    expect(record).toHaveProperty('runs');
    expect(record).toHaveProperty('consentHistory');
    expect((await t.api({ method: 'GET', url: '/api/customers', query: { phone: '+5521988887777' } })).statusCode).toBe(404);
  });

  it('GET /api/customers?phone= finds the record however the phone is written', async () => {
    const { customer } = await t.buy();
    for (const phone of ['+5511912345678', '(11) 91234-5678', '5511912345678']) {
      const response = await t.api({ method: 'GET', url: '/api/customers', query: { phone } });
      expect(response.statusCode).toBe(200);
      expect(response.json().customer.id).toBe(customer.id);
    }
  });

  it('answers 404 for an unknown customer and 400 for an id or phone that cannot be one', async () => {
    expect((await t.api({ method: 'GET', url: '/api/customers/999' })).json()).toEqual({
      error: { code: 'customer_not_found', message: 'Cliente 999 não encontrado.' },
    });
    expect((await t.api({ method: 'GET', url: '/api/customers/999' })).statusCode).toBe(404);
    expect((await t.api({ method: 'GET', url: '/api/customers', query: { phone: '+5521998765432' } })).statusCode).toBe(404);

    const badId = await t.api({ method: 'GET', url: '/api/customers/abc' });
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.issues[0].path).toBe('params.id');
    const badPhone = await t.api({ method: 'GET', url: '/api/customers', query: { phone: 'xyz' } });
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.json().error.issues[0].path).toBe('query.phone');
    const unknownQuery = await t.api({ method: 'GET', url: '/api/customers', query: { fone: '1' } });
    expect(unknownQuery.statusCode).toBe(400);
  });

  it('GET /api/customers lists and searches by name or phone digits, newest first, page by page', async () => {
    await t.buy({ externalId: '1', customer: { phone: '11912345678', name: 'Ana Souza' } });
    await t.buy({ externalId: '2', customer: { phone: '21998765432', name: 'Bruno Lima' } });
    await t.buy({ externalId: '3', customer: { phone: '31987654321', name: 'Ana Clara' } });

    const all = (await t.api({ method: 'GET', url: '/api/customers' })).json();
    expect(all.customers.map((c: { name: string }) => c.name)).toEqual(['Ana Clara', 'Bruno Lima', 'Ana Souza']);
    expect(all.nextBefore).toBeNull();

    const byName = (await t.api({ method: 'GET', url: '/api/customers', query: { q: 'ana' } })).json();
    expect(byName.customers.map((c: { name: string }) => c.name)).toEqual(['Ana Clara', 'Ana Souza']);
    const byDigits = (await t.api({ method: 'GET', url: '/api/customers', query: { q: '99876' } })).json();
    expect(byDigits.customers.map((c: { name: string }) => c.name)).toEqual(['Bruno Lima']);

    const page1 = (await t.api({ method: 'GET', url: '/api/customers', query: { limit: '2' } })).json();
    expect(page1.customers).toHaveLength(2);
    const page2 = (await t.api({ method: 'GET', url: '/api/customers', query: { limit: '2', before: String(page1.nextBefore) } })).json();
    expect(page2.customers.map((c: { name: string }) => c.name)).toEqual(['Ana Souza']);
  });

  it('PATCH /api/customers/:id edits name, birthday, email and tags, and clears with null', async () => {
    const { customer } = await t.buy({ customer: { phone: '11912345678', name: 'ana', email: 'ana@exemplo.com' } });
    t.clock.advance(1000);
    const response = await t.api({
      method: 'PATCH',
      url: `/api/customers/${customer.id}`,
      payload: { name: 'Ana Souza', birthday: '12/03', email: null, tags: ['VIP', ' cliente fiel ', 'vip'] },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().customer).toMatchObject({
      name: 'Ana Souza',
      birthday: '--03-12',
      email: null,
      tags: ['vip', 'cliente-fiel'],
      updatedAt: '2026-11-20T15:00:01.000Z',
    });
  });

  it('PATCH refuses what is not editable, bad values and an empty change', async () => {
    const { customer } = await t.buy();
    const cases: [unknown, string][] = [
      [{ phone: '+5521998765432' }, ''],
      [{ tags: ['ok', 'não pode ter espaço!'] }, 'tags.1'],
      [{ birthday: '1990-02-30' }, 'birthday'],
      [{}, ''],
    ];
    for (const [payload, path] of cases) {
      const response = await t.api({ method: 'PATCH', url: `/api/customers/${customer.id}`, payload: payload as object });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.issues[0].path).toBe(path);
    }
    expect((await t.api({ method: 'PATCH', url: '/api/customers/42', payload: { name: 'x' } })).statusCode).toBe(404);
  });

  it('GET /api/customers/:id/export returns everything stored about the person as a JSON download', async () => {
    const { customer } = await t.buy({ customer: { phone: '11912345678', name: 'Ana', email: 'ana@exemplo.com', birthday: '12/03/1990', consent: { marketing: true } } });
    addMessage(customer.id, 'WA-1', 'out', 'Oi Ana');
    const response = await t.api({ method: 'GET', url: `/api/customers/${customer.id}/export` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="cliente-${customer.id}.json"`);
    const exported = response.json();
    expect(exported).toMatchObject({
      format: 'fregues-customer-export',
      version: 1,
      exportedAt: '2026-11-20T15:00:00.000Z',
      customer: { phone: '+5511912345678', name: 'Ana', email: 'ana@exemplo.com', birthday: '1990-03-12' },
      purchases: [{ externalId: 'pedido-1001' }],
      messages: [{ text: 'Oi Ana' }],
      consentHistory: [{ state: 'granted' }],
      answers: [],
      referrals: [],
    });
  });

  it('the export carries the answers and the referrals too', async () => {
    const { customer } = await t.buy();
    const answer = addReferralAnswer(customer.id, 'WA-IN-REF');
    const exported = (await t.api({ method: 'GET', url: `/api/customers/${customer.id}/export` })).json();
    expect(exported).toMatchObject({
      answers: [{ id: answer.id, kind: 'referral', value: '+5521988887777,+5531977776666', messageWaId: 'WA-IN-REF', at: '2026-11-20T15:00:00.000Z' }],
      referrals: [{ name: 'Carla', phone: '+5521988887777' }, { name: null, phone: '+5531977776666' }],
    });
  });

  it('DELETE /api/customers/:id erases personal data and messages and keeps anonymous counts', async () => {
    const { customer } = await t.buy({ customer: { phone: '11912345678', name: 'Ana', email: 'ana@exemplo.com', consent: { marketing: true } } });
    addMessage(customer.id, 'WA-1', 'out', 'Oi Ana');
    addMessage(customer.id, 'WA-2', 'in', 'Oi!');
    addMessage(customer.id, 'WA-3', 'in', 'Obrigada');
    addReferralAnswer(customer.id, 'WA-3');

    const response = await t.api({ method: 'DELETE', url: `/api/customers/${customer.id}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      erased: true,
      customerId: customer.id,
      kept: { purchases: 1, messagesIn: 2, messagesOut: 1, consentEvents: 1 },
    });

    const row = t.db.sqlite.prepare('SELECT * FROM customers WHERE id = ?').get(customer.id) as Record<string, unknown>;
    expect(row).toMatchObject({ phone: null, name: null, email: null, birthday: null, tags: '[]', consent_text: null, consent_marketing: 'unknown' });
    expect(row.erased_at).toBe(t.clock.now());
    const stored = JSON.stringify(t.db.sqlite.prepare('SELECT * FROM customers').all()) + JSON.stringify(t.db.sqlite.prepare('SELECT * FROM messages').all());
    expect(stored).not.toMatch(/Ana|5511912345678|exemplo/);
    expect(t.db.sqlite.prepare('SELECT count(*) AS n FROM purchases WHERE customer_id = ?').get(customer.id)).toEqual({ n: 1 });
    expect(t.db.sqlite.prepare('SELECT count(*) AS n FROM answers').get()).toEqual({ n: 0 });
    expect(t.db.sqlite.prepare('SELECT count(*) AS n FROM referrals').get()).toEqual({ n: 0 });

    expect((await t.api({ method: 'GET', url: `/api/customers/${customer.id}` })).statusCode).toBe(410);
    expect((await t.api({ method: 'DELETE', url: `/api/customers/${customer.id}` })).statusCode).toBe(410);
    expect((await t.api({ method: 'GET', url: '/api/customers', query: { phone: '11912345678' } })).statusCode).toBe(404);

    // The same person buying again is a new customer: nothing of the old record comes back.
    const again = await t.buy({ externalId: 'novo', customer: { phone: '11912345678' } });
    expect(again.customer.id).not.toBe(customer.id);
    expect((again.customer as unknown as { name: unknown }).name).toBeNull();
  });

  it('erasure also forgets what the WhatsApp adapter kept of the person', async () => {
    const { createWhatsAppStore } = await import('../../src/storage/repositories/whatsapp.js');
    const store = createWhatsAppStore(t.db);
    const { customer } = await t.buy();
    addMessage(customer.id, 'WA-SENT', 'out', 'Oi Ana');
    store.rememberSent('WA-SENT', { jid: '5511912345678@s.whatsapp.net', message: 'AAAA', isPoll: false }, 1);
    store.rememberSent('WA-OTHER', { jid: '5521998765432@s.whatsapp.net', message: 'BBBB', isPoll: false }, 1);
    store.rememberLids([{ lid: '222222222222222@lid', phone: '+5511912345678' }, { lid: '333333333333333@lid', phone: '+5521998765432' }], 1);
    await t.api({ method: 'DELETE', url: `/api/customers/${customer.id}` });
    expect(store.readSent('WA-SENT')).toBeUndefined();
    expect(store.readSent('WA-OTHER')).toBeDefined();
    expect(store.phoneOfLid('222222222222222@lid')).toBeUndefined();
    expect(store.phoneOfLid('333333333333333@lid')).toBe('+5521998765432');
  });

  it('a repeated externalId after erasure still changes nothing', async () => {
    const { customer } = await t.buy();
    await t.api({ method: 'DELETE', url: `/api/customers/${customer.id}` });
    const response = await t.api({ method: 'POST', url: '/api/purchases', payload: purchaseBody() });
    expect(response.statusCode).toBe(200);
    expect(response.json().customer).toMatchObject({ id: customer.id, phone: null, name: null });
  });
});
