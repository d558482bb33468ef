import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Filter, Flow, Step, StepBody, Trigger } from '../../src/flows/flow-types.js';
import { hashFlow } from '../../src/flows/load-flows.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ANA = '+5511912345678';
const BIA = '+5511922223333';
const CAIO = '+5511933334444';
const DUDA = '+5511944445555';
/** Friday 20 November 2026, 10:00 in São Paulo (UTC-3). */
const FRIDAY_10H = '2026-11-20T13:00:00Z';

// --- Flows, built by hand as the loader would give them ---------------------------------

interface StepSpec {
  id: string;
  body: StepBody;
  next?: string;
  maxLatenessMs?: number;
}

const send = (id: string, text: string, extra: Omit<StepSpec, 'id' | 'body'> = {}): StepSpec => ({ id, body: { kind: 'send', text, image: null }, ...extra });
const wait = (id: string, ms: number): StepSpec => ({ id, body: { kind: 'wait', wait: { kind: 'for', ms } } });
const hm = (text: string) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3));

function flowOf(id: string, trigger: Trigger, specs: StepSpec[], options: { filter?: Partial<Filter>; version?: number } = {}): Flow {
  const steps = specs.map(
    (spec, index): Step =>
      ({
        ...spec.body,
        id: spec.id,
        next: spec.next ?? specs[index + 1]?.id ?? 'end',
        maxLatenessMs: spec.maxLatenessMs ?? 3 * DAY,
        line: index + 1,
      }),
  );
  const flow: Flow = {
    id,
    version: options.version ?? 1,
    name: `Flow ${id}`,
    trigger,
    filter: { tagsAll: [], tagsNone: [], products: null, consent: null, ...options.filter },
    steps,
    file: `${id}.yaml`,
    hash: '',
  };
  return { ...flow, hash: hashFlow(flow) };
}

// --- The shop ----------------------------------------------------------------------------

let t: TestApp | undefined;
const extraApps: TestApp[] = [];
let tempDir: string | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const app of extraApps.splice(0)) await app.close().catch(() => {});
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  tempDir = undefined;
});

async function shop(flows: Flow[], start = FRIDAY_10H, env: Record<string, string> = {}) {
  t = await createTestApp({ flows, clock: new ManualClock(start), env: { SHOP_NAME: 'Café da Ana', ...env } });
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

async function buy(app: TestApp, { phone = ANA, externalId, skus = ['CAFE-250'], consent, birthday, purchasedAt }: Buy = {}) {
  const response = await app.api({
    method: 'POST',
    url: '/api/purchases',
    payload: {
      ...(externalId ? { externalId } : {}),
      customer: { phone, name: 'Ana Souza', ...(consent === undefined ? {} : { consent: { marketing: consent } }), ...(birthday ? { birthday } : {}) },
      items: skus.map((sku, index) => ({ ...(sku === null ? {} : { sku }), name: `Item ${index + 1}` })),
      ...(purchasedAt ? { purchasedAt } : {}),
    },
  });
  expect([200, 201]).toContain(response.statusCode);
  return response.json<{
    customer: { id: number };
    purchase: { id: number };
    runs: { id: number; flowId: string; flowVersion: number; occurrence: string; wakeAt: string }[];
  }>();
}

async function travel(app: TestApp, body: { advance: string } | { to: string }) {
  const response = await app.api({ method: 'POST', url: '/api/simulator/clock', payload: body });
  expect(response.statusCode).toBe(200);
  return response.json();
}

/** The texts that reached a phone, with the moment each arrived. */
function received(app: TestApp, phone = ANA) {
  return app.simulator.sendCalls
    .filter((call) => call.to === phone && call.result.ok)
    .map((call) => ({ at: new Date(call.at).toISOString(), text: call.content.kind === 'text' ? call.content.text : `[${call.content.kind}]` }));
}

function runsOf(app: TestApp, phone = ANA) {
  const customer = app.repos.customers.findByPhone(phone);
  return customer ? app.repos.runs.listFor(customer.id) : [];
}

const flowIds = (body: { runs: { flowId: string }[] }) => body.runs.map((run) => run.flowId).sort();

// --- Purchases ---------------------------------------------------------------------------

describe('the purchase trigger', () => {
  const everyPurchase = flowOf('obrigado', { type: 'purchase', products: null }, [send('thanks', 'Obrigado, {{ customer.first_name }}!')]);
  const coffeeOnly = flowOf('dica-cafe', { type: 'purchase', products: ['CAFE-*'] }, [send('tip', 'Dica de café')]);

  it('starts a run for every purchase, due when the purchase was made', async () => {
    const app = await shop([everyPurchase]);
    const body = await buy(app, { externalId: 'p1' });
    expect(body.runs).toEqual([{ id: expect.any(Number), flowId: 'obrigado', flowVersion: 1, occurrence: `purchase:${body.purchase.id}`, wakeAt: '2026-11-20T13:00:00.000Z' }]);
    await travel(app, { advance: '1m' });
    expect(received(app)).toEqual([{ at: '2026-11-20T13:00:00.000Z', text: 'Obrigado, Ana!' }]);
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
    await travel(app, { advance: '1h' });
    expect(received(app)).toHaveLength(1);
  });
});

describe('filters', () => {
  const vip = flowOf('vip', { type: 'purchase', products: null }, [send('s', 'vip')], { filter: { tagsAll: ['vip'] } });
  const notBlocked = flowOf('nao-bloqueado', { type: 'purchase', products: null }, [send('s', 'ok')], { filter: { tagsNone: ['bloqueado'] } });
  const coffeeBuyers = flowOf('cliente-cafe', { type: 'purchase', products: null }, [send('s', 'café')], { filter: { products: ['CAFE-*'] } });
  const marketing = flowOf('novidades', { type: 'purchase', products: null }, [send('s', 'novidades')], { filter: { consent: 'marketing' } });

  async function tag(app: TestApp, id: number, tags: string[]) {
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
  const thanks = flowOf('obrigado', { type: 'purchase', products: null }, [send('s', 'obrigado')]);
  const birthday = flowOf('aniversario', { type: 'birthday', daysBefore: 0, at: hm('09:00') }, [send('s', 'parabéns', { maxLatenessMs: 12 * HOUR })]);
  const winBack = flowOf('saudade', { type: 'inactivity', days: 10, at: hm('10:00') }, [send('s', 'saudade')]);
  const manual = flowOf('manual', { type: 'manual' }, [send('s', 'oi')]);

  it('an opted-out customer: no purchase, birthday or inactivity run', async () => {
    const app = await shop([thanks, birthday, winBack, manual]);
    const first = await buy(app, { externalId: 'p1', birthday: '25/11/1990' });
    await travel(app, { advance: '1h' });
    app.repos.customers.markOptedOut(first.customer.id, app.clock.now());
    app.flows.runner.cancelFor(first.customer.id, 'opted_out');

    expect((await buy(app, { externalId: 'p2' })).runs).toEqual([]);
    // Past the birthday (25th) and 10 days after the last purchase.
    await travel(app, { advance: '12d' });
    expect(runsOf(app).map((run) => `${run.flowId}:${run.status}`)).toEqual(['obrigado:done']);
    expect(received(app)).toEqual([{ at: expect.any(String), text: 'obrigado' }]);
  });

  it('an erased customer: no inactivity run, nothing sent', async () => {
    const app = await shop([winBack]);
    const first = await buy(app, { externalId: 'p1' });
    await travel(app, { advance: '1h' });
    const erased = await app.api({ method: 'DELETE', url: `/api/customers/${first.customer.id}` });
    expect(erased.statusCode).toBe(200);
    await travel(app, { advance: '12d' });
    expect(app.repos.runs.listFor(first.customer.id)).toEqual([]);
    expect(app.simulator.sendCalls).toEqual([]);
  });
});

// --- Repurchase --------------------------------------------------------------------------

describe('the repurchase trigger', () => {
  const refill = flowOf('recompra', { type: 'repurchase', days: 30, products: ['CAFE-*'], at: hm('10:00') }, [send('s', 'Acabou o café?')]);

  it('wakes N days after the purchase, at the local time', async () => {
    // Friday 20 Nov, 08:00 in São Paulo: thirty days later is Sunday 20 Dec, 08:00; the next 10:00 is that morning.
    const app = await shop([refill], '2026-11-20T11:00:00Z');
    const body = await buy(app, { externalId: 'p1' });
    expect(body.runs).toEqual([expect.objectContaining({ flowId: 'recompra', occurrence: `repurchase:${body.purchase.id}`, wakeAt: '2026-12-20T13:00:00.000Z' })]);
    await travel(app, { to: '2026-12-20T12:59:00Z' });
    expect(received(app)).toEqual([]);
    await travel(app, { advance: '1h' });
    expect(received(app)).toEqual([{ at: '2026-12-20T13:00:00.000Z', text: 'Acabou o café?' }]);
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
    await travel(app, { advance: '5d' });
    await buy(app, { externalId: 'p2', skus: ['CHA-1'] });
    expect(runsOf(app).map((run) => run.status)).toEqual(['waiting']);

    await travel(app, { advance: '5d' });
    const second = await buy(app, { externalId: 'p3', skus: ['CAFE-500'] });
    expect(second.runs).toEqual([expect.objectContaining({ occurrence: `repurchase:${second.purchase.id}`, wakeAt: '2026-12-30T13:00:00.000Z' })]);
    expect(runsOf(app).map((run) => ({ occurrence: run.occurrence, status: run.status, endReason: run.endReason }))).toEqual([
      { occurrence: `repurchase:${first.purchase.id}`, status: 'cancelled', endReason: 'superseded' },
      { occurrence: `repurchase:${second.purchase.id}`, status: 'waiting', endReason: null },
    ]);

    // The first reminder's day passes in silence; the second comes on its day.
    await travel(app, { to: '2026-12-29T12:00:00Z' });
    expect(received(app)).toEqual([]);
    await travel(app, { advance: '2d' });
    expect(received(app)).toEqual([{ at: '2026-12-30T13:00:00.000Z', text: 'Acabou o café?' }]);
  });
});

// --- Birthdays ---------------------------------------------------------------------------

describe('the birthday trigger', () => {
  const onTheDay = flowOf('aniversario', { type: 'birthday', daysBefore: 0, at: hm('09:00') }, [send('s', 'Feliz aniversário!', { maxLatenessMs: 12 * HOUR })]);
  const threeDaysBefore = flowOf('pre-aniversario', { type: 'birthday', daysBefore: 3, at: hm('10:00') }, [send('s', 'Seu aniversário está chegando', { maxLatenessMs: 12 * HOUR })]);

  it('on the day and N days before, at the local time', async () => {
    // Wednesday 18 November.
    const app = await shop([onTheDay, threeDaysBefore], '2026-11-18T13:00:00Z');
    await buy(app, { externalId: 'p1', birthday: '22/11/1990', skus: [null] });
    await travel(app, { to: '2026-11-23T03:00:00Z' });
    expect(received(app)).toEqual([
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
    await travel(app, { advance: '3h' });
    expect(app.flows.runner.runDailyTriggers()).toBe(0);
    // Even when the day is evaluated again from scratch (the stored progress lost), the run exists.
    app.repos.schedulerState.set('daily.evaluated_until', String(Date.parse('2026-11-21T03:00:00Z')));
    expect(app.flows.runner.runDailyTriggers()).toBe(0);
    await travel(app, { advance: '1d' });
    expect(runsOf(app)).toHaveLength(1);
    expect(received(app)).toEqual([{ at: '2026-11-22T12:00:00.000Z', text: 'Feliz aniversário!' }]);

    // The next year, another one.
    app.clock.set('2027-11-22T10:00:00Z');
    await travel(app, { advance: '3h' });
    expect(runsOf(app).map((run) => run.occurrence)).toEqual(['birthday:2026', 'birthday:2027']);
    expect(received(app).map((message) => message.at)).toEqual(['2026-11-22T12:00:00.000Z', '2027-11-22T12:00:00.000Z']);
  });

  it('a 29 February birthday is celebrated on 1 March in a non-leap year', async () => {
    const app = await shop([onTheDay], '2027-02-27T13:00:00Z');
    await buy(app, { externalId: 'p1', birthday: '29/02/2000', skus: [null] });
    await travel(app, { to: '2027-03-03T03:00:00Z' });
    expect(received(app)).toEqual([{ at: '2027-03-01T12:00:00.000Z', text: 'Feliz aniversário!' }]);
    expect(runsOf(app).map((run) => run.occurrence)).toEqual(['birthday:2027']);
  });

  it('and on 29 February itself in a leap year, not again on 1 March', async () => {
    const app = await shop([onTheDay], '2028-02-27T13:00:00Z');
    await buy(app, { externalId: 'p1', birthday: '29/02/2000', skus: [null] });
    await travel(app, { to: '2028-03-03T03:00:00Z' });
    expect(received(app)).toEqual([{ at: '2028-02-29T12:00:00.000Z', text: 'Feliz aniversário!' }]);
  });

  it('a birthday 3 days before 29 February in a non-leap year is announced on 26 February', async () => {
    const app = await shop([threeDaysBefore], '2027-02-24T13:00:00Z');
    await buy(app, { externalId: 'p1', birthday: '29/02/2000', skus: [null] });
    await travel(app, { to: '2027-03-03T03:00:00Z' });
    expect(received(app)).toEqual([{ at: '2027-02-26T13:00:00.000Z', text: 'Seu aniversário está chegando' }]);
  });

  it('catches up the days a stopped service missed, within each message’s lateness', async () => {
    const app = await shop([onTheDay]);
    await buy(app, { phone: ANA, externalId: 'p1', birthday: '22/11/1990', skus: [null] });
    await buy(app, { phone: BIA, externalId: 'p2', birthday: '21/11/1991', skus: [null] });
    await app.flows.scheduler.tick();
    // Down from Friday 10:00 until Sunday 15:00: Bia's birthday (Saturday) passed, Ana's is today.
    app.clock.set('2026-11-22T18:00:00Z');
    await app.flows.scheduler.tick();
    expect(received(app, ANA)).toEqual([{ at: '2026-11-22T18:00:00.000Z', text: 'Feliz aniversário!' }]);
    expect(received(app, BIA)).toEqual([]);
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
  const winBack = flowOf('saudade', { type: 'inactivity', days: 30, at: hm('10:00') }, [send('s', 'Sentimos sua falta', { maxLatenessMs: DAY })]);

  it('enrols when the last purchase is exactly N days old, at the local time, once per spell', async () => {
    const app = await shop([winBack]);
    const first = await buy(app, { externalId: 'p1' });
    // The last minute of the day before: nothing yet.
    await travel(app, { to: '2026-12-20T02:59:00Z' });
    expect(runsOf(app)).toEqual([]);
    await travel(app, { to: '2026-12-21T03:00:00Z' });
    expect(runsOf(app).map((run) => run.occurrence)).toEqual([`inactivity:${first.purchase.id}`]);
    expect(received(app)).toEqual([{ at: '2026-12-20T13:00:00.000Z', text: 'Sentimos sua falta' }]);

    // Still no purchase sixty days on: no second message for the same spell.
    await travel(app, { advance: '40d' });
    app.repos.schedulerState.set('daily.evaluated_until', String(Date.parse('2026-12-19T03:00:00Z')));
    app.clock.set('2026-12-20T15:00:00Z');
    await app.flows.scheduler.tick();
    expect(runsOf(app)).toHaveLength(1);
    expect(received(app)).toHaveLength(1);
  });

  it('not when the customer bought again; the new spell counts from the last purchase', async () => {
    const app = await shop([winBack]);
    await buy(app, { externalId: 'p1' });
    await travel(app, { advance: '10d' });
    const second = await buy(app, { externalId: 'p2' });
    await travel(app, { to: '2026-12-21T03:00:00Z' });
    expect(runsOf(app)).toEqual([]);
    await travel(app, { to: '2026-12-31T03:00:00Z' });
    expect(runsOf(app).map((run) => run.occurrence)).toEqual([`inactivity:${second.purchase.id}`]);
    expect(received(app)).toEqual([{ at: '2026-12-30T13:00:00.000Z', text: 'Sentimos sua falta' }]);
  });
});

// --- Manual --------------------------------------------------------------------------------

describe('manual flows: POST /api/flows/:id/runs', () => {
  const manual = flowOf('cupom', { type: 'manual' }, [send('s', 'Um cupom para você')]);
  const vipOnly = flowOf('cupom-vip', { type: 'manual' }, [send('s', 'Cupom VIP')], { filter: { tagsAll: ['vip'] } });
  const thanks = flowOf('obrigado', { type: 'purchase', products: null }, [send('s', 'obrigado')]);

  async function start(app: TestApp, flowId: string, payload: Record<string, unknown>) {
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
    await travel(app, { advance: '1m' });
    expect(received(app, ANA).map((m) => m.text)).toEqual(['Um cupom para você']);
    expect(received(app, BIA).map((m) => m.text)).toEqual(['Um cupom para você']);
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
    const slow = flowOf('cupom-lento', { type: 'manual' }, [wait('w', DAY), send('s', 'Um cupom para você')]);
    const app = await shop([slow]);
    const { customer } = await buy(app, { externalId: 'p1' });
    expect((await start(app, 'cupom-lento', { customerId: customer.id })).statusCode).toBe(201);
    await travel(app, { advance: '1m' });
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
      flowOf('obrigado', { type: 'purchase', products: null }, [wait('w', HOUR), send('s', 'obrigado')]),
      flowOf('cupom', { type: 'manual' }, [send('s', 'cupom')], { version: 3 }),
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
        { id: 'cupom', version: 3, name: 'Flow cupom', file: 'cupom.yaml', trigger: { type: 'manual' }, steps: [{ id: 's', kind: 'send' }] },
      ],
    });
  });

  it('GET /api/flows shows each trigger in the flow file\'s own terms', async () => {
    const app = await shop([
      flowOf('parabens', { type: 'birthday', daysBefore: 2, at: hm('09:30') }, [send('s', 'parabéns')]),
      flowOf('volta', { type: 'inactivity', days: 120, at: hm('10:00') }, [send('s', 'saudade')]),
      flowOf('cafe', { type: 'repurchase', days: 30, products: ['CAFE-*'], at: hm('08:05') }, [send('s', 'café')]),
    ]);
    const triggers = (await app.api({ method: 'GET', url: '/api/flows' })).json().flows.map((flow: { trigger: unknown }) => flow.trigger);
    expect(triggers).toEqual([
      { type: 'birthday', days_before: 2, at: '09:30' },
      { type: 'inactivity', days: 120, at: '10:00' },
      { type: 'repurchase', days: 30, products: ['CAFE-*'], at: '08:05' },
    ]);
  });

  it('the customer record lists the runs', async () => {
    const flow = flowOf('obrigado', { type: 'purchase', products: null }, [wait('w', HOUR), send('s', 'obrigado')]);
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
    await travel(app, { advance: '2h' });
    const after = (await app.api({ method: 'GET', url: `/api/customers/${customer.id}` })).json();
    expect(after.runs).toEqual([expect.objectContaining({ status: 'done', endReason: 'completed', stepId: null, wakeAt: null, endedAt: '2026-11-20T14:00:00.000Z' })]);
  });
});

describe('DELETE /api/flows/:id/runs', () => {
  const slow = () => flowOf('obrigado', { type: 'purchase', products: null }, [wait('w', DAY), send('s', 'Obrigado!')]);

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
    await travel(app, { advance: '2d' });
    expect(received(app)).toEqual([]);
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
    const first = await createTestApp({ flows: [slow()], clock, dbFile });
    extraApps.push(first);
    await buy(first, { phone: ANA, externalId: 'p1' });
    await first.close();
    extraApps.splice(extraApps.indexOf(first), 1);

    const second = await createTestApp({ flows: [], clock, dbFile });
    extraApps.push(second);
    expect(second.logs.filter((line) => line.includes('O fluxo obrigado não está mais na pasta de fluxos, mas 1 cliente(s)'))).toHaveLength(1);
    expect((await second.api({ method: 'DELETE', url: '/api/flows/obrigado/runs' })).json()).toEqual({ cancelled: 1 });
    await second.api({ method: 'POST', url: '/api/simulator/clock', payload: { advance: '2d' } });
    expect(second.simulator.sendCalls).toEqual([]);
  });
});

describe('flow versions', () => {
  it('a run keeps the version it started with; new runs take the edited one', async () => {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-versions-'));
    const dbFile = path.join(tempDir, 'fregues.db');
    const clock = new ManualClock(FRIDAY_10H);
    const v1 = flowOf('pos-compra', { type: 'purchase', products: null }, [
      send('agradecimento', 'v1: obrigado'),
      wait('espera', DAY),
      send('dica', 'v1: dica'),
    ]);
    const v2 = flowOf('pos-compra', { type: 'purchase', products: null }, [send('agradecimento', 'v2: obrigado'), wait('espera', DAY), send('dica', 'v2: dica nova'), send('extra', 'v2: extra')], {
      version: 2,
    });
    expect(v2.hash).not.toBe(v1.hash);

    const first = await createTestApp({ flows: [v1], clock, dbFile });
    extraApps.push(first);
    await buy(first, { phone: ANA, externalId: 'p1' });
    await travel(first, { advance: '1h' });
    expect(received(first, ANA).map((m) => m.text)).toEqual(['v1: obrigado']);
    await first.close();
    extraApps.splice(extraApps.indexOf(first), 1);

    const second = await createTestApp({ flows: [v2], clock, dbFile });
    extraApps.push(second);
    const started = await buy(second, { phone: BIA, externalId: 'p2' });
    expect(started.runs).toEqual([expect.objectContaining({ flowId: 'pos-compra', flowVersion: 2 })]);
    await travel(second, { advance: '2d' });
    expect(received(second, ANA).map((m) => m.text)).toEqual(['v1: dica']);
    expect(received(second, BIA).map((m) => m.text)).toEqual(['v2: obrigado', 'v2: dica nova', 'v2: extra']);
    const flows = (await second.api({ method: 'GET', url: '/api/flows' })).json().flows;
    expect(flows.map((flow: { id: string; version: number }) => [flow.id, flow.version])).toEqual([['pos-compra', 2]]);
  });
});

// --- Doubtful behaviours ----------------------------------------------------------------------

describe('robustness', () => {
  it('one run that fails to advance does not stop the others', async () => {
    const broken = flowOf('quebrado', { type: 'purchase', products: ['QUEBRADO-*'] }, [send('s', '{{ customer.name ')]);
    const healthy = flowOf('obrigado', { type: 'purchase', products: ['CAFE-*'] }, [send('s', 'Obrigado!')]);
    const app = await shop([broken, healthy]);
    await buy(app, { phone: ANA, externalId: 'p1', skus: ['QUEBRADO-1'] });
    await buy(app, { phone: BIA, externalId: 'p2', skus: ['CAFE-250'] });
    for (let i = 0; i < 3; i += 1) {
      app.clock.advance(60_000);
      await app.flows.scheduler.tick().catch(() => undefined);
    }
    expect(received(app, BIA).map((m) => m.text)).toEqual(['Obrigado!']);
    expect(runsOf(app).find((run) => run.flowId === 'quebrado')).toMatchObject({ status: 'cancelled', endReason: 'step_failed', wakeAt: null });
    expect(app.logs.some((line) => line.includes('a flow step failed'))).toBe(true);
  });

  it('a database error is not blamed on the run: it stays waiting and goes at the next tick', async () => {
    const app = await shop([flowOf('obrigado', { type: 'purchase', products: null }, [send('s', 'Obrigado!')])]);
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
    await travel(app, { advance: '1m' });
    expect(received(app, ANA).map((m) => m.text)).toEqual(['Obrigado!']);
  });

  it('a repurchase reminder still waiting in the outbox is dropped when the customer buys again', async () => {
    const refill = flowOf('recompra', { type: 'repurchase', days: 30, products: ['CAFE-*'], at: hm('10:00') }, [send('s', 'Acabou o café?')]);
    // Thursday 19 Nov 10:00: thirty days later is Saturday 19 Dec, a day off.
    const app = await shop([refill], '2026-11-19T13:00:00Z', { SEND_DAYS: 'seg-sex' });
    await buy(app, { externalId: 'p1' });
    await travel(app, { to: '2026-12-19T14:00:00Z' });
    expect(app.repos.outbox.countByStatus()).toMatchObject({ queued: 1 });
    // Sunday: the customer buys coffee again.
    await travel(app, { to: '2026-12-20T14:00:00Z' });
    await buy(app, { externalId: 'p2' });
    // Monday: the old reminder should not go.
    await travel(app, { to: '2026-12-21T20:00:00Z' });
    expect(received(app)).toEqual([]);
    expect(app.repos.outbox.list({ limit: 10 }).map((row) => [row.status, row.lastError])).toEqual([['skipped', 'superseded']]);
  });

  it('a new purchase supersedes the reminder even when the customer no longer passes the filter', async () => {
    const tagged = flowOf('recompra', { type: 'repurchase', days: 30, products: ['CAFE-*'], at: hm('10:00') }, [send('s', 'Acabou o café?')], {
      filter: { tagsNone: ['atacado'] },
    });
    const app = await shop([tagged], '2026-11-19T13:00:00Z');
    const first = await buy(app, { externalId: 'p1' });
    app.repos.customers.update(first.customer.id, { tags: ['atacado'] }, app.clock.now());
    const second = await buy(app, { externalId: 'p2' });
    expect(second.runs).toEqual([]);
    expect(runsOf(app).map((run) => [run.status, run.endReason])).toEqual([['cancelled', 'superseded']]);
  });

  it('a purchase recorded late, older than the last one, starts no second reminder', async () => {
    const refill = flowOf('recompra', { type: 'repurchase', days: 30, products: ['CAFE-*'], at: hm('10:00') }, [send('s', 'Acabou o café?')]);
    const app = await shop([refill], '2026-11-19T13:00:00Z');
    const recent = await buy(app, { externalId: 'p2' });
    const late = await buy(app, { externalId: 'p1', purchasedAt: '2026-11-10T13:00:00Z' });
    expect(recent.runs).toHaveLength(1);
    expect(late.runs).toEqual([]);
    expect(runsOf(app).map((run) => run.status)).toEqual(['waiting']);
  });
});
