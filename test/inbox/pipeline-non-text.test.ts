import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/scheduler/clock.js';
import { SHIPPED_FLOWS } from '../helpers/flows.js';
import { createShop, type Shop } from '../helpers/shop.js';

// Issue 15 through the simulator, the shipped flows and the public API: a photo's caption is the
// answer; a voice note is never re-asked, the owner is told; a message that may be a stop request
// gets nothing automated, pauses the customer and asks the owner, who decides with one tap.

const ANA = '+5511912345678';
const OWNER = '+5511900001111';

let t: Shop | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function shop(): Promise<Shop> {
  t = await createShop({
    flows: SHIPPED_FLOWS,
    clock: new ManualClock('2026-11-20T13:00:00Z'),
    env: { OWNER_PHONE: OWNER, SHOP_NAME: 'Café da Ana', PUBLIC_URL: 'https://loja.example.com.br/' },
  });
  return t;
}

/** Ana writes, and a minute passes. */
async function says(app: Shop, message: Record<string, unknown>) {
  await app.reply(ANA, message);
  await app.travel('1m');
}

function toOwner(app: Shop): string[] {
  return app.simulator
    .conversation(OWNER)
    .filter((message) => message.direction === 'out' && message.content.kind === 'text')
    .map((message) => (message.content.kind === 'text' ? message.content.text : ''));
}

function ana(app: Shop) {
  return app.repos.customers.findByPhone(ANA)!;
}

/** Up to the NPS poll of pos-compra: a week after the purchase. */
async function untilTheQuestion(app: Shop) {
  await app.buy({ externalId: 'p1', customer: { phone: ANA, name: 'Ana Souza' }, items: [{ sku: 'CAFE-250', name: 'Café especial' }] });
  await app.travel('1h');
  await app.travel('3d');
  await app.travel('4d');
  expect(app.received(ANA).at(-1)).toMatch(/^\[enquete\] Ana, de 0 a 10/);
}

describe('a photo with a caption answers like a text', () => {
  it('"nota 2, o pacote chegou todo amassado" on a photo: a 2 with its comment, and the owner alerted as for any detractor', async () => {
    const app = await shop();
    await untilTheQuestion(app);
    await says(app, { media: { type: 'image', caption: 'nota 2, o pacote chegou todo amassado' } });
    expect(app.repos.answers.listFor(ana(app).id)).toEqual([expect.objectContaining({ kind: 'nps', value: '2', comment: 'o pacote chegou todo amassado' })]);
    expect(toOwner(app).some((text) => text.includes('deu nota 2') && text.includes('o pacote chegou todo amassado'))).toBe(true);
    expect(app.received(ANA).at(-1)).toMatch(/^Poxa, Ana, sinto muito/);
  });

  it('a caption that says SAIR opts out', async () => {
    const app = await shop();
    await untilTheQuestion(app);
    await says(app, { media: { type: 'image', caption: 'SAIR' } });
    expect(ana(app).optedOutAt).not.toBeNull();
  });
});

describe('a voice note, a sticker or a photo without words while a question is open', () => {
  it('a voice note: no re-ask, no answer; the owner is told it is an audio, with the link; the question waits', async () => {
    const app = await shop();
    await untilTheQuestion(app);
    const before = app.received(ANA).length;
    await says(app, { media: { type: 'audio' } });

    expect(app.received(ANA)).toHaveLength(before);
    expect(app.repos.answers.listFor(ana(app).id)).toEqual([]);
    const alert = toOwner(app).at(-1)!;
    expect(alert).toContain('Ana Souza');
    expect(alert).toContain('respondeu com um áudio');
    expect(alert).toContain('https://wa.me/5511912345678');
    expect(app.repos.runs.openFor(ana(app).id).some((run) => run.state.ask?.stepId === 'pesquisa')).toBe(true);
    // She then types the score: it is her answer.
    await app.travel('1d');
    await says(app, { text: '9' });
    expect(app.repos.answers.listFor(ana(app).id)).toEqual([expect.objectContaining({ value: '9' })]);
  });

  it('a sticker alone gets no re-ask and tells the owner', async () => {
    const app = await shop();
    await untilTheQuestion(app);
    const before = app.received(ANA).length;
    await says(app, { media: { type: 'sticker' } });
    expect(app.received(ANA)).toHaveLength(before);
    expect(toOwner(app).at(-1)).toContain('respondeu com uma figurinha');
  });

  it('a voice note with no question open still goes to the owner, and never gets a bot reply', async () => {
    const app = await shop();
    await untilTheQuestion(app);
    await says(app, { text: '10' });
    await app.travel('10d');
    const before = app.received(ANA).length;
    const alerts = toOwner(app).length;
    await says(app, { media: { type: 'audio' } });
    expect(app.received(ANA)).toHaveLength(before);
    expect(toOwner(app)).toHaveLength(alerts + 1);
  });
});

describe('a message that may be a stop request', () => {
  it('"não quero mais" while the NPS waits: nothing automated, automation paused, the owner asked with the page link', async () => {
    const app = await shop();
    await untilTheQuestion(app);
    const before = app.received(ANA).length;
    await says(app, { text: 'não quero mais' });

    expect(app.received(ANA)).toHaveLength(before); // no "Só pra eu anotar certinho", no confirmation
    expect(app.repos.answers.listFor(ana(app).id)).toEqual([]);
    const held = ana(app);
    expect(held.optedOutAt).toBeNull();
    expect(held.automationPausedAt).not.toBeNull();
    expect(held.stopReview).toMatchObject({ text: 'não quero mais' });
    const alert = toOwner(app).at(-1)!;
    expect(alert).toContain('"não quero mais"');
    expect(alert).toContain(`https://loja.example.com.br/customers/${held.id}`);

    // A day later the reminder would have gone: the pause holds it.
    await app.travel('2d');
    expect(app.received(ANA)).toHaveLength(before);
  });

  it('the owner confirms with one tap on the page: opted out, runs ended, and the customer gets no bot message', async () => {
    const app = await shop();
    await untilTheQuestion(app);
    await says(app, { text: 'não quero mais' });
    const id = ana(app).id;
    const before = app.received(ANA).length;

    const confirmed = await app.api({ method: 'POST', url: `/api/customers/${id}/opt-out` });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ customer: { optedOutAt: expect.any(String), stopReview: null } });
    expect(app.repos.customers.listConsentEvents(id).at(-1)).toMatchObject({ state: 'revoked', source: 'owner', text: 'não quero mais' });
    expect(app.repos.runs.openFor(id)).toEqual([]);
    await app.travel('10d');
    expect(app.received(ANA)).toHaveLength(before);
  });

  it('or resumes: the question is back in play and the held reminder goes', async () => {
    const app = await shop();
    await untilTheQuestion(app);
    await says(app, { text: 'não quero mais' });
    const id = ana(app).id;
    const resumed = await app.api({ method: 'POST', url: `/api/customers/${id}/resume` });
    expect(resumed.json()).toMatchObject({ customer: { automationPausedAt: null, stopReview: null, optedOutAt: null } });
    await app.travel('1d');
    expect(app.received(ANA).at(-1)).toMatch(/Só lembrando da pesquisa/);
  });

  it('"Quero parar de receber" while the NPS waits is a stop: opted out, never re-asked', async () => {
    const app = await shop();
    await untilTheQuestion(app);
    await says(app, { text: 'Quero parar de receber' });
    expect(ana(app).optedOutAt).not.toBeNull();
    expect(app.received(ANA).some((text) => text.startsWith('Só pra eu anotar certinho'))).toBe(false);
  });
});
