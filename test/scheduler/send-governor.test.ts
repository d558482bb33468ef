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
import { buildFlow, sendText, step } from '../helpers/flows.js';
import { createShop, type Shop } from '../helpers/shop.js';

const HOUR = 3_600_000;
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
