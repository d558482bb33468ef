import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/scheduler/clock.js';
import { flowsFromYaml, SHIPPED_FLOWS } from '../helpers/flows.js';
import { createShop, type Shop } from '../helpers/shop.js';

// The inbox through its public seams: a purchase over HTTP, the customer's replies through the
// simulator, the shipped flows, and what the customer's phone and record show.

const ANA = '+5511912345678';
const OWNER = '+5511900001111';

let t: Shop | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function shop(): Promise<Shop> {
  t = await createShop({ flows: SHIPPED_FLOWS, clock: new ManualClock('2026-11-20T13:00:00Z'), env: { OWNER_PHONE: OWNER, SHOP_NAME: 'Café da Ana' } });
  return t;
}

/** Ana buys a coffee, with marketing consent. */
const buy = (app: Shop, externalId = 'p1') =>
  app.buy({ externalId, customer: { phone: ANA, name: 'Ana Souza', consent: { marketing: true } }, items: [{ sku: 'CAFE-250', name: 'Café especial' }] });

/** Ana writes, and a minute passes. */
async function says(app: Shop, message: Record<string, unknown>) {
  await app.reply(ANA, message);
  await app.travel('1m');
}

function customer(app: Shop) {
  return app.repos.customers.findByPhone(ANA)!;
}

/** Up to the NPS poll of pos-compra: a week after the purchase. */
async function untilTheQuestion(app: Shop) {
  await buy(app);
  await app.travel('1h');
  await app.travel('3d');
  await app.travel('4d');
  expect(app.received(ANA).at(-1)).toMatch(/^\[enquete\] Ana, de 0 a 10/);
}

describe('opt-out (SAIR) and coming back (VOLTAR)', () => {
  it('SAIR mid-flow: consent revoked with its text, every run stopped, one confirmation, then silence', async () => {
    const app = await shop();
    await buy(app);
    await app.travel('1h');
    expect(app.received(ANA)).toHaveLength(1);
    await says(app, { text: 'SAIR' });

    expect(app.received(ANA).at(-1)).toBe('Pronto: você não vai mais receber mensagens automáticas da loja Café da Ana. Se mudar de ideia, é só responder VOLTAR.');
    const ana = customer(app);
    expect(ana.optedOutAt).not.toBeNull();
    expect(ana.consent).toMatchObject({ marketing: 'revoked', source: 'whatsapp', text: 'SAIR' });
    expect(app.repos.customers.listConsentEvents(ana.id)).toEqual(
      expect.arrayContaining([expect.objectContaining({ purpose: 'messages', state: 'revoked', source: 'whatsapp', text: 'SAIR' })]),
    );
    expect(app.repos.runs.listFor(ana.id).map((run) => [run.status, run.endReason])).toEqual(
      expect.arrayContaining([['cancelled', 'opted_out']]),
    );
    expect(app.repos.runs.openFor(ana.id)).toEqual([]);

    const before = app.received(ANA).length;
    await app.travel('40d');
    await buy(app, 'p2');
    await app.travel('10d');
    expect(app.received(ANA)).toHaveLength(before);
  });

  it('the confirmation goes at once, even at night, when flow messages wait for the morning', async () => {
    const app = await shop();
    await buy(app);
    // 23:30 in São Paulo: quiet hours.
    app.clock.set('2026-11-21T02:30:00Z');
    await says(app, { text: 'me tira dessa lista' });
    expect(app.received(ANA).at(-1)).toContain('você não vai mais receber');
    expect(app.repos.outbox.list({ limit: 10 }).find((row) => row.purpose === 'notice')).toMatchObject({ status: 'sent', runId: null });
  });

  it('a second SAIR gets no second confirmation', async () => {
    const app = await shop();
    await buy(app);
    await says(app, { text: 'sair' });
    await says(app, { text: 'SAIR!!' });
    expect(app.received(ANA).filter((text) => text.startsWith('Pronto: você não vai mais'))).toHaveLength(1);
  });

  it('SAIR while the NPS question waits is an opt-out, never an answer', async () => {
    const app = await shop();
    await untilTheQuestion(app);
    await says(app, { text: 'Sair' });
    expect(app.repos.answers.listFor(customer(app).id)).toEqual([]);
    expect(customer(app).optedOutAt).not.toBeNull();
  });

  it('VOLTAR: messages allowed again, recorded the same way, with one confirmation; a new purchase starts its flows', async () => {
    const app = await shop();
    await buy(app);
    await says(app, { text: 'SAIR' });
    await says(app, { text: 'oi, tudo bem?' });
    expect(customer(app).optedOutAt).not.toBeNull();
    await says(app, { text: 'VOLTAR' });

    expect(app.received(ANA).at(-1)).toBe('Que bom ter você de volta! Você vai voltar a receber as mensagens da loja Café da Ana. Para parar, é só responder SAIR.');
    const ana = customer(app);
    expect(ana.optedOutAt).toBeNull();
    expect(app.repos.customers.listConsentEvents(ana.id).filter((event) => event.purpose === 'messages').map((event) => [event.state, event.text])).toEqual([
      ['revoked', 'SAIR'],
      ['granted', 'VOLTAR'],
    ]);
    await buy(app, 'p2');
    await app.travel('1h');
    expect(app.received(ANA).at(-1)).toContain('Muito obrigado pela compra');
  });
});

describe('answers typed in the customer’s own words', () => {
  it('"9, mas a entrega atrasou" answers the NPS: a 9 with its comment, stored, and the promoter branch taken', async () => {
    const app = await shop();
    await untilTheQuestion(app);
    await says(app, { text: '9, mas a entrega atrasou' });
    const [answer] = app.repos.answers.listFor(customer(app).id);
    expect(answer).toMatchObject({ kind: 'nps', stepId: 'pesquisa', value: '9', comment: 'mas a entrega atrasou', messageWaId: expect.any(String) });
    expect(app.received(ANA).at(-1)).toContain('Conhece alguém que ia gostar');
    expect(customer(app).tags).toContain('promotor');
  });

  it('a detractor in words ("nota tres") alerts the owner', async () => {
    const app = await shop();
    await untilTheQuestion(app);
    await says(app, { text: 'nota tres' });
    expect(app.repos.answers.listFor(customer(app).id)).toEqual([expect.objectContaining({ value: '3' })]);
    expect(app.simulator.conversation(OWNER).some((message) => message.content.kind === 'text' && message.content.text.includes('3'))).toBe(true);
  });

  it('a reply that is not a score leaves the question waiting and stores no answer', async () => {
    const app = await shop();
    await untilTheQuestion(app);
    const before = app.received(ANA).length;
    await says(app, { text: 'quando chega o próximo lote?' });
    expect(app.repos.answers.listFor(customer(app).id)).toEqual([]);
    expect(app.repos.runs.openFor(customer(app).id).some((run) => run.state.ask?.stepId === 'pesquisa')).toBe(true);
    expect(app.received(ANA)).toHaveLength(before);
  });

  it('erasing the customer erases their answers too', async () => {
    const app = await shop();
    await untilTheQuestion(app);
    await says(app, { text: '8, gostei' });
    const id = customer(app).id;
    expect(app.repos.answers.listFor(id)).toHaveLength(1);
    expect((await app.api({ method: 'DELETE', url: `/api/customers/${id}` })).statusCode).toBe(200);
    expect(app.repos.answers.listFor(id)).toEqual([]);
  });

  it('a poll vote is stored as an answer too', async () => {
    const app = await shop();
    await untilTheQuestion(app);
    const poll = app.simulator.conversation(ANA).find((message) => message.direction === 'out' && message.content.kind === 'poll')!;
    await says(app, { pollVote: { pollMessageId: poll.id, options: ['10'] } });
    expect(app.repos.answers.listFor(customer(app).id)).toEqual([expect.objectContaining({ kind: 'nps', value: '10', comment: null })]);
  });

  it('a shared contact card answers the referral question with the friend’s number in E.164', async () => {
    const app = await shop();
    await untilTheQuestion(app);
    await says(app, { text: '10' });
    expect(app.received(ANA).at(-1)).toContain('Conhece alguém que ia gostar');
    await says(app, { contact: { name: 'Beto Lima', phones: ['(21) 98888-7777'] } });
    expect(app.repos.answers.listFor(customer(app).id).at(-1)).toMatchObject({ kind: 'referral', value: '+5521988887777' });
    // A referral row for the friend, who is not made a customer and gets nothing.
    expect(app.repos.referrals.listFor(customer(app).id)).toEqual([expect.objectContaining({ name: 'Beto Lima', phone: '+5521988887777' })]);
    expect(app.repos.customers.findByPhone('+5521988887777')).toBeUndefined();
    const record = (await app.api({ method: 'GET', url: `/api/customers/${customer(app).id}` })).json();
    expect(record.referrals).toEqual([expect.objectContaining({ name: 'Beto Lima', phone: '+5521988887777' })]);
    expect(record.answers.map((a: { kind: string; value: string }) => [a.kind, a.value])).toEqual([
      ['nps', '10'],
      ['referral', '+5521988887777'],
    ]);
    expect(app.received(ANA).at(-1)).toContain('Muito obrigado pela indicação');
    // The owner hears of the friend at once.
    const owner = app.simulator.conversation(OWNER).flatMap((message) => (message.content.kind === 'text' ? [message.content.text] : []));
    expect(owner).toContain('🎁 Ana Souza (+5511912345678) indicou: Beto Lima +5521988887777. Eles não recebem nada automático (não pediram); se quiser, fale com eles pessoalmente.');
  });

  it('typed numbers answer the referral question too, several at once', async () => {
    const app = await shop();
    await untilTheQuestion(app);
    await says(app, { text: '10' });
    await says(app, { text: 'a Carla (11) 97777-6666 e o Davi 21 96666-5555' });
    expect(app.repos.referrals.listFor(customer(app).id).map((r) => r.phone)).toEqual(['+5511977776666', '+5521966665555']);
  });
});

describe('a detractor alerts the owner at once, whatever the flow', () => {
  /** A seller's own survey: an NPS question and a thanks, no alert_owner step anywhere. */
  const surveyFlow = () =>
    flowsFromYaml({
      'pesquisa.yaml': ['id: pesquisa-propria', 'version: 1', 'name: Pesquisa', 'trigger:', '  type: purchase', 'steps:', '  - id: nota', '    ask:', '      kind: nps',
        '      question: "De 0 a 10, e aí?"', '      timeout: 3d', '  - id: valeu', '    send: "Valeu, {{ customer.first_name }}!"'].join('\n'),
    });
  const ownerTexts = (app: Shop) => app.simulator.conversation(OWNER).flatMap((message) => (message.content.kind === 'text' ? [message.content.text] : []));

  it('with the score, the comment and a one-tap link, from a flow that has no alert step', async () => {
    t = await createShop({ flows: surveyFlow(), clock: new ManualClock('2026-11-20T13:00:00Z'), env: { OWNER_PHONE: OWNER, SHOP_NAME: 'Café da Ana' } });
    await buy(t);
    await t.travel('1m');
    await says(t, { text: '4, demorou demais' });
    expect(ownerTexts(t)).toEqual(['⚠️ Ana Souza (+5511912345678) deu nota 4 de 0 a 10 na pesquisa: "demorou demais". Vale chamar hoje: https://wa.me/5511912345678']);
    expect(t.received(ANA).at(-1)).toBe('Valeu, Ana!');
  });

  it('not for a 7 or more', async () => {
    t = await createShop({ flows: surveyFlow(), clock: new ManualClock('2026-11-20T13:00:00Z'), env: { OWNER_PHONE: OWNER } });
    await buy(t);
    await t.travel('1m');
    await says(t, { text: '7' });
    expect(ownerTexts(t)).toEqual([]);
  });

  it('keeps quiet hours unless OWNER_ALERTS_ANYTIME is set', async () => {
    // 19:59 in São Paulo: the question goes just before quiet hours (from 20:00); the answer comes at 22:00.
    for (const [anytime, expected] of [['false', []], ['true', ['⚠️ Ana Souza (+5511912345678) deu nota 2 de 0 a 10 na pesquisa. Vale chamar hoje: https://wa.me/5511912345678']]] as const) {
      t = await createShop({ flows: surveyFlow(), clock: new ManualClock('2026-11-20T22:59:00Z'), env: { OWNER_PHONE: OWNER, OWNER_ALERTS_ANYTIME: anytime } });
      await buy(t);
      await t.travel('1m');
      expect(t.received(ANA)).toHaveLength(1);
      await t.travel('2h');
      await says(t, { text: 'dois' });
      expect(ownerTexts(t)).toEqual(expected);
      if (anytime === 'false') {
        await t.travel('12h');
        expect(ownerTexts(t)).toHaveLength(1);
      }
      await t.close();
      t = undefined;
    }
  });
});

describe('a reply that cannot be read: asked again once, then let go', () => {
  it('the first gets one short clarification; the second is kept as the comment and the question takes no_answer', async () => {
    const app = await shop();
    await untilTheQuestion(app);
    await says(app, { text: 'hmm' });
    expect(app.received(ANA).at(-1)).toBe('Só pra eu anotar certinho: qual nota você dá, de 0 a 10? 🙂');
    const count = app.received(ANA).length;
    await says(app, { text: 'depois eu vejo' });
    expect(app.repos.answers.listFor(customer(app).id)).toEqual([expect.objectContaining({ kind: 'nps', value: '', comment: 'depois eu vejo' })]);
    // pos-compra ends on no_answer: nothing more is sent.
    await app.travel('5d');
    expect(app.received(ANA)).toHaveLength(count);
    expect(app.repos.runs.listFor(customer(app).id).find((run) => run.flowId === 'pos-compra')).toMatchObject({ status: 'done' });
  });

  it('after the clarification, a readable reply answers as usual', async () => {
    const app = await shop();
    await untilTheQuestion(app);
    await says(app, { text: 'hmm' });
    await says(app, { text: 'oito' });
    expect(app.repos.answers.listFor(customer(app).id)).toEqual([expect.objectContaining({ value: '8' })]);
    expect(app.received(ANA).at(-1)).toContain('Obrigado pela resposta');
  });
});

describe('the owner steps in', () => {
  function ownerTexts(app: Shop): string[] {
    // The Monday summary goes to the owner too; these tests are about alerts.
    return app.simulator.conversation(OWNER).flatMap((message) => (message.content.kind === 'text' && !message.content.text.startsWith('📊') ? [message.content.text] : []));
  }

  it('a question while the NPS waits goes to the owner, once an hour, and automation for the customer pauses', async () => {
    const app = await shop();
    await untilTheQuestion(app);
    const before = app.received(ANA).length;
    await says(app, { text: 'quando chega o próximo lote de café?' });
    await says(app, { text: 'e vocês entregam em Campinas?' });
    expect(ownerTexts(app)).toEqual([
      '💬 Ana Souza (+5511912345678) escreveu: "quando chega o próximo lote de café?"\nResponda por aqui: https://wa.me/5511912345678\nAs mensagens automáticas para esse cliente ficam pausadas por 24 h.',
    ]);
    // Paused for 24 h from the second message (a minute ago): a later pause is never shortened.
    expect(customer(app).handoffUntil).toBe(app.clock.now() - 60_000 + 24 * 3600_000);
    // The NPS reminder (due a day after the question) waits for the pause, then goes.
    await app.travel('20h');
    expect(app.received(ANA)).toHaveLength(before);
    await app.travel('6h');
    expect(app.received(ANA).at(-1)).toContain('Só lembrando da pesquisa');
  });

  it('without OWNER_PHONE the alert is not sent, the log says so, and the customer is still paused', async () => {
    t = await createShop({ flows: SHIPPED_FLOWS, clock: new ManualClock('2026-11-20T13:00:00Z'), env: { SHOP_NAME: 'Café da Ana' } });
    const app = t;
    await buy(app);
    await app.travel('2h');
    await says(app, { text: 'meu pedido veio quebrado' });
    expect(app.logs.filter((line) => line.includes('OWNER_PHONE is not set'))).toHaveLength(1);
    expect(customer(app).handoffUntil).not.toBeNull();
  });

  it('a complaint with no question waiting goes to the owner too', async () => {
    const app = await shop();
    await buy(app);
    await app.travel('2h');
    await says(app, { text: 'meu pedido veio quebrado' });
    expect(ownerTexts(app)).toEqual([expect.stringContaining('"meu pedido veio quebrado"')]);
  });

  it('the owner typing to the customer pauses the bot; the waiting messages go after the pause', async () => {
    const app = await shop();
    await buy(app);
    await app.travel('2h');
    expect(app.received(ANA)).toHaveLength(1);
    const typed = await app.api({ method: 'POST', url: '/api/simulator/owner-messages', payload: { to: ANA, text: 'Oi Ana, aqui é a dona da loja!' } });
    expect(typed.statusCode).toBe(201);
    await app.travel('1m');
    expect(customer(app).handoffUntil).not.toBeNull();
    // The tip is due on the 24th at 10:00; with HANDOFF_PAUSE_HOURS=24 the pause is long over by then.
    await app.travel('4d');
    expect(app.received(ANA).some((text) => text.includes('Uma dica'))).toBe(true);
  });
});

describe('while the connection is down', () => {
  it('a reply sent while offline is handled when it arrives: answered, and the next message goes', async () => {
    const app = await shop();
    await untilTheQuestion(app);
    expect((await app.api({ method: 'POST', url: '/api/simulator/faults', payload: { drop: true } })).statusCode).toBe(200);
    // 202: the simulator holds it until the connection is back.
    expect((await app.api({ method: 'POST', url: '/api/simulator/messages', payload: { from: ANA, text: 'nota 10!!' } })).statusCode).toBe(202);
    await app.travel('1m');
    expect(app.repos.answers.listFor(customer(app).id)).toEqual([]);
    expect((await app.api({ method: 'POST', url: '/api/simulator/faults', payload: { restore: true } })).statusCode).toBe(200);
    await app.travel('1m');
    expect(app.repos.answers.listFor(customer(app).id)).toEqual([expect.objectContaining({ value: '10' })]);
    expect(app.received(ANA).at(-1)).toContain('Conhece alguém que ia gostar');
  });
});

describe('after SAIR, whatever the schedule', () => {
  it('nothing but the one confirmation ever reaches the customer (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 10 * 24 * 60 }),
        fc.constantFrom('SAIR', 'parar', 'não quero mais receber mensagens', 'me descadastra', 'STOP'),
        // Anything but VOLTAR (which is the way back): answers, greetings, a question.
        fc.array(fc.constantFrom('9', 'sim', 'oi', '10, adorei', 'quando chega?', 'SAIR'), { maxLength: 3 }),
        async (minutes, optOut, later) => {
          const app = await shop();
          try {
            await buy(app);
            await app.travel(`${minutes}m`);
            await says(app, { text: optOut });
            const at = app.received(ANA).length;
            for (const text of later) await says(app, { text });
            await buy(app, 'p2');
            await app.travel('40d');
            const after = app.received(ANA).slice(at - 1);
            expect(after).toEqual([expect.stringContaining('você não vai mais receber')]);
          } finally {
            await app.close();
            t = undefined;
          }
        },
      ),
      { numRuns: 15 },
    );
    // 15 shops, each taken through 40 days: about 19 s alone, over the default 20 s when the other
    // test files share the cores. The limit guards against a hang; it times nothing.
  }, 90_000);
});
