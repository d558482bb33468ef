import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/scheduler/clock.js';
import type { WeeklyReport } from '../../src/reports/weekly.js';
import { flowsFromYaml } from '../helpers/flows.js';
import { openPages, type PagesClient } from '../helpers/pages.js';
import type { Shop } from '../helpers/shop.js';

// Issue 21, point 4: churn, time to resolve and reputation, through the public seams (purchases over
// the API with their purchasedAt, the simulator's customers and owner, the clock), read back from
// GET /api/reports/weekly and the Painel with the exact numbers docs/metrics.md defines.
// 2026-W47 in São Paulo runs from Monday 16 November 03:00 UTC to Monday 23 November 03:00 UTC.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const OWNER = '+5511900001111';
const REVIEW_URL = 'https://g.page/r/CafeDaSerra/review';

let shop: Shop | undefined;
let pages: PagesClient | undefined;
/** A shop, and a browser signed in to its pages. */
async function createShop(options: Parameters<typeof openPages>[0]): Promise<Shop> {
  pages = await openPages(options);
  return pages.app;
}
afterEach(async () => {
  await shop?.close();
  shop = undefined;
});

async function weekly(s: Shop, week: string): Promise<{ metrics: WeeklyReport; text: string }> {
  const response = await s.api({ method: 'GET', url: `/api/reports/weekly?week=${week}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function painel(week: string): Promise<string> {
  const response = await pages!.get(`/?week=${week}`);
  expect(response.statusCode).toBe(200);
  return response.body;
}

const winBack = (days: number) => `
id: reconquista
version: 1
name: Reconquista
trigger: { type: inactivity, days: ${days} }
steps:
  - id: saudade
    send: "Saudade, {{ customer.first_name }}!"
`;

describe('churn: customers active at the week’s start who crossed the win-back flow’s threshold during it', () => {
  it('counts each customer in the week their threshold is crossed, across the boundary, as counts and a rate', async () => {
    shop = await createShop({ flows: flowsFromYaml({ 'reconquista.yaml': winBack(30) }), clock: new ManualClock('2026-12-01T12:00:00Z') });
    const buy = (phone: string, at: string, order: string) =>
      shop!.buy({ externalId: order, customer: { phone, name: `Cliente ${phone.slice(-2)}` }, purchasedAt: at });
    // W47 starts 16 Nov 03:00Z; 30 days before it is 17 Oct 03:00Z.
    await buy('+5511911110001', '2026-10-18T12:00:00Z', 'a1'); // A: crosses 17 Nov 12:00 → churned in W47
    await buy('+5511911110002', '2026-10-18T12:00:00Z', 'b1'); // B: buys again before crossing → stays
    await buy('+5511911110002', '2026-11-17T10:00:00Z', 'b2');
    await buy('+5511911110003', '2026-10-18T12:00:00Z', 'c1'); // C: crosses 17 Nov 12:00, back on the 18th → churned all the same
    await buy('+5511911110003', '2026-11-18T09:00:00Z', 'c2');
    await buy('+5511911110004', '2026-11-01T12:00:00Z', 'd1'); // D: crosses 1 Dec → active, not churned
    await buy('+5511911110005', '2026-10-10T12:00:00Z', 'e1'); // E: crossed 9 Nov, before the week → not active at its start
    await buy('+5511911110006', '2026-10-24T03:00:00Z', 'f1'); // F: crosses at 23 Nov 03:00, W47's end (excluded) = W48's start

    const w47 = await weekly(shop, '2026-W47');
    expect(w47.metrics.churn).toEqual({ active: 5, churned: 2, rate: 0.4, inactivityDays: 30 });
    expect(w47.text).toContain('📉 Deixaram de comprar (30 dias sem compra): 2 de 5 clientes ativos (40%)');

    // W48 (23 Nov 03:00Z): active = bought since 24 Oct 03:00Z (B, C, D, F); F crosses at its first moment.
    const w48 = await weekly(shop, '2026-W48');
    expect(w48.metrics.churn).toEqual({ active: 4, churned: 1, rate: 0.25, inactivityDays: 30 });
    expect(w48.text).toContain('1 de 4 clientes ativos (25%)');

    // This week, so far (it is 1 December 12:00Z): D crosses right now, so not yet; a minute later, D has.
    expect((await weekly(shop, '2026-W49')).metrics.churn).toEqual({ active: 3, churned: 0, rate: 0, inactivityDays: 30 });
    await shop.travel('1m');
    expect((await weekly(shop, '2026-W49')).metrics.churn).toEqual({ active: 3, churned: 1, rate: 0.333, inactivityDays: 30 });

    // A week before anyone bought: nobody active, no rate, no line.
    const early = await weekly(shop, '2026-W30');
    expect(early.metrics.churn).toEqual({ active: 0, churned: 0, rate: null, inactivityDays: 30 });
    expect(early.text).not.toContain('Deixaram de comprar');
  });
});

const npsFlow = `
id: pesquisa
version: 1
name: Pesquisa
trigger: { type: purchase }
steps:
  - id: nota
    ask:
      kind: nps
      question: "De 0 a 10, quanto você nos recomendaria?"
      timeout: 7d
`;

describe('time to resolve: from an alert to the owner’s first reply, and to the end of the handoff', () => {
  it('gives median, mean and cases, and counts the open ones apart, on each side of the week’s end', async () => {
    shop = await createShop({
      flows: flowsFromYaml({ 'pesquisa.yaml': npsFlow }),
      clock: new ManualClock('2026-11-16T13:00:00Z'),
      env: { OWNER_PHONE: OWNER, SHOP_NAME: 'Café da Serra', HANDOFF_PAUSE_HOURS: '2' },
    });
    const s = shop;
    const [ana, bia, caio, duda, eva] = ['+5511912340001', '+5511912340002', '+5511912340003', '+5511912340004', '+5511912340005'];
    for (const [index, phone] of [ana, bia, caio, duda, eva].entries()) await s.buy({ externalId: `p${index}`, customer: { phone, name: `Cliente ${index}` } });
    await s.travel('10m');
    expect(s.received(ana)).toContain('De 0 a 10, quanto você nos recomendaria?');
    const owner = async (to: string, text: string) => {
      const response = await s.api({ method: 'POST', url: '/api/simulator/owner-messages', payload: { to, text } });
      expect(response.statusCode, response.body).toBe(201);
    };

    // Ana gives a 3 (detractor alert); Duda asks a question at the same moment (a question forwarded).
    await s.reply(ana, '3');
    await s.reply(duda, 'Vocês entregam em Campinas?');
    await s.travel('10m');
    await owner(duda, 'Oi Duda, entregamos sim!'); // Duda: first reply 10 min; the handoff ends 2 h after it
    await s.travel('20m');
    await owner(ana, 'Oi Ana, sinto muito, vou resolver'); // Ana: first reply 30 min
    await s.travel('30m');
    await owner(ana, 'Pronto, trocamos o pedido'); // Ana's last message at 1 h: her handoff ends at 3 h
    await s.travel('1h');
    await s.reply(bia, 'Qual é o prazo de troca?'); // Bia: 2 h after Ana's alert
    await s.reply(caio, 'Meu pedido não chegou, vocês podem ver?'); // Caio: never answered
    await s.travel('2h');
    await owner(bia, 'Oi Bia, são 30 dias.'); // Bia: first reply 2 h, handoff ends at 4 h
    // Eva asks on Sunday night: answered in W47, her handoff ends in W48.
    await s.travel({ to: '2026-11-23T02:30:00Z' });
    await s.reply(eva, 'Vocês abrem no feriado?');
    await s.travel('10m');
    await owner(eva, 'Abrimos sim, Eva!');
    await s.travel({ to: '2026-11-30T12:00:00Z' });

    const w47 = await weekly(s, '2026-W47');
    // First replies in W47: Duda 10 min, Eva 10 min, Ana 30 min, Bia 2 h.
    // Ends in W47: Duda 2 h 10 min, Ana 3 h, Bia 4 h. Open at its end: Caio (unanswered) and Eva.
    expect(w47.metrics.timeToResolve).toEqual({
      firstReply: { cases: 4, medianMs: 20 * MINUTE, meanMs: 42.5 * MINUTE },
      end: { cases: 3, medianMs: 3 * HOUR, meanMs: Math.round((130 + 180 + 240) * MINUTE / 3) },
      open: 2,
      unanswered: 1,
      pauseHours: 2,
    });
    expect(w47.text).toContain('⏱️ Atendimento: 1ª resposta em 20 min (mediana de 4 casos), encerrado em 3 h (mediana de 3 casos), 2 em aberto');

    const w48 = await weekly(s, '2026-W48');
    expect(w48.metrics.timeToResolve).toEqual({
      firstReply: { cases: 0, medianMs: null, meanMs: null },
      end: { cases: 1, medianMs: 130 * MINUTE, meanMs: 130 * MINUTE },
      open: 1,
      unanswered: 1,
      pauseHours: 2,
    });
    expect(w48.text).toContain('⏱️ Atendimento: encerrado em 2 h 10 min (mediana de 1 caso), 1 em aberto');
    // Caio's case started on 16 November: still open within 28 days of a week's start, no longer after.
    expect((await weekly(s, '2026-W51')).metrics.timeToResolve.open).toBe(1);
    expect((await weekly(s, '2026-W52')).metrics.timeToResolve.open).toBe(0);

    const page = await painel('2026-W47');
    expect(page).toContain('Tempo de atendimento');
    expect(page).toContain('1ª resposta: mediana 20 min, média 43 min (4 casos) · fim do atendimento: mediana 3 h, média 3 h 3 min (3 casos) · 2 em aberto, 1 sem resposta');
  });
});

const reviewFlow = `
id: avaliacao
version: 1
name: Avaliação
trigger: { type: purchase }
steps:
  - id: pedido
    send: "Deixe sua avaliação: {{ shop.review_url }}"
`;

const linkIn = (text: string | undefined) => /https:\/\/\S+/.exec(text ?? '')?.[0] ?? '';

describe('reputation: the share of customers asked for a review who followed the link', () => {
  it('counts opens through GET /r/<token>: one token per recipient, 302 to SHOP_REVIEW_URL, counted once; unknown tokens 404', async () => {
    shop = await createShop({
      flows: flowsFromYaml({ 'avaliacao.yaml': reviewFlow }),
      clock: new ManualClock('2026-11-16T13:00:00Z'),
      env: { SHOP_NAME: 'Café da Serra', SHOP_REVIEW_URL: REVIEW_URL, PUBLIC_URL: 'https://loja.example.com.br/' },
    });
    const s = shop;
    const [ana, bia] = ['+5511912340001', '+5511912340002'];
    const anaRun = (await s.buy({ externalId: 'p1', customer: { phone: ana, name: 'Ana Souza' } })).runs[0]!.id;
    await s.buy({ externalId: 'p2', customer: { phone: bia, name: 'Bia Lima' } });
    await s.travel('10m');

    const anaLink = linkIn(s.received(ana)[0]);
    const biaLink = linkIn(s.received(bia)[0]);
    expect(anaLink).toMatch(/^https:\/\/loja\.example\.com\.br\/r\/[A-Za-z0-9_-]{22}$/);
    expect(biaLink).toMatch(/^https:\/\/loja\.example\.com\.br\/r\/[A-Za-z0-9_-]{22}$/);
    expect(anaLink).not.toBe(biaLink);
    // Nothing about the customer in the URL: not the phone, not the name; the run it names is encrypted (test/domain/review-link.test.ts).
    for (const secret of ['912340001', '5511912340001', 'Souza']) expect(anaLink).not.toContain(secret);

    const open = (url: string, method: 'GET' | 'HEAD' = 'GET', userAgent = 'Mozilla/5.0 (Linux; Android 14)') =>
      s.app.inject({ method, url: new URL(url).pathname, headers: { 'user-agent': userAgent } });
    const first = await open(anaLink);
    expect(first.statusCode).toBe(302);
    expect(first.headers.location).toBe(REVIEW_URL);
    expect(first.headers['cache-control']).toBe('no-store');
    // A second tap, a link preview and a HEAD are sent on too, and count nothing.
    expect((await open(anaLink)).statusCode).toBe(302);
    expect((await open(biaLink, 'GET', 'WhatsApp/2.23.20.0 A')).statusCode).toBe(302);
    expect((await open(biaLink, 'HEAD')).statusCode).toBe(302);
    // Unknown, forged or mangled tokens lead nowhere.
    for (const path of ['/r/AAAAAAAAAAAAAAAAAAAAAA', `/r/${anaLink.slice(-22, -1)}B`, `/r/${anaLink.slice(-22)}x`, '/r/nada']) {
      const response = await s.app.inject({ method: 'GET', url: path });
      expect(response.statusCode, path).toBe(404);
      expect(response.headers.location).toBeUndefined();
    }

    // The one open recorded is Ana's run: her token opened nobody else's.
    const opened = () => s.db.sqlite.prepare("SELECT key FROM scheduler_state WHERE key LIKE 'review_link.opened:%' ORDER BY key").pluck().all();
    expect(opened()).toEqual([`review_link.opened:${anaRun}`]);
    const w47 = await weekly(s, '2026-W47');
    expect(w47.metrics.reputation).toEqual({ measured: true, asked: 2, followed: 1, rate: 0.5 });
    expect(w47.text).toContain('⭐ Avaliação: link aberto por 1 de 2 clientes convidados (50%)');
    const page = await painel('2026-W47');
    expect(page).toContain('link aberto por 1 de 2 clientes convidados');

    // Bia opens hers after the week ended: W47 keeps its number (followed before its end), the open counts once.
    await s.travel({ to: '2026-11-24T12:00:00Z' });
    expect((await open(biaLink)).statusCode).toBe(302);
    expect((await open(anaLink)).statusCode).toBe(302); // Ana again: her first open keeps its time
    expect((await weekly(s, '2026-W47')).metrics.reputation).toEqual({ measured: true, asked: 2, followed: 1, rate: 0.5 });
    expect(opened()).toHaveLength(2);
  });

  it.each([
    ['not_public', { PUBLIC_URL: 'http://192.168.0.10:3000', SHOP_REVIEW_URL: REVIEW_URL }, true, 'o serviço não é acessível pela internet'],
    ['no_review_url', { PUBLIC_URL: 'https://loja.example.com.br' }, true, 'falta o link de avaliação (SHOP_REVIEW_URL)'],
    ['no_review_step', { PUBLIC_URL: 'https://loja.example.com.br', SHOP_REVIEW_URL: REVIEW_URL }, false, 'nenhum fluxo pede avaliação com o link da loja'],
  ] as const)('says "não medido" (%s), never a number', async (reason, env, withFlow, words) => {
    shop = await createShop({
      flows: withFlow ? flowsFromYaml({ 'avaliacao.yaml': reviewFlow }) : [],
      clock: new ManualClock('2026-11-16T13:00:00Z'),
      env: { SHOP_NAME: 'Café da Serra', ...env },
    });
    await shop.buy({ externalId: 'p1', customer: { phone: '+5511912340001', name: 'Ana Souza' } });
    await shop.travel('10m');
    // Without the public address the customer gets SHOP_REVIEW_URL itself, untracked.
    if (reason === 'not_public') expect(shop.received('+5511912340001')).toEqual([`Deixe sua avaliação: ${REVIEW_URL}`]);
    const w47 = await weekly(shop, '2026-W47');
    expect(w47.metrics.reputation).toEqual({ measured: false, reason });
    expect(w47.text).not.toContain('Avaliação:');
    const page = await painel('2026-W47');
    expect(page).toContain('não medido');
    expect(page).toContain(words);
  });
});
