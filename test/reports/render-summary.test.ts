import { describe, expect, it } from 'vitest';
import { renderSummary, sparkline, SUMMARY_MAX_CHARS } from '../../src/reports/render-summary.js';
import type { WeeklyReport } from '../../src/reports/weekly.js';

const W47 = Date.parse('2026-11-16T03:00:00Z');
const DAY = 86_400_000;

/** A good week of a small coffee shop: 2026-W47. */
function busyWeek(overrides: Partial<WeeklyReport> = {}): WeeklyReport {
  const weeks = ['2026-W40', '2026-W41', '2026-W42', '2026-W43', '2026-W44', '2026-W45', '2026-W46', '2026-W47'];
  return {
    week: '2026-W47',
    from: W47,
    to: W47 + 7 * DAY,
    nps: { value: 42, previous: 34, change: 8, promoters: 9, passives: 3, detractors: 2 },
    purchases: { value: 32, previous: 27, change: 5 },
    revenue: { value: 234_500, previous: 210_000, change: 24_500, currency: 'BRL', others: [] },
    newCustomers: { value: 12, previous: 10, change: 2 },
    returningCustomers: 20,
    messages: { sent: 120, delivered: 118, read: 90, failed: 2, unknown: 0 },
    replies: { value: 18, previous: 15, change: 3 },
    replyRate: { value: 0.6, previous: 0.5, change: 0.1, asked: 30, answered: 18 },
    csat: { value: null, previous: null, change: null, answers: 0 },
    referrals: {
      value: 2,
      previous: 0,
      change: 2,
      people: [
        { name: 'Carla Dias', phone: '+5511977770001', referrer: 'Ana Souza' },
        { name: null, phone: '+5511977770002', referrer: 'Ana Souza' },
      ],
    },
    optOuts: { value: 1, previous: 0, change: 1 },
    repurchase: { cohortFrom: 0, cohortTo: 0, cohort: 40, repeated: 10, rate: 0.25 },
    atRisk: { count: 55, inactivityDays: 60 },
    birthdays: [{ customerId: 9, name: 'Bia Lima', phone: '+5511988880009', monthDay: '11-25' }],
    attention: {
      detractors: [{ customerId: 3, name: 'Caio Reis', phone: '+5511912340003', at: W47 + DAY, score: 4, comment: 'a entrega\natrasou *muito*' }],
      questions: [{ customerId: 4, name: 'Duda', phone: '+5521987650004', at: W47 + 2 * DAY, text: 'vocês entregam em Campinas?' }],
    },
    churn: { active: 120, churned: 3, rate: 0.025, inactivityDays: 60 },
    timeToResolve: {
      firstReply: { cases: 4, medianMs: 8_100_000, meanMs: 10_800_000 },
      end: { cases: 3, medianMs: 97_200_000, meanMs: 108_000_000 },
      open: 2,
      unanswered: 1,
      pauseHours: 24,
    },
    reputation: { measured: true, asked: 10, followed: 4, rate: 0.4 },
    trend: weeks.map((week, index) => ({
      week,
      monday: [
        { year: 2026, month: 9, day: 28 },
        { year: 2026, month: 10, day: 5 },
        { year: 2026, month: 10, day: 12 },
        { year: 2026, month: 10, day: 19 },
        { year: 2026, month: 10, day: 26 },
        { year: 2026, month: 11, day: 2 },
        { year: 2026, month: 11, day: 9 },
        { year: 2026, month: 11, day: 16 },
      ][index]!,
      nps: [20, 35, null, 50, 42, 61, 34, 42][index]!,
      replies: [12, 18, 0, 25, 21, 30, 15, 18][index]!,
      purchases: [20, 22, 19, 25, 24, 30, 27, 32][index]!,
    })),
    quiet: false,
    ...overrides,
  };
}

function quietWeek(): WeeklyReport {
  const week = busyWeek();
  return {
    ...week,
    nps: { value: null, previous: null, change: null, promoters: 0, passives: 0, detractors: 0 },
    purchases: { value: 0, previous: 0, change: 0 },
    revenue: { value: null, previous: null, change: null, currency: null, others: [] },
    messages: { sent: 0, delivered: 0, read: 0, failed: 0, unknown: 0 },
    referrals: { value: 0, previous: 0, change: 0, people: [] },
    attention: { detractors: [], questions: [] },
    birthdays: [],
    quiet: true,
  };
}

describe('renderSummary', () => {
  it('pt-BR: NPS first, then who needs the owner, referrals, then the rest', () => {
    const { text } = renderSummary(busyWeek(), { locale: 'pt-BR', shopName: 'Café da Ana' });
    expect(text).toMatchInlineSnapshot(`
      "📊 *Resumo da semana, Café da Ana*
      16/11 a 22/11

      *NPS 42* ↑8 ▁▄·▆▅█▃▅
      9 promotores · 3 neutros · 2 detratores

      *Precisa de você*
      ⚠️ Caio Reis deu nota 4 ("a entrega atrasou muito"): https://wa.me/5511912340003
      💬 Duda escreveu "vocês entregam em Campinas?": https://wa.me/5521987650004

      *Indicações (2)*
      🎁 Carla Dias +5511977770001: indicação de Ana Souza
      🎁 +5511977770002: indicação de Ana Souza

      🛒 Pedidos: 32 ↑5 · R$ 2.345 ↑R$ 245 ▂▃▁▄▄▇▅█
      👥 Clientes novos: 12 ↑2 · voltaram: 20
      💬 18 de 30 responderam (60%) ↑10 p.p.
      ✉️ Mensagens: 120 enviadas, 118 entregues, 90 lidas, 2 falharam
      🚪 Saíram da lista: 1 ↑1
      🔁 Recompra em 90 dias: 25% (de 40)
      📉 Deixaram de comprar (60 dias sem compra): 3 de 120 clientes ativos (2,5%)
      ⏱️ Atendimento: 1ª resposta em 2 h 15 min (mediana de 4 casos), encerrado em 1 dia e 3 h (mediana de 3 casos), 2 em aberto
      ⭐ Avaliação: link aberto por 4 de 10 clientes convidados (40%)
      😴 Sem comprar há mais de 60 dias: 55
      🎂 Aniversários: Bia Lima (25/11)"
    `);
    expect(text.length).toBeLessThan(SUMMARY_MAX_CHARS);
  });

  it('reads a count of 1 in the singular, in every locale', () => {
    const ones = busyWeek({
      nps: { value: 0, previous: null, change: null, promoters: 1, passives: 0, detractors: 1 },
      messages: { sent: 1, delivered: 1, read: 1, failed: 1, unknown: 0 },
    });
    const lines = (locale: 'pt-BR' | 'en' | 'es') => renderSummary(ones, { locale, shopName: 'Loja' }).text.split('\n');
    expect(lines('pt-BR')).toContain('1 promotor · 0 neutros · 1 detrator');
    expect(lines('pt-BR')).toContain('✉️ Mensagens: 1 enviada, 1 entregue, 1 lida, 1 falhou');
    expect(lines('en')).toContain('1 promoter · 0 passives · 1 detractor');
    expect(lines('en')).toContain('✉️ Messages: 1 sent, 1 delivered, 1 read, 1 failed');
    expect(lines('es')).toContain('1 promotor · 0 neutros · 1 detractor');
    expect(lines('es')).toContain('✉️ Mensajes: 1 enviado, 1 entregado, 1 leído, 1 falló');
  });

  it('en', () => {
    const { text } = renderSummary(busyWeek(), { locale: 'en', shopName: 'Ana’s Coffee' });
    expect(text).toMatchInlineSnapshot(`
      "📊 *Weekly summary, Ana’s Coffee*
      11/16 to 11/22

      *NPS 42* ↑8 ▁▄·▆▅█▃▅
      9 promoters · 3 passives · 2 detractors

      *Needs you*
      ⚠️ Caio Reis gave 4 ("a entrega atrasou muito"): https://wa.me/5511912340003
      💬 Duda wrote "vocês entregam em Campinas?": https://wa.me/5521987650004

      *Referrals (2)*
      🎁 Carla Dias +5511977770001, referred by Ana Souza
      🎁 +5511977770002, referred by Ana Souza

      🛒 Orders: 32 ↑5 · R$2,345 ↑R$245 ▂▃▁▄▄▇▅█
      👥 New customers: 12 ↑2 · returning: 20
      💬 18 of 30 replied (60%) ↑10 p.p.
      ✉️ Messages: 120 sent, 118 delivered, 90 read, 2 failed
      🚪 Left the list: 1 ↑1
      🔁 Bought again within 90 days: 25% (of 40)
      📉 Stopped buying (60 days without a purchase): 3 of 120 active customers (2.5%)
      ⏱️ Service: first reply in 2 h 15 min (median of 4 cases), closed in 1 day 3 h (median of 3 cases), 2 open
      ⭐ Reviews: link opened by 4 of 10 customers asked (40%)
      😴 No purchase for over 60 days: 55
      🎂 Birthdays: Bia Lima (11/25)"
    `);
  });

  it('es', () => {
    const { text } = renderSummary(busyWeek(), { locale: 'es', shopName: 'Café de Ana' });
    expect(text).toMatchInlineSnapshot(`
      "📊 *Resumen de la semana, Café de Ana*
      16/11 al 22/11

      *NPS 42* ↑8 ▁▄·▆▅█▃▅
      9 promotores · 3 neutros · 2 detractores

      *Te necesitan*
      ⚠️ Caio Reis puso 4 ("a entrega atrasou muito"): https://wa.me/5511912340003
      💬 Duda escribió "vocês entregam em Campinas?": https://wa.me/5521987650004

      *Recomendaciones (2)*
      🎁 Carla Dias +5511977770001: recomendación de Ana Souza
      🎁 +5511977770002: recomendación de Ana Souza

      🛒 Pedidos: 32 ↑5 · 2345 R$ ↑245 R$ ▂▃▁▄▄▇▅█
      👥 Clientes nuevos: 12 ↑2 · volvieron: 20
      💬 18 de 30 respondieron (60 %) ↑10 p.p.
      ✉️ Mensajes: 120 enviados, 118 entregados, 90 leídos, 2 fallaron
      🚪 Salieron de la lista: 1 ↑1
      🔁 Volvieron a comprar en 90 días: 25 % (de 40)
      📉 Dejaron de comprar (60 días sin compra): 3 de 120 clientes activos (2,5 %)
      ⏱️ Atención: 1.ª respuesta en 2 h 15 min (mediana de 4 casos), cerrado en 1 día y 3 h (mediana de 3 casos), 2 abiertos
      ⭐ Reseñas: enlace abierto por 4 de 10 clientes invitados (40 %)
      😴 Sin comprar hace más de 60 días: 55"
    `);
  });

  it('a quiet week: a short honest message, in each language', () => {
    expect(renderSummary(quietWeek(), { locale: 'pt-BR', shopName: 'Café da Ana' }).text).toMatchInlineSnapshot(`
      "📊 *Resumo da semana, Café da Ana*
      16/11 a 22/11

      Semana tranquila: nenhuma venda, mensagem ou resposta registrada. Se não era o esperado, confira a conexão do WhatsApp.
      📉 Deixaram de comprar (60 dias sem compra): 3 de 120 clientes ativos (2,5%)
      ⏱️ Atendimento: 1ª resposta em 2 h 15 min (mediana de 4 casos), encerrado em 1 dia e 3 h (mediana de 3 casos), 2 em aberto"
    `);
    expect(renderSummary(quietWeek(), { locale: 'en', shopName: 'Ana’s Coffee' }).text).toMatchInlineSnapshot(`
      "📊 *Weekly summary, Ana’s Coffee*
      11/16 to 11/22

      A quiet week: no sale, message or reply recorded. If that is unexpected, check the WhatsApp connection.
      📉 Stopped buying (60 days without a purchase): 3 of 120 active customers (2.5%)
      ⏱️ Service: first reply in 2 h 15 min (median of 4 cases), closed in 1 day 3 h (median of 3 cases), 2 open"
    `);
    expect(renderSummary(quietWeek(), { locale: 'es', shopName: 'Café de Ana' }).text).toMatchInlineSnapshot(`
      "📊 *Resumen de la semana, Café de Ana*
      16/11 al 22/11

      Semana tranquila: ninguna venta, mensaje ni respuesta registrada. Si no es lo esperado, revisa la conexión de WhatsApp.
      📉 Dejaron de comprar (60 días sin compra): 3 de 120 clientes activos (2,5 %)
      ⏱️ Atención: 1.ª respuesta en 2 h 15 min (mediana de 4 casos), cerrado en 1 día y 3 h (mediana de 3 casos), 2 abiertos"
    `);
  });

  it('tells the owner WhatsApp’s new-chat quota after the messages, in a quiet week too; nothing when it is not known', () => {
    const quota = '37 de 50 conversas novas usadas neste ciclo, renova em 12/12';
    const lines = renderSummary(busyWeek(), { locale: 'pt-BR', shopName: 'Café da Ana', whatsapp: quota }).text.split('\n');
    const messages = lines.findIndex((line) => line.startsWith('✉️ Mensagens:'));
    expect(lines[messages + 1]).toBe('WhatsApp: 37 de 50 conversas novas usadas neste ciclo, renova em 12/12');
    // In a quiet week, right after the quiet line (the week's churn and cases come after it).
    expect(renderSummary(quietWeek(), { locale: 'pt-BR', shopName: 'Café da Ana', whatsapp: quota }).text.split('\n').slice(3, 5)).toEqual([
      'Semana tranquila: nenhuma venda, mensagem ou resposta registrada. Se não era o esperado, confira a conexão do WhatsApp.',
      'WhatsApp: 37 de 50 conversas novas usadas neste ciclo, renova em 12/12',
    ]);
    expect(renderSummary(busyWeek(), { locale: 'en', shopName: 'Ana’s Coffee', whatsapp: '37 of 50 new chats used this cycle, renews on 12/12' }).text).toContain(
      '\nWhatsApp: 37 of 50 new chats used this cycle, renews on 12/12\n',
    );
    for (const whatsapp of [undefined, null, '']) {
      expect(renderSummary(busyWeek(), { locale: 'pt-BR', shopName: 'Café da Ana', whatsapp }).text).not.toContain('WhatsApp:');
    }
  });

  it('says when it was sent late', () => {
    expect(renderSummary(busyWeek(), { locale: 'pt-BR', shopName: 'Café da Ana', late: true }).text.split('\n')[2]).toBe(
      '⏰ Enviado com atraso: o fregues estava fora do ar na hora marcada.',
    );
  });

  it('stays under 1,000 characters in a week with many people to list, keeping the most important', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ customerId: i, name: `Cliente com um nome bem comprido número ${i}`, phone: `+55119000000${String(i).padStart(2, '0')}`, at: W47, score: 3, comment: 'x'.repeat(300) }));
    const week = busyWeek({
      attention: { detractors: many, questions: [] },
      referrals: { value: 40, previous: 0, change: 40, people: many.map((m) => ({ name: m.name, phone: m.phone, referrer: m.name })) },
      birthdays: many.map((m) => ({ customerId: m.customerId, name: m.name, phone: m.phone, monthDay: '11-25' })),
    });
    for (const locale of ['pt-BR', 'en', 'es'] as const) {
      const { text } = renderSummary(week, { locale, shopName: 'Uma Loja com Nome Comprido de Verdade' });
      expect(text.length).toBeLessThanOrEqual(SUMMARY_MAX_CHARS);
      expect(text).toContain('NPS 42');
      expect(text).toContain('https://wa.me/551190000000');
      expect(text).toMatch(/37/);
    }
  });

  it('gives the chart its eight weeks and its words', () => {
    const { chart } = renderSummary(busyWeek(), { locale: 'pt-BR', shopName: 'Café da Ana' });
    expect(chart.points.map((p) => p.label)).toEqual(['28/09', '05/10', '12/10', '19/10', '26/10', '02/11', '09/11', '16/11']);
    expect(chart.points[2]).toEqual({ label: '12/10', nps: null, replies: 0 });
    expect(chart.text).toEqual({ title: 'Últimas 8 semanas', nps: 'NPS', replies: 'Respostas', noData: 'Sem respostas nessas semanas' });
  });
});

describe('sparkline', () => {
  it('draws low to high, a dot for a week without a value, nothing with fewer than two values', () => {
    expect(sparkline([0, 50, 100])).toBe('▁▅█');
    expect(sparkline([10, null, 10])).toBe('▄·▄');
    expect(sparkline([null, 5, null])).toBe('');
  });
});
