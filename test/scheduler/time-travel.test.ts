import { afterEach, describe, expect, it } from 'vitest';
import type { Flow } from '../../src/flows/flow-types.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { buildFlow, minuteOfDay, sendText, step, waitFor } from '../helpers/flows.js';
import { createShop, type Shop } from '../helpers/shop.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ANA = '+5511912345678';
const BIA = '+5511922223333';
const CAIO = '+5511933334444';
/** Friday 20 November 2026, 10:00 in São Paulo (UTC-3). */
const FRIDAY_10H = '2026-11-20T13:00:00Z';
/** Every message here may be at most 12 hours late. */
const LATENESS = { maxLatenessMs: 12 * HOUR };

const THANKS = buildFlow('obrigado', [step('thanks', sendText('Obrigado!'))], LATENESS);
const LATER = buildFlow('depois', [step('w', waitFor(HOUR)), step('hello', sendText('Uma hora depois'))], LATENESS);
const BIRTHDAY = buildFlow('aniversario', [step('wishes', sendText('Feliz aniversário!'))], {
  ...LATENESS,
  trigger: { type: 'birthday', daysBefore: 0, at: minuteOfDay('09:00') },
});

let t: Shop | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function shop(flows: Flow[], start = FRIDAY_10H, env: Record<string, string> = {}) {
  t = await createShop({ flows, clock: new ManualClock(start), env });
  return t;
}

/** `phone` buys a coffee; `customer` adds to what the purchase says of them. */
const buy = (app: Shop, phone = ANA, customer: Record<string, unknown> = {}) =>
  app.buy({ externalId: `p-${phone}-${app.clock.now()}`, customer: { phone, name: 'Ana', ...customer }, items: [{ name: 'Café' }] });

const clockApi = (app: Shop, payload: unknown) => app.api({ method: 'POST', url: '/api/simulator/clock', payload: payload as Record<string, unknown> });

const sends = (app: Shop) =>
  app.simulator.sendCalls.map((call) => ({ to: call.to, at: new Date(call.at).toISOString(), text: call.content.kind === 'text' ? call.content.text : '' }));

describe('GET /api/simulator/clock', () => {
  it('tells the simulated time', async () => {
    const app = await shop([]);
    const response = await app.api({ method: 'GET', url: '/api/simulator/clock' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ now: '2026-11-20T13:00:00.000Z' });
  });

  it('needs the admin token, like every /api route', async () => {
    const app = await shop([]);
    expect((await app.app.inject({ method: 'GET', url: '/api/simulator/clock' })).statusCode).toBe(401);
  });
});

describe('POST /api/simulator/clock', () => {
  it('advance: moves the clock by a duration and says what ran', async () => {
    const app = await shop([THANKS]);
    await buy(app);
    const body = await app.travel('1d12h');
    expect(body).toEqual({ from: '2026-11-20T13:00:00.000Z', now: '2026-11-22T01:00:00.000Z', ticks: expect.any(Number), advanced: 1, sent: 1 });
    expect(body.ticks).toBeGreaterThanOrEqual(2);
    expect((await app.api({ method: 'GET', url: '/api/simulator/clock' })).json()).toEqual({ now: '2026-11-22T01:00:00.000Z' });
  });

  it('to: moves the clock to a moment, with any offset', async () => {
    const app = await shop([]);
    const body = await app.travel({ to: '2026-11-21T09:00:00-03:00' });
    expect(body).toMatchObject({ from: '2026-11-20T13:00:00.000Z', now: '2026-11-21T12:00:00.000Z' });
    expect(app.clock.now()).toBe(Date.parse('2026-11-21T12:00:00Z'));
  });

  it.each([
    ['a duration without a unit', { advance: '2' }],
    ['a duration in words', { advance: 'two days' }],
    ['an empty duration', { advance: '' }],
    ['units in the wrong order', { advance: '12h1d' }],
    ['a number', { advance: 3600 }],
    ['both advance and to', { advance: '1h', to: '2026-11-21T12:00:00Z' }],
    ['neither', {}],
    ['a moment that is not a date', { to: 'amanhã' }],
    ['a date without a time', { to: '2026-11-21' }],
    ['an unknown field', { advance: '1h', speed: 2 }],
  ])('400 for %s, and the clock does not move', async (_name, payload) => {
    const app = await shop([]);
    const response = await clockApi(app, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', message: expect.any(String) });
    expect(app.clock.now()).toBe(Date.parse(FRIDAY_10H));
  });

  it('a `to` in the past sets the clock back and runs nothing twice', async () => {
    const app = await shop([THANKS, LATER, BIRTHDAY], '2026-11-20T11:00:00Z');
    await buy(app, ANA, { birthday: '20/11/1990' });
    await app.travel('3h');
    const before = sends(app);
    expect(before.map((message) => message.text).sort()).toEqual(['Feliz aniversário!', 'Obrigado!', 'Uma hora depois']);

    const back = await app.travel({ to: '2026-11-20T10:00:00Z' });
    expect(back).toEqual({ from: '2026-11-20T14:00:00.000Z', now: '2026-11-20T10:00:00.000Z', ticks: 1, advanced: 0, sent: 0 });
    expect(app.clock.now()).toBe(Date.parse('2026-11-20T10:00:00Z'));
    await app.travel('1d');
    expect(sends(app)).toEqual(before);
    const customer = app.repos.customers.findByPhone(ANA)!;
    expect(app.repos.runs.listFor(customer.id)).toHaveLength(3);
  });

  it('stops at each moment something is due: runs due at different times go at their own time, in order', async () => {
    const app = await shop([LATER]);
    await buy(app, ANA);
    await app.travel('10m');
    await buy(app, BIA);
    await app.travel('15m');
    await buy(app, CAIO);
    await app.travel('2h');
    expect(sends(app)).toEqual([
      { to: ANA, at: '2026-11-20T14:00:00.000Z', text: 'Uma hora depois' },
      { to: BIA, at: '2026-11-20T14:10:00.000Z', text: 'Uma hora depois' },
      { to: CAIO, at: '2026-11-20T14:25:00.000Z', text: 'Uma hora depois' },
    ]);
  });

  it('a run’s steps each go at their time within one long advance', async () => {
    const steps = buildFlow(
      'passos',
      [
        step('a', sendText('a')),
        step('w1', waitFor(30 * MINUTE)),
        step('b', sendText('b')),
        step('w2', waitFor(2 * HOUR)),
        step('c', sendText('c')),
        step('w3', waitFor(2 * DAY)),
        step('d', sendText('d')),
      ],
      LATENESS,
    );
    // Four messages in three days: more than CONTACT_CAP_PER_WEEK's default, which is not what this is about.
    const app = await shop([steps], FRIDAY_10H, { CONTACT_CAP_PER_WEEK: '10' });
    await buy(app);
    await app.travel('1w');
    expect(sends(app).map((message) => [message.at, message.text])).toEqual([
      ['2026-11-20T13:00:00.000Z', 'a'],
      ['2026-11-20T13:30:00.000Z', 'b'],
      ['2026-11-20T15:30:00.000Z', 'c'],
      ['2026-11-22T15:30:00.000Z', 'd'],
    ]);
  });

  it('work due exactly at the target is done', async () => {
    const app = await shop([LATER]);
    await buy(app);
    await app.travel({ to: '2026-11-20T14:00:00Z' });
    expect(sends(app)).toEqual([{ to: ANA, at: '2026-11-20T14:00:00.000Z', text: 'Uma hora depois' }]);
  });

  it('runs the daily triggers on each simulated day: a birthday 10 days ahead gets its message when advancing 15d', async () => {
    const app = await shop([BIRTHDAY]);
    await buy(app, ANA, { birthday: '30/11/1990' });
    const body = await app.travel('15d');
    expect(body.now).toBe('2026-12-05T13:00:00.000Z');
    expect(sends(app)).toEqual([{ to: ANA, at: '2026-11-30T12:00:00.000Z', text: 'Feliz aniversário!' }]);
  });
});

describe('time travel with the real random gap between messages', () => {
  // The gap between messages is random; a gap with a fraction of a millisecond once left a manual
  // clock (whole milliseconds) forever just short of its end: travel ticked 100,000 times.
  it('stops at the end of a gap that is not a whole number of milliseconds', async () => {
    t = await createShop({ flows: [THANKS], clock: new ManualClock(FRIDAY_10H), random: () => 0.123456789 });
    await buy(t, ANA);
    await buy(t, BIA);
    await buy(t, CAIO);
    const body = await t.travel('1h');
    expect(body.sent).toBe(3);
    expect(body.ticks).toBeLessThan(20);
  });
});
