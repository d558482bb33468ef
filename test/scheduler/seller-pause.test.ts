import { afterEach, describe, expect, it } from 'vitest';
import type { Flow } from '../../src/flows/flow-types.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { purchaseFlow, sendText } from '../helpers/flows.js';

// The seller's pause of one customer's automation (POST /api/customers/:id/pause), as the send
// governor applies it: through the API, the simulator's clock and what reached the phones.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ANA = '+5511912345678';
const BIA = '+5511922223333';
const OWNER = '+5511900001111';
/** Friday 20 November 2026, 10:00 in São Paulo (UTC-3). */
const FRIDAY_10H = '2026-11-20T13:00:00Z';


const text = sendText;
const THANKS = purchaseFlow('obrigado', [['thanks', text('Obrigado, {{ customer.first_name }}!')]]);

const apps: TestApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function shop(options: { flows?: Flow[]; start?: string; env?: Record<string, string> } = {}) {
  const app = await createTestApp({ flows: options.flows ?? [THANKS], clock: new ManualClock(options.start ?? FRIDAY_10H), env: options.env ?? {} });
  apps.push(app);
  return app;
}

async function buy(app: TestApp, phone = ANA) {
  const response = await app.api({
    method: 'POST',
    url: '/api/purchases',
    payload: { externalId: `pedido-${phone}`, customer: { phone, name: 'Ana Souza' }, items: [{ sku: 'CAFE-250', name: 'Café' }] },
  });
  expect(response.statusCode).toBe(201);
  return response.json<{ customer: { id: number } }>().customer.id;
}

async function travel(app: TestApp, advance: string) {
  expect((await app.api({ method: 'POST', url: '/api/simulator/clock', payload: { advance } })).statusCode).toBe(200);
}

async function seller(app: TestApp, action: 'pause' | 'resume', customerId: number) {
  const response = await app.api({ method: 'POST', url: `/api/customers/${customerId}/${action}` });
  expect(response.statusCode).toBe(200);
}

/** What reached a phone, when, as text. */
function received(app: TestApp, phone = ANA) {
  return app.simulator.sendCalls
    .filter((call) => call.to === phone && call.result.ok)
    .map((call) => ({ at: new Date(call.at).toISOString(), text: call.content.kind === 'text' ? call.content.text : `[${call.content.kind}]` }));
}

const rowsTo = (app: TestApp, phone = ANA) => app.repos.outbox.list({ limit: 100 }).filter((row) => row.toPhone === phone);

describe('a customer paused by the seller', () => {
  it('gets none of the flows’ messages: they stay queued, no attempt, no failure; others still get theirs', async () => {
    const app = await shop();
    const ana = await buy(app);
    await buy(app, BIA);
    await seller(app, 'pause', ana);
    await travel(app, '2d');
    expect(received(app)).toEqual([]);
    expect(received(app, BIA)).toEqual([{ at: '2026-11-20T13:00:00.000Z', text: 'Obrigado, Ana!' }]);
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
    await travel(app, '1d');
    expect(received(app)).toEqual([]);
    await seller(app, 'resume', ana);
    expect(rowsTo(app)[0]).toMatchObject({ status: 'queued', notBefore: Date.parse(FRIDAY_10H) + DAY, lastError: null });
    await travel(app, '1m');
    expect(received(app)).toEqual([{ at: '2026-11-21T13:00:00.000Z', text: 'Obrigado, Ana!' }]);
    expect(rowsTo(app)[0]).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('resumed at night: the message still waits for the end of the quiet hours', async () => {
    const app = await shop();
    const ana = await buy(app);
    await seller(app, 'pause', ana);
    // Friday 23:00 in São Paulo.
    await travel(app, '13h');
    await seller(app, 'resume', ana);
    await travel(app, '12h');
    expect(received(app)).toEqual([{ at: '2026-11-21T12:00:00.000Z', text: 'Obrigado, Ana!' }]);
  });

  it('a pause that outlasts a message’s lateness: the message expires, and resuming later sends nothing', async () => {
    const app = await shop({ flows: [purchaseFlow('rapido', [['thanks', text('Obrigado!'), HOUR]])] });
    const ana = await buy(app);
    await seller(app, 'pause', ana);
    await travel(app, '3h');
    expect(rowsTo(app)[0]).toMatchObject({ status: 'expired', attempts: 0 });
    await seller(app, 'resume', ana);
    await travel(app, '1h');
    expect(app.simulator.sendCalls).toEqual([]);
  });

  it('still gets the opt-out confirmation, and the owner still gets alerts about them', async () => {
    const withAlert = purchaseFlow('aviso', [
      ['alert', { kind: 'alert_owner', text: 'Nova compra de {{ customer.name }}' }],
      ['thanks', text('Obrigado!')],
    ]);
    const app = await shop({ flows: [withAlert], env: { OWNER_PHONE: OWNER } });
    const ana = await buy(app);
    await seller(app, 'pause', ana);
    await travel(app, '1m');
    expect(received(app, OWNER)).toEqual([{ at: '2026-11-20T13:00:00.000Z', text: 'Nova compra de Ana Souza' }]);
    expect(received(app)).toEqual([]);

    const said = await app.api({ method: 'POST', url: '/api/simulator/messages', payload: { from: ANA, text: 'SAIR' } });
    expect(said.statusCode).toBe(201);
    await travel(app, '1m');
    const notice = rowsTo(app).find((row) => row.purpose === 'notice');
    expect(notice).toMatchObject({ status: 'sent' });
    expect(received(app)).toHaveLength(1);
    expect(received(app)[0]!.text).toMatch(/SAIR|VOLTAR/);
    // The flow's message never goes: the customer opted out meanwhile.
    await seller(app, 'resume', ana);
    await travel(app, '1d');
    expect(received(app)).toHaveLength(1);
  });
});
