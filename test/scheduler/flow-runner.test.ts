import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Flow } from '../../src/flows/flow-types.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { buildFlow, minuteOfDay, sendText, step, waitFor } from '../helpers/flows.js';
import { createShop, type Shop } from '../helpers/shop.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ANA = '+5511912345678';
const BIA = '+5511922223333';
const CAIO = '+5511933334444';
const DUDA = '+5511944445555';
/** Friday 20 November 2026, 10:00 in São Paulo (UTC-3). */
const FRIDAY_10H = '2026-11-20T13:00:00Z';

// --- The shop ----------------------------------------------------------------------------

let t: Shop | undefined;
const extraApps: Shop[] = [];
let tempDir: string | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const app of extraApps.splice(0)) await app.close().catch(() => {});
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  tempDir = undefined;
});

async function shop(flows: Flow[], start = FRIDAY_10H, env: Record<string, string> = {}) {
  t = await createShop({ flows, clock: new ManualClock(start), env: { SHOP_NAME: 'Café da Ana', ...env } });
  return t;
}

interface Buy {
  phone?: string;
  externalId?: string;
  skus?: (string | null)[];
  consent?: boolean;
  birthday?: string;
  purchasedAt?: string;
}

/** Ana Souza (or `phone`) buys one item per SKU (null: an item without one), without an order number unless `externalId`. */
function buy(app: Shop, { phone = ANA, externalId, skus = ['CAFE-250'], consent, birthday, purchasedAt }: Buy = {}) {
  return app.buy({
    externalId,
    customer: { phone, name: 'Ana Souza', ...(consent === undefined ? {} : { consent: { marketing: consent } }), ...(birthday ? { birthday } : {}) },
    items: skus.map((sku, index) => ({ ...(sku === null ? {} : { sku }), name: `Item ${index + 1}` })),
    ...(purchasedAt ? { purchasedAt } : {}),
  });
}

function runsOf(app: Shop, phone = ANA) {
  const customer = app.repos.customers.findByPhone(phone);
  return customer ? app.repos.runs.listFor(customer.id) : [];
}

const flowIds = (body: { runs: { flowId: string }[] }) => body.runs.map((run) => run.flowId).sort();

// --- Purchases ---------------------------------------------------------------------------

describe('the purchase trigger', () => {
  const everyPurchase = buildFlow('obrigado', [step('thanks', sendText('Obrigado, {{ customer.first_name }}!'))]);
  const coffeeOnly = buildFlow('dica-cafe', [step('tip', sendText('Dica de café'))], { trigger: { type: 'purchase', products: ['CAFE-*'] } });

  it('starts a run for every purchase, due when the purchase was made', async () => {
    const app = await shop([everyPurchase]);
    const body = await buy(app, { externalId: 'p1' });
    expect(body.runs).toEqual([{ id: expect.any(Number), flowId: 'obrigado', flowVersion: 1, occurrence: `purchase:${body.purchase.id}`, wakeAt: '2026-11-20T13:00:00.000Z' }]);
    await app.travel('1m');
    expect(app.deliveries(ANA)).toEqual([{ at: '2026-11-20T13:00:00.000Z', text: 'Obrigado, Ana!' }]);
  });

  it('with products, only for a purchase with an item whose SKU matches', async () => {
    const app = await shop([everyPurchase, coffeeOnly]);
    expect(flowIds(await buy(app, { externalId: 'p1', skus: ['CHA-1'] }))).toEqual(['obrigado']);
    expect(flowIds(await buy(app, { externalId: 'p2', skus: ['CHA-1', 'cafe-500'] }))).toEqual(['dica-cafe', 'obrigado']);
    expect(flowIds(await buy(app, { externalId: 'p3', skus: [null] }))).toEqual(['obrigado']);
  });

  it('the same purchase (its externalId again) never enrols twice', async () => {
    const app = await shop([everyPurchase]);
    const first = await buy(app, { externalId: 'pedido-1' });
    const again = await app.api({
      method: 'POST',
      url: '/api/purchases',
      payload: { externalId: 'pedido-1', customer: { phone: ANA }, items: [{ sku: 'CAFE-250', name: 'Café' }] },
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ purchase: { id: first.purchase.id }, runs: [] });
    expect(runsOf(app)).toHaveLength(1);
    await app.travel('1h');
    expect(app.deliveries(ANA)).toHaveLength(1);
  });
});

describe('filters', () => {
  const vip = buildFlow('vip', [step('s', sendText('vip'))], { filter: { tagsAll: ['vip'] } });
  const notBlocked = buildFlow('nao-bloqueado', [step('s', sendText('ok'))], { filter: { tagsNone: ['bloqueado'] } });
  const coffeeBuyers = buildFlow('cliente-cafe', [step('s', sendText('café'))], { filter: { products: ['CAFE-*'] } });
  const marketing = buildFlow('novidades', [step('s', sendText('novidades'))], { filter: { consent: 'marketing' } });

  async function tag(app: Shop, id: number, tags: string[]) {
    const response = await app.api({ method: 'PATCH', url: `/api/customers/${id}`, payload: { tags } });
    expect(response.statusCode).toBe(200);
  }

  it('tags: every tag of tags, none of not_tags', async () => {
    const app = await shop([vip, notBlocked]);
    const first = await buy(app, { externalId: 'p1' });
    expect(flowIds(first)).toEqual(['nao-bloqueado']);
    await tag(app, first.customer.id, ['vip']);
    expect(flowIds(await buy(app, { externalId: 'p2' }))).toEqual(['nao-bloqueado', 'vip']);
    await tag(app, first.customer.id, ['vip', 'bloqueado']);
    expect(flowIds(await buy(app, { externalId: 'p3' }))).toEqual(['vip']);
  });

  it('products: the customer has bought a matching item, in this purchase or before', async () => {
    const app = await shop([coffeeBuyers]);
    expect(flowIds(await buy(app, { externalId: 'p1', skus: ['CHA-1'] }))).toEqual([]);
    expect(flowIds(await buy(app, { externalId: 'p2', skus: ['CAFE-250'] }))).toEqual(['cliente-cafe']);
    expect(flowIds(await buy(app, { externalId: 'p3', skus: ['CHA-1'] }))).toEqual(['cliente-cafe']);
    // Another customer who never bought coffee.
    expect(flowIds(await buy(app, { phone: BIA, externalId: 'p4', skus: ['CHA-1'] }))).toEqual([]);
  });

  it('consent marketing: only customers who granted it, and not after they revoke it', async () => {
    const app = await shop([marketing]);
    expect(flowIds(await buy(app, { phone: ANA, externalId: 'p1', consent: true }))).toEqual(['novidades']);
    expect(flowIds(await buy(app, { phone: BIA, externalId: 'p2' }))).toEqual([]);
    expect(flowIds(await buy(app, { phone: CAIO, externalId: 'p3', consent: false }))).toEqual([]);
    expect(flowIds(await buy(app, { phone: ANA, externalId: 'p4', consent: false }))).toEqual([]);
  });
});

describe('customers who are never enrolled', () => {
  const thanks = buildFlow('obrigado', [step('s', sendText('obrigado'))]);
  const birthday = buildFlow('aniversario', [step('s', sendText('parabéns'), { maxLatenessMs: 12 * HOUR })], { trigger: { type: 'birthday', daysBefore: 0, at: minuteOfDay('09:00') } });
  const winBack = buildFlow('saudade', [step('s', sendText('saudade'))], { trigger: { type: 'inactivity', days: 10, at: minuteOfDay('10:00') } });
  const manual = buildFlow('manual', [step('s', sendText('oi'))], { trigger: { type: 'manual' } });

  it('an opted-out customer: no purchase, birthday or inactivity run', async () => {
    const app = await shop([thanks, birthday, winBack, manual]);
    const first = await buy(app, { externalId: 'p1', birthday: '25/11/1990' });
    await app.travel('1h');
    app.repos.customers.markOptedOut(first.customer.id, app.clock.now());
    app.flows.runner.cancelFor(first.customer.id, 'opted_out');

    expect((await buy(app, { externalId: 'p2' })).runs).toEqual([]);
    // Past the birthday (25th) and 10 days after the last purchase.
    await app.travel('12d');
    expect(runsOf(app).map((run) => `${run.flowId}:${run.status}`)).toEqual(['obrigado:done']);
    expect(app.deliveries(ANA)).toEqual([{ at: expect.any(String), text: 'obrigado' }]);
  });

  it('an erased customer: no inactivity run, nothing sent', async () => {
    const app = await shop([winBack]);
    const first = await buy(app, { externalId: 'p1' });
    await app.travel('1h');
    const erased = await app.api({ method: 'DELETE', url: `/api/customers/${first.customer.id}` });
    expect(erased.statusCode).toBe(200);
    await app.travel('12d');
    expect(app.repos.runs.listFor(first.customer.id)).toEqual([]);
    expect(app.simulator.sendCalls).toEqual([]);
  });
});

describe('a flow turned off (enabled: false)', () => {
  const off = { enabled: false as const };
  const thanks = buildFlow('obrigado', [step('s', sendText('obrigado'))], off);
  const birthday = buildFlow('aniversario', [step('s', sendText('parabéns'), { maxLatenessMs: 12 * HOUR })], { trigger: { type: 'birthday', daysBefore: 0, at: minuteOfDay('09:00') }, ...off });
  const winBack = buildFlow('saudade', [step('s', sendText('saudade'))], { trigger: { type: 'inactivity', days: 10, at: minuteOfDay('10:00') }, ...off });
  const refill = buildFlow('recompra', [step('s', sendText('acabou?'))], { trigger: { type: 'repurchase', days: 5, products: ['*'], at: null }, ...off });
  const manual = buildFlow('cupom', [step('s', sendText('cupom'))], { trigger: { type: 'manual' }, ...off });

  it('starts no purchase, repurchase, birthday, inactivity or manual run, and sends nothing', async () => {
    const app = await shop([thanks, birthday, winBack, refill, manual]);
    const first = await buy(app, { externalId: 'p1', birthday: '25/11/1990' });
    expect(first.runs).toEqual([]);
    await app.travel('12d');
    expect(runsOf(app)).toEqual([]);
    const started = await app.api({ method: 'POST', url: '/api/flows/cupom/runs', payload: { phone: ANA } });
    expect(started.statusCode).toBe(409);
    expect(started.json()).toMatchObject({ error: { code: 'flow_disabled' } });
    expect(app.simulator.sendCalls).toEqual([]);
    expect((await app.api({ method: 'GET', url: '/api/flows' })).json().flows.map((flow: { enabled: boolean }) => flow.enabled)).toEqual([false, false, false, false, false]);
  });
});

// --- Repurchase --------------------------------------------------------------------------

describe('the repurchase trigger', () => {
  const refill = buildFlow('recompra', [step('s', sendText('Acabou o café?'))], { trigger: { type: 'repurchase', days: 30, products: ['CAFE-*'], at: minuteOfDay('10:00') } });

  it('wakes N days after the purchase, at the local time', async () => {
    // Friday 20 Nov, 08:00 in São Paulo: thirty days later is Sunday 20 Dec, 08:00; the next 10:00 is that morning.
    const app = await shop([refill], '2026-11-20T11:00:00Z');
    const body = await buy(app, { externalId: 'p1' });
    expect(body.runs).toEqual([expect.objectContaining({ flowId: 'recompra', occurrence: `repurchase:${body.purchase.id}`, wakeAt: '2026-12-20T13:00:00.000Z' })]);
    await app.travel({ to: '2026-12-20T12:59:00Z' });
    expect(app.deliveries(ANA)).toEqual([]);
    await app.travel('1h');
    expect(app.deliveries(ANA)).toEqual([{ at: '2026-12-20T13:00:00.000Z', text: 'Acabou o café?' }]);
  });

  it('an afternoon purchase is reminded on the Nth day, in the morning, not a day later', async () => {
    // Friday 20 Nov, 15:00 in São Paulo: the 30th day after is Sunday 20 Dec; its 10:00 comes before 15:00.
    const app = await shop([refill], '2026-11-20T18:00:00Z');
    const body = await buy(app, { externalId: 'p1' });
    expect(body.runs).toEqual([expect.objectContaining({ wakeAt: '2026-12-20T13:00:00.000Z' })]);
  });

  it('only for purchases with a matching product', async () => {
    const app = await shop([refill]);
    expect((await buy(app, { externalId: 'p1', skus: ['CHA-1'] })).runs).toEqual([]);
  });

  it('a new matching purchase supersedes the pending run; one that does not match leaves it', async () => {
    const app = await shop([refill], '2026-11-20T11:00:00Z');
    const first = await buy(app, { externalId: 'p1' });
    await app.travel('5d');
    await buy(app, { externalId: 'p2', skus: ['CHA-1'] });
    expect(runsOf(app).map((run) => run.status)).toEqual(['waiting']);

    await app.travel('5d');
    const second = await buy(app, { externalId: 'p3', skus: ['CAFE-500'] });
    expect(second.runs).toEqual([expect.objectContaining({ occurrence: `repurchase:${second.purchase.id}`, wakeAt: '2026-12-30T13:00:00.000Z' })]);
    expect(runsOf(app).map((run) => ({ occurrence: run.occurrence, status: run.status, endReason: run.endReason }))).toEqual([
      { occurrence: `repurchase:${first.purchase.id}`, status: 'cancelled', endReason: 'superseded' },
      { occurrence: `repurchase:${second.purchase.id}`, status: 'waiting', endReason: null },
    ]);

    // The first reminder's day passes in silence; the second comes on its day.
    await app.travel({ to: '2026-12-29T12:00:00Z' });
    expect(app.deliveries(ANA)).toEqual([]);
    await app.travel('2d');
    expect(app.deliveries(ANA)).toEqual([{ at: '2026-12-30T13:00:00.000Z', text: 'Acabou o café?' }]);
  });
});

// --- Birthdays ---------------------------------------------------------------------------

describe('the birthday trigger', () => {
  const onTheDay = buildFlow('aniversario', [step('s', sendText('Feliz aniversário!'), { maxLatenessMs: 12 * HOUR })], { trigger: { type: 'birthday', daysBefore: 0, at: minuteOfDay('09:00') } });
  const threeDaysBefore = buildFlow('pre-aniversario', [step('s', sendText('Seu aniversário está chegando'), { maxLatenessMs: 12 * HOUR })], { trigger: { type: 'birthday', daysBefore: 3, at: minuteOfDay('10:00') } });

  it('on the day and N days before, at the local time', async () => {
    // Wednesday 18 November.
    const app = await shop([onTheDay, threeDaysBefore], '2026-11-18T13:00:00Z');
    await buy(app, { externalId: 'p1', birthday: '22/11/1990', skus: [null] });
    await app.travel({ to: '2026-11-23T03:00:00Z' });
    expect(app.deliveries(ANA)).toEqual([
      { at: '2026-11-19T13:00:00.000Z', text: 'Seu aniversário está chegando' },
      { at: '2026-11-22T12:00:00.000Z', text: 'Feliz aniversário!' },
    ]);
    expect(runsOf(app).map((run) => [run.flowId, run.occurrence, run.status])).toEqual([
      ['pre-aniversario', 'birthday:2026', 'done'],
      ['aniversario', 'birthday:2026', 'done'],
    ]);
  });

  it('once per year: a second evaluation of the same day enrols nothing new', async () => {
    const app = await shop([onTheDay], '2026-11-22T10:00:00Z');
    await buy(app, { externalId: 'p1', birthday: '22/11/1990', skus: [null] });
    expect(app.flows.runner.runDailyTriggers()).toBe(1);
    expect(app.flows.runner.runDailyTriggers()).toBe(0);
    await app.travel('3h');
    expect(app.flows.runner.runDailyTriggers()).toBe(0);
    // Even when the day is evaluated again from scratch (the stored progress lost), the run exists.
    app.repos.schedulerState.set('daily.evaluated_until', String(Date.parse('2026-11-21T03:00:00Z')));
    expect(app.flows.runner.runDailyTriggers()).toBe(0);
    await app.travel('1d');
    expect(runsOf(app)).toHaveLength(1);
    expect(app.deliveries(ANA)).toEqual([{ at: '2026-11-22T12:00:00.000Z', text: 'Feliz aniversário!' }]);

    // The next year, another one.
    app.clock.set('2027-11-22T10:00:00Z');
    await app.travel('3h');
    expect(runsOf(app).map((run) => run.occurrence)).toEqual(['birthday:2026', 'birthday:2027']);
    expect(app.deliveries(ANA).map((message) => message.at)).toEqual(['2026-11-22T12:00:00.000Z', '2027-11-22T12:00:00.000Z']);
  });

  it('a 29 February birthday is celebrated on 1 March in a non-leap year', async () => {
    const app = await shop([onTheDay], '2027-02-27T13:00:00Z');
    await buy(app, { externalId: 'p1', birthday: '29/02/2000', skus: [null] });
    await app.travel({ to: '2027-03-03T03:00:00Z' });
    expect(app.deliveries(ANA)).toEqual([{ at: '2027-03-01T12:00:00.000Z', text: 'Feliz aniversário!' }]);
    expect(runsOf(app).map((run) => run.occurrence)).toEqual(['birthday:2027']);
  });

  it('and on 29 February itself in a leap year, not again on 1 March', async () => {
    const app = await shop([onTheDay], '2028-02-27T13:00:00Z');
    await buy(app, { externalId: 'p1', birthday: '29/02/2000', skus: [null] });
    await app.travel({ to: '2028-03-03T03:00:00Z' });
    expect(app.deliveries(ANA)).toEqual([{ at: '2028-02-29T12:00:00.000Z', text: 'Feliz aniversário!' }]);
  });

  it('a birthday 3 days before 29 February in a non-leap year is announced on 26 February', async () => {
    const app = await shop([threeDaysBefore], '2027-02-24T13:00:00Z');
    await buy(app, { externalId: 'p1', birthday: '29/02/2000', skus: [null] });
    await app.travel({ to: '2027-03-03T03:00:00Z' });
    expect(app.deliveries(ANA)).toEqual([{ at: '2027-02-26T13:00:00.000Z', text: 'Seu aniversário está chegando' }]);
  });

  it('catches up the days a stopped service missed, within each message’s lateness', async () => {
    const app = await shop([onTheDay]);
    await buy(app, { phone: ANA, externalId: 'p1', birthday: '22/11/1990', skus: [null] });
    await buy(app, { phone: BIA, externalId: 'p2', birthday: '21/11/1991', skus: [null] });
    await app.flows.scheduler.tick();
    // Down from Friday 10:00 until Sunday 15:00: Bia's birthday (Saturday) passed, Ana's is today.
    app.clock.set('2026-11-22T18:00:00Z');
    await app.flows.scheduler.tick();
    expect(app.deliveries(ANA)).toEqual([{ at: '2026-11-22T18:00:00.000Z', text: 'Feliz aniversário!' }]);
    expect(app.deliveries(BIA)).toEqual([]);
    // Bia was enrolled for her day, but a birthday message is never a day late.
    expect(runsOf(app, BIA).map((run) => [run.occurrence, run.status])).toEqual([['birthday:2026', 'done']]);
  });

  it('catches up at most a week back', async () => {
    const app = await shop([onTheDay], '2026-11-01T13:00:00Z');
    await buy(app, { phone: CAIO, externalId: 'p1', birthday: '10/11/1990', skus: [null] });
    await buy(app, { phone: DUDA, externalId: 'p2', birthday: '15/11/1990', skus: [null] });
    await app.flows.scheduler.tick();
    // Down for nineteen days.
    app.clock.set(FRIDAY_10H);
    await app.flows.scheduler.tick();
    expect(runsOf(app, CAIO)).toEqual([]);
    expect(runsOf(app, DUDA).map((run) => run.occurrence)).toEqual(['birthday:2026']);
    expect(app.simulator.sendCalls).toEqual([]);
  });
});

// --- Inactivity ---------------------------------------------------------------------------

describe('the inactivity trigger', () => {
  const winBack = buildFlow('saudade', [step('s', sendText('Sentimos sua falta'), { maxLatenessMs: DAY })], { trigger: { type: 'inactivity', days: 30, at: minuteOfDay('10:00') } });

  it('enrols when the last purchase is exactly N days old, at the local time, once per spell', async () => {
    const app = await shop([winBack]);
    const first = await buy(app, { externalId: 'p1' });
    // The last minute of the day before: nothing yet.
    await app.travel({ to: '2026-12-20T02:59:00Z' });
    expect(runsOf(app)).toEqual([]);
    await app.travel({ to: '2026-12-21T03:00:00Z' });
    expect(runsOf(app).map((run) => run.occurrence)).toEqual([`inactivity:${first.purchase.id}`]);
    expect(app.deliveries(ANA)).toEqual([{ at: '2026-12-20T13:00:00.000Z', text: 'Sentimos sua falta' }]);

    // Still no purchase sixty days on: no second message for the same spell.
    await app.travel('40d');
    app.repos.schedulerState.set('daily.evaluated_until', String(Date.parse('2026-12-19T03:00:00Z')));
    app.clock.set('2026-12-20T15:00:00Z');
    await app.flows.scheduler.tick();
    expect(runsOf(app)).toHaveLength(1);
    expect(app.deliveries(ANA)).toHaveLength(1);
  });

  it('not when the customer bought again; the new spell counts from the last purchase', async () => {
    const app = await shop([winBack]);
    await buy(app, { externalId: 'p1' });
    await app.travel('10d');
    const second = await buy(app, { externalId: 'p2' });
    await app.travel({ to: '2026-12-21T03:00:00Z' });
    expect(runsOf(app)).toEqual([]);
    await app.travel({ to: '2026-12-31T03:00:00Z' });
    expect(runsOf(app).map((run) => run.occurrence)).toEqual([`inactivity:${second.purchase.id}`]);
    expect(app.deliveries(ANA)).toEqual([{ at: '2026-12-30T13:00:00.000Z', text: 'Sentimos sua falta' }]);
  });

  it('goes by the latest purchase whatever order they were recorded in; two at the same time are one spell', async () => {
    const app = await shop([winBack]);
    // Ana's order of the 10th is recorded after one of the 15th: the 10th does not start her spell.
    await buy(app, { externalId: 'later', purchasedAt: '2026-11-15T13:00:00Z' });
    await buy(app, { externalId: 'earlier', purchasedAt: '2026-11-10T13:00:00Z' });
    // Bia's two orders share their time: one run, about the one recorded last.
    await buy(app, { phone: BIA, externalId: 'b1', purchasedAt: '2026-11-10T13:00:00Z' });
    const bia = await buy(app, { phone: BIA, externalId: 'b2', purchasedAt: '2026-11-10T13:00:00Z' });
    await app.travel({ to: '2026-12-11T03:00:00Z' });
    expect(runsOf(app)).toEqual([]);
    expect(runsOf(app, BIA).map((run) => run.occurrence)).toEqual([`inactivity:${bia.purchase.id}`]);
    await app.travel({ to: '2026-12-16T03:00:00Z' });
    const later = app.repos.purchases.findByExternalId('later')!;
    expect(runsOf(app).map((run) => run.occurrence)).toEqual([`inactivity:${later.id}`]);
  });
});

// --- Manual --------------------------------------------------------------------------------

describe('manual flows: POST /api/flows/:id/runs', () => {
  const manual = buildFlow('cupom', [step('s', sendText('Um cupom para você'))], { trigger: { type: 'manual' } });
  const vipOnly = buildFlow('cupom-vip', [step('s', sendText('Cupom VIP'))], { trigger: { type: 'manual' }, filter: { tagsAll: ['vip'] } });
  const thanks = buildFlow('obrigado', [step('s', sendText('obrigado'))]);

  async function start(app: Shop, flowId: string, payload: Record<string, unknown>) {
    return app.api({ method: 'POST', url: `/api/flows/${flowId}/runs`, payload });
  }

  it('201 with the run, by customer id or by phone; it then runs', async () => {
    const app = await shop([manual]);
    const { customer } = await buy(app, { externalId: 'p1' });
    const byId = await start(app, 'cupom', { customerId: customer.id });
    expect(byId.statusCode).toBe(201);
    expect(byId.json()).toEqual({
      run: { id: expect.any(Number), flowId: 'cupom', flowVersion: 1, occurrence: `manual:${Date.parse(FRIDAY_10H)}`, wakeAt: '2026-11-20T13:00:00.000Z' },
    });
    await buy(app, { phone: BIA, externalId: 'p2' });
    expect((await start(app, 'cupom', { phone: '(11) 92222-3333' })).statusCode).toBe(201);
    await app.travel('1m');
    expect(app.deliveries(ANA).map((m) => m.text)).toEqual(['Um cupom para você']);
    expect(app.deliveries(BIA).map((m) => m.text)).toEqual(['Um cupom para você']);
  });

  it('404 for an unknown flow, 409 for a flow that is not manual or a customer its filter leaves out', async () => {
    const app = await shop([manual, vipOnly, thanks]);
    const { customer } = await buy(app, { externalId: 'p1' });
    const unknown = await start(app, 'nada', { customerId: customer.id });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('flow_not_found');
    const notManual = await start(app, 'obrigado', { customerId: customer.id });
    expect(notManual.statusCode).toBe(409);
    expect(notManual.json().error.code).toBe('flow_not_manual');
    const filtered = await start(app, 'cupom-vip', { customerId: customer.id });
    expect(filtered.statusCode).toBe(409);
    expect(filtered.json().error.code).toBe('customer_filtered_out');
  });

  it('409 when the customer is already running it', async () => {
    const app = await shop([manual]);
    const { customer } = await buy(app, { externalId: 'p1' });
    expect((await start(app, 'cupom', { customerId: customer.id })).statusCode).toBe(201);
    const again = await start(app, 'cupom', { customerId: customer.id });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_running');
  });

  it('409 when the customer is still running it a minute later', async () => {
    const slow = buildFlow('cupom-lento', [step('w', waitFor(DAY)), step('s', sendText('Um cupom para você'))], { trigger: { type: 'manual' } });
    const app = await shop([slow]);
    const { customer } = await buy(app, { externalId: 'p1' });
    expect((await start(app, 'cupom-lento', { customerId: customer.id })).statusCode).toBe(201);
    await app.travel('1m');
    expect(runsOf(app).map((run) => run.status)).toEqual(['waiting']);
    const again = await start(app, 'cupom-lento', { customerId: customer.id });
    expect(again.statusCode).toBe(409);
  });

  it('an opted-out customer is refused with a reason that says so, not "already running"', async () => {
    const app = await shop([manual]);
    const { customer } = await buy(app, { externalId: 'p1' });
    app.repos.customers.markOptedOut(customer.id, app.clock.now());
    const response = await start(app, 'cupom', { customerId: customer.id });
    expect(response.statusCode).toBe(409);
    expect(runsOf(app)).toEqual([]);
    expect(response.json().error).toMatchObject({ code: 'customer_opted_out', message: 'O cliente pediu para não receber mensagens: o fluxo cupom não foi iniciado.' });
  });

  it('an opted-out customer is never started on a manual flow', async () => {
    const app = await shop([manual]);
    const { customer } = await buy(app, { externalId: 'p1' });
    app.repos.customers.markOptedOut(customer.id, app.clock.now());
    expect((await start(app, 'cupom', { customerId: customer.id })).statusCode).toBe(409);
    expect(runsOf(app)).toEqual([]);
  });

  it('404 for an unknown or erased customer', async () => {
    const app = await shop([manual]);
    expect((await start(app, 'cupom', { customerId: 999 })).json().error.code).toBe('customer_not_found');
    expect((await start(app, 'cupom', { phone: BIA })).statusCode).toBe(404);
    const { customer } = await buy(app, { externalId: 'p1' });
    await app.api({ method: 'DELETE', url: `/api/customers/${customer.id}` });
    expect((await start(app, 'cupom', { customerId: customer.id })).statusCode).toBe(404);
  });

  it.each([
    ['neither customerId nor phone', {}],
    ['both customerId and phone', { customerId: 1, phone: ANA }],
    ['a customerId that is not a positive integer', { customerId: 'um' }],
    ['an unknown field', { customerId: 1, extra: true }],
  ])('400 for %s', async (_name, payload) => {
    const app = await shop([manual]);
    await buy(app, { externalId: 'p1' });
    const response = await start(app, 'cupom', payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
  });
});

// --- What the API shows ---------------------------------------------------------------------

describe('the flows and runs as the API shows them', () => {
  it('GET /api/flows lists the flows at work', async () => {
    const flows = [
      buildFlow('obrigado', [step('w', waitFor(HOUR)), step('s', sendText('obrigado'))], { name: 'Flow obrigado' }),
      buildFlow('cupom', [step('s', sendText('cupom'))], { trigger: { type: 'manual' }, version: 3, name: 'Flow cupom' }),
    ];
    const app = await shop(flows);
    const response = await app.api({ method: 'GET', url: '/api/flows' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      flows: [
        {
          id: 'obrigado',
          version: 1,
          name: 'Flow obrigado',
          file: 'obrigado.yaml',
          trigger: { type: 'purchase', products: null },
          steps: [
            { id: 'w', kind: 'wait' },
            { id: 's', kind: 'send' },
          ],
        },
        { id: 'cupom', version: 3, name: 'Flow cupom', enabled: true, file: 'cupom.yaml', trigger: { type: 'manual' }, steps: [{ id: 's', kind: 'send' }] },
      ],
    });
  });

  it('GET /api/flows shows each trigger in the flow file\'s own terms', async () => {
    const app = await shop([
      buildFlow('parabens', [step('s', sendText('parabéns'))], { trigger: { type: 'birthday', daysBefore: 2, at: minuteOfDay('09:30') } }),
      buildFlow('volta', [step('s', sendText('saudade'))], { trigger: { type: 'inactivity', days: 120, at: minuteOfDay('10:00') } }),
      buildFlow('cafe', [step('s', sendText('café'))], { trigger: { type: 'repurchase', days: 30, products: ['CAFE-*'], at: minuteOfDay('08:05') } }),
    ]);
    const triggers = (await app.api({ method: 'GET', url: '/api/flows' })).json().flows.map((flow: { trigger: unknown }) => flow.trigger);
    expect(triggers).toEqual([
      { type: 'birthday', days_before: 2, at: '09:30' },
      { type: 'inactivity', days: 120, at: '10:00' },
      { type: 'repurchase', days: 30, products: ['CAFE-*'], at: '08:05' },
    ]);
  });

  it('the customer record lists the runs', async () => {
    const flow = buildFlow('obrigado', [step('w', waitFor(HOUR)), step('s', sendText('obrigado'))]);
    const app = await shop([flow]);
    const { customer, purchase, runs } = await buy(app, { externalId: 'p1' });
    const before = (await app.api({ method: 'GET', url: `/api/customers/${customer.id}` })).json();
    expect(before.runs).toMatchObject([
      {
        id: runs[0]!.id,
        flowId: 'obrigado',
        occurrence: `purchase:${purchase.id}`,
        status: 'waiting',
        stepId: 'w',
        wakeAt: '2026-11-20T13:00:00.000Z',
        waitingFor: null,
        answer: null,
        endReason: null,
        createdAt: '2026-11-20T13:00:00.000Z',
        endedAt: null,
      },
    ]);
    await app.travel('2h');
    const after = (await app.api({ method: 'GET', url: `/api/customers/${customer.id}` })).json();
    expect(after.runs).toEqual([expect.objectContaining({ status: 'done', endReason: 'completed', stepId: null, wakeAt: null, endedAt: '2026-11-20T14:00:00.000Z' })]);
  });
});

describe('DELETE /api/flows/:id/runs', () => {
  const slow = () => buildFlow('obrigado', [step('w', waitFor(DAY)), step('s', sendText('Obrigado!'))]);

  it('stops the waiting runs of a flow, or one customer\'s, and nothing of theirs is sent', async () => {
    const app = await shop([slow()]);
    const ana = await buy(app, { phone: ANA, externalId: 'p1' });
    await buy(app, { phone: BIA, externalId: 'p2' });
    const one = await app.api({ method: 'DELETE', url: `/api/flows/obrigado/runs?customerId=${ana.customer.id}` });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual({ cancelled: 1 });
    expect(runsOf(app, ANA).map((run) => [run.status, run.endReason])).toEqual([['cancelled', 'cancelled_by_seller']]);
    expect(runsOf(app, BIA).map((run) => [run.status, run.endReason])).toEqual([['waiting', null]]);
    expect((await app.api({ method: 'DELETE', url: '/api/flows/obrigado/runs' })).json()).toEqual({ cancelled: 1 });
    await app.travel('2d');
    expect(app.deliveries(ANA)).toEqual([]);
  });

  it('404 for a flow never loaded; 400 for a customerId that is not a number', async () => {
    const app = await shop([slow()]);
    const unknown = await app.api({ method: 'DELETE', url: '/api/flows/nenhum/runs' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('flow_not_found');
    const bad = await app.api({ method: 'DELETE', url: '/api/flows/obrigado/runs?customerId=ana' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues).toEqual([expect.objectContaining({ path: 'query.customerId' })]);
  });

  it('a flow whose file was removed: its runs are named in the log at start, and can be stopped', async () => {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-removed-'));
    const dbFile = path.join(tempDir, 'fregues.db');
    const clock = new ManualClock(FRIDAY_10H);
    const first = await createShop({ flows: [slow()], clock, dbFile });
    extraApps.push(first);
    await buy(first, { phone: ANA, externalId: 'p1' });
    await first.close();
    extraApps.splice(extraApps.indexOf(first), 1);

    const second = await createShop({ flows: [], clock, dbFile });
    extraApps.push(second);
    expect(second.logs.filter((line) => line.includes('O fluxo obrigado não está mais na pasta de fluxos, mas 1 cliente(s)'))).toHaveLength(1);
    expect((await second.api({ method: 'DELETE', url: '/api/flows/obrigado/runs' })).json()).toEqual({ cancelled: 1 });
    await second.travel('2d');
    expect(second.simulator.sendCalls).toEqual([]);
  });
});

describe('flow versions', () => {
  it('a run keeps the version it started with; new runs take the edited one', async () => {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-versions-'));
    const dbFile = path.join(tempDir, 'fregues.db');
    const clock = new ManualClock(FRIDAY_10H);
    const v1 = buildFlow('pos-compra', [step('agradecimento', sendText('v1: obrigado')), step('espera', waitFor(DAY)), step('dica', sendText('v1: dica'))]);
    const v2 = buildFlow(
      'pos-compra',
      [step('agradecimento', sendText('v2: obrigado')), step('espera', waitFor(DAY)), step('dica', sendText('v2: dica nova')), step('extra', sendText('v2: extra'))],
      { version: 2 },
    );
    expect(v2.hash).not.toBe(v1.hash);

    const first = await createShop({ flows: [v1], clock, dbFile });
    extraApps.push(first);
    await buy(first, { phone: ANA, externalId: 'p1' });
    await first.travel('1h');
    expect(first.deliveries(ANA).map((m) => m.text)).toEqual(['v1: obrigado']);
    await first.close();
    extraApps.splice(extraApps.indexOf(first), 1);

    const second = await createShop({ flows: [v2], clock, dbFile });
    extraApps.push(second);
    const started = await buy(second, { phone: BIA, externalId: 'p2' });
    expect(started.runs).toEqual([expect.objectContaining({ flowId: 'pos-compra', flowVersion: 2 })]);
    await second.travel('2d');
    expect(second.deliveries(ANA).map((m) => m.text)).toEqual(['v1: dica']);
    expect(second.deliveries(BIA).map((m) => m.text)).toEqual(['v2: obrigado', 'v2: dica nova', 'v2: extra']);
    const flows = (await second.api({ method: 'GET', url: '/api/flows' })).json().flows;
    expect(flows.map((flow: { id: string; version: number }) => [flow.id, flow.version])).toEqual([['pos-compra', 2]]);
  });
});

// --- Doubtful behaviours ----------------------------------------------------------------------

describe('robustness', () => {
  it('one run that fails to advance does not stop the others', async () => {
    const broken = buildFlow('quebrado', [step('s', sendText('{{ customer.name '))], { trigger: { type: 'purchase', products: ['QUEBRADO-*'] } });
    const healthy = buildFlow('obrigado', [step('s', sendText('Obrigado!'))], { trigger: { type: 'purchase', products: ['CAFE-*'] } });
    const app = await shop([broken, healthy]);
    await buy(app, { phone: ANA, externalId: 'p1', skus: ['QUEBRADO-1'] });
    await buy(app, { phone: BIA, externalId: 'p2', skus: ['CAFE-250'] });
    for (let i = 0; i < 3; i += 1) {
      app.clock.advance(60_000);
      await app.flows.scheduler.tick().catch(() => undefined);
    }
    expect(app.deliveries(BIA).map((m) => m.text)).toEqual(['Obrigado!']);
    expect(runsOf(app).find((run) => run.flowId === 'quebrado')).toMatchObject({ status: 'cancelled', endReason: 'step_failed', wakeAt: null });
    expect(app.logs.some((line) => line.includes('a flow step failed'))).toBe(true);
  });

  it('a database error is not blamed on the run: it stays waiting and goes at the next tick', async () => {
    const app = await shop([buildFlow('obrigado', [step('s', sendText('Obrigado!'))])]);
    await buy(app, { phone: ANA, externalId: 'p1' });
    const save = app.repos.runs.save.bind(app.repos.runs);
    let failures = 1;
    app.repos.runs.save = (run) => {
      if (failures-- > 0) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      save(run);
    };
    app.clock.advance(60_000);
    await expect(app.flows.scheduler.tick()).rejects.toThrow('database is locked');
    expect(runsOf(app)).toEqual([expect.objectContaining({ status: 'waiting', endReason: null })]);
    await app.travel('1m');
    expect(app.deliveries(ANA).map((m) => m.text)).toEqual(['Obrigado!']);
  });

  it('a repurchase reminder still waiting in the outbox is dropped when the customer buys again', async () => {
    const refill = buildFlow('recompra', [step('s', sendText('Acabou o café?'))], { trigger: { type: 'repurchase', days: 30, products: ['CAFE-*'], at: minuteOfDay('10:00') } });
    // Thursday 19 Nov 10:00: thirty days later is Saturday 19 Dec, a day off.
    const app = await shop([refill], '2026-11-19T13:00:00Z', { SEND_DAYS: 'seg-sex' });
    await buy(app, { externalId: 'p1' });
    await app.travel({ to: '2026-12-19T14:00:00Z' });
    expect(app.repos.outbox.countByStatus()).toMatchObject({ queued: 1 });
    // Sunday: the customer buys coffee again.
    await app.travel({ to: '2026-12-20T14:00:00Z' });
    await buy(app, { externalId: 'p2' });
    // Monday: the old reminder should not go.
    await app.travel({ to: '2026-12-21T20:00:00Z' });
    expect(app.deliveries(ANA)).toEqual([]);
    expect(app.repos.outbox.list({ limit: 10 }).map((row) => [row.status, row.lastError])).toEqual([['skipped', 'superseded']]);
  });

  it('a new purchase supersedes the reminder even when the customer no longer passes the filter', async () => {
    const tagged = buildFlow('recompra', [step('s', sendText('Acabou o café?'))], { trigger: { type: 'repurchase', days: 30, products: ['CAFE-*'], at: minuteOfDay('10:00') }, filter: { tagsNone: ['atacado'] } });
    const app = await shop([tagged], '2026-11-19T13:00:00Z');
    const first = await buy(app, { externalId: 'p1' });
    app.repos.customers.update(first.customer.id, { tags: ['atacado'] }, app.clock.now());
    const second = await buy(app, { externalId: 'p2' });
    expect(second.runs).toEqual([]);
    expect(runsOf(app).map((run) => [run.status, run.endReason])).toEqual([['cancelled', 'superseded']]);
  });

  it('a purchase recorded late, older than the last one, starts no second reminder', async () => {
    const refill = buildFlow('recompra', [step('s', sendText('Acabou o café?'))], { trigger: { type: 'repurchase', days: 30, products: ['CAFE-*'], at: minuteOfDay('10:00') } });
    const app = await shop([refill], '2026-11-19T13:00:00Z');
    const recent = await buy(app, { externalId: 'p2' });
    const late = await buy(app, { externalId: 'p1', purchasedAt: '2026-11-10T13:00:00Z' });
    expect(recent.runs).toHaveLength(1);
    expect(late.runs).toEqual([]);
    expect(runsOf(app).map((run) => run.status)).toEqual(['waiting']);
  });
});

// --- Cold and warm customers (issue 18) --------------------------------------------------

describe('issue 18: the contact filter', () => {
  const warmOnly = buildFlow('quentes', [step('s', sendText('quente'))], { filter: { contact: 'warm' } });
  const coldOnly = buildFlow('frios', [step('s', sendText('frio'))], { filter: { contact: 'cold' } });

  it('warm: only customers who wrote to the shop; cold: only those who never did', async () => {
    const app = await shop([warmOnly, coldOnly]);
    const first = await buy(app, { externalId: 'p1' });
    expect(flowIds(first)).toEqual(['frios']);
    app.repos.customers.markWarm(first.customer.id, app.clock.now());
    expect(flowIds(await buy(app, { externalId: 'p2' }))).toEqual(['quentes']);
    expect(flowIds(await buy(app, { phone: BIA, externalId: 'p3' }))).toEqual(['frios']);
  });

  it('also at the daily triggers: a birthday flow for warm customers greets only those', async () => {
    const greet = buildFlow('aniversario', [step('s', sendText('Feliz aniversário!'), { maxLatenessMs: 12 * HOUR })], {
      trigger: { type: 'birthday', daysBefore: 0, at: minuteOfDay('09:00') },
      filter: { contact: 'warm' },
    });
    const app = await shop([greet], '2026-11-18T13:00:00Z');
    const ana = await buy(app, { externalId: 'p1', birthday: '22/11/1990', skus: [null] });
    await buy(app, { phone: BIA, externalId: 'p2', birthday: '22/11/1991', skus: [null] });
    app.repos.customers.markWarm(ana.customer.id, app.clock.now());
    await app.travel({ to: '2026-11-23T03:00:00Z' });
    expect(app.deliveries(ANA)).toEqual([{ at: '2026-11-22T12:00:00.000Z', text: 'Feliz aniversário!' }]);
    expect(app.deliveries(BIA)).toEqual([]);
  });
});

describe('issue 18: cold customers in a running flow', () => {
  const thanks = buildFlow('obrigado', [
    step('thanks', { ...sendText('Obrigado pela compra!'), cold: { kind: 'wait_for_contact', ms: HOUR, then: 'send' } }),
    step('w', waitFor(DAY)),
    step('tip', sendText('Uma dica')),
  ]);

  const rowsOf = (app: Shop, phone: string) =>
    app.repos.outbox
      .list({ limit: 100 })
      .filter((row) => row.toPhone === phone)
      .map((row) => [row.stepId, row.status, row.lastError])
      .reverse();

  it('a cold customer gets the thank-you when the wait ends; a warm one at once', async () => {
    const app = await shop([thanks]);
    const bia = await buy(app, { phone: BIA, externalId: 'p0' });
    await buy(app, { externalId: 'p1' });
    await app.travel('1m');
    // Bia is warm now (as if she wrote, without the inbox waking her run): her next purchase's thank-you goes at once.
    app.repos.customers.markWarm(bia.customer.id, app.clock.now());
    await buy(app, { phone: BIA, externalId: 'p2' });
    await app.travel('57m');
    expect(app.deliveries(ANA)).toEqual([]);
    expect(app.deliveries(BIA)).toEqual([{ at: expect.stringMatching(/^2026-11-20T13:0/), text: 'Obrigado pela compra!' }]);
    await app.travel('3m');
    // Ana, still cold, gets hers when the hour ends; so does Bia's first run, whose wait ended with her warm.
    expect(app.deliveries(ANA)).toEqual([{ at: expect.stringMatching(/^2026-11-20T14:0/), text: 'Obrigado pela compra!' }]);
    expect(app.deliveries(BIA)).toHaveLength(2);
  });

  it('contactArrived wakes the customer’s runs waiting for contact, or only the purchase named; others stay', async () => {
    const app = await shop([thanks]);
    const p1 = await buy(app, { externalId: 'p1' });
    const p2 = await buy(app, { externalId: 'p2' });
    await buy(app, { phone: BIA, externalId: 'p3' });
    await app.travel('1m');
    const ana = p1.customer.id;
    expect(runsOf(app).map((run) => run.state.contactWait?.stepId)).toEqual(['thanks', 'thanks']);

    const woken = app.repos.transaction(() => {
      app.repos.customers.markWarm(ana, app.clock.now());
      return app.flows.runner.contactArrived(ana, p2.purchase.id);
    });
    expect(woken).toBe(1);
    const [first, second] = runsOf(app);
    expect(first).toMatchObject({ purchaseId: p1.purchase.id, stepId: 'thanks', state: { contactWait: { stepId: 'thanks' } } });
    expect(second).toMatchObject({ purchaseId: p2.purchase.id, stepId: 'tip' });
    expect(second?.state.contactWait).toBeUndefined();
    expect(rowsOf(app, ANA)).toEqual([['thanks', 'queued', null]]);

    // Without a purchase: every run of hers still waiting; Bia's is not hers.
    expect(app.flows.runner.contactArrived(ana)).toBe(1);
    expect(app.flows.runner.contactArrived(ana)).toBe(0);
    await app.travel('1m');
    expect(app.deliveries(ANA).map((delivery) => delivery.text)).toEqual(['Obrigado pela compra!', 'Obrigado pela compra!']);
    expect(app.deliveries(BIA)).toEqual([]);
    expect(runsOf(app, BIA)[0]?.state.contactWait).toMatchObject({ stepId: 'thanks' });
  });

  it('contactArrived joins the caller’s transaction: undone with it, nothing queued', async () => {
    const app = await shop([thanks]);
    const p1 = await buy(app, { externalId: 'p1' });
    await app.travel('1m');
    const before = runsOf(app);
    expect(() =>
      app.repos.transaction(() => {
        expect(app.flows.runner.contactArrived(p1.customer.id)).toBe(1);
        throw new Error('the inbound message failed to store');
      }),
    ).toThrow('the inbound message failed to store');
    expect(runsOf(app)).toEqual(before);
    expect(rowsOf(app, ANA)).toEqual([]);
  });

  it('cold: skip records the message as skipped (cold_skipped), never sends it, and goes on', async () => {
    const skipCold = buildFlow('pula', [step('thanks', { ...sendText('Obrigado!'), cold: { kind: 'skip' } }), step('w', waitFor(HOUR)), step('bye', sendText('Tchau'))]);
    const app = await shop([skipCold]);
    await buy(app, { externalId: 'p1' });
    await app.travel('2h');
    expect(rowsOf(app, ANA)).toEqual([
      ['thanks', 'skipped', 'cold_skipped'],
      ['bye', 'sent', null],
    ]);
    expect(app.deliveries(ANA).map((delivery) => delivery.text)).toEqual(['Tchau']);
  });
});
