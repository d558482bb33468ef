import { afterEach, describe, expect, it } from 'vitest';
import { createShop, type Shop } from '../helpers/shop.js';
import { fixture, postWebhook, SHOPIFY_SECRET } from '../integrations/webhook-requests.js';

// Issue 21, point 5: a referred friend who buys converts the referral; the referrer gets a thank-you
// with the seller's reward (coupon codes given once each, in the order pasted), the owner is told.

const OWNER = '+5511900000001';
const REFERRER = '+5521988887777';

let t: Shop;
afterEach(async () => {
  await t.close();
});

async function start(env: Record<string, string> = {}) {
  t = await createShop({ env: { OWNER_PHONE: OWNER, SHOP_NAME: 'Café da Serra', ...env } });
}

/** The referrer, a customer (with marketing consent unless told), who recommended friends. */
async function referrerWho(referred: { name: string | null; phone: string }[], consent = true, at = t.clock.now()) {
  const bought = await t.buy({
    externalId: 'pedido-bia',
    customer: { phone: REFERRER, name: 'Beatriz Lima', ...(consent ? { consent: { marketing: true } } : {}) },
  });
  t.repos.referrals.record(bought.customer.id, referred, null, at);
  return bought.customer.id;
}

async function setReward(body: Record<string, unknown>) {
  const response = await t.api({ method: 'PUT', url: '/api/rewards', payload: body });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<Record<string, unknown>>();
}

/** What the outbox holds for a phone, oldest first. */
function outboxTo(phone: string): string[] {
  return t.repos.outbox
    .list({ limit: 500 })
    .filter((row) => row.toPhone === phone)
    .reverse()
    .map((row) => (row.content.kind === 'text' ? row.content.text : row.content.kind));
}

function conversions() {
  return t.db.sqlite.prepare('SELECT referral_id AS referralId, customer_id AS customerId, purchase_id AS purchaseId FROM referral_conversions ORDER BY referral_id').all();
}

describe('referral converted by a purchase', () => {
  it('through POST /api/purchases: the referrer gets the codes in the order pasted, once each; a second purchase converts nothing more', async () => {
    await start();
    // A shared contact card may carry WhatsApp's 12-digit form of a mobile: still the same person.
    await referrerWho([
      { name: 'Carla', phone: '+551187654321' },
      { name: 'Davi', phone: '+5531977776666' },
    ]);
    await setReward({ referral: { codes: ['INDICA-01', 'INDICA-02', 'INDICA-03'] } });

    t.clock.advance(60_000);
    const carla = await t.buy({ externalId: 'pedido-carla', customer: { phone: '(11) 98765-4321', name: 'Carla Dias' } });
    expect(conversions()).toEqual([{ referralId: 1, customerId: carla.customer.id, purchaseId: carla.purchase.id }]);
    expect(outboxTo(REFERRER)).toEqual([
      'Beatriz, sua indicação deu certo: Carla comprou na Café da Serra. Muito obrigado! 🎁 Seu presente: cupom INDICA-01.',
    ]);
    expect(outboxTo(OWNER).at(-1)).toBe(
      '🤝 Indicação virou venda: Carla ((11) 98765-4321) comprou, indicado(a) por Beatriz Lima ((21) 98888-7777). Mandamos o agradecimento com o presente: cupom INDICA-01.',
    );

    // Carla buys again: nothing more (no second thank-you, no second code).
    const before = t.repos.outbox.list({ limit: 500 }).length;
    t.clock.advance(60_000);
    await t.buy({ externalId: 'pedido-carla-2', customer: { phone: '+5511987654321' } });
    expect(conversions()).toHaveLength(1);
    expect(t.repos.outbox.list({ limit: 500 })).toHaveLength(before);

    const davi = await t.buy({ externalId: 'pedido-davi', customer: { phone: '31 97777-6666' } });
    expect(conversions()).toEqual([
      { referralId: 1, customerId: carla.customer.id, purchaseId: carla.purchase.id },
      { referralId: 2, customerId: davi.customer.id, purchaseId: davi.purchase.id },
    ]);
    expect(outboxTo(REFERRER)).toHaveLength(2);
    expect(outboxTo(REFERRER)[1]).toContain('Seu presente: cupom INDICA-02.');

    const rewards = await t.api({ method: 'GET', url: '/api/rewards' });
    expect(rewards.json()).toMatchObject({ referral: { mode: 'codes', codesLeft: ['INDICA-03'], codesGiven: 2 }, loyalty: { mode: 'none' } });

    // The thank-you goes out, once.
    await t.travel('1d');
    expect(t.received(REFERRER).filter((text) => text.includes('INDICA'))).toHaveLength(2);
  });

  it('through a signed store webhook, and a replay changes nothing', async () => {
    await start({ SHOPIFY_WEBHOOK_SECRET: SHOPIFY_SECRET });
    // The documented order is from 2022: the friend was referred before it.
    await referrerWho([{ name: null, phone: '+5511912345678' }], true, Date.parse('2021-12-01T12:00:00Z'));
    await setReward({ referral: { codes: 'LOJA-A\nLOJA-B' } });

    const order = fixture('shopify/orders-paid.json');
    Object.assign(order.shipping_address as Record<string, unknown>, { phone: '(11) 91234-5678', country_code: 'BR', country: 'Brazil' });
    Object.assign(order.customer as Record<string, unknown>, { first_name: 'Ana', last_name: 'Souza' });
    const first = await postWebhook(t, 'shopify', order);
    expect(first.json()).toMatchObject({ status: 'recorded' });
    expect(conversions()).toHaveLength(1);
    expect(outboxTo(REFERRER)).toEqual([
      'Beatriz, sua indicação deu certo: Ana comprou na Café da Serra. Muito obrigado! 🎁 Seu presente: cupom LOJA-A.',
    ]);

    const again = await postWebhook(t, 'shopify', order);
    expect(again.statusCode).toBe(200);
    expect(conversions()).toHaveLength(1);
    expect(outboxTo(REFERRER)).toHaveLength(1);
    expect(t.repos.rewards.settingOf('referral').codesLeft).toEqual(['LOJA-B']);
  });

  it('no reward without the referrer’s marketing consent: no message, no code taken, the owner is told', async () => {
    await start();
    await referrerWho([{ name: 'Carla', phone: '+5511987654321' }], false);
    await setReward({ referral: { codes: ['INDICA-01'] } });
    t.clock.advance(60_000);
    await t.buy({ externalId: 'pedido-carla', customer: { phone: '+5511987654321', name: 'Carla Dias' } });

    expect(conversions()).toHaveLength(1);
    expect(outboxTo(REFERRER)).toEqual([]);
    expect(t.repos.rewards.settingOf('referral')).toMatchObject({ codesLeft: ['INDICA-01'], codesGiven: 0 });
    expect(outboxTo(OWNER).at(-1)).toContain('Beatriz Lima ((21) 98888-7777) não deu consentimento de marketing');
  });

  it('when the codes run out the message says the shop will send it, and the owner is told once', async () => {
    await start();
    await referrerWho([
      { name: 'Carla', phone: '+5511987654321' },
      { name: 'Davi', phone: '+5531977776666' },
      { name: 'Eva', phone: '+5541966665555' },
    ]);
    await setReward({ referral: { codes: ['UNICO'] } });
    t.clock.advance(60_000);
    await t.buy({ externalId: 'c', customer: { phone: '+5511987654321' } });
    await t.buy({ externalId: 'd', customer: { phone: '+5531977776666' } });
    await t.buy({ externalId: 'e', customer: { phone: '+5541966665555' } });

    expect(outboxTo(REFERRER).map((text) => text.slice(text.indexOf('Seu presente')))).toEqual([
      'Seu presente: cupom UNICO.',
      'Seu presente: um cupom que a loja vai te mandar em breve.',
      'Seu presente: um cupom que a loja vai te mandar em breve.',
    ]);
    const empty = outboxTo(OWNER).filter((text) => text.startsWith('⚠️ Acabaram os cupons de indicação'));
    expect(empty).toHaveLength(1);
  });

  it('a fixed text reward; a friend who was a customer before being referred converts nothing', async () => {
    await start();
    await t.buy({ externalId: 'antes', customer: { phone: '+5531977776666', name: 'Davi' } });
    t.clock.advance(60_000);
    await referrerWho([
      { name: 'Carla', phone: '+5511987654321' },
      { name: 'Davi', phone: '+5531977776666' },
    ]);
    await setReward({ referral: { text: 'frete grátis na próxima compra' } });
    t.clock.advance(60_000);
    await t.buy({ externalId: 'davi-2', customer: { phone: '+5531977776666' } });
    expect(conversions()).toEqual([]);
    await t.buy({ externalId: 'carla', customer: { phone: '+5511987654321' } });
    expect(outboxTo(REFERRER)).toEqual([
      'Beatriz, sua indicação deu certo: Carla comprou na Café da Serra. Muito obrigado! 🎁 Seu presente: frete grátis na próxima compra.',
    ]);
  });

  it('two people referred the same friend: the earliest referral before the purchase converts, in either form of the number', async () => {
    await start();
    const later = t.clock.now();
    // Beatriz referred Edu with the full number; Fábio had referred him earlier, with the 12-digit form.
    await referrerWho([{ name: 'Edu', phone: '+5511976541234' }], true, later);
    const fabio = await t.buy({ externalId: 'pedido-fabio', customer: { phone: '+5541977771111', name: 'Fábio Reis', consent: { marketing: true } } });
    t.repos.referrals.record(fabio.customer.id, [{ name: 'Edu', phone: '+551176541234' }], null, later - 86_400_000);
    // Gil's referral is dated after the purchase (a clock ahead): it did not bring him, earliest or not.
    const gil = await t.buy({ externalId: 'pedido-gil', customer: { phone: '+5521966663333', name: 'Gil' } });
    t.repos.referrals.record(gil.customer.id, [{ name: 'Edu', phone: '+5511976541234' }], null, t.clock.now() + 120_000);
    t.clock.advance(60_000);
    const edu = await t.buy({ externalId: 'pedido-edu', customer: { phone: '(11) 97654-1234', name: 'Edu Rocha' } });
    expect(conversions()).toEqual([{ referralId: 2, customerId: edu.customer.id, purchaseId: edu.purchase.id }]);
    const referral = t.db.sqlite.prepare('SELECT referrer_customer_id AS referrer FROM referrals WHERE id = 2').get();
    expect(referral).toEqual({ referrer: fabio.customer.id });
  });

  it('counts the referrals that became customers in the weekly numbers', async () => {
    await start();
    await referrerWho([{ name: 'Carla', phone: '+5511987654321' }]);
    t.clock.advance(60_000);
    await t.buy({ externalId: 'carla', customer: { phone: '+5511987654321' } });
    const report = await t.api({ method: 'GET', url: '/api/reports/weekly?week=2026-W47' });
    expect(report.statusCode, report.body).toBe(200);
    const body = report.json<{ text: string; metrics: { referrals: { converted: number } } }>();
    expect(body.metrics.referrals.converted).toBe(1);
    expect(body.text.split('\n')).toContain('🤝 Indicações que viraram clientes: 1');
    const next = await t.api({ method: 'GET', url: '/api/reports/weekly?week=2026-W48' });
    expect(next.json<{ text: string; metrics: { referrals: { converted: number } } }>().metrics.referrals.converted).toBe(0);
    expect(next.json<{ text: string }>().text).not.toContain('🤝');
  });
});

describe('PUT /api/rewards', () => {
  it('refuses a bad body with the path and reason, and keeps what was stored', async () => {
    await start();
    await setReward({ referral: { codes: ['A1', 'A2'] } });
    const bad = await t.api({ method: 'PUT', url: '/api/rewards', payload: { referral: { codes: ['B1', 'com espaço'] }, loyalty: { codes: [], text: 'x' } } });
    expect(bad.statusCode).toBe(400);
    const issues = bad.json<{ error: { issues: { path: string; message: string }[] } }>().error.issues;
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'referral.codes.1', message: 'Um cupom tem de 1 a 64 caracteres, sem espaços.' },
        expect.objectContaining({ path: 'loyalty', message: expect.stringContaining('"codes"') as unknown }),
      ]),
    );
    expect(t.repos.rewards.settingOf('referral').codesLeft).toEqual(['A1', 'A2']);
  });

  it('a new list replaces the codes not given yet; a code given before or pasted twice is left out, and said so', async () => {
    await start();
    await referrerWho([{ name: 'Carla', phone: '+5511987654321' }]);
    await setReward({ referral: { codes: ['A1', 'A2'] } });
    t.clock.advance(60_000);
    await t.buy({ externalId: 'carla', customer: { phone: '+5511987654321' } });
    const answer = await setReward({ referral: { codes: ['A1', 'B1', 'B1', 'B2'] }, loyalty: { text: 'um brinde' } });
    expect(answer).toMatchObject({
      referral: { mode: 'codes', codesLeft: ['B1', 'B2'], codesGiven: 1 },
      loyalty: { mode: 'text', text: 'um brinde', codesLeft: [] },
      skipped: { referral: [{ code: 'A1', reason: 'already_given' }, { code: 'B1', reason: 'repeated' }] },
    });
    const cleared = await setReward({ loyalty: null });
    expect(cleared).toMatchObject({ referral: { codesLeft: ['B1', 'B2'] }, loyalty: { mode: 'none' } });
  });
});
