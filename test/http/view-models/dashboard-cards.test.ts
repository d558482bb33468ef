import { describe, expect, it } from 'vitest';
import type { WeeklyReport } from '../../../src/reports/weekly.js';
import { buildDashboardCards } from '../../../src/http/view-models/dashboard-cards.js';
import { buildDashboardPeople } from '../../../src/http/view-models/dashboard-people.js';

// The Painel's cards and people from a weekly report given as data: no database, no server.

const FROM = Date.parse('2026-11-16T03:00:00Z');
const change = (value: number | null, previous: number | null) => ({ value, previous, change: value === null || previous === null ? null : value - previous });

/** A busy week against a quieter one; `overrides` for what a test is about. */
function report(overrides: Partial<WeeklyReport> = {}): WeeklyReport {
  return {
    week: '2026-W47',
    from: FROM,
    to: FROM + 7 * 86_400_000,
    nps: { ...change(50, 20), promoters: 3, passives: 0, detractors: 1 },
    purchases: change(12, 10),
    revenue: { ...change(123_456, 100_000), currency: 'BRL', others: [{ currency: 'USD', cents: 5000 }] },
    newCustomers: change(4, 4),
    returningCustomers: 8,
    messages: { sent: 1234, delivered: 1200, read: 900, failed: 3, unknown: 2 },
    replies: change(5, 7),
    replyRate: { ...change(0.625, 0.5), asked: 8, answered: 5 },
    csat: { ...change(4.5, 4), answers: 2 },
    referrals: { ...change(1, null), people: [{ name: null, phone: '+5511934567890', referrer: 'Bruno' }] },
    optOuts: change(0, 1),
    repurchase: { cohortFrom: FROM, cohortTo: FROM, cohort: 10, repeated: 3, rate: 0.3 },
    atRisk: { count: 2, inactivityDays: 120 },
    birthdays: [{ customerId: 9, name: null, phone: '+14155550100', monthDay: '11-24' }],
    attention: {
      detractors: [{ customerId: 1, name: 'Ana', phone: '+5511912345678', at: FROM + 86_400_000, score: 3, comment: 'frio' }],
      questions: [{ customerId: 2, name: null, phone: '+5511923456789', at: FROM + 2 * 86_400_000, text: null }],
    },
    churn: { active: 120, churned: 3, rate: 0.025, inactivityDays: 120 },
    timeToResolve: {
      firstReply: { cases: 4, medianMs: 8_100_000, meanMs: 10_800_000 },
      end: { cases: 3, medianMs: 97_200_000, meanMs: 108_000_000 },
      open: 2,
      unanswered: 1,
      pauseHours: 24,
    },
    reputation: { measured: true, asked: 10, followed: 4, rate: 0.4 },
    trend: [],
    quiet: false,
    ...overrides,
  };
}

describe('buildDashboardCards', () => {
  it('says each number, its change against the week before and a line of detail, in pt-BR', () => {
    expect(buildDashboardCards(report(), 'pt-BR')).toEqual([
      { name: 'NPS', value: '50', delta: '+30', detail: '3 promotores · 0 neutros · 1 detrator' },
      { name: 'Compras', value: '12', delta: '+2', detail: '' },
      { name: 'Faturamento', value: 'R$\u00a01.234,56', delta: '+R$\u00a0234,56', detail: 'US$\u00a050,00' },
      { name: 'Clientes novos', value: '4', delta: '', detail: '8 voltaram a comprar' },
      { name: 'Responderam', value: '5', delta: '−2', detail: '63% de 8 perguntados' },
      { name: 'CSAT', value: '4,5', delta: '+0,5', detail: '2 notas' },
      { name: 'Mensagens enviadas', value: '1.234', delta: '', detail: '1.200 entregues · 900 lidas · 5 com problema' },
      { name: 'Indicações', value: '1', delta: '', detail: '' },
      { name: 'Pediram para sair', value: '0', delta: '−1', detail: '' },
      { name: 'Recompra (90 dias)', value: '30%', delta: '', detail: '3 de 10 clientes novos' },
      { name: 'Sumidos', value: '2', delta: '', detail: 'sem comprar há 120 dias ou mais' },
      { name: 'Deixaram de comprar', value: '2,5%', delta: '', detail: 'sem compra há 120 dias: 3 de 120 clientes ativos' },
      {
        name: 'Tempo de atendimento',
        value: '2 h 15 min',
        delta: '',
        detail: '1ª resposta: mediana 2 h 15 min, média 3 h (4 casos) · fim do atendimento: mediana 1 dia e 3 h, média 1 dia e 6 h (3 casos) · 2 em aberto, 1 sem resposta',
      },
      { name: 'Avaliações', value: '40%', delta: '', detail: 'link aberto por 4 de 10 clientes convidados' },
    ]);
  });

  it("shows '—' for what cannot be computed yet, and no change without a week to compare with", () => {
    const cards = buildDashboardCards(
      report({
        nps: { ...change(null, 20), promoters: 0, passives: 0, detractors: 0 },
        revenue: { ...change(null, null), currency: null, others: [] },
        replyRate: { ...change(null, null), asked: 0, answered: 0 },
        csat: { ...change(null, 4), answers: 0 },
        repurchase: { cohortFrom: FROM, cohortTo: FROM, cohort: 0, repeated: 0, rate: null },
      }),
      'en',
    );
    const byName = new Map(cards.map((card) => [card.name, card]));
    expect(byName.get('NPS')).toEqual({ name: 'NPS', value: '—', delta: '', detail: '0 promoters · 0 passives · 0 detractors' });
    expect(byName.get('Revenue')).toEqual({ name: 'Revenue', value: '—', delta: '', detail: '' });
    expect(byName.get('Replied')).toEqual({ name: 'Replied', value: '5', delta: '−2', detail: '' });
    expect(byName.get('CSAT')).toEqual({ name: 'CSAT', value: '—', delta: '', detail: '' });
    expect(byName.get('Repurchase (90 days)')!.value).toBe('—');
  });

  it('shows the post-sale KPIs with the counts behind them, and says why reputation is not measured (issue 21)', () => {
    const cards = buildDashboardCards(
      report({
        churn: { active: 0, churned: 0, rate: null, inactivityDays: 60 },
        timeToResolve: { firstReply: { cases: 0, medianMs: null, meanMs: null }, end: { cases: 0, medianMs: null, meanMs: null }, open: 0, unanswered: 0, pauseHours: 24 },
        reputation: { measured: false, reason: 'not_public' },
      }),
      'pt-BR',
    );
    expect(cards.slice(-3)).toEqual([
      { name: 'Deixaram de comprar', value: '—', delta: '', detail: 'ninguém tinha comprado nos 60 dias antes da semana' },
      { name: 'Tempo de atendimento', value: '—', delta: '', detail: 'nenhum alerta ao dono nesta semana' },
      {
        name: 'Avaliações',
        value: 'não medido',
        delta: '',
        detail: 'o serviço não é acessível pela internet (PUBLIC_URL precisa ser um endereço https público)',
      },
    ]);
    const en = buildDashboardCards(report({ reputation: { measured: false, reason: 'no_review_step' } }), 'en').at(-1);
    expect(en).toEqual({ name: 'Reviews', value: 'not measured', delta: '', detail: 'no flow asks for a review with the shop’s link' });
    const es = buildDashboardCards(report({ reputation: { measured: true, asked: 0, followed: 0, rate: null } }), 'es').at(-1);
    expect(es).toEqual({ name: 'Reseñas', value: '—', delta: '', detail: 'nadie recibió el pedido de reseña esta semana' });
  });

  it('speaks the locale', () => {
    expect(buildDashboardCards(report(), 'es').slice(0, 3)).toEqual([
      { name: 'NPS', value: '50', delta: '+30', detail: '3 promotores · 0 neutros · 1 detractor' },
      { name: 'Compras', value: '12', delta: '+2', detail: '' },
      { name: 'Facturación', value: '1234,56\u00a0BRL', delta: '+234,56\u00a0BRL', detail: '50,00\u00a0US$' },
    ]);
  });
});

describe('buildDashboardCards counts', () => {
  const ones = report({
    nps: { ...change(100, null), promoters: 1, passives: 1, detractors: 1 },
    returningCustomers: 1,
    replyRate: { ...change(1, null), asked: 1, answered: 1 },
    csat: { ...change(5, null), answers: 1 },
    messages: { sent: 1, delivered: 1, read: 1, failed: 0, unknown: 0 },
    repurchase: { cohortFrom: FROM, cohortTo: FROM, cohort: 1, repeated: 1, rate: 1 },
    churn: { active: 1, churned: 1, rate: 1, inactivityDays: 60 },
    timeToResolve: { firstReply: { cases: 1, medianMs: 60_000, meanMs: 60_000 }, end: { cases: 1, medianMs: 86_400_000, meanMs: 86_400_000 }, open: 1, unanswered: 1, pauseHours: 24 },
    reputation: { measured: true, asked: 1, followed: 1, rate: 1 },
  });
  const details = (locale: 'pt-BR' | 'en' | 'es') => buildDashboardCards(ones, locale).map((card) => card.detail).filter(Boolean);

  it('reads 1 in the singular in pt-BR', () => {
    expect(details('pt-BR')).toEqual([
      '1 promotor · 1 neutro · 1 detrator',
      'US$\u00a050,00',
      '1 voltou a comprar',
      '100% de 1 perguntado',
      '1 nota',
      '1 entregue · 1 lida · 0 com problema',
      '1 de 1 cliente novo',
      'sem comprar há 120 dias ou mais',
      'sem compra há 60 dias: 1 de 1 cliente ativo',
      '1ª resposta: mediana 1 min, média 1 min (1 caso) · fim do atendimento: mediana 1 dia, média 1 dia (1 caso) · 1 em aberto, 1 sem resposta',
      'link aberto por 1 de 1 cliente convidado',
    ]);
  });

  it('reads 1 in the singular in en and es', () => {
    expect(details('en')).toContain('1 promoter · 1 passive · 1 detractor');
    expect(details('en')).toContain('1 rating');
    expect(details('en')).toContain('1 of 1 new customer');
    expect(details('es')).toContain('1 promotor · 1 neutro · 1 detractor');
    expect(details('es')).toContain('1 volvió a comprar');
    expect(details('es')).toContain('1 de 1 cliente nuevo');
    expect(details('en')).toContain('no purchase for 60 days: 1 of 1 active customer');
    expect(details('es')).toContain('sin compra hace 60 días: 1 de 1 cliente activo');
    expect(details('es')).toContain('1.ª respuesta: mediana 1 min, media 1 min (1 caso) · fin de la atención: mediana 1 día, media 1 día (1 caso) · 1 abierto, 1 sin respuesta');
  });
});

describe('buildDashboardPeople', () => {
  it('links who needs the owner to their record and WhatsApp, by name or else phone, at local times', () => {
    const people = buildDashboardPeople(report(), { locale: 'pt-BR', timeZone: 'America/Sao_Paulo', country: 'BR' });
    expect(people).toEqual({
      detractors: [{ id: 1, name: 'Ana', phone: '(11) 91234-5678', link: 'https://wa.me/5511912345678', at: '17/11/2026, 00:00', score: 3, comment: 'frio' }],
      questions: [{ id: 2, name: '(11) 92345-6789', phone: '(11) 92345-6789', link: 'https://wa.me/5511923456789', at: '18/11/2026, 00:00', text: null }],
      referrals: [{ name: null, phone: '(11) 93456-7890', referrer: 'Bruno' }],
      birthdays: [{ id: 9, name: '+1 415 555 0100', day: '24/11' }],
    });
  });
});
