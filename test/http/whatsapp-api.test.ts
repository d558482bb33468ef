import type { BreakerStatus } from '../../src/channels/channel.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorChannel } from '../../src/channels/simulator/simulator-channel.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { FakeChannel } from '../helpers/fake-channel.js';

const ANA = '+5511912345678';
/** What /api/whatsapp says of WhatsApp's limits before the channel read any. */
const NOTHING_READ = { cap: null, lock: null, waVersion: null };


let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function withSimulator(): Promise<{ t: TestApp; sim: SimulatorChannel }> {
  t = await createTestApp();
  return { t, sim: t.channel as SimulatorChannel };
}

async function restrict(sim: SimulatorChannel): Promise<void> {
  sim.restrictNextSend();
  const result = await sim.send(ANA, { kind: 'text', text: 'Oi' }, { messageId: '3EB0RESTRICTED' });
  expect(result).toMatchObject({ ok: false, reason: 'restricted' });
}

const ROUTES = [
  { method: 'GET', url: '/api/whatsapp' },
  { method: 'POST', url: '/api/whatsapp/logout' },
  { method: 'POST', url: '/api/whatsapp/resume-sending' },
  { method: 'POST', url: '/api/whatsapp/link-again' },
] as const;

describe('/api/whatsapp', () => {
  it.each(ROUTES)('$method $url needs the token, and does nothing without it', async ({ method, url }) => {
    const { t, sim } = await withSimulator();
    await restrict(sim);
    for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789abcdefghijk' }, { authorization: 'Basic abc' }]) {
      const response = await t.app.inject({ method, url, headers });
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="fregues"');
      expect(response.json().error.code).toBe('unauthorized');
    }
    expect(sim.state).toBe('open');
    expect(sim.breaker.open).toBe(true);
  });

  it('GET describes the simulator: kind, state, detail, qr and breaker', async () => {
    const { t } = await withSimulator();
    const response = await t.api({ method: 'GET', url: '/api/whatsapp' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(response.json()).toEqual({
      kind: 'simulator',
      state: 'open',
      detail: null,
      qr: null,
      breaker: { open: false, reason: null, since: null },
      limits: NOTHING_READ,
      linkTrouble: null,
    });
  });

  it('GET follows the channel: a dropped connection, a restriction (with its time in ISO 8601)', async () => {
    const { t, sim } = await withSimulator();
    sim.dropConnection();
    expect((await t.api({ method: 'GET', url: '/api/whatsapp' })).json()).toMatchObject({ state: 'connecting', detail: 'A conexão caiu (falha simulada).' });
    sim.restoreConnection();

    t.clock.advance(90_000);
    await restrict(sim);
    expect((await t.api({ method: 'GET', url: '/api/whatsapp' })).json()).toEqual({
      kind: 'simulator',
      state: 'open',
      detail: null,
      qr: null,
      breaker: { open: true, reason: 'restricted', since: '2026-11-20T15:01:30.000Z' },
      limits: NOTHING_READ,
      linkTrouble: null,
    });
  });

  it('GET answers WhatsApp’s limits as last read, from the store (they survive a restart), times in ISO 8601', async () => {
    const { t } = await withSimulator();
    t.repos.whatsappLimits.save({
      cap: {
        total: 50,
        used: 37,
        cycleStart: Date.parse('2026-11-12T03:00:00Z'),
        cycleEnd: Date.parse('2026-12-13T03:00:00Z'),
        status: 'second_warning',
        readAt: Date.parse('2026-11-20T14:59:00Z'),
      },
      lock: { active: true, endsAt: null, kind: 'WEB_COMPANION_ONLY', readAt: Date.parse('2026-11-20T14:59:30Z') },
      waVersion: '2.3000.1043857760',
    });
    expect((await t.api({ method: 'GET', url: '/api/whatsapp' })).json().limits).toEqual({
      cap: {
        total: 50,
        used: 37,
        cycleStart: '2026-11-12T03:00:00.000Z',
        cycleEnd: '2026-12-13T03:00:00.000Z',
        status: 'second_warning',
        readAt: '2026-11-20T14:59:00.000Z',
      },
      lock: { active: true, endsAt: null, kind: 'WEB_COMPANION_ONLY', readAt: '2026-11-20T14:59:30.000Z' },
      waVersion: '2.3000.1043857760',
    });
  });

  it('POST /logout unlinks the simulator and answers its new state; sending then fails', async () => {
    const { t, sim } = await withSimulator();
    const response = await t.api({ method: 'POST', url: '/api/whatsapp/logout' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ kind: 'simulator', state: 'logged_out', detail: null, qr: null, breaker: { open: false, reason: null, since: null }, limits: NOTHING_READ, linkTrouble: null });
    expect(sim.state).toBe('logged_out');
    expect(await sim.send(ANA, { kind: 'text', text: 'Oi' }, { messageId: '3EB0AFTERLOGOUT' })).toMatchObject({ ok: false, reason: 'disconnected' });
    expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ status: 'degraded', channel: { state: 'logged_out' } });

    // Unlinking twice is harmless.
    expect((await t.api({ method: 'POST', url: '/api/whatsapp/logout' })).json().state).toBe('logged_out');
  });

  // Issue 20: after an unlink, nothing offered to link again.
  it('POST /link-again after an unlink shows a new QR; the simulated phone then links it', async () => {
    const { t, sim } = await withSimulator();
    await t.api({ method: 'POST', url: '/api/whatsapp/logout' });
    expect(sim.state).toBe('logged_out');
    const response = await t.api({ method: 'POST', url: '/api/whatsapp/link-again' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ state: 'qr', qr: expect.stringMatching(/^https:\/\/wa\.me\/settings\/linked_devices#2@/), linkTrouble: null });
    expect((await t.api({ method: 'POST', url: '/api/simulator/link', payload: { via: 'qr' } })).json()).toEqual({ state: 'open' });
    // Linked: asking again changes nothing.
    expect((await t.api({ method: 'POST', url: '/api/whatsapp/link-again' })).json().state).toBe('open');
  });

  it('GET says when WhatsApp cannot be reached: the last error, when, the failures in a row and the next try, in ISO 8601', async () => {
    const channel = new FakeChannel({ state: 'connecting', qr: null });
    channel.linkTrouble = { code: 'timed_out', statusCode: 408, at: Date.parse('2026-11-20T14:59:58Z'), failures: 3, retryAt: Date.parse('2026-11-20T15:00:02Z') };
    t = await createTestApp({ channel });
    expect((await t.api({ method: 'GET', url: '/api/whatsapp' })).json().linkTrouble).toEqual({
      code: 'timed_out',
      statusCode: 408,
      at: '2026-11-20T14:59:58.000Z',
      failures: 3,
      retryAt: '2026-11-20T15:00:02.000Z',
    });
    const again = await t.api({ method: 'POST', url: '/api/whatsapp/link-again' });
    expect(again.json()).toMatchObject({ state: 'qr', linkTrouble: null });
    expect(channel.linkAgainCalls).toBe(1);
  });

  it('POST /resume-sending closes an open breaker and answers the state after', async () => {
    const { t, sim } = await withSimulator();
    await restrict(sim);
    expect((await t.api({ method: 'GET', url: '/health' })).json().channel).toMatchObject({ sending: 'paused', pausedBecause: 'restricted' });

    const response = await t.api({ method: 'POST', url: '/api/whatsapp/resume-sending' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ kind: 'simulator', state: 'open', detail: null, qr: null, breaker: { open: false, reason: null, since: null }, limits: NOTHING_READ, linkTrouble: null });
    expect(sim.breaker.open).toBe(false);
    expect((await t.api({ method: 'GET', url: '/health' })).json()).toMatchObject({ status: 'ok', channel: { sending: 'allowed' } });
    expect(await sim.send(ANA, { kind: 'text', text: 'De novo' }, { messageId: '3EB0RESUMED' })).toMatchObject({ ok: true });
  });

  it('POST /resume-sending with the breaker closed changes nothing', async () => {
    const { t, sim } = await withSimulator();
    const breakers: BreakerStatus[] = [];
    sim.on('breaker', (status) => breakers.push(status));
    const response = await t.api({ method: 'POST', url: '/api/whatsapp/resume-sending' });
    expect(response.statusCode).toBe(200);
    expect(response.json().breaker).toEqual({ open: false, reason: null, since: null });
    expect(breakers).toEqual([]);
  });

  it('accepts the POSTs with an empty JSON body too', async () => {
    const { t } = await withSimulator();
    const response = await t.api({ method: 'POST', url: '/api/whatsapp/resume-sending', payload: {} });
    expect(response.statusCode).toBe(200);
  });

  it('answers routes that do not exist with 404', async () => {
    const { t } = await withSimulator();
    expect((await t.api({ method: 'GET', url: '/api/whatsapp/logout' })).statusCode).toBe(404);
    expect((await t.api({ method: 'DELETE', url: '/api/whatsapp' })).statusCode).toBe(404);
  });

  it('shows the WhatsApp channel’s QR text and banned state as it reports them', async () => {
    const channel = new FakeChannel();
    channel.qr = '2@some-qr-text';
    t = await createTestApp({ channel });
    expect((await t.api({ method: 'GET', url: '/api/whatsapp' })).json()).toEqual({
      kind: 'whatsapp',
      state: 'qr',
      detail: null,
      qr: '2@some-qr-text',
      breaker: { open: false, reason: null, since: null },
      limits: NOTHING_READ,
      linkTrouble: null,
    });

    channel.state = 'banned';
    channel.qr = null;
    channel.stateDetail = 'banned';
    channel.breaker = { open: true, reason: 'banned', since: Date.parse('2026-11-20T14:00:00Z') };
    expect((await t.api({ method: 'GET', url: '/api/whatsapp' })).json()).toEqual({
      kind: 'whatsapp',
      state: 'banned',
      detail: 'banned',
      qr: null,
      breaker: { open: true, reason: 'banned', since: '2026-11-20T14:00:00.000Z' },
      limits: NOTHING_READ,
      linkTrouble: null,
    });

    const logout = await t.api({ method: 'POST', url: '/api/whatsapp/logout' });
    expect(logout.json()).toMatchObject({ state: 'qr', detail: 'unlinked' });
    expect(channel.logouts).toBe(1);
  });
});
