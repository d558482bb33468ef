import { afterEach, describe, expect, it } from 'vitest';
import type { Flow } from '../../src/flows/flow-types.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { buildFlow, sendText, step } from '../helpers/flows.js';
import { createShop, type Shop } from '../helpers/shop.js';

// The seller's pause of one customer's automation (POST /api/customers/:id/pause), as the send
// governor applies it: through the API, the simulator's clock and what reached the phones.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ANA = '+5511912345678';
const BIA = '+5511922223333';
const OWNER = '+5511900001111';
/** Friday 20 November 2026, 10:00 in São Paulo (UTC-3). */
const FRIDAY_10H = '2026-11-20T13:00:00Z';

const THANKS = buildFlow('obrigado', [step('thanks', sendText('Obrigado, {{ customer.first_name }}!'))]);

const shops: Shop[] = [];
afterEach(async () => {
  for (const shop of shops.splice(0)) await shop.close();
});

async function shop(options: { flows?: Flow[]; start?: string; env?: Record<string, string> } = {}) {
  const opened = await createShop({ flows: options.flows ?? [THANKS], clock: new ManualClock(options.start ?? FRIDAY_10H), env: options.env ?? {} });
  shops.push(opened);
  return opened;
}

/** `phone` buys a coffee; resolves with the customer's id. */
async function buy(app: Shop, phone = ANA) {
  const { customer } = await app.buy({ externalId: `pedido-${phone}`, customer: { phone, name: 'Ana Souza' }, items: [{ sku: 'CAFE-250', name: 'Café' }] });
  return customer.id;
}

async function seller(app: Shop, action: 'pause' | 'resume', customerId: number) {
  const response = await app.api({ method: 'POST', url: `/api/customers/${customerId}/${action}` });
  expect(response.statusCode).toBe(200);
}

const rowsTo = (app: Shop, phone = ANA) => app.repos.outbox.list({ limit: 100 }).filter((row) => row.toPhone === phone);

describe('a customer paused by the seller', () => {
  it('gets none of the flows’ messages: they stay queued, no attempt, no failure; others still get theirs', async () => {
    const app = await shop();
    const ana = await buy(app);
    await buy(app, BIA);
    await seller(app, 'pause', ana);
    await app.travel('2d');
    expect(app.deliveries(ANA)).toEqual([]);
    expect(app.deliveries(BIA)).toEqual([{ at: '2026-11-20T13:00:00.000Z', text: 'Obrigado, Ana!' }]);
    const [row] = rowsTo(app);
    expect(row).toMatchObject({ status: 'queued', attempts: 0, lastError: 'seller_pause', claimedAt: null, finishedAt: null });
    // Held until it would expire, so that the queue does not read it again on every tick meanwhile.
    expect(row!.notBefore).toBe(row!.expiresAt + 1);
    // Nothing entered the customer's record: no message 'sending' or 'failed'.
    expect(app.repos.messages.listByCustomer(ana)).toEqual([]);
  });

  it('after resume, the message is due at once and goes', async () => {
    const app = await shop();
    const ana = await buy(app);
    await seller(app, 'pause', ana);
    await app.travel('1d');
    expect(app.deliveries(ANA)).toEqual([]);
    await seller(app, 'resume', ana);
    expect(rowsTo(app)[0]).toMatchObject({ status: 'queued', notBefore: Date.parse(FRIDAY_10H) + DAY, lastError: null });
    await app.travel('1m');
    expect(app.deliveries(ANA)).toEqual([{ at: '2026-11-21T13:00:00.000Z', text: 'Obrigado, Ana!' }]);
    expect(rowsTo(app)[0]).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('resumed at night: the message still waits for the end of the quiet hours', async () => {
    const app = await shop();
    const ana = await buy(app);
    await seller(app, 'pause', ana);
    // Friday 23:00 in São Paulo.
    await app.travel('13h');
    await seller(app, 'resume', ana);
    await app.travel('12h');
    expect(app.deliveries(ANA)).toEqual([{ at: '2026-11-21T12:00:00.000Z', text: 'Obrigado, Ana!' }]);
  });

  it('a pause that outlasts a message’s lateness: the message expires, and resuming later sends nothing', async () => {
    const app = await shop({ flows: [buildFlow('rapido', [step('thanks', sendText('Obrigado!'), { maxLatenessMs: HOUR })])] });
    const ana = await buy(app);
    await seller(app, 'pause', ana);
    await app.travel('3h');
    expect(rowsTo(app)[0]).toMatchObject({ status: 'expired', attempts: 0 });
    await seller(app, 'resume', ana);
    await app.travel('1h');
    expect(app.simulator.sendCalls).toEqual([]);
  });

  it('still gets the opt-out confirmation, and the owner still gets alerts about them', async () => {
    const withAlert = buildFlow('aviso', [step('alert', { kind: 'alert_owner', text: 'Nova compra de {{ customer.name }}' }), step('thanks', sendText('Obrigado!'))]);
    const app = await shop({ flows: [withAlert], env: { OWNER_PHONE: OWNER } });
    const ana = await buy(app);
    await seller(app, 'pause', ana);
    await app.travel('1m');
    expect(app.deliveries(OWNER)).toEqual([{ at: '2026-11-20T13:00:00.000Z', text: 'Nova compra de Ana Souza' }]);
    expect(app.deliveries(ANA)).toEqual([]);

    await app.reply(ANA, 'SAIR');
    await app.travel('1m');
    const notice = rowsTo(app).find((row) => row.purpose === 'notice');
    expect(notice).toMatchObject({ status: 'sent' });
    expect(app.deliveries(ANA)).toHaveLength(1);
    expect(app.deliveries(ANA)[0]!.text).toMatch(/SAIR|VOLTAR/);
    // The flow's message never goes: the customer opted out meanwhile.
    await seller(app, 'resume', ana);
    await app.travel('1d');
    expect(app.deliveries(ANA)).toHaveLength(1);
  });
});
