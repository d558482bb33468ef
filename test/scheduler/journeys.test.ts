import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/flows/load-flows.js';
import { ManualClock } from '../../src/scheduler/clock.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

const FLOWS = loadFlows(path.resolve(import.meta.dirname, '../../flows'), { locale: 'pt-BR' }).flows;
const ANA = '+5511912345678';
const OWNER = '+5511900001111';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A shop with the shipped flows, on the simulator, at Friday 20 Nov 2026 10:00 in São Paulo. */
async function shop(start = '2026-11-20T13:00:00Z') {
  t = await createTestApp({
    flows: FLOWS,
    clock: new ManualClock(start),
    env: { OWNER_PHONE: OWNER, SHOP_NAME: 'Café da Ana' },
  });
  return t;
}

async function buy(app: TestApp, extra: Record<string, unknown> = {}) {
  const response = await app.api({
    method: 'POST',
    url: '/api/purchases',
    payload: { customer: { phone: ANA, name: 'Ana Souza' }, items: [{ sku: 'CAFE-250', name: 'Café especial' }], ...extra },
  });
  expect(response.statusCode).toBe(201);
  return response.json();
}

async function travel(app: TestApp, advance: string) {
  const response = await app.api({ method: 'POST', url: '/api/simulator/clock', payload: { advance } });
  expect(response.statusCode).toBe(200);
  return response.json();
}

/** What the customer's phone shows from the bot, with the local time each arrived. */
/** The owner's alerts: what the owner received, without the Monday summary (text and chart). */
function alerts(app: TestApp) {
  return received(app, OWNER).filter((message) => !message.text.startsWith('📊') && message.text !== '[imagem]');
}

function received(app: TestApp, phone = ANA) {
  return app.simulator
    .conversation(phone)
    .filter((message) => message.direction === 'out')
    .map((message) => ({
      at: new Date(message.at).toLocaleString('pt-BR', { timeZone: 'America/Sao_Paulo', weekday: 'short', hour: '2-digit', minute: '2-digit' }),
      text: message.content.kind === 'poll' ? `[enquete] ${message.content.question}` : message.content.kind === 'text' ? message.content.text : '[imagem]',
    }));
}

async function vote(app: TestApp, option: string) {
  const poll = app.simulator.conversation(ANA).find((message) => message.direction === 'out' && message.content.kind === 'poll');
  expect(poll).toBeDefined();
  const response = await app.api({ method: 'POST', url: '/api/simulator/messages', payload: { from: ANA, pollVote: { pollMessageId: poll!.id, options: [option] } } });
  expect(response.statusCode).toBe(201);
  await travel(app, '1m');
}

describe('the pos-compra journey', () => {
  it('starts with the purchase and answers which runs began', async () => {
    const app = await shop();
    const body = await buy(app);
    expect(body.runs).toEqual([
      { id: expect.any(Number), flowId: 'pos-compra', flowVersion: 1, occurrence: `purchase:${body.purchase.id}`, wakeAt: '2026-11-20T13:00:00.000Z' },
    ]);
  });

  it('a promoter: thanks, a tip, the NPS poll, the promotor tag and a referral request', async () => {
    const app = await shop();
    await buy(app);
    await travel(app, '1h');
    expect(received(app).map((m) => m.text)).toEqual([expect.stringContaining('Muito obrigado pela compra de Café especial')]);
    await travel(app, '3d');
    await travel(app, '4d');
    const messages = received(app);
    expect(messages.map((m) => m.text)).toEqual([
      expect.stringContaining('Oi, Ana! Aqui é da Café da Ana'),
      expect.stringContaining('Uma dica'),
      '[enquete] Ana, de 0 a 10, quanto você recomendaria a Café da Ana para um amigo?',
    ]);
    expect(messages.map((m) => m.at)).toEqual([expect.stringContaining('11:'), expect.stringContaining('10:00'), expect.stringContaining('10:00')]);

    await vote(app, '9');
    expect(received(app).at(-1)?.text).toContain('Conhece alguém que ia gostar');
    expect(app.repos.customers.findByPhone(ANA)?.tags).toEqual(['promotor']);
    const record = (await app.api({ method: 'GET', url: '/api/customers', query: { phone: ANA } })).json();
    expect(record.runs[0]).toMatchObject({ flowId: 'pos-compra', status: 'waiting', waitingFor: { stepId: 'indicacao', kind: 'referral' }, answer: { value: '9', outcome: 'promoter' } });
  });

  it('a detractor: the owner is alerted at once, the customer gets an apology', async () => {
    const app = await shop();
    await buy(app);
    await travel(app, '7d');
    await vote(app, '3');
    expect(received(app).at(-1)?.text).toContain('sinto muito');
    expect(alerts(app)).toEqual([{ at: expect.any(String), text: '⚠️ Ana Souza (+5511912345678) deu nota 3 de 0 a 10 na pesquisa. Vale chamar hoje: https://wa.me/5511912345678' }]);
    const record = (await app.api({ method: 'GET', url: '/api/customers', query: { phone: ANA } })).json();
    expect(record.runs[0]).toMatchObject({ status: 'done', endReason: 'completed', answer: { outcome: 'detractor' } });
  });

  it('a passive: a short thanks, and the flow ends', async () => {
    const app = await shop();
    await buy(app);
    await travel(app, '7d');
    await vote(app, '7');
    expect(received(app).at(-1)?.text).toContain('Obrigado pela resposta');
    expect(alerts(app)).toEqual([]);
  });

  it('no answer: one reminder a day later, then the question times out', async () => {
    const app = await shop();
    await buy(app);
    await travel(app, '7d');
    const before = received(app).length;
    await travel(app, '1d');
    expect(received(app).slice(before).map((m) => m.text)).toEqual([expect.stringContaining('Só lembrando da pesquisa')]);
    await travel(app, '3d');
    expect(received(app)).toHaveLength(before + 1);
    const record = (await app.api({ method: 'GET', url: '/api/customers', query: { phone: ANA } })).json();
    expect(record.runs[0]).toMatchObject({ status: 'done', endReason: 'completed' });
  });
});

describe('pacing', () => {
  it('a message due in quiet hours waits for the morning', async () => {
    // Friday 19:30 in São Paulo: the thanks is due at 20:30, inside QUIET_HOURS 20:00-09:00.
    const app = await shop('2026-11-20T22:30:00Z');
    await buy(app);
    await travel(app, '2h');
    expect(received(app)).toEqual([]);
    await travel(app, '12h');
    expect(received(app)).toEqual([{ at: expect.stringContaining('09:00'), text: expect.stringContaining('Muito obrigado pela compra') }]);
  });

  it('keeps a random gap between two messages, counted in the simulated time', async () => {
    const app = await shop();
    for (const [index, phone] of ['+5511911110001', '+5511911110002', '+5511911110003'].entries()) {
      await app.api({ method: 'POST', url: '/api/purchases', payload: { externalId: `g${index}`, customer: { phone }, items: [{ name: 'Café' }] } });
    }
    await travel(app, '1h');
    await travel(app, '5m');
    const times = app.simulator.sendCalls.map((call) => call.at);
    expect(times).toHaveLength(3);
    // random() is 0 in the tests: the gap is SEND_GAP_SECONDS' minimum, 20 s.
    expect(times.slice(1).map((at, i) => at - times[i]!)).toEqual([20_000, 20_000]);
  });
});
