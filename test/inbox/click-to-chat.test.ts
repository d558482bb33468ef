import { afterEach, describe, expect, it, vi } from 'vitest';
import { purchaseBody } from '../helpers/app.js';
import { buildFlow, flowsFromYaml, sendText, step, waitFor } from '../helpers/flows.js';
import { FakeChannel } from '../helpers/fake-channel.js';
import { createShop, type Shop } from '../helpers/shop.js';

const SHOP = '+5511900000000';
const ANA = '+5511912345678';
/** Ana's husband: the order carried her number, he scans the card in the package. */
const CARLOS = '+5521987654321';
const OWNER = '+5511955554444';
const HOUR = 3600_000;

const thanks = buildFlow('obrigado', [step('espera', waitFor(HOUR)), step('agradecimento', sendText('Obrigado pela compra!'))]);

let shop: Shop;

afterEach(async () => {
  await shop.close();
});

async function openShop(): Promise<Shop> {
  shop = await createShop({ flows: [thanks], env: { SHOP_NAME: 'Café da Serra', OWNER_PHONE: OWNER } });
  // The simulated shop's number, noted when its channel opened.
  expect(shop.repos.whatsappLimits.shopPhone()).toBe(SHOP);
  return shop;
}

interface OptIn {
  link: string;
  code: string;
}

async function buyWithOptIn(overrides: Record<string, unknown> = {}) {
  const response = await shop.api({ method: 'POST', url: '/api/purchases', payload: purchaseBody(overrides) });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ customer: { id: number }; purchase: { id: number }; optIn: OptIn | null }>();
}

/** The text WhatsApp puts in the chat when the link is opened. */
function prefilledText(link: string): string {
  return new URL(link).searchParams.get('text')!;
}

describe('click-to-chat: the customer writes first', () => {
  it('answers each purchase with the wa.me link of the shop and a code in the prefilled text', async () => {
    await openShop();
    const answer = await buyWithOptIn();
    expect(answer.optIn).not.toBeNull();
    const { link, code } = answer.optIn!;
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{5}$/);
    expect(link).toBe(`https://wa.me/5511900000000?text=${encodeURIComponent(`Oi! Quero acompanhar meu pedido #${code}`)}`);
    // Nothing was written for the code: it comes from the purchase's id (the intake's speed is measured).
    expect(shop.repos.schedulerState.get('opt_in.secret')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('has no link while the shop number is not known', async () => {
    // Never linked: waiting for its QR to be scanned.
    shop = await createShop({ flows: [thanks], channel: new FakeChannel() });
    const answer = await buyWithOptIn();
    expect(answer.optIn).toBeNull();
  });

  it('links the purchase to whoever writes with its code, records their consent and answers nothing', async () => {
    await openShop();
    const contactArrived = vi.spyOn(shop.flows.runner, 'contactArrived');
    const { purchase, customer: ana, optIn } = await buyWithOptIn();
    const sent = `${prefilledText(optIn!.link).replace(optIn!.code, optIn!.code.toLowerCase())} 😊`;

    await shop.reply(CARLOS, sent);

    const carlos = shop.repos.customers.findByPhone(CARLOS)!;
    expect(carlos.warmAt).toBe(shop.clock.now());
    expect(shop.repos.purchases.find(purchase.id)!.customerId).toBe(carlos.id);
    expect(shop.repos.purchases.listByCustomer(ana.id)).toEqual([]);
    // The waiting run went with the purchase: the thanks goes to the one who wrote.
    expect(shop.repos.runs.openFor(carlos.id).map((run) => run.flowId)).toEqual(['obrigado']);
    expect(shop.repos.runs.openFor(ana.id)).toEqual([]);
    expect(shop.repos.customers.listConsentEvents(carlos.id)).toMatchObject([
      { purpose: 'messages', state: 'granted', source: 'click-to-chat', text: sent, at: shop.clock.now() },
    ]);
    expect(contactArrived).toHaveBeenCalledWith(carlos.id, purchase.id);
    // No clarification, no owner alert: the message was understood.
    expect(shop.repos.outbox.list({ limit: 50 }).filter((row) => row.runId === null)).toEqual([]);

    await shop.travel('1h');
    expect(shop.received(CARLOS)).toEqual(['Obrigado pela compra!']);
    expect(shop.received(ANA)).toEqual([]);
  });

  it('keeps the purchase where it is when its own customer writes, and the code works in the middle of other words', async () => {
    await openShop();
    const { purchase, customer, optIn } = await buyWithOptIn();
    await shop.reply(ANA, `boa tarde! comprei ontem, meu pedido é #${optIn!.code.toLowerCase()} obrigada`);
    expect(shop.repos.purchases.find(purchase.id)!.customerId).toBe(customer.id);
    expect(shop.repos.customers.findById(customer.id)!.warmAt).not.toBeNull();
    expect(shop.repos.customers.listConsentEvents(customer.id).map((event) => event.source)).toEqual(['click-to-chat']);
  });

  it('does not accept the code of a purchase older than 90 days: the owner is told, nothing pauses', async () => {
    await openShop();
    const { purchase, optIn } = await buyWithOptIn();
    shop.clock.advance(91 * 24 * HOUR);
    await shop.reply(CARLOS, prefilledText(optIn!.link));
    const carlos = shop.repos.customers.findByPhone(CARLOS)!;
    expect(shop.repos.purchases.find(purchase.id)!.customerId).not.toBe(carlos.id);
    expect(shop.repos.customers.listConsentEvents(carlos.id)).toEqual([]);
    expect(carlos.handoffUntil).toBeNull();
    await shop.travel('1m');
    expect(shop.received(OWNER)).toEqual([
      `🔎 +5521987654321 (+5521987654321) escreveu com o código #${optIn!.code}, que não é de nenhum pedido dos últimos 90 dias: "Oi! Quero acompanhar meu pedido #${optIn!.code}"\nResponda por aqui: https://wa.me/5521987654321`,
    ]);
    expect(shop.received(CARLOS)).toEqual([]);
  });

  it('does not take a code for what it is not: a hashtag is a hashtag', async () => {
    await openShop();
    await buyWithOptIn();
    await shop.reply(CARLOS, 'amei o café! #cafezinho #gratidao');
    const carlos = shop.repos.customers.findByPhone(CARLOS)!;
    expect(carlos.warmAt).not.toBeNull();
    expect(shop.repos.customers.listConsentEvents(carlos.id)).toEqual([]);
    expect(carlos.handoffUntil).toBeNull();
    await shop.travel('1m');
    expect(shop.received(OWNER)).toEqual([]);
  });
});

describe('the flow waiting for the customer to write first', () => {
  it('goes on as soon as the code arrives, from whichever number', async () => {
    const waiting = flowsFromYaml({
      'obrigado.yaml': [
        'id: obrigado',
        'version: 1',
        'name: Obrigado',
        'trigger: { type: purchase }',
        'steps:',
        '  - id: agradecimento',
        '    send: "Obrigado pela compra! Qualquer coisa, é só responder aqui."',
        '    cold: { wait_for_contact: 1d, then: send }',
        '',
      ].join('\n'),
    });
    shop = await createShop({ flows: waiting, env: { SHOP_NAME: 'Café da Serra' } });
    const { optIn } = await buyWithOptIn();
    await shop.travel('2h');
    expect(shop.received(ANA)).toEqual([]);

    await shop.reply(CARLOS, `${prefilledText(optIn!.link)} 😊`);
    await shop.travel('2m');
    expect(shop.received(CARLOS)).toEqual(['Obrigado pela compra! Qualquer coisa, é só responder aqui.']);
    expect(shop.received(ANA)).toEqual([]);
  });
});

describe('any message from the customer', () => {
  it('tells the runs waiting for contact that the customer wrote; the owner writing does not', async () => {
    await openShop();
    const contactArrived = vi.spyOn(shop.flows.runner, 'contactArrived');
    const { customer } = await buyWithOptIn();
    await shop.api({ method: 'POST', url: '/api/simulator/owner-messages', payload: { to: ANA, text: 'Oi Ana! Seu café sai amanhã' } });
    expect(contactArrived).not.toHaveBeenCalled();
    expect(shop.repos.customers.findById(customer.id)!.warmAt).toBeNull();

    await shop.reply(ANA, { media: { type: 'sticker' } });
    expect(contactArrived).toHaveBeenCalledWith(customer.id);
    expect(shop.repos.customers.findById(customer.id)!.warmAt).toBe(shop.clock.now());
  });
});

describe('a purchase without a phone', () => {
  const phoneless = (overrides: Record<string, unknown> = {}) =>
    purchaseBody({ externalId: 'balcao-77', customer: { name: 'Beatriz Lima', email: 'bia@example.com' }, ...overrides });

  it('waits (202) with its code, creates nothing, and becomes the writer\'s purchase when they write with it', async () => {
    await openShop();
    const response = await shop.api({ method: 'POST', url: '/api/purchases', payload: phoneless() });
    expect(response.statusCode, response.body).toBe(202);
    const answer = response.json<{ pending: { id: number; createdAt: string }; optIn: OptIn }>();
    expect(answer.pending.createdAt).toBe(new Date(shop.clock.now()).toISOString());
    expect(prefilledText(answer.optIn.link)).toBe(`Oi! Quero acompanhar meu pedido #${answer.optIn.code}`);
    expect(shop.repos.customers.list({ limit: 10 })).toEqual([]);
    expect(shop.repos.purchases.findByExternalId('balcao-77')).toBeUndefined();

    // The same order again is the same pending purchase.
    const again = await shop.api({ method: 'POST', url: '/api/purchases', payload: phoneless() });
    expect(again.statusCode).toBe(202);
    expect(again.json<{ pending: { id: number } }>().pending.id).toBe(answer.pending.id);

    await shop.reply(CARLOS, `Oi! Quero acompanhar meu pedido #${answer.optIn.code} 😊`);
    const writer = shop.repos.customers.findByPhone(CARLOS)!;
    // The store's details of the buyer come with the purchase.
    expect(writer).toMatchObject({ name: 'Beatriz Lima', email: 'bia@example.com' });
    const purchase = shop.repos.purchases.findByExternalId('balcao-77')!;
    expect(purchase.customerId).toBe(writer.id);
    expect(shop.repos.pendingPurchases.find(answer.pending.id)).toMatchObject({ claimedAt: shop.clock.now(), purchaseId: purchase.id });
    expect(JSON.stringify(shop.repos.pendingPurchases.find(answer.pending.id)!.input)).not.toContain('Beatriz');
    expect(shop.repos.runs.openFor(writer.id).map((run) => run.purchaseId)).toEqual([purchase.id]);

    // Posted once more after it was claimed: the purchase it became.
    const after = await shop.api({ method: 'POST', url: '/api/purchases', payload: phoneless() });
    expect(after.statusCode).toBe(200);
    expect(after.json<{ purchase: { id: number } }>().purchase.id).toBe(purchase.id);

    await shop.travel('1h');
    expect(shop.received(CARLOS)).toEqual(['Obrigado pela compra!']);
  });

  it('accepts a blank or null phone as no phone, and reports the other problems of the body', async () => {
    await openShop();
    const blank = await shop.api({ method: 'POST', url: '/api/purchases', payload: phoneless({ customer: { phone: '  ', name: 'Bia' } }) });
    expect(blank.statusCode, blank.body).toBe(202);
    const none = await shop.api({ method: 'POST', url: '/api/purchases', payload: phoneless({ externalId: 'balcao-78', customer: { phone: null } }) });
    expect(none.statusCode, none.body).toBe(202);
    const bad = await shop.api({ method: 'POST', url: '/api/purchases', payload: phoneless({ externalId: 'balcao-79', items: [] }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { issues: { path: string }[] } }>().error.issues.map((issue) => issue.path)).toEqual(['items']);
  });
});
