import { afterEach, describe, expect, it } from 'vitest';
import { createShop, type Shop } from '../helpers/shop.js';
import { addCustomer, campaignResults, createCampaign, segmentOf } from './campaign-helpers.js';

let shop: Shop | undefined;
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

// The test clock starts on Friday 2026-11-20 at 12:00 in São Paulo (15:00Z); quiet hours 20:00–09:00.
const local = (time: string) => new Date(Date.parse(`${time}-03:00`)).toISOString();
/** Customers who wrote before are warm: no cold budget (issue 18) stands between them and a campaign here. */
const ROOMY = { COLD_WARMUP: 'off', COLD_DAILY_CAP: '1000' };

describe('a campaign through the simulator', () => {
  it('reaches exactly the consenting members of its segment; the others are counted with their reason', async () => {
    shop = await createShop({ env: { ...ROOMY, CONTACT_CAP_PER_WEEK: '1' } });
    const ana = await addCustomer(shop, '+5511912340001', { consent: true, tags: ['clube'] });
    const bia = await addCustomer(shop, '+5511912340002', { consent: false, tags: ['clube'] });
    const caio = await addCustomer(shop, '+5511912340003', { consent: true, tags: ['clube'] });
    const duda = await addCustomer(shop, '+5511912340004', { consent: true, tags: ['clube'] });
    const eva = await addCustomer(shop, '+5511912340005', { consent: true, tags: ['clube'] });
    const fabio = await addCustomer(shop, '+5511912340006', { consent: true });
    const gil = await addCustomer(shop, '+5511912340007', { consent: true, tags: ['clube'] });
    expect((await shop.api({ method: 'POST', url: `/api/customers/${caio.id}/opt-out` })).statusCode).toBe(200);
    expect((await shop.api({ method: 'POST', url: `/api/customers/${duda.id}/pause` })).statusCode).toBe(200);
    expect((await shop.api({ method: 'DELETE', url: `/api/customers/${eva.id}` })).statusCode).toBe(200);
    const segment = await segmentOf(shop, 'Clube', ['clube']);
    const text = 'Oi, {{ customer.first_name }}! Chegou o café novo na {{ shop.name }}.';

    const preview = await shop.api({ method: 'POST', url: '/api/campaigns/preview', payload: { segment, message: { text } } });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toMatchObject({
      recipients: 2,
      excluded: { no_marketing_consent: 1, opted_out: 1, seller_pause: 1 },
      sample: { customerId: ana.id, name: 'Cliente 0001' },
      variants: [{ key: 'a', recipients: 2, content: { kind: 'text', text: `Oi, Cliente! Chegou o café novo na ${shop.config.shopName}.` } }],
      estimate: { firstSendAt: local('2026-11-20T12:00:00'), days: 1, queuedAhead: 0, unplaced: 0 },
    });
    // The preview stores nothing.
    expect((await shop.api({ method: 'GET', url: '/api/campaigns' })).json()).toEqual({ campaigns: [] });

    const created = await createCampaign(shop, { segment, message: { text } });
    // Erased people are no one's members: neither a recipient nor left out.
    expect(created).toMatchObject({ recipients: 2, excluded: { no_marketing_consent: 1, opted_out: 1, seller_pause: 1 }, variants: { a: 2 } });
    await shop.travel('1h');

    const sent = `Oi, Cliente! Chegou o café novo na ${shop.config.shopName}.`;
    expect(shop.received(ana.phone)).toEqual([sent]);
    expect(shop.received(gil.phone)).toEqual([sent]);
    for (const other of [bia, caio, duda, fabio]) expect(shop.received(other.phone)).toEqual([]);
    expect(shop.simulator.sendCalls).toHaveLength(2);

    const results = await campaignResults(shop, created.id);
    expect(results).toMatchObject({ status: 'sent', recipients: 2, excluded: { no_marketing_consent: 1, opted_out: 1, seller_pause: 1 } });
    expect(results.results[0]).toMatchObject({ key: 'a', recipients: 2, pending: 0, sent: { count: 2, of: 2, rate: 1 }, notSent: {} });

    // CONTACT_CAP_PER_WEEK=1: the same week, a second campaign leaves out who got the first.
    const again = await createCampaign(shop, { segment, message: { text: 'Mais uma novidade!' } });
    expect(again).toMatchObject({ recipients: 0, excluded: { contact_cap: 2, no_marketing_consent: 1, opted_out: 1, seller_pause: 1 } });
  });

  it('keeps the quiet hours and the daily cap, as the preview estimated', async () => {
    shop = await createShop({ env: { ...ROOMY, DAILY_SEND_CAP: '2' } });
    const people = [];
    for (let i = 1; i <= 5; i += 1) people.push(await addCustomer(shop, `+55119123400${10 + i}`, { consent: true, tags: ['vip'] }));
    const segment = await segmentOf(shop, 'VIP', ['vip']);
    // 22:00 on Friday: in the quiet hours.
    const body = { segment, message: { text: 'Oferta de fim de semana!' }, sendAt: local('2026-11-20T22:00:00') };

    const preview = (await shop.api({ method: 'POST', url: '/api/campaigns/preview', payload: body })).json();
    expect(preview.estimate).toMatchObject({ firstSendAt: local('2026-11-21T09:00:00'), lastSendAt: local('2026-11-23T09:00:00'), days: 3 });

    const created = await createCampaign(shop, body);
    expect(created.recipients).toBe(5);
    expect((await campaignResults(shop, created.id)).status).toBe('scheduled');
    await shop.travel('4d');

    const times = people.flatMap((person) => shop!.deliveries(person.phone).map((delivery) => delivery.at)).sort();
    // Two a day from 09:00 (the gap between sends is SEND_GAP_SECONDS' minimum here, 20 s), never in the quiet hours.
    expect(times).toEqual([
      local('2026-11-21T09:00:00'),
      local('2026-11-21T09:00:20'),
      local('2026-11-22T09:00:00'),
      local('2026-11-22T09:00:20'),
      local('2026-11-23T09:00:00'),
    ]);
    expect(times.at(-1)).toBe(preview.estimate.lastSendAt);
    const results = await campaignResults(shop, created.id);
    expect(results.status).toBe('sent');
    expect(results.results[0]).toMatchObject({ sent: { count: 5, of: 5 }, firstSentAt: local('2026-11-21T09:00:00'), lastSentAt: local('2026-11-23T09:00:00') });
  });

  it('is cancelled half-way: what went stays sent, the rest is skipped, later messages never go', async () => {
    shop = await createShop({ env: { ...ROOMY, DAILY_SEND_CAP: '2' } });
    const people = [];
    for (let i = 1; i <= 5; i += 1) people.push(await addCustomer(shop, `+55119123400${20 + i}`, { consent: true, tags: ['vip'] }));
    const segment = await segmentOf(shop, 'VIP', ['vip']);
    const created = await createCampaign(shop, { segment, message: { text: 'Promoção relâmpago!' } });
    await shop.travel('1h');
    expect(shop.simulator.sendCalls).toHaveLength(2);
    expect((await campaignResults(shop, created.id)).status).toBe('sending');

    const cancel = await shop.api({ method: 'POST', url: `/api/campaigns/${created.id}/cancel` });
    expect(cancel.statusCode, cancel.body).toBe(200);
    // Every run had queued its message (held by the daily cap): 3 messages skipped, no run left to stop.
    expect(cancel.json()).toEqual({ cancelled: true, runs: 0, messages: 3, alreadyCancelled: false });
    expect((await shop.api({ method: 'POST', url: `/api/campaigns/${created.id}/cancel` })).json()).toEqual({
      cancelled: true,
      runs: 0,
      messages: 0,
      alreadyCancelled: true,
    });
    await shop.travel('3d');
    expect(shop.simulator.sendCalls).toHaveLength(2);

    const results = await campaignResults(shop, created.id);
    expect(results.status).toBe('cancelled');
    expect(results.cancelledAt).toBe(local('2026-11-20T13:00:00'));
    expect(results.results[0]).toMatchObject({ recipients: 5, pending: 0, sent: { count: 2, of: 5 }, notSent: { cancelled_by_seller: 3 } });
    const outbox = (await shop.api({ method: 'GET', url: '/api/outbox?status=skipped' })).json();
    expect(outbox.messages.map((row: { lastError: string }) => row.lastError)).toEqual(['cancelled_by_seller', 'cancelled_by_seller', 'cancelled_by_seller']);
  });

  it('cancelled before its time, stops every run and sends nothing', async () => {
    shop = await createShop({ env: ROOMY });
    for (let i = 1; i <= 3; i += 1) await addCustomer(shop, `+55119123400${30 + i}`, { consent: true, tags: ['vip'] });
    const segment = await segmentOf(shop, 'VIP', ['vip']);
    const created = await createCampaign(shop, { segment, message: { text: 'Amanhã tem novidade' }, sendAt: local('2026-11-21T10:00:00') });
    const cancel = await shop.api({ method: 'POST', url: `/api/campaigns/${created.id}/cancel` });
    expect(cancel.json()).toEqual({ cancelled: true, runs: 3, messages: 0, alreadyCancelled: false });
    await shop.travel('2d');
    expect(shop.simulator.sendCalls).toHaveLength(0);
    const results = await campaignResults(shop, created.id);
    expect(results.results[0]).toMatchObject({ pending: 0, sent: { count: 0, of: 3 }, notSent: { cancelled_by_seller: 3 } });
  });

  it('records an answer to its NPS question against the campaign, and a reply like any other', async () => {
    shop = await createShop({ env: ROOMY });
    const ana = await addCustomer(shop, '+5511912340041', { consent: true, tags: ['vip'] });
    const bia = await addCustomer(shop, '+5511912340042', { consent: true, tags: ['vip'] });
    const segment = await segmentOf(shop, 'VIP', ['vip']);
    const created = await createCampaign(shop, {
      name: 'Pesquisa de dezembro',
      segment,
      message: { ask: { kind: 'nps', question: '{{ customer.first_name }}, de 0 a 10, quanto você indicaria a {{ shop.name }}?' } },
    });
    await shop.travel('10m');
    expect(shop.received(ana.phone)).toEqual([`Cliente, de 0 a 10, quanto você indicaria a ${shop.config.shopName}?`]);
    await shop.reply(ana.phone, 'nota 9, adoro o café');
    await shop.reply(bia.phone, 'Quando chega o natalino?');
    await shop.travel('10m');

    const record = (await shop.api({ method: 'GET', url: `/api/customers/${ana.id}` })).json();
    const run = record.runs.find((one: { flowId: string }) => one.flowId === `campanha:${created.id}:a`);
    expect(run).toMatchObject({ occurrence: `campaign:${created.id}`, status: 'done' });
    expect(record.answers).toEqual([expect.objectContaining({ runId: run.id, stepId: 'campanha', kind: 'nps', value: '9' })]);
    // Bia's question is no answer to an NPS: kept in her record as a message.
    const biaRecord = (await shop.api({ method: 'GET', url: `/api/customers/${bia.id}` })).json();
    expect(biaRecord.answers).toEqual([]);
    expect(biaRecord.messages.filter((message: { direction: string }) => message.direction === 'in').map((message: { text: string }) => message.text)).toEqual([
      'Quando chega o natalino?',
    ]);

    const results = await campaignResults(shop, created.id);
    expect(results.name).toBe('Pesquisa de dezembro');
    expect(results.results[0]).toMatchObject({ sent: { count: 2, of: 2 }, answered: { count: 1, of: 2, rate: 0.5 }, replied: { count: 2, of: 2, rate: 1 } });
  });

  it('takes a vote on its poll as the answer of that campaign', async () => {
    shop = await createShop({ env: ROOMY });
    const ana = await addCustomer(shop, '+5511912340051', { consent: true, tags: ['vip'] });
    const segment = await segmentOf(shop, 'VIP', ['vip']);
    const created = await createCampaign(shop, { segment, message: { ask: { kind: 'yes_no', question: 'Quer receber o catálogo de Natal?', poll: true } } });
    await shop.travel('10m');
    expect(shop.received(ana.phone)).toEqual(['[enquete] Quer receber o catálogo de Natal?']);
    const before = (await shop.api({ method: 'GET', url: `/api/customers/${ana.id}` })).json();
    const poll = before.messages.find((message: { kind: string }) => message.kind === 'poll');
    await shop.reply(ana.phone, { pollVote: { pollMessageId: poll.waId, options: ['Sim'] } });

    const record = (await shop.api({ method: 'GET', url: `/api/customers/${ana.id}` })).json();
    const run = record.runs.find((one: { occurrence: string }) => one.occurrence === `campaign:${created.id}`);
    expect(record.answers).toEqual([expect.objectContaining({ runId: run.id, kind: 'yes_no', value: 'yes' })]);
    expect((await campaignResults(shop, created.id)).results[0].answered).toEqual({ count: 1, of: 1, rate: 1 });
  });
});
