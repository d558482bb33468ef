import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/scheduler/clock.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { createShop, type Shop } from '../helpers/shop.js';

const ANA = '+5511912345678';
const OWNER = '+5511900001111';

let t: Shop | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A shop with the shipped flows, on the simulator, at Friday 20 Nov 2026 10:00 in São Paulo. */
async function shop(start = '2026-11-20T13:00:00Z') {
  t = await createShop({
    flows: SHIPPED_FLOWS,
    clock: new ManualClock(start),
    env: { OWNER_PHONE: OWNER, SHOP_NAME: 'Café da Ana' },
  });
  return t;
}

/** Ana buys a coffee, without an order number. */
const buy = (app: Shop) => app.buy({ externalId: undefined, customer: { phone: ANA, name: 'Ana Souza' }, items: [{ sku: 'CAFE-250', name: 'Café especial' }] });

/** The owner's alerts: what the owner received, without the Monday summary (text and chart). */
const alerts = (app: Shop) => app.received(OWNER).filter((text) => !text.startsWith('📊') && text !== '[imagem]');

/** Ana votes `option` in the poll she got, and a minute passes. */
async function vote(app: Shop, option: string) {
  const poll = app.simulator.conversation(ANA).find((message) => message.direction === 'out' && message.content.kind === 'poll');
  expect(poll).toBeDefined();
  await app.reply(ANA, { pollVote: { pollMessageId: poll!.id, options: [option] } });
  await app.travel('1m');
}

describe('the pos-compra journey', () => {
  it('starts with the purchase and answers which runs began', async () => {
    const app = await shop();
    const body = await buy(app);
    expect(body.runs).toEqual([
      { id: expect.any(Number), flowId: 'pos-compra', flowVersion: 3, occurrence: `purchase:${body.purchase.id}`, wakeAt: '2026-11-20T13:00:00.000Z' },
    ]);
  });

  it('a promoter: thanks, a tip, the NPS poll, the promotor tag and a referral request', async () => {
    const app = await shop();
    await buy(app);
    await app.travel('1h');
    expect(app.received(ANA)).toEqual([expect.stringContaining('Muito obrigado pela compra de Café especial')]);
    await app.travel('3d');
    await app.travel('4d');
    const messages = app.deliveries(ANA);
    expect(messages.map((m) => m.text)).toEqual([
      expect.stringContaining('Oi, Ana! Aqui é a equipe Café da Ana'),
      expect.stringContaining('Uma dica'),
      '[enquete] Ana, de 0 a 10, quanto você recomendaria a nossa loja para um amigo ou amiga?',
    ]);
    // 11:xx, 10:00 and 10:00 in São Paulo (UTC-3).
    expect(messages.map((m) => m.at)).toEqual([expect.stringContaining('T14:'), expect.stringContaining('T13:00:'), expect.stringContaining('T13:00:')]);

    await vote(app, '9');
    expect(app.received(ANA).at(-1)).toContain('Conhece alguém que ia gostar');
    expect(app.repos.customers.findByPhone(ANA)?.tags).toEqual(['promotor']);
    const record = (await app.api({ method: 'GET', url: '/api/customers', query: { phone: ANA } })).json();
    expect(record.runs[0]).toMatchObject({ flowId: 'pos-compra', status: 'waiting', waitingFor: { stepId: 'indicacao', kind: 'referral' }, answer: { value: '9', outcome: 'promoter' } });
  });

  it('a detractor: the owner is alerted at once, the customer gets an apology', async () => {
    const app = await shop();
    await buy(app);
    await app.travel('7d');
    await vote(app, '3');
    expect(app.received(ANA).at(-1)).toContain('sinto muito');
    expect(alerts(app)).toEqual(['⚠️ Ana Souza (+5511912345678) deu nota 3 de 0 a 10 na pesquisa. Vale chamar hoje: https://wa.me/5511912345678']);
    const record = (await app.api({ method: 'GET', url: '/api/customers', query: { phone: ANA } })).json();
    expect(record.runs[0]).toMatchObject({ status: 'done', endReason: 'completed', answer: { outcome: 'detractor' } });
  });

  it('a passive: a short thanks, and the flow ends', async () => {
    const app = await shop();
    await buy(app);
    await app.travel('7d');
    await vote(app, '7');
    expect(app.received(ANA).at(-1)).toContain('Obrigado pela resposta');
    expect(alerts(app)).toEqual([]);
  });

  it('no answer: one reminder a day later, then the question times out', async () => {
    const app = await shop();
    await buy(app);
    await app.travel('7d');
    const before = app.received(ANA).length;
    await app.travel('1d');
    expect(app.received(ANA).slice(before)).toEqual([expect.stringContaining('Só lembrando da pesquisa')]);
    await app.travel('3d');
    expect(app.received(ANA)).toHaveLength(before + 1);
    const record = (await app.api({ method: 'GET', url: '/api/customers', query: { phone: ANA } })).json();
    expect(record.runs[0]).toMatchObject({ status: 'done', endReason: 'completed' });
  });
});

describe('issue 18: the thank-you waits for a customer who never wrote to the shop, not for one who did', () => {
  it('Ana writes ten minutes after buying (as from the store’s click-to-chat link): the thank-you goes then, not an hour later', async () => {
    const app = await shop();
    await buy(app);
    await app.travel('10m');
    expect(app.deliveries(ANA)).toEqual([]);
    // Not a question for the owner (that would pause the automation while the owner answers).
    await app.reply(ANA, 'Oi! Acabei de comprar pelo site 😊');
    await app.travel('1m');
    expect(app.deliveries(ANA)).toEqual([{ at: expect.stringContaining('T13:1'), text: expect.stringContaining('Muito obrigado pela compra de Café especial') }]);
    // Once: the end of the hour sends nothing more.
    await app.travel('1h');
    expect(app.deliveries(ANA)).toHaveLength(1);
  });

  it('a customer who wrote before (warm) gets the thank-you for the next purchase at once', async () => {
    const app = await shop();
    await app.reply(ANA, 'Bom dia! Adorei o café da última vez 😊');
    await app.travel('5m');
    await buy(app);
    await app.travel('1m');
    expect(app.deliveries(ANA)).toEqual([{ at: expect.stringContaining('T13:0'), text: expect.stringContaining('Muito obrigado pela compra') }]);
  });

  it('a birthday is greeted only if the customer ever wrote to the shop; for the others it is recorded as skipped', async () => {
    const app = await shop('2026-11-21T13:00:00Z');
    const bia = '+5511922223333';
    await app.buy({ externalId: 'a1', customer: { phone: ANA, name: 'Ana Souza', birthday: '23/11/1990', consent: { marketing: true } }, items: [{ name: 'Café' }] });
    await app.buy({ externalId: 'b1', customer: { phone: bia, name: 'Bia Lima', birthday: '23/11/1991', consent: { marketing: true } }, items: [{ name: 'Café' }] });
    await app.reply(ANA, 'Obrigada!');
    await app.travel({ to: '2026-11-23T13:00:00Z' });
    expect(app.received(ANA).some((text) => text.startsWith('Feliz aniversário, Ana!'))).toBe(true);
    expect(app.received(bia).some((text) => text.startsWith('Feliz aniversário'))).toBe(false);
    const skipped = app.repos.outbox.list({ status: 'skipped', limit: 10 });
    expect(skipped.map((row) => [row.toPhone, row.stepId, row.lastError])).toEqual([[bia, 'parabens', 'cold_skipped']]);
  });
});

describe('pacing', () => {
  it('a message due in quiet hours waits for the morning', async () => {
    // Friday 19:30 in São Paulo: the thanks is due at 20:30, inside QUIET_HOURS 20:00-09:00.
    const app = await shop('2026-11-20T22:30:00Z');
    await buy(app);
    await app.travel('2h');
    expect(app.deliveries(ANA)).toEqual([]);
    await app.travel('12h');
    // 09:00 in São Paulo.
    expect(app.deliveries(ANA)).toEqual([{ at: expect.stringContaining('T12:00:'), text: expect.stringContaining('Muito obrigado pela compra') }]);
  });

  it('keeps a random gap between two messages, counted in the simulated time', async () => {
    const app = await shop();
    for (const [index, phone] of ['+5511911110001', '+5511911110002', '+5511911110003'].entries()) {
      await app.buy({ externalId: `g${index}`, customer: { phone }, items: [{ name: 'Café' }] });
    }
    await app.travel('1h');
    await app.travel('5m');
    const times = app.simulator.sendCalls.map((call) => call.at);
    expect(times).toHaveLength(3);
    // random() is 0 in the tests: the gap is SEND_GAP_SECONDS' minimum, 20 s.
    expect(times.slice(1).map((at, i) => at - times[i]!)).toEqual([20_000, 20_000]);
  });
});
