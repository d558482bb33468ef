import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Channel, SendResult } from '../../src/channels/channel.js';
import { SimulatorChannel } from '../../src/channels/simulator/simulator-channel.js';
import type { Flow } from '../../src/flows/flow-types.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { SendGovernor } from '../../src/scheduler/send-governor.js';
import { DelegatingChannel } from '../helpers/delegating-channel.js';
import { FakeChannel } from '../helpers/fake-channel.js';
import { buildFlow, sendText, step, waitFor } from '../helpers/flows.js';
import { createShop, type Shop } from '../helpers/shop.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ANA = '+5511912345678';
const BIA = '+5511922223333';
const CAIO = '+5511933334444';
const OWNER = '+5511900001111';
/** Friday 20 November 2026, 10:00 in São Paulo (UTC-3). */
const FRIDAY_10H = '2026-11-20T13:00:00Z';
/** Friday 20 November 2026, 22:00 in São Paulo: inside the default quiet hours (20:00–09:00). */
const FRIDAY_22H = '2026-11-21T01:00:00Z';
/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

// --- Flows -----------------------------------------------------------------------------------

const THANKS = buildFlow('obrigado', [step('thanks', sendText('Obrigado, {{ customer.first_name }}!'))]);
/** A thank-you that may be at most an hour late. */
const HASTY = buildFlow('rapido', [step('thanks', sendText('Obrigado!'))], { maxLatenessMs: HOUR });

// --- The shop ----------------------------------------------------------------------------------

const shops: Shop[] = [];
let tempDir: string | undefined;
afterEach(async () => {
  for (const shop of shops.splice(0)) await shop.close();
  if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  tempDir = undefined;
});

/** A shop with `flows` (THANKS), from `start` (Friday 10:00) or on `clock`, on the simulator unless `channel` is given. */
async function shop(options: { flows?: Flow[]; start?: string; clock?: ManualClock; channel?: Channel; env?: Record<string, string> } = {}) {
  const { flows = [THANKS], start = FRIDAY_10H, clock = new ManualClock(start), channel, env = {} } = options;
  const opened = await createShop({ flows, clock, env, ...(channel ? { channel } : {}) });
  shops.push(opened);
  return opened;
}

/** `phone` buys a coffee (with marketing consent given or refused when `consent` says). */
function buy(app: Shop, phone = ANA, extra: { consent?: boolean } = {}) {
  return app.buy({
    externalId: `pedido-${phone}`,
    customer: { phone, name: 'Ana Souza', ...(extra.consent === undefined ? {} : { consent: { marketing: extra.consent } }) },
    items: [{ sku: 'CAFE-250', name: 'Café' }],
  });
}

async function faults(app: Shop, payload: Record<string, unknown>) {
  const response = await app.api({ method: 'POST', url: '/api/simulator/faults', payload });
  expect(response.statusCode).toBe(200);
}

const rows = (app: Shop) => app.repos.outbox.list({ limit: 100 }).reverse();
const iso = (time: number) => new Date(time).toISOString();

// --- Pacing ----------------------------------------------------------------------------------

describe('the daily cap', () => {
  it('DAILY_SEND_CAP=2: the third message waits for the next day’s first sendable time', async () => {
    const app = await shop({ env: { DAILY_SEND_CAP: '2' } });
    for (const phone of [ANA, BIA, CAIO]) await buy(app, phone);
    await app.travel('1h');
    expect(app.simulator.sendCalls.map((call) => call.to)).toEqual([ANA, BIA]);
    const third = rows(app).find((row) => row.toPhone === CAIO)!;
    expect(third).toMatchObject({ status: 'queued', lastError: 'daily_cap' });
    // Saturday 09:00, when the quiet hours end.
    expect(iso(third.notBefore)).toBe('2026-11-21T12:00:00.000Z');
    await app.travel('1d');
    expect(app.deliveries(CAIO)).toEqual([{ at: '2026-11-21T12:00:00.000Z', text: 'Obrigado, Ana!' }]);
  });
});

describe('send days', () => {
  it('SEND_DAYS=seg-sex: a message due on Saturday waits for Monday 09:00', async () => {
    const app = await shop({ start: '2026-11-21T13:00:00Z', env: { SEND_DAYS: 'seg-sex' } });
    await buy(app);
    await app.travel('1h');
    expect(app.deliveries(ANA)).toEqual([]);
    expect(iso(rows(app)[0]!.notBefore)).toBe('2026-11-23T12:00:00.000Z');
    await app.travel('3d');
    expect(app.deliveries(ANA)).toEqual([{ at: '2026-11-23T12:00:00.000Z', text: 'Obrigado, Ana!' }]);
  });

  it('checked again when the message goes: held on Friday night, it waits for Monday', async () => {
    // Friday 23:00 in São Paulo, no quiet hours; the connection is down until Saturday 01:00.
    const app = await shop({ start: '2026-11-21T02:00:00Z', env: { SEND_DAYS: 'seg-sex', QUIET_HOURS: 'off' } });
    await faults(app, { drop: true });
    await buy(app);
    await app.travel('2h');
    await faults(app, { restore: true });
    await app.travel('1m');
    expect(app.deliveries(ANA)).toEqual([]);
    expect(iso(rows(app)[0]!.notBefore)).toBe('2026-11-23T03:00:00.000Z');
    await app.travel('3d');
    expect(app.deliveries(ANA)).toEqual([{ at: '2026-11-23T03:00:00.000Z', text: 'Obrigado, Ana!' }]);
  });
});

describe('quiet hours', () => {
  const withAlert = buildFlow('aviso', [step('alert', { kind: 'alert_owner', text: 'Nova compra de {{ customer.name }}' }), step('thanks', sendText('Obrigado!'))]);

  it('hold the customer’s message and the owner’s alert until morning, by default', async () => {
    const app = await shop({ flows: [withAlert], start: FRIDAY_22H, env: { OWNER_PHONE: OWNER } });
    await buy(app);
    await app.travel('1m');
    expect(app.deliveries(OWNER)).toEqual([]);
    expect(app.deliveries(ANA)).toEqual([]);
    await app.travel('12h');
    // Both at 09:00 local, one gap apart.
    expect(app.deliveries(ANA)).toEqual([{ at: expect.stringMatching(/^2026-11-21T12:00:/), text: 'Obrigado!' }]);
    expect(app.deliveries(OWNER)).toEqual([{ at: expect.stringMatching(/^2026-11-21T12:00:/), text: 'Nova compra de Ana Souza' }]);
  });

  it('with OWNER_ALERTS_ANYTIME=true the owner’s alert goes at night; the customer’s message still waits', async () => {
    const app = await shop({ flows: [withAlert], start: FRIDAY_22H, env: { OWNER_PHONE: OWNER, OWNER_ALERTS_ANYTIME: 'true' } });
    await buy(app);
    await app.travel('1m');
    expect(app.deliveries(OWNER)).toEqual([{ at: FRIDAY_22H.replace('Z', '.000Z'), text: 'Nova compra de Ana Souza' }]);
    expect(app.deliveries(ANA)).toEqual([]);
  });
});

describe('handoff', () => {
  function pause(app: Shop, customerId: number, until: number) {
    app.db.sqlite.prepare('UPDATE customers SET handoff_until = ? WHERE id = ?').run(until, customerId);
  }

  it('a message waits while the owner talks to the customer, and goes when the pause ends', async () => {
    const app = await shop();
    const { customer } = await buy(app);
    pause(app, customer.id, app.clock.now() + 2 * HOUR);
    await app.travel('1m');
    expect(app.deliveries(ANA)).toEqual([]);
    expect(rows(app)[0]).toMatchObject({ status: 'queued', lastError: 'handoff', notBefore: Date.parse(FRIDAY_10H) + 2 * HOUR });
    await app.travel('3h');
    expect(app.deliveries(ANA)).toEqual([{ at: '2026-11-20T15:00:00.000Z', text: 'Obrigado, Ana!' }]);
  });

  it('a message whose lateness runs out during the pause expires instead', async () => {
    const app = await shop({ flows: [HASTY] });
    const { customer } = await buy(app);
    pause(app, customer.id, app.clock.now() + 2 * HOUR);
    await app.travel('3h');
    expect(app.deliveries(ANA)).toEqual([]);
    expect(rows(app)[0]).toMatchObject({ status: 'expired' });
  });
});

// --- Checked again at send time --------------------------------------------------------------

describe('checks at send time', () => {
  it('no marketing consent any more: skipped', async () => {
    const marketing = buildFlow('novidades', [step('news', sendText('Novidades!'))], { filter: { consent: 'marketing' } });
    const app = await shop({ flows: [marketing] });
    const { customer } = await buy(app, ANA, { consent: true });
    app.repos.customers.changeConsent(customer.id, { marketing: false, source: 'test', text: null }, app.clock.now());
    await app.travel('1m');
    expect(app.simulator.sendCalls).toEqual([]);
    expect(rows(app)[0]).toMatchObject({ status: 'skipped', lastError: 'no_marketing_consent', marketing: true });
  });

  it('opted out: skipped', async () => {
    const app = await shop({ start: FRIDAY_22H });
    const { customer } = await buy(app);
    await app.travel('1m');
    expect(rows(app)[0]).toMatchObject({ status: 'queued' });
    app.repos.customers.markOptedOut(customer.id, app.clock.now());
    await app.travel('12h');
    expect(app.simulator.sendCalls).toEqual([]);
    expect(rows(app)[0]).toMatchObject({ status: 'skipped', lastError: 'opted_out' });
  });

  it('erased (DELETE /api/customers/:id): its queued messages are gone and nothing is sent', async () => {
    const app = await shop({ start: FRIDAY_22H });
    const { customer } = await buy(app);
    await buy(app, BIA);
    await app.travel('1m');
    expect(rows(app).map((row) => row.status)).toEqual(['queued', 'queued']);
    expect((await app.api({ method: 'DELETE', url: `/api/customers/${customer.id}` })).statusCode).toBe(200);
    const outbox = (await app.api({ method: 'GET', url: '/api/outbox' })).json();
    expect(outbox.messages.map((row: { phone: string }) => row.phone)).toEqual([BIA]);
    await app.travel('12h');
    expect(app.simulator.sendCalls.map((call) => call.to)).toEqual([BIA]);
  });

  it('a message past its expiry is recorded as expired, not sent', async () => {
    const app = await shop({ flows: [HASTY], start: FRIDAY_22H });
    await buy(app);
    await app.travel('12h');
    expect(app.simulator.sendCalls).toEqual([]);
    expect(rows(app)[0]).toMatchObject({ status: 'expired', attempts: 0, lastError: 'expired' });
  });
});

// --- Channel outcomes --------------------------------------------------------------------------

describe('what the channel answers', () => {
  it('disconnected (drop): nothing is tried, the row stays queued, and it goes after restore', async () => {
    const app = await shop();
    await faults(app, { drop: true });
    await buy(app);
    await app.travel('1h');
    expect(app.simulator.sendCalls).toEqual([]);
    expect(rows(app)[0]).toMatchObject({ status: 'queued', attempts: 0 });
    await faults(app, { restore: true });
    await app.travel('1m');
    expect(app.deliveries(ANA)).toEqual([{ at: expect.any(String), text: 'Obrigado, Ana!' }]);
    expect(rows(app)[0]).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('a send that answers disconnected: the attempt is counted, the row is queued again and retried', async () => {
    const clock = new ManualClock(FRIDAY_10H);
    const simulator = new SimulatorChannel({ clock });
    await simulator.start();
    let refusals = 1;
    const flaky = new DelegatingChannel(simulator, async (to, content, opts): Promise<SendResult> => {
      if (refusals-- > 0) return { ok: false, messageId: opts.messageId, reason: 'disconnected', detail: 'the connection dropped' };
      return simulator.send(to, content, opts);
    });
    const app = await shop({ clock, channel: flaky });
    await buy(app);
    await app.flows.scheduler.tick();
    const [row] = rows(app);
    expect(row).toMatchObject({ status: 'queued', attempts: 1, lastError: expect.stringContaining('disconnected'), notBefore: clock.now() + 60_000 });
    expect(app.repos.messages.findByWaId(row!.waId)).toMatchObject({ status: 'failed' });
    await app.travel('5m');
    expect(rows(app)[0]).toMatchObject({ status: 'sent', attempts: 2 });
    expect(simulator.sendCalls.map((call) => call.messageId)).toEqual([row!.waId]);
    expect(app.repos.messages.findByWaId(row!.waId)).toMatchObject({ status: expect.stringMatching(/^(sent|delivered)$/) });
  });

  it('a message tried while disconnected and then too late says so in the record, not "will retry"', async () => {
    const clock = new ManualClock(FRIDAY_10H);
    const simulator = new SimulatorChannel({ clock });
    await simulator.start();
    const down = new DelegatingChannel(simulator, async (_to, _content, opts): Promise<SendResult> => ({ ok: false, messageId: opts.messageId, reason: 'disconnected', detail: 'the connection dropped' }));
    const app = await shop({ flows: [HASTY], clock, channel: down });
    await buy(app);
    await app.flows.scheduler.tick();
    const [row] = rows(app);
    expect(app.repos.messages.findByWaId(row!.waId)).toMatchObject({ status: 'failed', error: 'disconnected: the connection dropped (will retry)' });
    await app.travel('3h');
    expect(rows(app)[0]).toMatchObject({ status: 'expired' });
    expect(app.repos.messages.findByWaId(row!.waId)).toMatchObject({
      status: 'failed',
      error: 'due longer ago than the step allows (last attempt: disconnected: the connection dropped)',
    });
  });

  it('a message tried while disconnected and then refused at send time (opted out) says why in the record', async () => {
    const clock = new ManualClock(FRIDAY_10H);
    const simulator = new SimulatorChannel({ clock });
    await simulator.start();
    const down = new DelegatingChannel(simulator, async (_to, _content, opts): Promise<SendResult> => ({ ok: false, messageId: opts.messageId, reason: 'disconnected', detail: 'the connection dropped' }));
    const app = await shop({ clock, channel: down });
    const { customer } = await buy(app);
    await app.flows.scheduler.tick();
    app.db.sqlite.prepare('UPDATE customers SET opted_out_at = ? WHERE id = ?').run(clock.now(), customer.id);
    await app.travel('5m');
    const [row] = rows(app);
    expect(row).toMatchObject({ status: 'skipped', lastError: 'opted_out' });
    expect(app.repos.messages.findByWaId(row!.waId)).toMatchObject({ status: 'failed', error: 'not sent: opted_out (last attempt: disconnected: the connection dropped)' });
  });

  it('a send that never answers is given up after two minutes as unknown, and sending goes on', async () => {
    const clock = new ManualClock(FRIDAY_10H);
    const simulator = new SimulatorChannel({ clock });
    await simulator.start();
    let hangs = 1;
    const stuck = new DelegatingChannel(simulator, (to, content, opts): Promise<SendResult> =>
      hangs-- > 0 ? new Promise<SendResult>(() => {}) : simulator.send(to, content, opts),
    );
    const app = await shop({ clock, channel: stuck });
    await buy(app, ANA);
    await buy(app, BIA);
    // Only the send's own timer is faked: the wait is wall-clock, not the shop's clock.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const tick = app.flows.scheduler.tick();
      await vi.advanceTimersByTimeAsync(119_000);
      expect(rows(app).map((row) => row.status)).toEqual(['sending', 'queued']);
      await vi.advanceTimersByTimeAsync(1_000);
      await tick;
    } finally {
      vi.useRealTimers();
    }
    const [first] = rows(app);
    expect(first).toMatchObject({ status: 'unknown', lastError: expect.stringContaining('no answer from the channel within 120 s') });
    await app.travel('5m');
    expect(rows(app).map((row) => row.status)).toEqual(['unknown', 'sent']);
    expect(simulator.sendCalls.map((call) => call.to)).toEqual([BIA]);
  });

  it('failed (outcome unknown): marked unknown and never retried', async () => {
    const app = await shop();
    const { customer } = await buy(app);
    await faults(app, { failNextSends: 1 });
    await app.travel('1h');
    expect(rows(app)[0]).toMatchObject({ status: 'unknown', attempts: 1, lastError: expect.stringContaining('failed') });
    await app.travel('2d');
    expect(app.simulator.sendCalls).toHaveLength(1);
    const record = (await app.api({ method: 'GET', url: `/api/customers/${customer.id}` })).json();
    expect(record.messages).toEqual([expect.objectContaining({ direction: 'out', status: 'unknown' })]);
  });

  it('463 (restricted): that message failed, the breaker stops all sending, resume-sending lets it go on', async () => {
    const app = await shop();
    for (const phone of [ANA, BIA, CAIO]) await buy(app, phone);
    await faults(app, { restrictNextSend: true });
    await app.travel('1m');
    expect(rows(app).map((row) => row.status)).toEqual(['failed', 'queued', 'queued']);
    expect(rows(app)[0]!.lastError).toContain('restricted');

    const health = (await app.api({ method: 'GET', url: '/health' })).json();
    expect(health).toMatchObject({ status: 'degraded', channel: { sending: 'paused', pausedBecause: 'restricted' } });
    await app.travel('1h');
    expect(app.simulator.sendCalls).toHaveLength(1);

    expect((await app.api({ method: 'POST', url: '/api/whatsapp/resume-sending' })).statusCode).toBe(200);
    await app.travel('2m');
    expect(rows(app).map((row) => row.status)).toEqual(['failed', 'sent', 'sent']);
    expect((await app.api({ method: 'GET', url: '/health' })).json()).toMatchObject({ status: 'ok', channel: { sending: 'allowed' } });
  });

  it('the governor tells the owner once each time the breaker opens', async () => {
    const app = await shop();
    // A channel of its own, so that the app's scheduler (kicked by the app's channel) stays out of it.
    const channel = new SimulatorChannel({ clock: app.clock });
    await channel.start();
    const alerts: string[] = [];
    const governor = new SendGovernor({
      repos: app.repos,
      channel,
      clock: app.clock,
      timezone: app.config.timezone,
      quietHours: app.config.quietHours,
      sendDays: app.config.sendDays,
      gapSeconds: { min: 0, max: 0 },
      dailyCap: 100,
      cold: { dailyCap: 100_000, warmup: [], quotaMarginPercent: 0 },
      contactCapPerWeek: 100,
      flowsDir: app.config.flowsDir,
      random: () => 0,
      onAlert: (message) => alerts.push(message),
    });
    for (const phone of [ANA, BIA, CAIO]) await buy(app, phone);
    app.flows.runner.advanceDue(10);
    channel.restrictNextSend();
    await governor.drain();
    await governor.drain();
    app.clock.advance(HOUR);
    await governor.drain();
    expect(alerts).toEqual([expect.stringContaining('Sending stopped')]);
    expect(channel.sendCalls).toHaveLength(1);

    // Resumed, then restricted again: a new alert.
    channel.resumeSending();
    channel.restrictNextSend();
    await governor.drain();
    expect(alerts).toHaveLength(2);
    expect(app.repos.outbox.countByStatus()).toMatchObject({ failed: 2, queued: 1 });
    await channel.stop();
  });

  it('the breaker alert shows once in the logs', async () => {
    const app = await shop();
    for (const phone of [ANA, BIA]) await buy(app, phone);
    await faults(app, { restrictNextSend: true });
    await app.travel('1h');
    await app.travel('1h');
    expect(app.logs.filter((line) => line.includes('Sending stopped'))).toHaveLength(1);
  });
});

// --- WhatsApp's limits (issue 18) ---------------------------------------------------------------

describe('WhatsApp’s limits: cold messages, time lock, 463, contact cap', () => {
  /** Customers who never wrote to the shop. */
  const stranger = (n: number) => `+55119876540${String(n).padStart(2, '0')}`;
  const WARM = '+5511955556666';
  const strangers = (count: number) => Array.from({ length: count }, (_, n) => stranger(n));
  const held = (app: Shop) => rows(app).filter((row) => row.status === 'queued').map((row) => [row.toPhone, row.lastError, iso(row.notBefore)]);
  const twoSteps = buildFlow('dicas', [step('thanks', sendText('Obrigado!')), step('pause', waitFor(DAY)), step('tip', sendText('Uma dica de preparo'))]);

  it('keeps what the channel reads of WhatsApp’s limits; notes the link time once, when first seen open, and forgets it at logout', async () => {
    const channel = new FakeChannel({ state: 'open' });
    channel.linkedPhone = '+5511900000000';
    const app = await shop({ channel });
    expect(app.repos.whatsappLimits.linkedAt()).toBe(Date.parse(FRIDAY_10H));
    expect(app.repos.whatsappLimits.shopPhone()).toBe('+5511900000000');
    app.clock.advance(HOUR);
    channel.emit('state', 'open', null);
    expect(app.repos.whatsappLimits.linkedAt()).toBe(Date.parse(FRIDAY_10H));
    const lock = { active: true, endsAt: Date.parse('2026-11-21T13:00:00Z'), kind: 'BIZ_QUALITY', readAt: app.clock.now() };
    channel.emit('limits', { cap: null, lock, waVersion: '2.3000.1043857760' });
    expect(app.repos.whatsappLimits.read()).toEqual({ cap: null, lock, waVersion: '2.3000.1043857760' });
    channel.emit('state', 'logged_out', 'unlinked');
    expect(app.repos.whatsappLimits.linkedAt()).toBeNull();
  });

  it('a number linked today opens at most 5 new chats (the warm-up ramp); the rest wait for tomorrow, a customer who wrote goes meanwhile', async () => {
    const app = await shop();
    await app.reply(WARM, 'Oi! Vi a loja no Instagram, vocês entregam em Campinas?');
    await app.travel('2d');
    // Sunday 10:00: the third day since the number was first seen open.
    for (const phone of strangers(7)) await buy(app, phone);
    await buy(app, WARM);
    await app.travel('1h');
    expect(app.simulator.sendCalls.map((call) => call.to)).toEqual([...strangers(5), WARM]);
    expect(rows(app).find((row) => row.toPhone === WARM)).toMatchObject({ status: 'sent', contact: 'warm' });
    expect(rows(app).find((row) => row.toPhone === stranger(0))).toMatchObject({ status: 'sent', contact: 'cold' });
    // Monday 00:00 in São Paulo.
    expect(held(app)).toEqual([
      [stranger(5), 'cold_budget', '2026-11-23T03:00:00.000Z'],
      [stranger(6), 'cold_budget', '2026-11-23T03:00:00.000Z'],
    ]);
    await app.travel('1d');
    // Monday 09:00, when the quiet hours end.
    expect(app.deliveries(stranger(5))).toEqual([{ at: '2026-11-23T12:00:00.000Z', text: 'Obrigado, Ana!' }]);
    expect(app.deliveries(stranger(6))).toHaveLength(1);
  });

  it('the ramp counts local days from the first time the number was seen open', async () => {
    const app = await shop({ env: { COLD_DAILY_CAP: '8' } });
    expect(app.repos.whatsappLimits.linkedAt()).toBe(Date.parse(FRIDAY_10H));
    await app.travel('3d');
    // Monday, day 4 of the ramp: 10, but COLD_DAILY_CAP says 8.
    for (const phone of strangers(9)) await buy(app, phone);
    await app.travel('1h');
    expect(app.simulator.sendCalls.map((call) => call.to)).toEqual(strangers(8));
  });

  it('COLD_DAILY_CAP holds without a ramp (COLD_WARMUP=off)', async () => {
    const app = await shop({ env: { COLD_WARMUP: 'off', COLD_DAILY_CAP: '2' } });
    for (const phone of [ANA, BIA, CAIO]) await buy(app, phone);
    await app.travel('1h');
    expect(app.simulator.sendCalls.map((call) => call.to)).toEqual([ANA, BIA]);
    expect(held(app)).toEqual([[CAIO, 'cold_budget', '2026-11-21T03:00:00.000Z']]);
  });

  it('WhatsApp’s quota less COLD_QUOTA_MARGIN: 4 new chats of 5; the rest wait for the next cycle, with no 463', async () => {
    const app = await shop({ env: { COLD_WARMUP: 'off' } });
    await faults(app, { newChatCap: { total: 5 } });
    for (const phone of strangers(6)) await buy(app, phone);
    await app.travel('1h');
    expect(app.simulator.sendCalls.map((call) => call.to)).toEqual(strangers(4));
    expect(app.repos.whatsappLimits.read().cap).toMatchObject({ total: 5, used: 4, status: 'first_warning' });
    // Without OWNER_PHONE the warning is in the log, once for the cycle.
    expect(app.logs.filter((line) => line.includes('chegando ao limite de conversas novas'))).toHaveLength(1);
    // The cycle began when the quota was set, Friday 10:00, and lasts a day.
    expect(held(app)).toEqual([
      [stranger(4), 'cold_budget', '2026-11-21T13:00:00.000Z'],
      [stranger(5), 'cold_budget', '2026-11-21T13:00:00.000Z'],
    ]);
    await app.travel('1d');
    expect(app.deliveries(stranger(4))).toEqual([{ at: '2026-11-21T13:00:00.000Z', text: 'Obrigado, Ana!' }]);
    expect(app.deliveries(stranger(5))).toHaveLength(1);
    expect(app.simulator.sendCalls.filter((call) => call.refused !== null)).toEqual([]);
  });

  it('at WhatsApp’s second warning no new chat opens until the cycle ends; a customer who wrote gets theirs', async () => {
    const app = await shop({ env: { COLD_WARMUP: 'off' } });
    await faults(app, { newChatCap: { total: 10, used: 9 } });
    await app.reply(WARM, 'Quero comprar de novo');
    await buy(app, ANA);
    await buy(app, WARM);
    await app.travel('1h');
    expect(app.simulator.sendCalls.map((call) => call.to)).toEqual([WARM]);
    expect(held(app)).toEqual([[ANA, 'cold_budget', '2026-11-21T13:00:00.000Z']]);
  });

  it('a time lock holds new chats until it ends and they go by themselves then; warm ones go on; the owner is told once, with the end in TIMEZONE', async () => {
    const app = await shop({ env: { OWNER_PHONE: OWNER } });
    await app.reply(WARM, 'Oi, chegou meu pedido?');
    // Sunday 10:00, the owner's pause over that question long ended.
    await app.travel('2d');
    await faults(app, { timeLock: { minutes: 120 } });
    // Read again (a reconnection, the periodic read): still one alert.
    await faults(app, { timeLock: { until: '2026-11-22T15:00:00Z' } });
    for (const phone of [ANA, BIA, WARM]) await buy(app, phone);
    await app.travel('1m');
    expect(app.deliveries(WARM)).toEqual([{ at: expect.stringMatching(/^2026-11-22T13:00/), text: 'Obrigado, Ana!' }]);
    expect(held(app)).toEqual([
      [ANA, 'reachout_lock', '2026-11-22T15:00:00.000Z'],
      [BIA, 'reachout_lock', '2026-11-22T15:00:00.000Z'],
    ]);
    const alerts = rows(app).filter((row) => row.purpose === 'owner' && row.content.kind === 'text' && row.content.text.includes('bloqueou'));
    expect(alerts).toHaveLength(1);
    // 15:00 UTC is noon in São Paulo.
    expect(alerts[0]!.content).toEqual({ kind: 'text', text: expect.stringMatching(/até 22\/11\/2026,? 12:00\. /) });
    expect(app.simulator.sendCalls.filter((call) => call.to === ANA || call.to === BIA)).toEqual([]);

    await app.travel('3h');
    expect(app.deliveries(ANA)).toEqual([{ at: '2026-11-22T15:00:00.000Z', text: 'Obrigado, Ana!' }]);
    expect(app.deliveries(BIA)).toHaveLength(1);
    expect(app.simulator.sendCalls.filter((call) => call.refused !== null && call.to !== OWNER)).toEqual([]);
  });

  it('a time lock lifted early lets the held messages go at once', async () => {
    const app = await shop();
    await faults(app, { timeLock: { minutes: 600 } });
    await buy(app, ANA);
    await app.travel('1m');
    expect(held(app)).toEqual([[ANA, 'reachout_lock', '2026-11-20T23:00:00.000Z']]);
    await faults(app, { timeLock: false });
    await app.travel('1m');
    expect(app.deliveries(ANA)).toEqual([{ at: '2026-11-20T13:01:00.000Z', text: 'Obrigado, Ana!' }]);
  });

  it('463 on a new chat: that message failed and is never retried, the customer is marked, the others and the breaker are unaffected', async () => {
    const app = await shop({ flows: [twoSteps] });
    await faults(app, { refuseNewChats: 1 });
    const { customer } = await buy(app, ANA);
    await buy(app, BIA);
    await app.travel('1h');
    const [ana, bia] = rows(app);
    expect(ana).toMatchObject({ status: 'failed', lastError: 'cold_refused', contact: 'cold', attempts: 1 });
    expect(bia).toMatchObject({ status: 'sent', contact: 'cold' });
    expect(app.repos.customers.findById(customer.id)).toMatchObject({ coldRefusedAt: Date.parse(FRIDAY_10H), warmAt: null });
    expect(app.channel.breaker.open).toBe(false);

    await app.travel('2d');
    // The next step to Ana is not even tried: WhatsApp would refuse it again, and each refusal counts.
    expect(rows(app).filter((row) => row.toPhone === ANA).map((row) => [row.stepId, row.status, row.lastError])).toEqual([
      ['thanks', 'failed', 'cold_refused'],
      ['tip', 'skipped', 'cold_skipped'],
    ]);
    expect(app.simulator.sendCalls.filter((call) => call.to === ANA)).toHaveLength(1);
    expect(app.deliveries(BIA).map((delivery) => delivery.text)).toEqual(['Obrigado!', 'Uma dica de preparo']);
  });

  it('CONTACT_CAP_PER_WEEK: a third message in 7 days waits until the first leaves the window; a reply to the customer does not count', async () => {
    const threeSteps = buildFlow(
      'tres',
      [step('one', sendText('Um')), step('w1', waitFor(DAY)), step('two', sendText('Dois')), step('w2', waitFor(DAY)), step('three', sendText('Três'))],
      { maxLatenessMs: 10 * DAY },
    );
    const app = await shop({ flows: [threeSteps], env: { CONTACT_CAP_PER_WEEK: '2', COLD_WARMUP: 'off' } });
    await buy(app, ANA);
    await buy(app, BIA);
    await app.travel({ to: '2026-11-22T12:00:00Z' });
    // Sunday 09:00: Bia writes back an hour before the third message.
    await app.reply(BIA, 'Adorei o café, obrigada!');
    await app.travel('2h');
    expect(app.deliveries(BIA).map((delivery) => delivery.text)).toEqual(['Um', 'Dois', 'Três']);
    expect(rows(app).filter((row) => row.toPhone === BIA).map((row) => row.contact)).toEqual(['cold', 'cold', 'reply']);
    expect(app.deliveries(ANA).map((delivery) => delivery.text)).toEqual(['Um', 'Dois']);
    // A week after Ana's first message.
    expect(held(app)).toEqual([[ANA, 'contact_cap', '2026-11-27T13:00:00.000Z']]);
    await app.travel('6d');
    expect(app.deliveries(ANA).at(-1)).toEqual({ at: '2026-11-27T13:00:00.000Z', text: 'Três' });
  });
});

// --- Images and the outbox API ----------------------------------------------------------------

describe('an image step', () => {
  function imageShop(caption: string | null) {
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fregues-flows-'));
    fs.mkdirSync(path.join(tempDir, 'img'));
    fs.writeFileSync(path.join(tempDir, 'img', 'cafe.png'), PNG);
    const flow = buildFlow('foto', [step('photo', { kind: 'send', text: null, image: { file: 'img/cafe.png', caption } })]);
    return shop({ flows: [flow], env: { FLOWS_DIR: tempDir } });
  }

  it('sends the file’s bytes with the caption', async () => {
    const app = await imageShop('Olha o seu café, {{ customer.first_name }}');
    await buy(app);
    await app.travel('1m');
    const [call] = app.simulator.sendCalls;
    expect(call?.content).toEqual({ kind: 'image', image: expect.any(Buffer), caption: 'Olha o seu café, Ana', mimetype: 'image/png' });
    expect(call?.content.kind === 'image' && call.content.image.equals(PNG)).toBe(true);
    expect(app.simulator.conversation(ANA)).toEqual([expect.objectContaining({ content: { kind: 'image', caption: 'Olha o seu café, Ana', mimetype: 'image/png', size: PNG.length } })]);
  });

  it('without a caption, the image goes alone', async () => {
    const app = await imageShop(null);
    await buy(app);
    await app.travel('1m');
    expect(app.simulator.sendCalls[0]?.content).toEqual({ kind: 'image', image: expect.any(Buffer), mimetype: 'image/png' });
  });

  it('an image file that is gone is a failed send, not one of unknown outcome', async () => {
    const app = await imageShop('x');
    fs.rmSync(path.join(tempDir!, 'img', 'cafe.png'));
    await buy(app);
    await app.travel('1m');
    expect(app.simulator.sendCalls).toEqual([]);
    expect(rows(app)[0]).toMatchObject({ status: 'failed', lastError: expect.stringContaining('image not readable') });
    expect(app.repos.messages.findByWaId(rows(app)[0]!.waId)).toBeUndefined();
  });
});

describe('GET /api/outbox', () => {
  it('lists the rows, newest first, with counts, and filters by status', async () => {
    const app = await shop({ env: { DAILY_SEND_CAP: '1' } });
    await buy(app, ANA);
    await buy(app, BIA);
    await app.travel('1h');
    const all = await app.api({ method: 'GET', url: '/api/outbox' });
    expect(all.statusCode).toBe(200);
    const body = all.json();
    expect(body.counts).toEqual({ queued: 1, sending: 0, sent: 1, failed: 0, unknown: 0, skipped: 0, expired: 0 });
    expect(body.messages.map((row: { phone: string; status: string }) => [row.phone, row.status])).toEqual([
      [BIA, 'queued'],
      [ANA, 'sent'],
    ]);
    expect(body.messages[1]).toMatchObject({
      id: expect.any(Number),
      runId: expect.any(Number),
      stepId: 'thanks',
      customerId: expect.any(Number),
      to: 'customer',
      phone: ANA,
      waId: expect.any(String),
      content: { kind: 'text', text: 'Obrigado, Ana!' },
      status: 'sent',
      dueAt: '2026-11-20T13:00:00.000Z',
      notBefore: '2026-11-20T13:00:00.000Z',
      expiresAt: '2026-11-23T13:00:00.000Z',
      attempts: 1,
      lastError: null,
      finishedAt: '2026-11-20T13:00:00.000Z',
    });
    expect(body.nextBefore).toBeNull();

    const sent = (await app.api({ method: 'GET', url: '/api/outbox', query: { status: 'sent' } })).json();
    expect(sent.messages.map((row: { phone: string }) => row.phone)).toEqual([ANA]);
    expect(sent.counts).toEqual(body.counts);

    const page = (await app.api({ method: 'GET', url: '/api/outbox', query: { limit: '1' } })).json();
    expect(page.messages).toHaveLength(1);
    const next = (await app.api({ method: 'GET', url: '/api/outbox', query: { limit: '1', before: String(page.nextBefore) } })).json();
    expect(next.messages.map((row: { phone: string }) => row.phone)).toEqual([ANA]);

    expect((await app.api({ method: 'GET', url: '/api/outbox', query: { status: 'lost' } })).statusCode).toBe(400);
  });
});
